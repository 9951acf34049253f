import datetime
from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reporting.catalog.loading import read_fixture
from reporting.choices import AgencyKind, ChangeSource, Role
from reporting.formatting import parse_number
from reporting.models import Agency, Submission, User
from reporting.periods import current_period, default_schedule
from reporting.submissions import store, workflow

DEMO_PASSWORD = "DeAn06-demo"  # local demo only; README lists the accounts

# Wards are named in none of the project's sources, so the demo adds the ten
# wards of Quận 1 as they were until 30/6/2025 (public administrative
# geography). They are marked as demo data; real wards are added by PC06.
QUAN_1_WARDS = [
    ("Q01-BNG", "Phường Bến Nghé"), ("Q01-BTH", "Phường Bến Thành"), ("Q01-CKH", "Phường Cầu Kho"),
    ("Q01-COL", "Phường Cầu Ông Lãnh"), ("Q01-CGI", "Phường Cô Giang"), ("Q01-DKA", "Phường Đa Kao"),
    ("Q01-NCT", "Phường Nguyễn Cư Trinh"), ("Q01-NTB", "Phường Nguyễn Thái Bình"),
    ("Q01-PNL", "Phường Phạm Ngũ Lão"), ("Q01-TDI", "Phường Tân Định"),
]
DEMO_SOURCE = "dữ liệu demo: phường của Quận 1 trước 01/7/2025 (địa giới hành chính công khai)"

DEMO_USERS = [
    # username, full name, role, agency code
    ("canbo.phuong", "Nguyễn Văn An", Role.OFFICER, "Q01-BNG"),
    ("lanhdao.phuong", "Trần Thị Bình", Role.HEAD, "Q01-BNG"),
    ("canbo.quan", "Lê Văn Cường", Role.OFFICER, "Q01"),
    ("canbo.so", "Phạm Thị Dung", Role.OFFICER, "STP"),
    ("lanhdao.so", "Hoàng Văn Em", Role.HEAD, "STP"),
    ("pc06", "Võ Thị Giang", Role.COMPILER, "PC06"),
    ("lanhdao.tp", "Đặng Văn Hùng", Role.LEADER, "BCD06"),
    ("quantri", "Quản trị hệ thống", Role.ADMIN, None),
]

# The month of the real city report in ../shared/seeds (April 2024) and the
# months before it, so the demo has a history to browse.
DEMO_MONTHS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]


class Command(BaseCommand):
    help = "Tạo tài khoản demo cho từng vai trò, các phường demo và các kỳ báo cáo demo (chạy lại không trùng)."

    @transaction.atomic
    def handle(self, *args, **options):
        district = Agency.objects.get(code="Q01")
        for code, name in QUAN_1_WARDS:
            Agency.objects.get_or_create(code=code, defaults={
                "name": name, "kind": AgencyKind.WARD, "parent": district,
                "valid_to": datetime.date(2025, 6, 30), "source": DEMO_SOURCE,
            })
        agencies = {agency.code: agency for agency in Agency.objects.all()}
        for username, full_name, role, agency_code in DEMO_USERS:
            # Vietnamese names are written family name first; keep the name whole.
            user, created = User.objects.get_or_create(username=username, defaults={
                "first_name": full_name, "role": role,
                "agency": agencies.get(agency_code), "is_superuser": role == Role.ADMIN,
            })
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
        schedule = default_schedule()
        for year, month in DEMO_MONTHS:
            schedule.period_for(year, month)
        current_period()
        approved = self._approve_april_2024(User.objects.get(username="pc06"))
        self.stdout.write(f"Demo: {len(DEMO_USERS)} tài khoản (mật khẩu {DEMO_PASSWORD}), "
                          f"{len(QUAN_1_WARDS)} phường của Quận 1, {len(DEMO_MONTHS) + 1} kỳ báo cáo, "
                          f"{approved} báo cáo tháng 4/2024 đã duyệt (số liệu của báo cáo thật).")

    def _approve_april_2024(self, compiler):
        """The figures the real April 2024 city report prints, as approved submissions of their units.

        They go through the same write path and workflow as any submission, so the
        demo has a history and an approved month to compile. Existing ones are left alone.
        """
        period = default_schedule().period_for(2024, 4)
        on_time = timezone.make_aware(datetime.datetime.combine(period.deadline, datetime.time(9)))
        values_by_agency = defaultdict(dict)
        for row in read_fixture("demo_values_2024_04.csv"):
            values_by_agency[row["agency"]][row["key"]] = store.CellValue(number=parse_number(row["value"]))
        approved = 0
        for agency in Agency.objects.filter(code__in=values_by_agency):
            if Submission.objects.filter(period=period, agency=agency).exists():
                continue
            submission = store.save_values(agency=agency, period=period, user=compiler, version=0,
                                           values=values_by_agency[agency.code], source=ChangeSource.IMPORT)
            workflow.submit(submission, compiler, version=submission.version, now=on_time)
            workflow.approve(submission, compiler, version=submission.version)
            approved += 1
        return approved

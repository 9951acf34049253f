"""``manage.py create_demo``: accounts in today's city, its last closed month, and April 2024 of the old structure.

Local demo only (README, "Demo logins"). Every figure goes through the same write path and every status
through the same workflow as a unit's own work, so the demo has histories and status changes to show.
The last closed month holds demonstration figures derived from seed 000's April 2024 city totals
(``_demo_figures``), never presented as that month's own. Running it again changes nothing: an account keeps its password, and a unit that already has a report
of a demo month is left alone.
"""

import datetime
import zlib
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from reporting.catalog.loading import read_fixture
from reporting.choices import AgencyKind, ChangeSource, Role, SubmissionStatus
from reporting.formatting import parse_number
from reporting.models import Agency, Share, Submission, Succession, User
from reporting.months import Month
from reporting.periods import current_period, default_schedule
from reporting.submissions import sheets, store, workflow

DEMO_PASSWORD = "DeAn06-demo"  # local demo only; README lists the accounts

DEMO_USERS = [
    # username, full name, role, agency code: units of the city since 1/7/2025, and one ward dissolved then.
    ("canbo.phuong", "Nguyễn Văn An", Role.OFFICER, "XA26740"),      # Phường Sài Gòn
    ("lanhdao.phuong", "Trần Thị Bình", Role.HEAD, "XA26740"),
    ("canbo.so", "Phạm Thị Dung", Role.OFFICER, "STP25"),            # Sở Tư pháp (from 1/7/2025)
    ("lanhdao.so", "Hoàng Văn Em", Role.HEAD, "STP25"),
    ("benghe_cu", "Lê Thị Hoa", Role.OFFICER, "PX26740"),            # Phường Bến Nghé, dissolved on 30/6/2025
    ("pc06", "Võ Thị Giang", Role.COMPILER, "PC06"),
    ("vanthu.pc06", "Lý Thị Kim", Role.COMPILER, "PC06"),         # PC06's records office: numbers and issues
    ("lanhdao.tp", "Đặng Văn Hùng", Role.LEADER, "BCD06"),
    ("quantri", "Quản trị hệ thống", Role.ADMIN, None),
]
# The records office (văn thư) of PC06: it numbers, dates and issues the report the director has signed.
RECORDS_OFFICE = {"vanthu.pc06"}

# The month of the real city report in ../shared/seeds (April 2024) and the months before it,
# so the old structure (districts, the wards of before 1/7/2025) has a history to browse.
HISTORY_MONTHS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]

# The figures of seed 000 that the demo's last closed month is derived from: the April 2024 city report's
# figures (also entered as April 2024) and those of the services wards report (entered nowhere).
CITY_TOTALS = ["demo_values_2024_04.csv", "demo_values_2024_04_wards.csv"]

# The last closed month as it looks a few weeks after its deadline: four units in five approved (every
# 25th of them submitted late), a few awaiting PC06 (the last of them late), one returned, two drafts,
# the rest not started. First come the accounts' units and the units whose own April 2024 figures the
# month derives from (by lineage), so that the month's report holds them.
APPROVED_SHARE = Decimal("0.8")
LATE_EVERY = 25
AWAITING, RETURNED, DRAFTS = 4, 1, 2
FIRST = ["XA26740", "STP25", "CATP", "SYT25", "SNV25", "BHXHTP", "NHCSXH"]
RETURN_COMMENT = ("Còn ô số liệu để trống. Đề nghị đơn vị rà soát, nhập đủ (chọn “Không phát sinh” nếu trong kỳ "
                  "không có hồ sơ, “Chưa có số liệu” nếu chưa có số) rồi nộp lại.")

# Before the catalog held the city's wards, the demo made up the ten wards of Quận 1 under codes such as
# Q01-BNG, with this source; the catalog's PX… units are the real ones.
MADE_UP_WARDS_SOURCE = "dữ liệu demo: phường của Quận 1 trước 01/7/2025 (địa giới hành chính công khai)"


class Command(BaseCommand):
    help = ("Tạo tài khoản demo cho từng vai trò, báo cáo tháng gần nhất đã hết hạn và tháng 4/2024 "
            "(chạy lại không trùng).")

    @transaction.atomic
    def handle(self, *args, **options):
        agencies = Agency.objects.in_bulk([code for *_, code in DEMO_USERS if code], field_name="code")
        users = {username: _account(username, full_name, role, agencies.get(code))
                 for username, full_name, role, code in DEMO_USERS}
        _forget_made_up_wards()
        schedule = default_schedule()
        for year, month in HISTORY_MONTHS:
            schedule.period_for(year, month)
        closed = schedule.period_for(*_last_closed(current_period()))
        april = _approve_april_2024(users["pc06"])
        _fill_month(closed, users)
        approved_in_april = april.submissions.filter(status=SubmissionStatus.APPROVED).count()
        self.stdout.write(f"Demo: {len(DEMO_USERS)} tài khoản (mật khẩu {DEMO_PASSWORD}); tháng 4/2024: "
                          f"{approved_in_april} báo cáo đã duyệt (số liệu của báo cáo thật); {_summary(closed)}")


def _account(username, full_name, role, agency):
    # Vietnamese names are written family name first; keep the name whole.
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": full_name, "role": role, "agency": agency, "is_superuser": role == Role.ADMIN,
        "records_office": username in RECORDS_OFFICE,
    })
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif user.agency_id != (agency.pk if agency else None):
        # A database an earlier demo filled had the accounts in the hierarchy of 2024.
        user.agency = agency
        user.save(update_fields=["agency"])
    return user


def _forget_made_up_wards():
    """Remove the made-up wards of an earlier demo, unless something refers to them (PC06 decides then)."""
    try:
        Agency.objects.filter(source=MADE_UP_WARDS_SOURCE, submissions=None, users=None, children=None).delete()
    except ProtectedError:
        pass


def _last_closed(current):
    """(year, month) before the month being worked on: the latest month whose deadline has passed."""
    before = Month.of(current).previous()
    return before.year, before.month


def _approve_april_2024(compiler):
    """The figures the real April 2024 city report prints, as approved submissions of their units.

    They go through the same write path and workflow as any submission, so the
    demo has a history and an approved month to compile. Existing ones are left alone. Returns the period.
    """
    period = default_schedule().period_for(2024, 4)
    on_time = timezone.make_aware(datetime.datetime.combine(period.deadline, datetime.time(9)))
    values_by_agency = defaultdict(dict)
    for row in read_fixture("demo_values_2024_04.csv"):
        values_by_agency[row["agency"]][row["key"]] = store.CellValue(number=parse_number(row["value"]))
    for agency in Agency.objects.filter(code__in=values_by_agency):
        if Submission.objects.filter(period=period, agency=agency).exists():
            continue
        submission = store.save_values(agency=agency, period=period, user=compiler, version=0,
                                       values=values_by_agency[agency.code], source=ChangeSource.IMPORT)
        workflow.submit(submission, compiler, version=submission.version, now=on_time)
        workflow.approve(submission, compiler, version=submission.version)
    return period


def _fill_month(period, users):
    """The units expected in ``period`` report it as ``_outcomes`` says, with figures derived by ``_demo_figures``.

    A unit with a demo account enters its figures itself (its officer) and its head submits; PC06 enters
    the others' as from their Excel files and submits for them. PC06 reviews.
    """
    units = list(period.expected_agencies())
    started = set(Submission.objects.filter(period=period).values_list("agency_id", flat=True))
    plan = [(unit, outcome, late) for unit, outcome, late in _outcomes(units)
            if outcome is not None and unit.pk not in started]
    if not plan:
        return
    figures, compiler = _demo_figures(period, units), users["pc06"]
    own = {(user.agency_id, user.role): user for user in users.values() if user.agency_id}
    by_compiler = {(unit.pk, period.pk): figures[unit.pk] for unit, _, _ in plan if (unit.pk, Role.OFFICER) not in own}
    saved = store.save_batch(compiler, by_compiler, versions=dict.fromkeys(by_compiler, 0), source=ChangeSource.IMPORT)
    for unit, _, _ in plan:
        officer = own.get((unit.pk, Role.OFFICER))
        if officer:
            saved[(unit.pk, period.pk)] = store.save_values(agency=unit, period=period, user=officer, version=0,
                                                            values=figures[unit.pk])
    for rank, (unit, outcome, late) in enumerate(plan):
        if outcome == SubmissionStatus.DRAFT:
            continue
        submission = saved[(unit.pk, period.pk)]
        workflow.submit(submission, own.get((unit.pk, Role.HEAD), compiler), version=submission.version,
                        now=_submitted_at(period, rank, late))
        if outcome == SubmissionStatus.APPROVED:
            workflow.approve(submission, compiler, version=submission.version)
        elif outcome == SubmissionStatus.RETURNED:
            workflow.return_to_unit(submission, compiler, version=submission.version, comment=RETURN_COMMENT)


def _outcomes(units):
    """(unit, status it ends in or None when not started, whether it submitted late), in a fixed order.

    The order is ``FIRST`` then a hash of the code, so the same units end the same way on every run.
    """
    order = sorted(units, key=lambda unit: (FIRST.index(unit.code) if unit.code in FIRST else len(FIRST),
                                            zlib.crc32(unit.code.encode()), unit.code))
    approved = int((len(order) * APPROVED_SHARE).to_integral_value(ROUND_HALF_UP))
    outcomes = [*[(SubmissionStatus.APPROVED, rank % LATE_EVERY == LATE_EVERY - 1) for rank in range(approved)],
                *[(SubmissionStatus.SUBMITTED, rank == AWAITING - 1) for rank in range(AWAITING)],
                *[(SubmissionStatus.RETURNED, False)] * RETURNED, *[(SubmissionStatus.DRAFT, False)] * DRAFTS]
    outcomes += [(None, False)] * (len(order) - len(outcomes))
    return [(unit, outcome, late) for unit, (outcome, late) in zip(order, outcomes)]


def _submitted_at(period, rank, late):
    """On time: up to five days before the deadline, in office hours; late: one to four days after, never ahead."""
    if late:
        day, moment = period.deadline + datetime.timedelta(days=1 + rank % 4), datetime.time(9 + rank % 8)
        return min(timezone.make_aware(datetime.datetime.combine(day, moment)), timezone.now())
    day = period.deadline - datetime.timedelta(days=rank % 6)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7 + rank % 10, 30)))


def _demo_figures(period, units):
    """unit pk → key → CellValue: seed 000's April 2024 city totals, shared among the units that report each.

    Demonstration figures, not the month's: a ward's share follows how many wards of before 1/7/2025 it
    was formed from (whole 1, part ½: Nghị quyết 1685/NQ-UBTVQH15), any other unit counts 1. Rounding
    half up keeps a part (online) under its whole (received). A cell seed 000 prints no figure for stays
    empty.
    """
    city = defaultdict(Decimal)
    for name in CITY_TOTALS:
        for row in read_fixture(name):
            city[row["key"]] += parse_number(row["value"])
    reported = {unit.pk: [cell.key for cell in sheets.build(unit, period).cells
                          if cell.kind == sheets.CellKind.COUNT and cell.key in city] for unit in units}
    weights = _weights(units)
    reporters = defaultdict(Decimal)
    for unit in units:
        for key in reported[unit.pk]:
            reporters[key] += weights[unit.pk]
    return {unit.pk: {key: store.CellValue(number=(city[key] * weights[unit.pk] / reporters[key]).quantize(
        Decimal(1), ROUND_HALF_UP)) for key in reported[unit.pk]} for unit in units}


def _weights(units):
    """unit pk → its share of a figure: a ward's wards of before 1/7/2025 (whole 1, part ½), any other unit 1."""
    weight = defaultdict(Decimal)
    wards = [unit.pk for unit in units if unit.kind == AgencyKind.WARD]
    for ward, share in Succession.objects.filter(successor__in=wards).values_list("successor_id", "share"):
        weight[ward] += 1 if share == Share.WHOLE else Decimal("0.5")
    return {unit.pk: weight.get(unit.pk) or Decimal(1) for unit in units}


def _summary(period):
    expected = period.expected_agencies().count()
    submissions = Submission.objects.filter(period=period)
    status = Counter(submissions.values_list("status", flat=True))
    late = submissions.filter(is_late=True, status=SubmissionStatus.APPROVED).count()
    return (f"{period.label.lower()}: {expected} đơn vị phải báo cáo, {status[SubmissionStatus.APPROVED]} đã duyệt "
            f"({late} nộp muộn), {status[SubmissionStatus.SUBMITTED]} chờ duyệt, {status[SubmissionStatus.RETURNED]} "
            f"trả lại, {status[SubmissionStatus.DRAFT]} nháp, {expected - sum(status.values())} chưa nhập "
            f"(số liệu demo chia từ tổng số tháng 4/2024 của thành phố trong báo cáo seed 000, không phải số liệu thật "
            f"của tháng).")

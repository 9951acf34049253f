"""Who reports, who may see what, and when: agencies, accounts, periods."""

import calendar
import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from reporting import access
from reporting.choices import AgencyKind, PeriodStatus, Role
from reporting.months import Month


def existed_on(day):
    """A Q on Agency: it existed on ``day`` (its validity dates include it)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.agency_filter(user, for_change=False))

    def editable_by(self, user):
        return self.filter(access.agency_filter(user, for_change=True))

    def active_on(self, day):
        """Agencies that existed on ``day``.

        The hierarchy changes over time (districts were abolished on 1/7/2025), so a past
        period is always read with the agencies of its own day.
        """
        return self.filter(existed_on(day))


class Agency(models.Model):
    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name="đơn vị tiền thân",
        symmetrical=False,
        blank=True,
        through="Succession",
        through_fields=("successor", "predecessor"),
        related_name="successors",
        help_text="Các đơn vị được sáp nhập, chia tách thành đơn vị này.",
    )
    is_reporting_unit = models.BooleanField(
        "phải báo cáo hằng tháng",
        default=True,
        help_text="Bỏ chọn với cơ quan Trung ương hoặc cơ quan chỉ được nêu trong kế hoạch.",
    )
    aliases = models.TextField(
        "cách viết khác",
        blank=True,
        help_text="Mỗi dòng một cách viết tên đơn vị trong văn bản (để đối chiếu khi nhập kế hoạch, Excel).",
    )
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    source = models.CharField("nguồn", max_length=255, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_validity_ends_after_start",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="agency_not_own_parent",
                violation_error_message="Đơn vị không thể là cấp trên của chính nó.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."})
        if self.parent_id and self.pk and self.pk in self.ancestor_ids():
            raise ValidationError({"parent": "Đơn vị không thể là cấp trên của chính nó (vòng lặp trong cây đơn vị)."})

    def ancestor_ids(self):
        """Ids of the parent chain, stopping if the chain loops back."""
        seen = []
        parent_id = self.parent_id
        while parent_id and parent_id not in seen:
            seen.append(parent_id)
            parent_id = Agency.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        return seen

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def is_active_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def reports_for(self, period):
        """Whether the unit reports that month: it exists on the last day of the data window (``expected_agencies``)."""
        return self.is_active_on(period.window_end)

    def not_reporting_reason(self, period):
        """Why the unit has no report for ``period`` (not yet formed, or dissolved and who reports now), or ''."""
        if self.reports_for(period):
            return ""
        if self.valid_from and self.valid_from > period.window_end:
            return (f"{self.name} được thành lập từ ngày {self.valid_from:%d/%m/%Y} nên không báo cáo "
                    f"{period.label.lower()}.")
        ended = f"{self.name} đã kết thúc hoạt động từ ngày {self.valid_to + datetime.timedelta(days=1):%d/%m/%Y}"
        links = list(self.successor_links.select_related("successor").order_by("successor__name"))
        if not links:
            return f"{ended}. Liên hệ PC06 để được chuyển tài khoản sang đơn vị báo cáo cho địa bàn này."
        names = ", ".join(link.successor.name for link in links)
        whole = len(links) == 1 and links[0].share == Share.WHOLE
        where = f"Địa bàn của đơn vị nay do {names} báo cáo" if whole else \
            f"Địa bàn của đơn vị nay được chia cho: {names}; mỗi đơn vị báo cáo phần địa bàn của mình"
        return f"{ended}. {where}. Đề nghị PC06 chuyển tài khoản của bạn sang đơn vị mới."

    def is_formed_in(self, period):
        """Whether the unit came into being during the period's data window: its month before is its predecessors'."""
        return self.valid_from is not None and period.window_start < self.valid_from <= period.window_end


class Share(models.TextChoices):
    WHOLE = "whole", "Toàn bộ"
    PART = "part", "Một phần"


class Succession(models.Model):
    """A unit formed (wholly or in part) from an older one, as the resolution that reorganised them says.

    The figures of a successor's first month compare with its predecessors' of the month before, and its
    trend reads theirs before it existed (``lineage_ids``). A predecessor taken only in part is counted
    whole there: no resolution splits a ward's figures, so the comparison says so rather than guess.
    """

    successor = models.ForeignKey(Agency, verbose_name="đơn vị kế thừa", on_delete=models.CASCADE,
                                  related_name="predecessor_links")
    predecessor = models.ForeignKey(Agency, verbose_name="đơn vị tiền thân", on_delete=models.CASCADE,
                                    related_name="successor_links")
    share = models.CharField("phần được nhập", max_length=10, choices=Share.choices, default=Share.WHOLE)
    source = models.CharField("nguồn", max_length=255, blank=True)

    class Meta:
        verbose_name = "đơn vị tiền thân"
        verbose_name_plural = "đơn vị tiền thân"
        ordering = ["successor", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(fields=["successor", "predecessor"], name="one_succession_per_pair",
                                    violation_error_message="Đơn vị tiền thân này đã được ghi."),
            models.CheckConstraint(condition=~Q(successor=models.F("predecessor")), name="succession_not_self",
                                   violation_error_message="Một đơn vị không thể là tiền thân của chính nó."),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_share_display().lower()})"


def lineage_ids(agency_ids):
    """The units and every unit they were formed from, however many reorganisations back (one query a generation).

    Figures summed over a lineage read the predecessors before the change and the successor after:
    they never existed at the same time.
    """
    found, frontier = set(agency_ids), set(agency_ids)
    while frontier:
        frontier = set(Succession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True)) - found
        found |= frontier
    return found


class User(AbstractUser):
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        Agency, verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    title = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    # The records office (văn thư) of PC06 numbers, dates and issues the signed report with the
    # organisation's signature (Decree 30/2020): a duty given to a few compilers, not a role of its own.
    records_office = models.BooleanField(
        "văn thư", default=False,
        help_text="Cấp số, ngày và ký số của cơ quan lên báo cáo tổng hợp đã được người có thẩm quyền ký.")

    class Meta(AbstractUser.Meta):
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def get_full_name(self):
        """Vietnamese order: family name (last_name, "Huỳnh Văn") before given name (first_name, "Hạnh")."""
        return f"{self.last_name} {self.first_name}".strip()

    def clean(self):
        super().clean()
        problem = access.role_agency_problem(self.role, self.agency)
        if problem:
            raise ValidationError({"agency": problem})

    def save(self, *args, **kwargs):
        # The role is the single source of privilege; the Django flags follow it
        # so that the admin and permission checks cannot disagree with it.
        if self.is_superuser:
            self.role = Role.ADMIN
        self.is_staff = self.role in (Role.ADMIN, Role.COMPILER)
        super().save(*args, **kwargs)


def _clamp_day(year, month, day):
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class ReportingSchedule(models.Model):
    """When a recurring report is due; its defaults follow Decree 09/2019/NĐ-CP."""

    name = models.CharField("tên", max_length=200, unique=True)
    window_start_day = models.PositiveSmallIntegerField(
        "ngày bắt đầu kỳ số liệu (tháng trước)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Nghị định 09/2019/NĐ-CP: số liệu từ ngày 15 tháng trước đến ngày 14 tháng báo cáo.",
    )
    deadline_day = models.PositiveSmallIntegerField(
        "hạn nộp (ngày trong tháng)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Kế hoạch 1302/KH-UBND mục V.1: báo cáo vào ngày 15 hằng tháng.",
    )
    first_month = models.DateField(
        "áp dụng từ tháng",
        default=datetime.date(2022, 1, 1),
        help_text="Tháng báo cáo đầu tiên của lịch (ngày trong tháng không dùng). "
                  "Quyết định 06/QĐ-TTg ban hành ngày 06/01/2022.",
    )

    class Meta:
        verbose_name = "lịch báo cáo"
        verbose_name_plural = "lịch báo cáo"

    def __str__(self):
        return self.name

    def window_for(self, year, month):
        """(first day, last day) of the data window of the month's report."""
        before = Month(year, month).previous()
        start = _clamp_day(before.year, before.month, self.window_start_day)
        end = _clamp_day(year, month, self.window_start_day) - datetime.timedelta(days=1)
        return start, end

    def deadline_for(self, year, month):
        return _clamp_day(year, month, self.deadline_day)

    def period_for(self, year, month):
        """The period of that month, created with this schedule's defaults if new."""
        period, _ = ReportingPeriod.objects.get_or_create(
            schedule=self, year=year, month=month, defaults=self.dates_for(year, month))
        return period

    def dates_for(self, year, month):
        """The computed window and deadline of a month: what a period holds unless PC06 moved them."""
        start, end = self.window_for(year, month)
        return {"window_start": start, "window_end": end, "deadline": self.deadline_for(year, month)}

    def covers(self, month):
        """Whether ``month`` (a Month) is on or after the schedule's first month."""
        return month >= Month.of(self.first_month)

    def periods_between(self, first, last):
        """The periods of every month from ``first`` to ``last`` = (year, month), in order; one query if all exist."""
        months = Month(*first).through(Month(*last))
        existing = {Month.of(period): period for period in self.periods.filter(
            year__gte=first[0], year__lte=last[0])}
        return [existing.get(month) or self.period_for(month.year, month.month) for month in months]


class ReportingPeriod(models.Model):
    schedule = models.ForeignKey(ReportingSchedule, verbose_name="lịch báo cáo", on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField("năm", validators=[MinValueValidator(2022), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("tháng", validators=[MinValueValidator(1), MaxValueValidator(12)])
    window_start = models.DateField("số liệu từ ngày")
    window_end = models.DateField("số liệu đến ngày")
    deadline = models.DateField("hạn nộp")
    status = models.CharField("trạng thái", max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "year", "month"],
                name="one_period_per_schedule_month",
                violation_error_message="Kỳ báo cáo của tháng này đã có.",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")),
                name="period_window_ends_after_start",
                violation_error_message="Ngày cuối kỳ số liệu phải sau ngày đầu kỳ.",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="period_month_in_range",
                violation_error_message="Tháng phải từ 1 đến 12.",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("window_end")),
                name="period_deadline_after_window",
                violation_error_message="Hạn nộp phải sau ngày cuối kỳ số liệu.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return Month.of(self).label

    @property
    def is_open(self):
        return self.status == PeriodStatus.OPEN

    def clean_fields(self, exclude=None):
        # A new period is named by its month; its dates are the schedule's unless PC06 gives them.
        if self.schedule_id and self.year and self.month and 1 <= self.month <= 12:
            for name, day in self.schedule.dates_for(self.year, self.month).items():
                setattr(self, name, getattr(self, name) or day)
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        problems = period_problems(self)
        if problems:
            raise ValidationError(problems)

    def entry_problem(self, today):
        """Why units may not enter data for this period today, or '' if they may."""
        if not self.is_open:
            return f"Kỳ báo cáo {self.label} đã đóng."
        if today < self.window_start:
            return f"Kỳ báo cáo {self.label} chưa mở: nhập số liệu từ ngày {self.window_start:%d/%m/%Y}."
        return ""

    def expected_agencies(self):
        """Reporting units that exist on the last day of this period's data window.

        A unit dissolved within the window (on 30/6/2025, the window of July being 15/6–14/7) is not asked
        for that month: its successor reports the whole window, as the units did after the reorganisation.
        """
        return Agency.objects.active_on(self.window_end).filter(is_reporting_unit=True)

    @staticmethod
    def expected_counts(periods):
        """period pk → how many units ``expected_agencies`` holds, for many periods in one query."""
        if not periods:
            return {}
        counts = Agency.objects.filter(is_reporting_unit=True).aggregate(**{
            f"period_{period.pk}": models.Count("pk", filter=existed_on(period.window_end))
            for period in periods})
        return {period.pk: counts[f"period_{period.pk}"] for period in periods}


# A window is one month of data (28–31 days); a few days' slack lets PC06 shift it around a holiday.
MAX_WINDOW_DAYS = 35
# A deadline may be extended (gia hạn), not pushed into another season.
MAX_DEADLINE_AFTER_WINDOW_DAYS = 31


def period_problems(period):
    """field → Vietnamese message, for every way the period's dates contradict the schedule or its data."""
    start, end, deadline = period.window_start, period.window_end, period.deadline
    if not (start and end and deadline and period.year and period.month):
        return {}
    problems = {}
    reported = Month(period.year, period.month)
    if end < start:
        problems["window_end"] = "Ngày cuối kỳ số liệu phải sau ngày đầu kỳ."
    elif (end - start).days + 1 > MAX_WINDOW_DAYS:
        problems["window_end"] = (f"Kỳ số liệu dài {(end - start).days + 1} ngày; "
                                  f"một kỳ báo cáo tháng không quá {MAX_WINDOW_DAYS} ngày.")
    elif Month.of(end) not in (reported, reported.previous()):
        problems["window_end"] = (f"Kỳ số liệu của {reported.label.lower()} phải kết thúc trong tháng "
                                  f"{reported.previous().short_label} hoặc {reported.short_label}.")
    if deadline <= end:
        problems["deadline"] = "Hạn nộp phải sau ngày cuối kỳ số liệu."
    elif (deadline - end).days > MAX_DEADLINE_AFTER_WINDOW_DAYS:
        problems["deadline"] = (f"Hạn nộp cách ngày cuối kỳ số liệu {(deadline - end).days} ngày; "
                                f"tối đa {MAX_DEADLINE_AFTER_WINDOW_DAYS} ngày.")
    if problems or not period.schedule_id:
        return problems
    overlap = (ReportingPeriod.objects.filter(schedule_id=period.schedule_id, window_start__lte=end, window_end__gte=start)
               .exclude(pk=period.pk).first())
    if overlap:
        problems["window_start"] = (f"Kỳ số liệu trùng với kỳ {overlap.label} "
                                    f"({overlap.window_start:%d/%m/%Y} – {overlap.window_end:%d/%m/%Y}).")
    if period.pk:
        problems.update(_moves_with_data(period))
    return problems


def _moves_with_data(period):
    """Once units reported for a period, its window is theirs: it cannot move, and the deadline only extends."""
    stored = ReportingPeriod.objects.filter(pk=period.pk).values("window_start", "window_end", "deadline").first()
    reports = period.submissions.count() if stored else 0
    if not reports:
        return {}
    problems = {}
    if (stored["window_start"], stored["window_end"]) != (period.window_start, period.window_end):
        problems["window_start"] = (f"Đã có {reports} báo cáo của kỳ này theo kỳ số liệu "
                                    f"{stored['window_start']:%d/%m/%Y} – {stored['window_end']:%d/%m/%Y}; "
                                    "không thể dời kỳ số liệu.")
    if period.deadline < stored["deadline"]:
        problems["deadline"] = (f"Đã có {reports} báo cáo của kỳ này; hạn nộp chỉ được gia hạn "
                                f"(sau {stored['deadline']:%d/%m/%Y}), không được rút ngắn.")
    return problems

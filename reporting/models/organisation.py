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


def existed_between(start, end):
    """A Q on Agency: it existed at some day of [start, end] (its validity dates overlap them)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.agency_filter(user, for_change=False))

    def editable_by(self, user):
        return self.filter(access.agency_filter(user, for_change=True))

    def active_between(self, start, end):
        """Agencies that existed at some day of [start, end].

        The hierarchy changes over time (districts were abolished on
        1/7/2025), so a past period is always read with the agencies valid then.
        """
        return self.filter(existed_between(start, end))

    def active_on(self, day):
        return self.active_between(day, day)


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


class User(AbstractUser):
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        Agency, verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    title = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)

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
        start, end = self.window_for(year, month)
        period, _ = ReportingPeriod.objects.get_or_create(
            schedule=self,
            year=year,
            month=month,
            defaults={"window_start": start, "window_end": end, "deadline": self.deadline_for(year, month)},
        )
        return period

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
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return Month.of(self).label

    @property
    def is_open(self):
        return self.status == PeriodStatus.OPEN

    def clean(self):
        super().clean()
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValidationError({"window_end": "Ngày cuối kỳ số liệu phải sau ngày đầu kỳ."})

    def entry_problem(self, today):
        """Why units may not enter data for this period today, or '' if they may."""
        if not self.is_open:
            return f"Kỳ báo cáo {self.label} đã đóng."
        if today < self.window_start:
            return f"Kỳ báo cáo {self.label} chưa mở: nhập số liệu từ ngày {self.window_start:%d/%m/%Y}."
        return ""

    def expected_agencies(self):
        """Reporting units that existed during this period's data window."""
        return Agency.objects.active_between(self.window_start, self.window_end).filter(is_reporting_unit=True)

    @staticmethod
    def expected_counts(periods):
        """period pk → how many units ``expected_agencies`` holds, for many periods in one query."""
        if not periods:
            return {}
        counts = Agency.objects.filter(is_reporting_unit=True).aggregate(**{
            f"period_{period.pk}": models.Count("pk", filter=existed_between(period.window_start, period.window_end))
            for period in periods})
        return {period.pk: counts[f"period_{period.pk}"] for period in periods}

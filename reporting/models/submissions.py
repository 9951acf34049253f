"""A unit's monthly submission, its values, its evidence and its history.

Values are stored the DHIS2 way, one row per cell keyed by a stable catalog
code (a service's measure, an indicator, a note: ``reporting.cells``), so that
entry, Excel import, audit and the consolidated report share one shape and one
SQL aggregation. ``reporting.submissions.sheets`` says which keys a unit reports.

Every write to a submission is a compare-and-swap on ``version``
(``claim_versions``), so that two people acting at once can never both win;
its status changes only through ``reporting.submissions.workflow``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from reporting import access, stamps
from reporting.choices import AgencyKind, BoardStatus, CellMark, ChangeSource, SubmissionStatus
from reporting.models.organisation import Agency, ReportingPeriod


APPROVAL_CHAINS_CACHE_SECONDS = 60 * 60   # bounds how stale an edit that sends no signal leaves them


class WorkflowError(ValidationError):
    """A refused action, with the Vietnamese reason the user sees."""


class StaleSubmission(WorkflowError):
    """Someone else saved the submission after this user loaded it."""


class Submission(models.Model):
    period = models.ForeignKey(ReportingPeriod, verbose_name="kỳ báo cáo", on_delete=models.PROTECT, related_name="submissions")
    agency = models.ForeignKey(Agency, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField("trạng thái", max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    # Bumped by every save and transition; a write naming an older version is refused.
    version = models.PositiveIntegerField("phiên bản", default=0)
    # Timeliness is the first submission's (as DHIS2 counts it): a report PC06 returns or reopens
    # and the unit submits again keeps the on-time status it earned.
    is_late = models.BooleanField("nộp muộn", default=False)
    first_submitted_at = models.DateTimeField("nộp lần đầu lúc", null=True, blank=True)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nộp", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField("ý kiến của PC06", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người cập nhật", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "báo cáo của đơn vị"
        verbose_name_plural = "báo cáo của đơn vị"
        ordering = ["period", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "agency"], name="one_submission_per_unit_and_period",
                                    violation_error_message="Đơn vị đã có báo cáo cho kỳ này."),
        ]

    def __str__(self):
        return f"{self.agency} · {self.period}"

    @property
    def was_resubmitted(self):
        return bool(self.first_submitted_at and self.submitted_at and self.submitted_at != self.first_submitted_at)

    @property
    def board_status(self):
        if self.status == SubmissionStatus.SUBMITTED:
            return BoardStatus.LATE if self.is_late else BoardStatus.ON_TIME
        return BoardStatus(self.status)

    # --- who may do what -------------------------------------------------

    def editing_problem(self, user, today=None):
        """Why the user may not change this submission's values now, or '' if they may."""
        if not access.may_change(user, self.agency):
            return "Bạn không được nhập số liệu cho đơn vị này."
        if self.status == SubmissionStatus.APPROVED:
            return "Báo cáo đã được duyệt nên không thể sửa; đề nghị PC06 mở lại nếu cần điều chỉnh."
        if self.status == SubmissionStatus.SUBMITTED:
            return "Báo cáo đã nộp, đang chờ PC06 xem xét; chỉ sửa được khi PC06 trả lại."
        # The head reviews what the officer prepared; it may correct a figure itself before submitting.
        if self.status == SubmissionStatus.PREPARED and not access.may_sign_off(user, self.agency):
            return "Báo cáo đang chờ lãnh đạo đơn vị duyệt; chỉ sửa được khi lãnh đạo trả lại."
        return self.agency.not_reporting_reason(self.period) or self.period.entry_problem(today or timezone.localdate())

    def ensure_editable(self, user, today=None):
        problem = self.editing_problem(user, today)
        if problem:
            raise WorkflowError(problem)

    def claim_version(self, version, user):
        Submission.claim_versions({self.pk: version}, user)
        self.version = version + 1

    @classmethod
    def claim_versions(cls, expected, user):
        """Compare-and-swap on many submissions: bump each version only if nobody else has since ``expected[pk]``.

        Runs inside the caller's transaction. The UPDATE comes first so that it
        takes the row locks: on PostgreSQL a concurrent writer waits, then bumps
        again, and the read-back shows one version too many to whichever of the
        two did not win; SQLite serialises writers on the whole file.
        """
        cls.objects.filter(pk__in=expected).update(version=F("version") + 1, updated_by=user, updated_at=timezone.now())
        # Unordered: the model's default ordering would join the period and the agency for nothing.
        now = dict(cls.objects.filter(pk__in=expected).order_by().values_list("pk", "version"))
        if any(now[pk] != version + 1 for pk, version in expected.items()):
            raise StaleSubmission("Báo cáo vừa được người khác thay đổi sau khi bạn mở trang.")


class DataValue(models.Model):
    """One reported cell: a number, a choice or a text, keyed by catalog code."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    key = models.CharField("ô số liệu", max_length=120)
    number = models.DecimalField("số", max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.TextField("nội dung", blank=True)
    # Instead of a number: "không phát sinh" or "chưa có số liệu" (never both a mark and a value).
    # db_default: rows written by COPY (history, generated cities) name only the columns they fill.
    mark = models.CharField("đánh dấu", max_length=10, choices=CellMark.choices, blank=True, default="", db_default="")
    comment = models.TextField("giải trình", blank=True)

    class Meta:
        verbose_name = "số liệu"
        verbose_name_plural = "số liệu"
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="one_value_per_cell"),
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__gte=0), name="value_not_negative",
                                   violation_error_message="Số liệu không được âm."),
            models.CheckConstraint(condition=Q(mark="") | Q(number__isnull=True, text=""), name="mark_or_value",
                                   violation_error_message="Ô đã đánh dấu thì không ghi số hay nội dung."),
        ]
        # Where a pilot model or a plan task stands is one cell read across every unit of the month
        # (``figures.plan_progress``): found by its key rather than by each submission of the month.
        indexes = [models.Index(fields=["key", "submission"], name="value_by_key")]

    def __str__(self):
        if self.mark:
            return f"{self.key}: {self.get_mark_display()}"
        return f"{self.key} = {self.number if self.number is not None else self.text}"


class ApprovalChain(models.Model):
    """Who hands a unit's month to PC06, by kind of unit: PC06 configures it, the workflow reads it.

    With ``head_reviews`` the officer prepares the month and the unit's head reviews it and submits it (or
    returns it to the officer); without, whoever enters the figures submits them. A kind with no row submits
    directly.
    """

    kind = models.CharField("loại đơn vị", max_length=20, choices=AgencyKind.choices, unique=True)
    head_reviews = models.BooleanField(
        "lãnh đạo đơn vị duyệt trước khi nộp", default=True,
        help_text="Cán bộ nhập liệu chuẩn bị; lãnh đạo đơn vị xem xét thay đổi so với tháng trước rồi nộp PC06 "
                  "hoặc trả lại cán bộ.")

    class Meta:
        verbose_name = "quy trình duyệt của đơn vị"
        verbose_name_plural = "quy trình duyệt của đơn vị"
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {'lãnh đạo đơn vị duyệt rồi nộp' if self.head_reviews else 'nộp thẳng PC06'}"

    @classmethod
    def head_reviews_for(cls, agency):
        return agency.kind in cls.reviewing_kinds()

    @classmethod
    def reviewing_kinds(cls):
        """The kinds of unit whose head reviews, from the cache: PC06 edits the chains as it edits the catalogs
        (their receivers move ``stamps.CATALOG``, apps.py), and every entry page and submit asks."""
        return stamps.kept(stamps.cache_key("approval-chains", stamps=[stamps.CATALOG], shape="kinds"),
                           lambda: frozenset(cls.objects.filter(head_reviews=True).values_list("kind", flat=True)),
                           APPROVAL_CHAINS_CACHE_SECONDS)


class ValueChange(models.Model):
    """Audit of one cell: who changed it, when, through what, from what to what."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="value_changes")
    key = models.CharField("ô số liệu", max_length=120)
    old_value = models.TextField("giá trị cũ", blank=True)
    new_value = models.TextField("giá trị mới", blank=True)
    comment = models.TextField("giải trình", blank=True)
    source = models.CharField("nguồn", max_length=10, choices=ChangeSource.choices)
    version = models.PositiveIntegerField("phiên bản sau khi lưu")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người sửa", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "lịch sử số liệu"
        verbose_name_plural = "lịch sử số liệu"
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["submission", "version"])]


class StatusChange(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("từ", max_length=10, choices=SubmissionStatus.choices)
    to_status = models.CharField("sang", max_length=10, choices=SubmissionStatus.choices)
    comment = models.TextField("ý kiến", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người thực hiện", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "lịch sử trạng thái"
        verbose_name_plural = "lịch sử trạng thái"
        ordering = ["-changed_at", "-pk"]


def evidence_path(evidence, filename):
    # Random file names: the original name is kept in the row, never trusted on disk.
    return f"minh-chung/{evidence.submission.period.year}/{evidence.submission.period.month:02d}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A supporting document (tài liệu minh chứng) attached to a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("tệp", upload_to=evidence_path)
    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "tài liệu minh chứng"
        verbose_name_plural = "tài liệu minh chứng"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name

"""A consolidated report's narrative as PC06 edited it, and its issued versions: numbered, dated, frozen; signed.

Finalising stores the document itself (not a recipe to rebuild it), its
content hash and the rendered PDF and DOCX, so an issued version never changes
when data or code change later. The only later write is the signature, once.
The files live in the storage backend (local disk or a bucket), the row names them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from reporting.models.organisation import ReportingPeriod

SIGNATURE_FIELDS = {"signed_pdf", "signed_sha256", "signed_by", "signed_at"}


def report_file_path(version, filename):
    """bao-cao-tong-hop/2024/04/264-bc-bcd-<hash>/bao-cao.pdf: one folder per version.

    The number ("264/BC-BCĐ") is only there for a person browsing the storage; the content hash,
    which the number is part of, keeps two versions out of one folder.
    """
    period = version.period
    number = version.number.replace("/", "-").replace("Đ", "D").replace("đ", "d")  # slugify drops "/" and "Đ"
    folder = f"{slugify(number)}-{version.content_sha256[:12]}"
    return f"bao-cao-tong-hop/{period.year}/{period.month:02d}/{folder}/{filename}"


class ReportVersion(models.Model):
    period = models.ForeignKey(ReportingPeriod, verbose_name="kỳ báo cáo", on_delete=models.PROTECT,
                               related_name="report_versions")
    # Set for a report of several months (a quarter, six months, a year): its first month.
    first_period = models.ForeignKey(ReportingPeriod, verbose_name="từ kỳ", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    number = models.CharField("số văn bản", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    include_submitted = models.BooleanField("gồm số liệu chưa duyệt", default=False)
    document = models.JSONField("nội dung")
    content_sha256 = models.CharField("mã băm nội dung (SHA-256)", max_length=64)
    # The outline it was composed with, as exported (``reporting.report.outline_io``): what PC06 edits later
    # never changes what an issued report was built from.
    outline = models.JSONField("đề cương đã dùng", null=True, blank=True)
    pdf = models.FileField("tệp PDF", upload_to=report_file_path, max_length=200)
    docx = models.FileField("tệp DOCX", upload_to=report_file_path, max_length=200)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người hoàn tất", on_delete=models.PROTECT,
                                     related_name="+")
    finalised_at = models.DateTimeField("hoàn tất lúc", default=timezone.now)
    signed_pdf = models.FileField("tệp PDF đã ký", upload_to=report_file_path, max_length=200, blank=True)
    # The signed file's bytes hashed: the public verification page tells the issued file from any other copy.
    signed_sha256 = models.CharField("mã băm tệp PDF đã ký (SHA-256)", max_length=64, blank=True, db_index=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người ký", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("ký lúc", null=True, blank=True)

    class Meta:
        verbose_name = "báo cáo tổng hợp đã ban hành"
        verbose_name_plural = "báo cáo tổng hợp đã ban hành"
        ordering = ["-finalised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="one_report_version_per_number",
                                    violation_error_message="Kỳ này đã có báo cáo mang số này."),
        ]

    def __str__(self):
        return f"Báo cáo số {self.number} · {self.period}"

    @property
    def is_range(self):
        return self.first_period_id is not None

    def save(self, *args, update_fields=None, **kwargs):
        # Frozen once issued: only the signature may be added afterwards, and only through update_fields.
        if self.pk and not (update_fields and set(update_fields) <= SIGNATURE_FIELDS):
            raise ValidationError("Báo cáo đã ban hành không thể sửa; hãy ban hành một số mới nếu cần điều chỉnh.")
        super().save(*args, update_fields=update_fields, **kwargs)


class ReportNarrative(models.Model):
    """PC06's own wording of one narrative section of the report of [first_period, period].

    Without one, the section lists the units' notes; with one, it prints this
    text (one paragraph per line) instead. A monthly report has
    first_period == period, so a quarter's wording never leaks into its last month's report.
    """

    first_period = models.ForeignKey(ReportingPeriod, verbose_name="từ kỳ", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, verbose_name="đến kỳ", on_delete=models.CASCADE,
                               related_name="report_narratives")
    # The key of the outline's narrative slot (``OutlineItem.key``): "note.direction", "tham-muu"…
    section = models.CharField("mục", max_length=40)
    text = models.TextField("nội dung")
    # Bumped by every save: an edit made on an older text is refused, never silently overwritten.
    version = models.PositiveIntegerField("phiên bản", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người sửa", on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "nội dung báo cáo tổng hợp do PC06 sửa"
        constraints = [
            models.UniqueConstraint(fields=["first_period", "period", "section"], name="one_narrative_per_section"),
        ]

    def __str__(self):
        return f"{self.section} · {self.period}"

    @property
    def paragraphs(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]

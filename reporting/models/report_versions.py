"""A consolidated report's narrative as PC06 edited it, and its versions: frozen, signed, then numbered and issued.

Finalising stores the document itself (not a recipe to rebuild it), its
content hash and the rendered PDF and DOCX, so a version never changes when
data or code change later. As Decree 30/2020 has it, two steps follow, each once:
the person named in the signature block signs the content; then the records
office (văn thư) gives the number and the date, printed into the signed file,
and applies the organisation's signature over the first (``reporting.report.issue``).
The files live in the storage backend (local disk or a bucket), the row names them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from reporting.models.organisation import ReportingPeriod

# What the two signing steps write once the content is frozen; nothing else ever changes.
PERSON_SIGNATURE_FIELDS = {"person_signed_pdf", "person_signed_by", "person_signed_at", "person_signer",
                           "signer_mismatch_reason"}
ISSUE_FIELDS = {"number", "issued_on", "docx", "signed_pdf", "signed_sha256", "signed_by", "signed_at"}


def report_file_path(version, filename):
    """bao-cao-tong-hop/2024/04/264-bc-bcd-<hash>/bao-cao.pdf: one folder per version.

    The number ("264/BC-BCĐ") is only there for a person browsing the storage: the files written before the
    records office numbers the version go under the hash alone. The content hash keeps two versions apart.
    """
    period = version.period
    number = version.number.replace("/", "-").replace("Đ", "D").replace("đ", "d")  # slugify drops "/" and "Đ"
    folder = f"{slugify(number)}-{version.content_sha256[:12]}" if number else version.content_sha256[:12]
    return f"bao-cao-tong-hop/{period.year}/{period.month:02d}/{folder}/{filename}"


def pending_file_path(pending, filename):
    """Beside the files of the version it will sign."""
    return report_file_path(pending.version, filename)


class ReportVersion(models.Model):
    period = models.ForeignKey(ReportingPeriod, verbose_name="kỳ báo cáo", on_delete=models.PROTECT,
                               related_name="report_versions")
    # Set for a report of several months (a quarter, six months, a year): its first month.
    first_period = models.ForeignKey(ReportingPeriod, verbose_name="từ kỳ", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Given by the records office when it issues the signed version (empty until then); versions issued
    # before the two-step signing were numbered when finalised.
    number = models.CharField("số văn bản", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
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
    # Step 1: the competent person's signature on the unnumbered content.
    person_signed_pdf = models.FileField("tệp PDF người có thẩm quyền đã ký", upload_to=report_file_path,
                                         max_length=200, blank=True)
    person_signer = models.CharField("người ký (theo chứng thư số)", max_length=200, blank=True)
    # PC06's reason for accepting a certificate that does not name the block's signer (e.g. signing on behalf).
    signer_mismatch_reason = models.TextField("lý do chấp nhận chứng thư khác tên người ký", blank=True)
    person_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người thực hiện ký", null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    person_signed_at = models.DateTimeField("người có thẩm quyền ký lúc", null=True, blank=True)
    # Step 2: numbered, dated and signed by the organisation: the issued file.
    signed_pdf = models.FileField("tệp PDF đã ban hành (đủ chữ ký)", upload_to=report_file_path, max_length=200,
                                  blank=True)
    # The issued file's bytes hashed: the public verification page tells the issued file from any other copy.
    signed_sha256 = models.CharField("mã băm tệp PDF đã ban hành (SHA-256)", max_length=64, blank=True,
                                     db_index=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="văn thư ban hành", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("ban hành lúc", null=True, blank=True)

    class Meta:
        verbose_name = "báo cáo tổng hợp đã ban hành"
        verbose_name_plural = "báo cáo tổng hợp đã ban hành"
        ordering = ["-finalised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], condition=~models.Q(number=""),
                                    name="one_report_version_per_number",
                                    violation_error_message="Kỳ này đã có báo cáo mang số này."),
            models.CheckConstraint(condition=models.Q(number="") | models.Q(issued_on__isnull=False),
                                   name="numbered_report_has_date",
                                   violation_error_message="Báo cáo đã có số phải có ngày ban hành."),
        ]

    def __str__(self):
        return f"Báo cáo số {self.number} · {self.period}"

    @property
    def is_range(self):
        return self.first_period_id is not None

    @property
    def awaits_signature(self):
        return not self.person_signed_pdf and not self.signed_pdf

    @property
    def awaits_issue(self):
        """Signed by the competent person; the records office has yet to number, date and issue it."""
        return bool(self.person_signed_pdf) and not self.signed_pdf

    @property
    def is_issued(self):
        return bool(self.signed_pdf)

    def save(self, *args, update_fields=None, **kwargs):
        # Frozen once finalised: only the two signing steps add to it, and only through update_fields.
        if self.pk and not (update_fields and set(update_fields) <= PERSON_SIGNATURE_FIELDS | ISSUE_FIELDS):
            raise ValidationError("Báo cáo đã hoàn tất không thể sửa; hãy hoàn tất một bản mới nếu cần điều chỉnh.")
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


class PendingSignature(models.Model):
    """A version prepared for its signer's own signing tool: the PDF with an empty signature, awaiting the CMS.

    The signer's key never reaches the server (``reporting.report.external_signing``): the server keeps the
    prepared file and its digest here until the tool's signature comes back, then embeds it. Preparing again
    replaces it; the signature, once embedded, ends it.
    """

    version = models.OneToOneField(ReportVersion, verbose_name="bản báo cáo", on_delete=models.CASCADE,
                                   related_name="pending_signature")
    prepared_pdf = models.FileField("tệp PDF chờ chữ ký", upload_to=pending_file_path, max_length=200)
    field_name = models.CharField("ô chữ ký", max_length=40)
    digest = models.BinaryField("giá trị băm (SHA-256)", max_length=64)
    contents_start = models.PositiveIntegerField("vị trí chỗ dành cho chữ ký")
    contents_end = models.PositiveIntegerField("hết chỗ dành cho chữ ký")
    certificate = models.BinaryField("chứng thư số người ký (DER)", blank=True, default=b"")
    mismatch_reason = models.TextField("lý do chấp nhận chứng thư khác tên người ký", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người chuẩn bị", on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField("chuẩn bị lúc", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "báo cáo chờ chữ ký từ công cụ của người ký"
        constraints = [
            models.CheckConstraint(condition=models.Q(contents_end__gt=models.F("contents_start")),
                                   name="pending_signature_has_room"),
        ]

    def __str__(self):
        return f"Chờ chữ ký · {self.version}"

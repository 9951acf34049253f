"""An issued consolidated report: numbered, dated, frozen; then signed.

Finalising stores the document itself (not a recipe to rebuild it), its
content hash and the rendered PDF and DOCX, so an issued version never changes
when data or code change later. The only later write is the signature, once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .organisation import ReportingPeriod

SIGNATURE_FIELDS = {"signed_pdf", "signed_by", "signed_at"}


class ReportVersion(models.Model):
    period = models.ForeignKey(ReportingPeriod, verbose_name="kỳ báo cáo", on_delete=models.PROTECT,
                               related_name="report_versions")
    number = models.CharField("số văn bản", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    include_submitted = models.BooleanField("gồm số liệu chưa duyệt", default=False)
    document = models.JSONField("nội dung")
    content_sha256 = models.CharField("mã băm nội dung (SHA-256)", max_length=64)
    pdf = models.BinaryField("tệp PDF")
    docx = models.BinaryField("tệp DOCX")
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người hoàn tất", on_delete=models.PROTECT,
                                     related_name="+")
    finalised_at = models.DateTimeField("hoàn tất lúc", default=timezone.now)
    signed_pdf = models.BinaryField("tệp PDF đã ký", null=True, blank=True)
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

    def save(self, *args, update_fields=None, **kwargs):
        # Frozen once issued: only the signature may be added afterwards, and only through update_fields.
        if self.pk and not (update_fields and set(update_fields) <= SIGNATURE_FIELDS):
            raise ValidationError("Báo cáo đã ban hành không thể sửa; hãy ban hành một số mới nếu cần điều chỉnh.")
        super().save(*args, update_fields=update_fields, **kwargs)

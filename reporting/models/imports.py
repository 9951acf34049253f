"""An uploaded workbook waiting for its uploader's confirmation, and then the record of what it changed.

Nothing a file says is written until the person who uploaded it has seen the
preview and confirmed; the planned changes are kept here in between, with the
versions of the submissions they were computed against, so that a save by
someone else in the meantime makes the confirmation fail rather than
overwrite it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reporting.models.organisation import Agency, ReportingPeriod


class ImportKind(models.TextChoices):
    UNIT_TEMPLATE = "unit", "Biểu mẫu Excel của đơn vị"
    HISTORY = "history", "Số liệu lịch sử nhiều đơn vị"
    PLAN = "plan", "Kế hoạch năm (phụ lục nhiệm vụ)"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Chờ xác nhận"
    APPLIED = "applied", "Đã cập nhật"
    CANCELLED = "cancelled", "Đã hủy"


class ImportBatch(models.Model):
    kind = models.CharField("loại", max_length=10, choices=ImportKind.choices)
    status = models.CharField("trạng thái", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file_name = models.CharField("tên tệp", max_length=255)
    file_sha256 = models.CharField("mã băm SHA-256", max_length=64)
    file_size = models.PositiveIntegerField("dung lượng (byte)")
    rows_read = models.PositiveIntegerField("số dòng đã đọc", default=0)
    # The unit and period of a unit's template; empty for a history workbook, which spans many.
    agency = models.ForeignKey(Agency, verbose_name="đơn vị", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    period = models.ForeignKey(ReportingPeriod, verbose_name="kỳ báo cáo", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    # Values: [[agency, period, key, number, text, comment, old, row], ...]; a plan: {"plan", "groups", "tasks"}
    changes = models.JSONField("thay đổi dự kiến", default=list)
    # [[agency id, period id, version the changes were computed against], ...]
    versions = models.JSONField("phiên bản khi xem trước", default=list)
    note = models.TextField("kết quả", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    finished_at = models.DateTimeField("xác nhận/hủy lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lần nhập Excel"
        verbose_name_plural = "lần nhập Excel"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

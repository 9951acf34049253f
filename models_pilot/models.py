"""The pilot models (mô hình điểm) a city deploys, and the programmes that declare them."""

from django.db import models

from reporting.models import Agency


class ModelProgramme(models.Model):
    """A set of pilot models declared by plans (HCMC: 35 models of 1948/KH-UBND and 4206/KH-UBND)."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=300)
    declared_count = models.PositiveSmallIntegerField("số mô hình theo văn bản")
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "chương trình mô hình điểm"
        verbose_name_plural = "chương trình mô hình điểm"
        ordering = ["code"]

    def __str__(self):
        return self.name


class PilotModel(models.Model):
    programme = models.ForeignKey(ModelProgramme, verbose_name="chương trình", on_delete=models.PROTECT, related_name="models")
    code = models.CharField("mã", max_length=20, unique=True)
    number = models.CharField(
        "số mô hình trong kế hoạch", max_length=20, blank=True,
        help_text="Để trống khi nguồn không ghi (số chú thích trong báo cáo không phải số của kế hoạch).",
    )
    name = models.CharField("tên mô hình", max_length=400)
    group = models.CharField("nhóm tiện ích", max_length=200, blank=True)
    lead_agency = models.ForeignKey(
        Agency, verbose_name="đơn vị chủ trì", null=True, blank=True, on_delete=models.PROTECT, related_name="pilot_models"
    )
    source = models.TextField("nguồn", blank=True)
    note = models.TextField("ghi chú", blank=True)
    is_active = models.BooleanField("đang theo dõi", default=True)

    class Meta:
        verbose_name = "mô hình điểm"
        verbose_name_plural = "mô hình điểm"
        ordering = ["programme", "code"]

    def __str__(self):
        return self.name

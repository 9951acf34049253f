"""What a city prints around its figures: header, legal bases, recipients, signer — data, not code.

One ``ReportSettings`` per reporting schedule; another city (or the same city
after a reorganisation) is another row, edited by PC06 in the admin. The
defaults are those of the real report in ``fixtures/report_settings.json``.
"""

import json

from django.conf import settings
from django.db import models

from reporting.choices import AgencyKind
from reporting.models.organisation import ReportingSchedule

DEFAULTS_FILE = settings.BASE_DIR / "fixtures" / "report_settings.json"


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportSettings(models.Model):
    schedule = models.OneToOneField(ReportingSchedule, verbose_name="lịch báo cáo", on_delete=models.CASCADE,
                                    related_name="report_settings")
    issuer_lines = models.TextField("cơ quan ban hành (mỗi dòng một dòng)")
    place = models.CharField("địa danh", max_length=100)
    number_suffix = models.CharField("ký hiệu sau số", max_length=40, default="/BC-BCĐ")
    subject = models.TextField("trích yếu (trước “tháng … năm …”)")
    legal_bases = models.TextField("căn cứ (mỗi dòng một căn cứ)", blank=True)
    reporting_body = models.CharField("cơ quan báo cáo", max_length=200)
    area = models.CharField("địa bàn", max_length=200)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)")
    # Decree 30/2020 (Phụ lục I): the authority and the title over the signature, the signer under it,
    # as many lines as the document prints ("KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC").
    signature_above = models.TextField(
        "trên chữ ký (mỗi dòng một dòng)", help_text="Thẩm quyền và chức vụ, ví dụ KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC.")
    signature_below = models.TextField(
        "dưới chữ ký (mỗi dòng một dòng)", help_text="Người ký, có thể kèm chức danh và cấp hàm, ví dụ Trung tướng Nguyễn Văn A.")
    # Each unit's own monthly report (seed 004): the rest of its header is the unit itself and its head.
    unit_authority_lines = models.TextField(
        "cơ quan chủ quản trên báo cáo của đơn vị", blank=True,
        help_text="Dòng trên tên đơn vị ở góc trái, ví dụ ỦY BAN NHÂN DÂN / THÀNH PHỐ HỒ CHÍ MINH; "
                  "phường, xã lấy tên quận, huyện của mình.")
    unit_subject = models.TextField("trích yếu báo cáo của đơn vị (trước “tại <tên đơn vị>”)", blank=True)
    unit_legal_bases = models.TextField("căn cứ của báo cáo đơn vị (mỗi dòng một căn cứ)", blank=True)
    unit_recipients = models.TextField("nơi nhận báo cáo của đơn vị (mỗi dòng một nơi)", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "cài đặt báo cáo"

    def __str__(self):
        return f"Cài đặt báo cáo · {self.schedule}"

    @classmethod
    def for_schedule(cls, schedule):
        """The schedule's settings, created from the defaults file the first time."""
        found = cls.objects.filter(schedule=schedule).first()
        if found:
            return found
        return cls.objects.get_or_create(schedule=schedule, defaults=default_values())[0]

    @property
    def issuer(self):
        return _lines(self.issuer_lines)

    @property
    def signature_lines_above(self):
        return _lines(self.signature_above)

    @property
    def signature_lines_below(self):
        return _lines(self.signature_below)

    @property
    def legal_basis_list(self):
        return _lines(self.legal_bases)

    @property
    def recipient_list(self):
        return _lines(self.recipients)

    @property
    def unit_authority(self):
        return _lines(self.unit_authority_lines)

    @property
    def unit_legal_basis_list(self):
        return _lines(self.unit_legal_bases)

    @property
    def unit_recipient_list(self):
        return _lines(self.unit_recipients)


def default_values():
    """The fields' values in the defaults file; lists (one line each in the admin) joined by new lines."""
    defaults = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return {name: "\n".join(value) if isinstance(value, list) else value
            for name, value in defaults.items() if not name.startswith("_")}


class UnitSignature(models.Model):
    """What a unit of a kind prints over its head's signature on its own report: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"."""

    settings = models.ForeignKey(ReportSettings, on_delete=models.CASCADE, related_name="unit_signatures")
    agency_kind = models.CharField("loại đơn vị", max_length=20, choices=AgencyKind.choices)
    above = models.TextField("trên chữ ký (mỗi dòng một dòng)", help_text="Ví dụ TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH.")

    class Meta:
        verbose_name = "chữ ký báo cáo của đơn vị"
        verbose_name_plural = "chữ ký báo cáo của đơn vị theo loại đơn vị"
        constraints = [models.UniqueConstraint(fields=["settings", "agency_kind"], name="one_unit_signature_per_kind",
                                               violation_error_message="Loại đơn vị này đã có chữ ký.")]

    def __str__(self):
        return f"{self.get_agency_kind_display()}: {' / '.join(self.lines)}"

    @property
    def lines(self):
        return _lines(self.above)


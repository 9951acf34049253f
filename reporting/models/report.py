"""What a city prints around its figures: header, legal bases, recipients, signer — data, not code.

One ``ReportSettings`` per reporting schedule; another city (or the same city
after a reorganisation) is another row, edited by PC06 in the admin. A
schedule's settings start empty — never another city's text — and the report
says what is missing until PC06 fills them; ``load_catalogs`` fills a city's
from its fixture (``fixtures/report_settings.json``, the real report's).
"""

import io

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from PIL import Image

from reporting.choices import AgencyKind
from reporting.models.organisation import ReportingSchedule

MAX_SIGNATURE_IMAGE_BYTES = 1_000_000
MAX_SIGNATURE_IMAGE_SIDE = 3000   # 25 cm at 300 dpi: more than any seal or signature


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_transparent_png(upload):
    """Decree 30/2020 (Phụ lục I): a signature image and a seal are PNG files with a transparent background."""
    if upload.size > MAX_SIGNATURE_IMAGE_BYTES:
        raise ValidationError("Ảnh chữ ký hoặc con dấu phải nhỏ hơn 1 MB.")
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            image.load()
            kind, mode, size, transparency = image.format, image.mode, image.size, "transparency" in image.info
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError… for a damaged file
        raise ValidationError("Tệp tải lên không phải ảnh PNG đọc được.") from error
    finally:
        upload.seek(0)
    if kind != "PNG":
        raise ValidationError("Ảnh chữ ký và con dấu phải là tệp PNG (Nghị định 30/2020/NĐ-CP).")
    if mode not in ("RGBA", "LA") and not transparency:
        raise ValidationError("Ảnh PNG phải có nền trong suốt (kênh alpha) để đặt chồng lên văn bản.")
    if max(size) > MAX_SIGNATURE_IMAGE_SIDE:
        raise ValidationError(f"Ảnh lớn quá: mỗi chiều tối đa {MAX_SIGNATURE_IMAGE_SIDE} điểm ảnh.")


class ReportSettings(models.Model):
    schedule = models.OneToOneField(ReportingSchedule, verbose_name="lịch báo cáo", on_delete=models.CASCADE,
                                    related_name="report_settings")
    issuer_lines = models.TextField("cơ quan ban hành (mỗi dòng một dòng)", blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    number_suffix = models.CharField("ký hiệu sau số", max_length=40, default="/BC-BCĐ")
    subject = models.TextField("trích yếu (trước “tháng … năm …”)", blank=True)
    legal_bases = models.TextField("căn cứ (mỗi dòng một căn cứ)", blank=True)
    reporting_body = models.CharField("cơ quan báo cáo", max_length=200, blank=True)
    area = models.CharField("địa bàn", max_length=200, blank=True)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)
    # Decree 30/2020 (Phụ lục I): the authority and the title over the signature, the signer under it,
    # as many lines as the document prints ("KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC").
    signature_above = models.TextField(
        "trên chữ ký (mỗi dòng một dòng)", blank=True,
        help_text="Thẩm quyền và chức vụ, ví dụ KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC.")
    signature_below = models.TextField(
        "dưới chữ ký (mỗi dòng một dòng)", blank=True,
        help_text="Người ký, có thể kèm chức danh và cấp hàm, ví dụ Trung tướng Nguyễn Văn A.")
    # Decree 30/2020 (Phụ lục I): the images of the digital signatures on the issued PDF.
    signer_image = models.FileField(
        "ảnh chữ ký của người ký", upload_to="chu-ky-so/", blank=True, validators=[validate_transparent_png],
        help_text="PNG nền trong suốt, màu xanh; đặt giữa chức vụ và họ tên người ký.")
    seal_image = models.FileField(
        "ảnh con dấu của cơ quan", upload_to="chu-ky-so/", blank=True, validators=[validate_transparent_png],
        help_text="PNG nền trong suốt, màu đỏ; in bằng kích thước thật, trùm khoảng 1/3 ảnh chữ ký về bên trái.")
    seal_diameter_mm = models.PositiveSmallIntegerField(
        "đường kính con dấu (mm)", default=36, validators=[MinValueValidator(20), MaxValueValidator(60)],
        help_text="Kích thước thật của con dấu: ảnh con dấu được in bằng kích thước này.")
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
        """The schedule's settings, created empty the first time (``missing`` then names every field)."""
        return cls.objects.get_or_create(schedule=schedule)[0]

    # What a report cannot be issued without: its header, its subject and who signs it.
    REQUIRED = ("issuer_lines", "place", "subject", "reporting_body", "area", "signature_above", "signature_below")

    @property
    def missing(self):
        """The names, as the admin shows them, of the fields the report needs that are still empty."""
        return [self._meta.get_field(name).verbose_name for name in self.REQUIRED if not getattr(self, name).strip()]

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


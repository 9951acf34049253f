"""Evidence uploads: which files are accepted, judged by their content, not their name.

Reviewers open what a unit uploads, so a file is accepted only once it has
been read as what it claims to be:

- a PDF must parse (pypdf) and hold no JavaScript and no launch action;
- a JPEG or a PNG must decode as one (Pillow), within a size in pixels;
- a DOCX or an XLSX passes the archive checks of an imported workbook
  (``reporting.excel.archive``: bounded inflation in chunks, damaged or
  encrypted members, DOCTYPE/ENTITY declarations) and holds no macro
  (``vbaProject.bin``, a macro-enabled type), no DDE (a DDE or external-link
  part, a DDE field code in a Word document, a DDE formula in a workbook) and
  no template fetched from elsewhere when Word opens it; each of its XML
  parts must be well-formed (expat, as it is inflated).

Every refusal is a ValidationError in Vietnamese; nothing here raises anything else.
"""

import html
import io
import re
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from reporting.excel import archive
from reporting.excel.archive import MiB
from reporting.formatting import format_number

ACCEPTED = "PDF, DOCX, XLSX, JPEG, PNG"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Checking a file costs at most this; a real one takes a fraction of a second.
CHECK_SECONDS = 10
# A 10 MB Word file of photos inflates to about as much; its text to a few MB.
OFFICE_LIMITS = archive.Limits(part=lambda member: (64 * MiB, "thành phần"), total=80 * MiB, seconds=CHECK_SECONDS)
# A scanned 200-page PDF has about 2 000 objects.
MAX_PDF_OBJECTS = 100_000
# A 48-megapixel phone photo; a JPEG is checked decoded at an eighth of its size.
MAX_JPEG_PIXELS = 50_000_000
# A PNG is decoded whole (4 bytes a pixel): an A4 page scanned at 300 dpi is 8,7 megapixels.
MAX_PNG_PIXELS = 20_000_000

_IMAGE_FORMATS = {"PNG": {"PNG"}, "JPEG": {"JPEG", "MPO"}}   # MPO: a camera's JPEG holding several pictures
_PDF_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "lệnh chạy chương trình (Launch)"}
_DDE_FIELD = re.compile(r"\bDDE(?:AUTO)?\b", re.IGNORECASE)
# Tags whose text or attributes are judged, as the member is inflated (see archive.StreamScan).
_OFFICE_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,40}:)?(instrText|fldSimple|f|ddeLink|oleLink|externalLink|Relationship|Override|Default)"
    rb"(?=[\s/>])([^<>]{0,4000})(?:>([^<]{0,9000}))?")
_OFFICE_TAG_REACH = 13_100
_REMOTE_TYPES = ("/attachedTemplate", "/subDocument", "/frame", "/oleObject", "/externalLinkPath")


def check_upload(upload):
    """The content type of an acceptable upload; ValidationError in Vietnamese otherwise."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Tệp “{upload.name}” có dung lượng {format_number(upload.size / 1024 / 1024, 1)} MB, "
            f"vượt giới hạn {format_number(limit / 1024 / 1024)} MB."
        )
    if upload.size == 0:
        raise ValidationError(f"Tệp “{upload.name}” rỗng.")
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    until = archive.deadline(CHECK_SECONDS)
    if content.startswith(b"%PDF-"):
        _check_pdf(upload.name, content, until)
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(upload.name, content, "PNG", MAX_PNG_PIXELS)
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        _check_image(upload.name, content, "JPEG", MAX_JPEG_PIXELS)
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _check_office(upload.name, content, until)
    raise _not_accepted(upload.name)


def _not_accepted(name):
    return ValidationError(f"Tệp “{name}” không phải là {ACCEPTED} (kiểm tra theo nội dung tệp).")


# --- PDF -------------------------------------------------------------------------


def _check_pdf(name, content, until):
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # Restricted from printing or copying only, a PDF opens with the empty password; a password to open it,
        # reviewers do not have.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(f"Tệp PDF “{name}” được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.")
        if len(reader.pages) == 0:
            raise _not_accepted(name)
        action = _pdf_action(reader, name, until)
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises PdfReadError, ValueError, KeyError… for what is not a PDF
        raise ValidationError(f"Tệp “{name}” không phải là PDF đọc được (tệp hỏng hoặc chỉ mang đuôi .pdf).") from error
    if action:
        raise ValidationError(f"Tệp PDF “{name}” chứa {action}, có thể tự chạy khi mở, nên bị từ chối. "
                              "Hãy in lại tệp ra PDF (Microsoft Print to PDF, “Lưu dưới dạng PDF”) rồi tải lên.")


def _pdf_action(reader, name, until):
    """What the PDF would run when opened (JavaScript, Launch), or ''; every object reachable from its trailer is seen."""
    seen, stack = set(), [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValidationError(f"Tệp PDF “{name}” có hơn {format_number(MAX_PDF_OBJECTS)} đối tượng, "
                                      "vượt giới hạn; hãy in lại tệp ra PDF rồi tải lên.")
            archive.check_time(name, until, CHECK_SECONDS)
            stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            if "/JS" in item or "/JavaScript" in item:
                return _PDF_ACTIONS["/JavaScript"]
            kind = item.get("/S")
            if isinstance(kind, IndirectObject):
                kind = kind.get_object()
            action = _PDF_ACTIONS.get(kind) if isinstance(kind, str) else None
            if action:
                return action
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return ""


# --- images ------------------------------------------------------------------------


def _check_image(name, content, kind, max_pixels):
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in _IMAGE_FORMATS[kind]:
                raise _not_accepted(name)
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(f"Ảnh “{name}” có {format_number(width)} × {format_number(height)} điểm ảnh, "
                                      f"vượt giới hạn {format_number(max_pixels / 1_000_000)} megapixel.")
            if kind == "JPEG":
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))   # decoded at 1/8: fast, small
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:   # Pillow's own, far beyond ours, refused when opening
        raise ValidationError(f"Ảnh “{name}” có quá nhiều điểm ảnh, vượt giới hạn "
                              f"{format_number(max_pixels / 1_000_000)} megapixel.") from error
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError… for a damaged image
        raise ValidationError(f"Tệp “{name}” không phải ảnh {kind} đọc được (tệp hỏng hoặc chỉ mang đuôi ảnh).") \
            from error


# --- DOCX, XLSX ----------------------------------------------------------------------


def _check_office(name, content, until):
    kinds = []

    def judge_names(names):
        lowered = [member.lower() for member in names]
        if any(member.endswith(("vbaproject.bin", "vbadata.xml")) for member in lowered):
            raise _macro(name)
        if any("/externallinks/" in member for member in lowered):
            raise _dde(name)
        if "word/document.xml" in names:
            kinds.append(DOCX)
        elif "xl/workbook.xml" in names:
            kinds.append(XLSX)
        else:
            raise _not_accepted(name)

    archive.inflate(content, file_name=name, expected=f"tệp {ACCEPTED}", limits=OFFICE_LIMITS, until=until,
                    judge_names=judge_names, scanner=lambda member: _OfficeScan(name, member))
    return kinds[0]


def _macro(name):
    return ValidationError(f"Tệp “{name}” chứa macro (VBA), có thể tự chạy khi mở, nên bị từ chối. "
                           "Hãy lưu lại dưới dạng .docx hoặc .xlsx thường (không macro) rồi tải lên.")


def _dde(name):
    return ValidationError(f"Tệp “{name}” chứa liên kết DDE hoặc liên kết ra tệp khác, có thể chạy lệnh khi mở, "
                           "nên bị từ chối. Hãy xóa các liên kết đó (hoặc dán giá trị) rồi lưu lại.")


class _OfficeScan:
    """One member of a DOCX or XLSX, judged as it is inflated: DDE, macros, templates fetched from elsewhere."""

    def __init__(self, file_name, member):
        self.file_name, self.member = file_name, member
        self.scan = archive.StreamScan(_OFFICE_TAG, _OFFICE_TAG_REACH)
        self.field_codes = ""   # a field code may be split over several runs: judged joined
        # Legacy drawings (.vml) are not well-formed even from Office; the archive refused any DOCTYPE already.
        self.xml = expat.ParserCreate() if member.lower().endswith((".xml", ".rels")) else None

    def feed(self, chunk):
        self._parse(chunk, final=False)
        self._judge(self.scan.feed(chunk)[2])

    def end(self):
        self._parse(b"", final=True)
        self._judge(self.scan.feed(b"", final=True)[2])
        self._judge_field_codes(keep=0)

    def _parse(self, data, final):
        if self.xml is None:
            return
        try:
            self.xml.Parse(data, final)
        except expat.ExpatError as error:
            raise ValidationError(f"Tệp “{self.file_name}” bị hỏng: phần “{self.member[:80]}” không phải XML hợp lệ "
                                  f"(dòng {error.lineno}). Hãy mở tệp bằng Word hoặc Excel rồi lưu lại.") from error

    def _judge(self, matches):
        for match in matches:
            tag, attributes = match.group(1), html.unescape(match.group(2).decode("utf-8", "replace"))
            text = html.unescape((match.group(3) or b"").decode("utf-8", "replace"))
            if tag in (b"ddeLink", b"oleLink", b"externalLink"):
                raise _dde(self.file_name)
            if tag == b"instrText":
                self.field_codes += text
            elif tag == b"fldSimple":
                self.field_codes += " " + attributes + " "
            elif tag == b"f" and "|" in text and "!" in text:
                raise _dde(self.file_name)    # =cmd|' /C calc'!A0: a formula that asks Excel to run a program
            elif tag == b"Relationship" and "External" in attributes and any(
                    kind in attributes for kind in _REMOTE_TYPES):
                raise _dde(self.file_name)
            if "macroEnabled" in attributes or "vbaProject" in attributes:
                raise _macro(self.file_name)
        if len(self.field_codes) > 64 * 1024:
            self._judge_field_codes(keep=16)

    def _judge_field_codes(self, keep):
        """Judge the field codes gathered so far, keeping the last ``keep`` characters to join with what follows."""
        if _DDE_FIELD.search(self.field_codes):
            raise _dde(self.file_name)
        self.field_codes = self.field_codes[-keep:] if keep else ""

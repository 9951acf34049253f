"""Evidence uploads: which files are accepted, judged by their content, not their name."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

from reporting.formatting import format_number

ACCEPTED = "PDF, DOCX, XLSX, JPEG, PNG"
_ZIP_MEMBERS = {
    # An Office file is a zip; what is inside tells a document from a workbook (or any other zip).
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def sniff(upload):
    """(content type, extension) of an accepted file, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        for member, kind in _ZIP_MEMBERS.items():
            if member in names:
                return kind
    return None


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
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(f"Tệp “{upload.name}” không phải là {ACCEPTED} (kiểm tra theo nội dung tệp).")
    return kind[0]

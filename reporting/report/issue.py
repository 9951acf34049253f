"""Issuing the consolidated report: finalise a numbered version, then sign its PDF.

Only PC06 (``access.can_review``) issues and signs. A finalised version counts
approved submissions only; a draft may include submitted ones, and says so.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting.models import ReportOutline, ReportSettings, ReportVersion, WorkflowError
from reporting.report import outline_io, signing
from reporting.report.compose import compose
from reporting.report.document import plain_text, to_data
from reporting.report.render_docx import to_docx
from reporting.report.render_pdf import to_pdf
from reporting.report.roles import ensure_pc06


def content_hash(document):
    return hashlib.sha256(plain_text(document).encode("utf-8")).hexdigest()


def finalise(period, user, *, number, issued_on, first=None):
    """A new frozen version numbered ``number``; WorkflowError in Vietnamese when refused.

    With ``first`` it is the report of the months from ``first`` to ``period`` (a quarter, six months, a year).
    """
    ensure_pc06(user, "ban hành")
    number = number.strip()
    if not number:
        raise WorkflowError("Nhập số văn bản của báo cáo trước khi ban hành.")
    missing = ReportSettings.for_schedule(period.schedule).missing
    if missing:
        raise WorkflowError(f"Chưa ban hành được: cài đặt báo cáo còn thiếu {', '.join(missing)} "
                            "(Quản trị › Cài đặt báo cáo).")
    first = None if first == period else first
    outline = ReportOutline.for_report(period.schedule, is_range=first is not None)
    if outline is None:
        raise WorkflowError("Chưa ban hành được: lịch báo cáo này chưa có đề cương báo cáo.")
    document = compose(period, first=first, number=number, issued_on=issued_on)
    version = ReportVersion(period=period, first_period=first, number=number, issued_on=issued_on,
                            document=to_data(document), content_sha256=content_hash(document), finalised_by=user,
                            outline=outline_io.export(outline))
    try:
        return _save_with_files(version, {"pdf": ("bao-cao.pdf", to_pdf(document)),
                                          "docx": ("bao-cao.docx", to_docx(document))})
    except IntegrityError as error:
        raise WorkflowError(f"Kỳ {period.label} đã có báo cáo số {number}.") from error


def sign(version, user, *, location=""):
    """Apply the configured signer's PAdES signature to the version's PDF, once."""
    ensure_pc06(user, "ký")
    if version.signed_pdf:
        raise WorkflowError("Báo cáo này đã được ký.")
    with version.pdf.open("rb") as pdf:
        signed = signing.sign_pdf(pdf.read(), reason=f"Ban hành báo cáo số {version.number}", location=location)
    version.signed_by, version.signed_at = user, timezone.now()
    # What the public verification page compares an uploaded file with: exactly these bytes were issued.
    version.signed_sha256 = hashlib.sha256(signed).hexdigest()
    return _save_with_files(version, {"signed_pdf": ("bao-cao-da-ky.pdf", signed)},
                            update_fields=["signed_pdf", "signed_sha256", "signed_by", "signed_at"])


def _save_with_files(version, files, *, update_fields=None):
    """Write ``files`` ({field: (name, content)}) to the storage, then the row, in one transaction.

    The storage is no part of the transaction: when the row is refused (a number taken
    meanwhile, a lost connection), the files just written are deleted again rather than
    left in the bucket with no row naming them.
    """
    try:
        with transaction.atomic():
            for field, (name, content) in files.items():
                getattr(version, field).save(name, ContentFile(content), save=False)
            version.save(update_fields=update_fields)
    except BaseException:
        for field in files:
            stored = getattr(version, field)
            if stored:
                stored.delete(save=False)
        raise
    return version

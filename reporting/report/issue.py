"""Issuing the consolidated report: finalise a numbered version, then sign its PDF.

Only PC06 (``access.can_review``) issues and signs. A finalised version counts
approved submissions only; a draft may include submitted ones, and says so.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ReportVersion, WorkflowError
from . import signing
from .compose import compose
from .document import plain_text, to_data
from .render_docx import to_docx
from .render_pdf import to_pdf
from .roles import ensure_pc06


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
    first = None if first == period else first
    document = compose(period, first=first, number=number, issued_on=issued_on)
    try:
        with transaction.atomic():
            return ReportVersion.objects.create(
                period=period, first_period=first, number=number, issued_on=issued_on, document=to_data(document),
                content_sha256=content_hash(document), pdf=to_pdf(document), docx=to_docx(document),
                finalised_by=user,
            )
    except IntegrityError as error:
        raise WorkflowError(f"Kỳ {period.label} đã có báo cáo số {number}.") from error


def sign(version, user, *, location=""):
    """Apply the configured signer's PAdES signature to the version's PDF, once."""
    ensure_pc06(user, "ký")
    if version.signed_pdf:
        raise WorkflowError("Báo cáo này đã được ký.")
    version.signed_pdf = signing.sign_pdf(bytes(version.pdf), reason=f"Ban hành báo cáo số {version.number}",
                                          location=location)
    version.signed_by, version.signed_at = user, timezone.now()
    version.save(update_fields=["signed_pdf", "signed_by", "signed_at"])
    return version

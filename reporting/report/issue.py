"""Issuing the consolidated report as Decree 30/2020 has it: finalise, the signer signs, the office issues.

1. ``finalise``: PC06 freezes the content (approved submissions only) into a version without number or date.
2. The person named in the signature block signs it: on a token the server holds (``sign_as_signer``), or with
   their own tool from the digest the server prepares (``reporting.report.external``), so their key never
   reaches the server. A certificate naming someone else is refused unless PC06 records why.
3. ``issue``: the records office (văn thư) gives the number and the date, printed into the signed file's
   fields, and applies the organisation's signature, which covers the signer's.
"""

import hashlib

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting import access
from reporting.models import ReportOutline, ReportSettings, ReportVersion, WorkflowError
from reporting.report import issuance_fields, outline_io, pdf_marks, signers, signing
from reporting.report.compose import compose
from reporting.report.document import from_data, plain_text, to_data
from reporting.report.render_docx import to_docx
from reporting.report.render_pdf import to_pdf
from reporting.report.roles import ensure_pc06
from reporting.report.spans import date_phrase, place_date


def content_hash(document):
    return hashlib.sha256(plain_text(document).encode("utf-8")).hexdigest()


def finalise(period, user, *, first=None):
    """A new frozen version, to be signed; WorkflowError in Vietnamese when refused.

    With ``first`` it is the report of the months from ``first`` to ``period`` (a quarter, six months, a year).
    """
    ensure_pc06(user, "hoàn tất")
    missing = ReportSettings.for_schedule(period.schedule).missing
    if missing:
        raise WorkflowError(f"Chưa hoàn tất được: cài đặt báo cáo còn thiếu {', '.join(missing)} "
                            "(Quản trị › Cài đặt báo cáo).")
    first = None if first == period else first
    outline = ReportOutline.for_report(period.schedule, is_range=first is not None)
    if outline is None:
        raise WorkflowError("Chưa hoàn tất được: lịch báo cáo này chưa có đề cương báo cáo.")
    document = compose(period, first=first, final=True)
    version = ReportVersion(period=period, first_period=first, document=to_data(document),
                            content_sha256=content_hash(document), finalised_by=user,
                            outline=outline_io.export(outline))
    return _save_with_files(version, {"pdf": ("bao-cao.pdf", to_pdf(document)),
                                      "docx": ("bao-cao.docx", to_docx(document))})


# --- step 2: the signer ---------------------------------------------------------------------------------


def ensure_awaits_signature(version, user):
    ensure_pc06(user, "trình ký")
    if not version.awaits_signature:
        raise WorkflowError("Báo cáo này đã được người có thẩm quyền ký.")


def accepted_mismatch(version, certificate_name, reason):
    """The reason to record when the certificate does not name the block's signer; WorkflowError without one."""
    signer_line = signers.block_signer(version.document)
    if signers.names_signer(certificate_name, signer_line):
        return ""
    reason = " ".join(reason.split())
    if not reason:
        raise WorkflowError(
            f"Chứng thư số mang tên “{certificate_name or 'không rõ'}”, không phải người ký ghi trên báo cáo "
            f"(“{signer_line}”). Chỉ ký được khi PC06 ghi lý do, ví dụ ký thay theo văn bản ủy quyền.")
    return reason


def person_signature(version):
    """How the signer signs, with a key the server holds or with their own tool: a certification signature
    (the office may then only fill the number and the date and seal it), showing the signer's image between
    the title and the name (Decree 30) when one is uploaded."""
    image = ReportSettings.for_schedule(version.period.schedule).signer_image
    return {"certify": True, "appearance": pdf_marks.person_appearance(image) if image else None,
            "reason": f"Ký duyệt báo cáo {version.period.label}"}


def sign_as_signer(version, user, *, mismatch_reason=""):
    """Step 2 with the key the server holds: the signer's token (SIGNING_PKCS11_*) or, in development, a file."""
    ensure_awaits_signature(version, user)
    with version.pdf.open("rb") as stored:
        content = stored.read()
    with signing.open_signer() as signer:
        name = signers.certificate_holder(signer.signing_cert)
        reason = accepted_mismatch(version, name, mismatch_reason)
        signed = signing.sign_pdf(content, signer=signer, field_name=signing.PERSON_FIELD,
                                  **person_signature(version))
    return record_person_signature(version, user, signed, signer_name=name, mismatch_reason=reason)


def record_person_signature(version, user, signed, *, signer_name, mismatch_reason):
    version.person_signer, version.signer_mismatch_reason = signer_name, mismatch_reason
    version.person_signed_by, version.person_signed_at = user, timezone.now()
    return _save_with_files(version, {"person_signed_pdf": ("bao-cao-nguoi-ky.pdf", signed)},
                            update_fields=["person_signed_pdf", "person_signer", "signer_mismatch_reason",
                                           "person_signed_by", "person_signed_at"])


# --- step 3: the records office -------------------------------------------------------------------------


def suggested_number(year):
    """The next number of the reports issued in ``year``: the records office numbers them in order, from 1 each year."""
    numbers = ReportVersion.objects.filter(issued_on__year=year).exclude(number="").values_list("number", flat=True)
    taken = [int(number) for number in numbers if number.isdigit()]
    return str(max(taken, default=0) + 1)


def issue(version, user, *, number, issued_on):
    """Step 3: number and date the signed version, print them in its fields, apply the organisation's signature."""
    if not access.may_issue_reports(user):
        raise WorkflowError("Chỉ văn thư của PC06 được cấp số và ban hành báo cáo tổng hợp.")
    if not version.awaits_issue:
        raise WorkflowError("Báo cáo đã được ban hành." if version.is_issued
                            else "Báo cáo chưa được người có thẩm quyền ký: chưa thể cấp số.")
    number = number.strip()
    if not number:
        raise WorkflowError("Nhập số văn bản trước khi ban hành.")
    if issued_on < timezone.localdate(version.person_signed_at):
        raise WorkflowError("Ngày ban hành không được trước ngày người có thẩm quyền ký.")
    if ReportVersion.objects.filter(period=version.period, number=number).exists():
        raise WorkflowError(f"Kỳ {version.period.label} đã có báo cáo số {number}.")
    document = numbered(version.document, number, issued_on)
    with version.person_signed_pdf.open("rb") as stored:
        content = stored.read()
    # A version finalised before the two-step signing printed its number already and has no room for a seal.
    two_step = version.document["header"].get("awaiting_issue", False)
    if two_step:
        content = issuance_fields.fill_issuance_fields(content, number=number, date_text=date_phrase(issued_on))
    report_settings = ReportSettings.for_schedule(version.period.schedule)
    with signing.open_signer(pkcs12_path=django_settings.SIGNING_ORGANISATION_PKCS12_PATH,
                             password=django_settings.SIGNING_ORGANISATION_PKCS12_PASSWORD) as signer:
        appearance = (pdf_marks.organisation_appearance(report_settings.seal_image or None,
                                                        report_settings.reporting_body,
                                                        diameter_mm=report_settings.seal_diameter_mm)
                      if two_step else None)
        signed = signing.sign_pdf(content, signer=signer, field_name=signing.ORGANISATION_FIELD,
                                  reason=f"Ban hành báo cáo số {number}{report_settings.number_suffix}",
                                  location=report_settings.place, appearance=appearance)
    version.number, version.issued_on = number, issued_on
    version.signed_by, version.signed_at = user, timezone.now()
    # What the public verification page compares an uploaded file with: exactly these bytes were issued.
    version.signed_sha256 = hashlib.sha256(signed).hexdigest()
    unnumbered_docx = version.docx.name
    try:
        _save_with_files(version, {"signed_pdf": ("bao-cao-da-ban-hanh.pdf", signed),
                                   "docx": ("bao-cao.docx", to_docx(document))},
                         update_fields=["number", "issued_on", "docx", "signed_pdf", "signed_sha256", "signed_by",
                                        "signed_at"])
    except IntegrityError as error:
        raise WorkflowError(f"Kỳ {version.period.label} đã có báo cáo số {number}.") from error
    version.docx.storage.delete(unnumbered_docx)   # the editable copy now carries the number and the date
    return version


def numbered(document_data, number, issued_on):
    """The stored document with the records office's number and date in its header."""
    document = from_data(document_data)
    header = document.header
    header.number = f"Số: {number}{header.number_suffix}"
    header.place_date = place_date(header.place, issued_on)
    header.awaiting_issue = False
    return document


def _save_with_files(version, files, *, update_fields=None):
    """Write ``files`` ({field: (name, content)}) to the storage, then the row, in one transaction.

    The storage is no part of the transaction: when the row is refused (a number taken
    meanwhile, a lost connection), the files just written are deleted again rather than
    left in the bucket with no row naming them. A step that writes the first of ``files`` happens
    once: when another request did it meanwhile (two clicks, two clerks), this one is refused.
    """
    step_field = next(iter(files))
    try:
        with transaction.atomic():
            if update_fields and (ReportVersion.objects.select_for_update().filter(pk=version.pk)
                                  .exclude(**{step_field: ""}).exists()):
                raise WorkflowError("Bước này vừa được người khác thực hiện; hãy tải lại trang.")
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

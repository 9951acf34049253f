"""Checking the digital signatures of an uploaded BÁO CÁO PDF, and whether it is a file the city issued.

Every signature of the file is listed in order, each with who signed, when, which
authority issued the certificate, whether the signed bytes are intact, whether the
certificate chains to SIGNING_TRUST_ROOTS, and what was added after it. A file is
valid only when every signature is intact and trusted, nothing but signatures was
added between them, and the last one covers the whole file.
"""

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from reporting.report import issuance_fields

logger = logging.getLogger(__name__)

MODIFIED = "Tệp đã bị sửa đổi sau khi ký: chữ ký không còn hợp lệ."
UNSIGNED = "Tệp không có chữ ký số."
UNREADABLE = "Không đọc được tệp PDF."
REGISTERED = "Đây đúng là tệp đã ban hành: {}."
NOT_REGISTERED = "Không phải tệp đã ban hành được lưu trong hệ thống."
UNKNOWN = "(không rõ)"

# What may follow an earlier signature for it still to vouch for the file: another signature, the number and
# the date the records office fills in (pyHanko's FORM_FILLING when only those fields changed), or validation data.
ONLY_SIGNATURES_LEVELS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the file, as the verification page prints it."""

    field_name: str
    signer: str = ""
    organisation: str = ""
    signed_at: datetime | None = None
    issuer: str = ""
    intact: bool = False            # the signed bytes and the signature value match
    trusted: bool = False           # the certificate chains to SIGNING_TRUST_ROOTS
    covers_whole_file: bool = False
    # After a signature that does not cover the whole file: True when the later revisions only added
    # signatures (and filled the number and the date), False when they changed anything else; None when it
    # covers the whole file.
    later_only_signatures: bool | None = None
    numbered_later: bool = False    # the records office filled the number and the date after this signature
    is_timestamp: bool = False

    @property
    def signed_at_text(self):
        return local_time(self.signed_at)

    @property
    def coverage_text(self):
        if self.covers_whole_file:
            return "Toàn bộ tệp"
        if self.later_only_signatures and self.numbered_later:
            return "Phần tệp đến chữ ký này; sau đó chỉ điền số, ngày văn bản và thêm chữ ký khác"
        if self.later_only_signatures:
            return "Phần tệp đến chữ ký này; sau đó chỉ thêm chữ ký khác"
        return "Phần tệp đến chữ ký này; sau đó tệp bị sửa đổi"

    @property
    def sound(self):
        """Intact, and whatever came after it only added signatures."""
        return self.intact and (self.covers_whole_file or bool(self.later_only_signatures))


@dataclass(frozen=True)
class Verification:
    message: str
    signatures: tuple = ()

    @property
    def signed(self):
        return bool(self.signatures)

    @property
    def intact(self):
        """Every signature intact, only signatures added between them, and the last covering the whole file."""
        return (self.signed and all(check.sound for check in self.signatures)
                and self.signatures[-1].covers_whole_file)

    @property
    def trusted(self):
        return self.intact and all(check.trusted for check in self.signatures)

    @property
    def ok(self):
        """Signed, unchanged since, by certificates the city trusts: the only state to act on."""
        return self.signed and self.intact and self.trusted

    @property
    def signer(self):
        return self.signatures[-1].signer if self.signed else ""

    @property
    def signed_at(self):
        return self.signatures[-1].signed_at if self.signed else None


def verify_pdf(pdf_bytes, trust_roots=None):
    """Every signature of the file in order, and the verdict; never raises, whatever the bytes are."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # a damaged file can fail anywhere in the parser; it is an answer, not an error
        logger.info("Unreadable PDF submitted for verification", exc_info=True)
        return Verification(message=UNREADABLE)
    if not embedded:
        return Verification(message=UNSIGNED)
    context = validation_context(trust_roots)
    names = [signature.field_name for signature in embedded]
    checks = tuple(_check(signature, context, later_fields=set(names[index + 1:]))
                   for index, signature in enumerate(embedded))
    return Verification(message=_message(checks), signatures=checks)


def _check(signature, context, *, later_fields):
    is_timestamp = signature.sig_object_type == "/DocTimeStamp"
    try:
        if is_timestamp:
            status = validate_pdf_timestamp(signature, validation_context=context)
        else:
            status = validate_pdf_signature(signature, context)
    except Exception:  # e.g. the signature value itself was altered and no longer parses
        logger.info("Signature %s could not be validated", signature.field_name, exc_info=True)
        return SignatureCheck(field_name=signature.field_name, is_timestamp=is_timestamp)
    # Strict on purpose: pyHanko calls bytes appended after the signed revision "no semantic
    # change" when it cannot parse them, but a signed report must be exactly what was signed.
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE and status.modification_level == ModificationLevel.NONE
    intact = bool(status.intact and status.valid)
    changed_fields = getattr(status.diff_result, "changed_form_fields", None)
    filled = set(changed_fields or ()) - later_fields
    only_signatures = (None if whole else
                       status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                       and status.modification_level in ONLY_SIGNATURES_LEVELS
                       and bool(later_fields) and changed_fields is not None
                       and filled <= issuance_fields.BY_NAME.keys())
    cert = status.signing_cert
    subject = cert.subject.native if cert else {}
    return SignatureCheck(
        field_name=signature.field_name,
        signer=subject.get("common_name", ""), organisation=subject.get("organization_name", ""),
        signed_at=getattr(status, "signer_reported_dt", None) or getattr(status, "timestamp", None),
        issuer=_name(cert.issuer.native) if cert else "",
        intact=intact, trusted=intact and bool(status.trusted), covers_whole_file=whole,
        later_only_signatures=only_signatures, numbered_later=bool(only_signatures and filled),
        is_timestamp=is_timestamp,
    )


def _name(native):
    """An X.509 name as the page prints it: "common name (organisation)", or whichever of the two it has."""
    common, organisation = native.get("common_name", ""), native.get("organization_name", "")
    if common and organisation and organisation != common:
        return f"{common} ({organisation})"
    return common or organisation


def _message(checks):
    verification = Verification(message="", signatures=checks)
    last = checks[-1]
    if not verification.intact:
        return MODIFIED
    if len(checks) == 1:
        signed = f"ký bởi {last.signer} lúc {local_time(last.signed_at)}"
    else:
        between = ("điền số, ngày văn bản và thêm chữ ký" if any(check.numbered_later for check in checks)
                   else "thêm chữ ký")
        signed = (f"{len(checks)} chữ ký, chữ ký cuối của {last.signer} lúc {local_time(last.signed_at)}; "
                  f"giữa các lần ký chỉ có {between}")
    if verification.trusted:
        return f"Chữ ký hợp lệ: {signed}; tệp không bị sửa đổi sau khi ký."
    return (f"Tệp không bị sửa đổi sau khi ký ({signed}), nhưng chứng thư số của người ký không được tin cậy: "
            "không do tổ chức chứng thực mà hệ thống tin cậy cấp.")


def local_time(moment):
    """Vietnam time, "06/05/2024 09:15:02"."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else UNKNOWN


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def issued_version(pdf_bytes):
    """The issued ReportVersion whose signed file is exactly these bytes, or None."""
    from reporting.models import ReportVersion     # the library above stays usable without the ORM

    return (ReportVersion.objects.filter(signed_sha256=sha256(pdf_bytes)).select_related("period", "first_period")
            .defer("outline").first())


def registration_message(version):
    """"Đây đúng là tệp đã ban hành: Báo cáo số 264/BC-BCĐ ngày 06/05/2024 (Tháng 4/2024)." or that it is not."""
    if version is None:
        return NOT_REGISTERED
    return REGISTERED.format(describe(version))


def describe(version):
    # The number as the issued document prints it ("Số: 264/BC-BCĐ"): the suffix in the settings may change later.
    # A version signed before it was numbered printed its suffix when it was finalised.
    header = version.document.get("header", {})
    if header.get("awaiting_issue"):
        number = f"{version.number}{header.get('number_suffix', '')}"
    else:
        number = header.get("number", "").removeprefix("Số:").strip() or version.number
    span = f"{version.first_period.label} – {version.period.label}" if version.first_period else version.period.label
    return f"Báo cáo số {number} ngày {version.issued_on:%d/%m/%Y} ({span})"


def validation_context(trust_roots):
    paths = settings.SIGNING_TRUST_ROOTS if trust_roots is None else trust_roots
    # Offline servers cannot fetch CRLs or OCSP; revocation is checked only if the data is embedded.
    return ValidationContext(trust_roots=_load_roots(paths), allow_fetching=False)


def _load_roots(paths):
    roots = []
    for path in paths:
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except Exception:  # a missing or broken root makes signatures untrusted, not the page fail
            logger.warning("Cannot load signing trust root %s", path, exc_info=True)
    return roots

"""Digital signatures (PAdES) on the monthly BÁO CÁO PDF: sign with a PKCS#12 file, verify an uploaded file.

The signer's key and certificate come from a PKCS#12 file (SIGNING_PKCS12_PATH); a
signature is trusted when its certificate chains to one of SIGNING_TRUST_ROOTS. The
`create_demo_signer` command makes both for development; a server is given the
real certificate file through the same settings.
"""

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

MODIFIED = "Tệp đã bị sửa đổi sau khi ký: chữ ký không còn hợp lệ."
UNSIGNED = "Tệp không có chữ ký số."
UNREADABLE = "Không đọc được tệp PDF."


class SigningError(Exception):
    """The signer's certificate file is missing or cannot be opened; the message is Vietnamese."""


@dataclass(frozen=True)
class Verification:
    signed: bool
    intact: bool
    message: str
    trusted: bool = False
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self):
        """Signed, unchanged since, by a certificate the city trusts: the only state to act on."""
        return self.signed and self.intact and self.trusted


def sign_pdf(pdf_bytes, *, signer_pkcs12_path=None, password=None, reason="", location="",
             field_name="ChuKyLanhDao"):
    """The PDF with a PAdES signature (SHA-256, signing time embedded) appended as an incremental update."""
    signer = _load_signer(signer_pkcs12_path or settings.SIGNING_PKCS12_PATH,
                          settings.SIGNING_PKCS12_PASSWORD if password is None else password)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
    )
    # No timestamp authority (TSA): the servers run offline, so the time is the one the
    # server's clock records in the signature (PAdES B-B), not a third party's.
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    return signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


def _load_signer(path, password):
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningError(f"Không mở được tệp chứng thư số “{path}” ({error.strerror}). "
                           "Cấu hình SIGNING_PKCS12_PATH, hoặc chạy `manage.py create_demo_signer` khi phát triển.") from error
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password.encode() or None)
    except ValueError as error:
        raise SigningError(f"Không đọc được tệp chứng thư số “{path}”: sai mật khẩu "
                           "(SIGNING_PKCS12_PASSWORD) hoặc tệp không phải PKCS#12.") from error


def verify_pdf(pdf_bytes, trust_roots=None):
    """What the last signature of the file says; never raises, whatever the bytes are."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # a damaged file can fail anywhere in the parser; it is an answer, not an error
        logger.info("Unreadable PDF submitted for verification", exc_info=True)
        return Verification(signed=False, intact=False, message=UNREADABLE)
    if not signatures:
        return Verification(signed=False, intact=False, message=UNSIGNED)
    # The last signature is the one that must cover the whole file: anything earlier is
    # inside its signed bytes, so checking it says whether the file changed after signing.
    try:
        status = validate_pdf_signature(signatures[-1], _validation_context(trust_roots))
    except Exception:  # e.g. the signature value itself was altered and no longer parses
        logger.info("Signature could not be validated", exc_info=True)
        return Verification(signed=True, intact=False, message=MODIFIED)
    return _verification(status)


def _verification(status):
    # Strict on purpose: pyHanko calls bytes appended after the signed revision "no semantic
    # change" when it cannot parse them, but a signed report must be exactly what was signed.
    intact = (status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
              and status.modification_level == ModificationLevel.NONE)
    signer = status.signing_cert.subject.native.get("common_name", "")
    signed_at = status.signer_reported_dt
    trusted = intact and status.trusted
    if not intact:
        message = MODIFIED
    elif trusted:
        message = (f"Chữ ký hợp lệ: ký bởi {signer} lúc {_local(signed_at)}; "
                   "tệp không bị sửa đổi sau khi ký.")
    else:
        message = (f"Tệp không bị sửa đổi sau khi ký bởi {signer} lúc {_local(signed_at)}, nhưng chứng thư số "
                   "của người ký không được tin cậy: không do tổ chức chứng thực mà hệ thống tin cậy cấp.")
    return Verification(signed=True, intact=intact, message=message, trusted=trusted, signer=signer,
                        signed_at=signed_at)


def _local(moment):
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "(không rõ thời điểm)"


def _validation_context(trust_roots):
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

"""Digital signatures (PAdES) on the monthly BÁO CÁO PDF: sign with a key on a PKCS#11 token or in a
PKCS#12 file (``reporting.report.verification`` checks the signatures of an uploaded file).

The signer's key and certificate stay on a PKCS#11 token (a USB token of Ban Cơ yếu Chính phủ or of a
CA, or an HSM) when SIGNING_PKCS11_MODULE is set, else they come from a PKCS#12 file
(SIGNING_PKCS12_PATH), as an organisation's key often does. A document takes several signatures in
order, each an incremental update covering the ones before: the competent person's (PERSON_FIELD),
then the organisation's (ORGANISATION_FIELD). A signature is trusted when its certificate chains to
one of SIGNING_TRUST_ROOTS. The `create_demo_signer` command makes both for development; a server is
given the real certificate file or token through the same settings.
"""

import io
import threading
from contextlib import contextmanager
from pathlib import Path

import pkcs11
from django.conf import settings
from pkcs11.exceptions import PinIncorrect, PinLenRange, PinLocked, PKCS11Error
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from reporting.report import pdf_marks
from reporting.report.signature_fields import ORGANISATION_FIELD, PERSON_FIELD, SigningError  # noqa: F401 (theirs)

# A process holds one login per token whatever its number of sessions (a second login fails), and a USB
# token signs one digest at a time: the threads of a process take turns with the token.
_token_turn = threading.RLock()


def sign_pdf(pdf_bytes, *, signer=None, signer_pkcs12_path=None, password=None, reason="", location="",
             field_name="ChuKyLanhDao", certify=False, appearance=None, box=None):
    """The PDF with a PAdES signature (SHA-256, signing time embedded) appended as an incremental update.

    `signer` is a pyHanko signer from `open_signer`, `pkcs11_signer` or `pkcs12_signer`; without one, the
    key the settings name is opened for this signature only. A PDF already signed keeps its signatures:
    the new one, in its own field, covers them (sign first with PERSON_FIELD, then ORGANISATION_FIELD).

    `certify` makes it the document's certification signature, which permits form filling and later
    signatures only: the signer's, before the records office prints the number and the date in the fields
    left for them and applies the organisation's signature (its field is laid out now, empty, where the seal
    will go: `pdf_marks.add_seal_field`). `appearance` shows the signature (a pyHanko
    stamp style, e.g. `pdf_marks.person_appearance`) in `box` (a `pdf_marks.Box`), by default where the
    style places itself in this PDF; without either the signature is invisible.
    """
    if signer is None:
        with open_signer(pkcs12_path=signer_pkcs12_path, password=password) as opened:
            return sign_pdf(pdf_bytes, signer=opened, reason=reason, location=location, field_name=field_name,
                            certify=certify, appearance=appearance, box=box)
    writer, metadata, field_spec = signature_layout(pdf_bytes, field_name=field_name, reason=reason,
                                                    location=location, certify=certify, appearance=appearance,
                                                    box=box)
    try:
        pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=appearance, new_field_spec=field_spec)
        return pdf_signer.sign_pdf(writer).getvalue()
    except PKCS11Error as error:  # e.g. the token was unplugged between opening it and signing
        raise SigningError(f"Thiết bị ký số báo lỗi khi ký ({_pkcs11_reason(error)}).") from error


def signature_layout(pdf_bytes, *, field_name, reason="", location="", certify=False, appearance=None, box=None):
    """(pyHanko writer, signature metadata, new field spec or None): what a signature in ``field_name`` lays out,
    whether the server signs now (``sign_pdf``) or the signer's tool signs the digest (``external_signing``)."""
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        certify=certify, docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    if appearance is not None and box is None:
        box = appearance.place(pdf_bytes)
    # No timestamp authority (TSA): the servers run offline, so the time is the one the
    # server's clock records in the signature (PAdES B-B), not a third party's.
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    if any(signature.field_name == field_name for signature in writer.prev.embedded_signatures):
        raise SigningError(f"Tệp đã có chữ ký ở ô “{field_name}”: mỗi người ký ký vào một ô chữ ký riêng.")
    if certify:
        # The seal's field comes with the certification: pyHanko's validator, stricter than Acrobat, accepts
        # a later visible signature only in a field that already existed.
        pdf_marks.add_seal_field(writer, pdf_bytes, person=box)
    return writer, metadata, box.field_spec(field_name) if box else None


@contextmanager
def open_signer(*, pkcs12_path=None, password=None):
    """The key the settings name: on the PKCS#11 token if SIGNING_PKCS11_MODULE is set, else the PKCS#12 file.

    A PKCS#12 path given here wins over the token (an organisation's key file beside a person's token).
    The token's session is closed on leaving the block, so the key is opened for as long as it signs.
    """
    if pkcs12_path is None and settings.SIGNING_PKCS11_MODULE:
        with pkcs11_signer(module=settings.SIGNING_PKCS11_MODULE, token_label=settings.SIGNING_PKCS11_TOKEN_LABEL,
                           key_label=settings.SIGNING_PKCS11_KEY_LABEL, cert_label=settings.SIGNING_PKCS11_CERT_LABEL,
                           pin=settings.SIGNING_PKCS11_PIN) as signer:
            yield signer
    else:
        yield pkcs12_signer(pkcs12_path or settings.SIGNING_PKCS12_PATH,
                            settings.SIGNING_PKCS12_PASSWORD if password is None else password)


def pkcs12_signer(path, password=""):
    """A signer whose key and certificate are in a PKCS#12 (.p12/.pfx) file."""
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


@contextmanager
def pkcs11_signer(*, module, token_label, key_label="", cert_label="", pin=""):
    """A signer whose key never leaves the PKCS#11 token: the token signs, the server sends it the digest.

    The key and the certificate are found by label (either label stands for both when the other is empty).
    The token's other certificates go into the signature too: a CA delivers its intermediate certificate(s)
    on the token, and a verifier that trusts only the root CA needs them to build the chain.
    """
    key_label, cert_label = key_label or cert_label, cert_label or key_label
    if not key_label:
        raise SigningError("Chưa khai báo nhãn khóa ký trên thiết bị ký số "
                           "(SIGNING_PKCS11_KEY_LABEL hoặc SIGNING_PKCS11_CERT_LABEL).")
    with _token_turn:
        session = _open_token(module, token_label, pin)
        try:
            # other_certs_to_pull=None: every certificate on the token (pyHanko's default pulls none).
            signer = PKCS11Signer(session, key_label=key_label, cert_label=cert_label, other_certs_to_pull=None)
            try:
                _ = signer.signing_cert  # finds the certificate and the key now: a wrong label fails before signing
            except PKCS11Error as error:
                raise SigningError(f"Không tìm thấy khóa ký “{key_label}” và chứng thư số “{cert_label}” trên "
                                   f"{_device(token_label)} (SIGNING_PKCS11_KEY_LABEL, "
                                   "SIGNING_PKCS11_CERT_LABEL).") from error
            yield signer
        finally:
            session.close()  # the last session closed logs the process out of the token


def _device(token_label):
    return f"thiết bị ký số “{token_label}”" if token_label else "thiết bị ký số"


def _open_token(module, token_label, pin):
    device = _device(token_label)
    try:
        pkcs11.lib(str(module))  # loaded once per process; open_pkcs11_session below reuses it
    except PKCS11Error as error:
        raise SigningError(f"Không nạp được thư viện PKCS#11 “{module}” (SIGNING_PKCS11_MODULE): kiểm tra đã cài "
                           f"trình điều khiển của thiết bị ký số ({_pkcs11_reason(error)}).") from error
    if not pin:
        # Without a login the token hides its private keys, and the error would wrongly say "no such key".
        raise SigningError(f"Chưa khai báo mã PIN của {device} (SIGNING_PKCS11_PIN).")
    criteria = TokenCriteria(label=token_label) if token_label else None
    try:
        return open_pkcs11_session(str(module), token_criteria=criteria, user_pin=pin)
    except (PinIncorrect, PinLenRange) as error:
        # Tokens lock after a few wrong PINs (often 3 to 10): say so before anyone retries.
        raise SigningError(f"Sai mã PIN của {device} (SIGNING_PKCS11_PIN). Kiểm tra lại trước khi thử tiếp: "
                           "nhập sai nhiều lần sẽ khóa thiết bị.") from error
    except PinLocked as error:
        raise SigningError(f"Mã PIN của {device} đã bị khóa do nhập sai nhiều lần; "
                           "cần mở khóa bằng mã PUK (SO PIN) của tổ chức cấp thiết bị.") from error
    except PKCS11Error as error:
        raise SigningError(f"Không mở được {device}: kiểm tra thiết bị đã được cắm vào máy chủ và nhãn "
                           f"SIGNING_PKCS11_TOKEN_LABEL ({_pkcs11_reason(error)}).") from error


def _pkcs11_reason(error):
    return str(error) or type(error).__name__

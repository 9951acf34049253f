"""Signing the BÁO CÁO with a key the server never holds: the server prepares the PDF and hands out its digest,
the signer's own tool signs the digest and returns a CMS (.p7s), the server embeds it.

In Vietnamese practice the competent person signs with their own certificate, on their own USB token (Ban Cơ
yếu Chính phủ / VGCA, or a public CA such as VNPT, Viettel) through the vendor's signing plugin, or through a
remote-signing service (VNPT SmartCA, Viettel MySign…): the private key stays with the person. pyHanko's
"interrupted signing" splits the signature into two requests:

1. `prepare` appends the signature field and dictionary with an empty /Contents placeholder of fixed size and
   digests every byte except that placeholder (the /ByteRange). The server keeps the `PreparedSignature` —
   its PDF bytes, digest and placeholder offsets — until the signature comes back.
2. The signer's tool signs `digest_to_sign(prepared)` and returns a CMS SignedData whose messageDigest
   attribute is that digest (scripts/sign_digest.py is such a tool for a PKCS#12 file or a PKCS#11 token);
   or `sign_with_service` asks the remote-signing service the SIGNING_EXTERNAL_SERVICE setting names.
3. `embed` checks the CMS and writes it into the placeholder: no other byte of the PDF moves, so the
   digest still describes the file.

docs/signing.md tells how each kind of signer plugs in.
"""

import asyncio
import base64
import binascii
import hashlib
import io
import re
from dataclasses import dataclass

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.module_loading import import_string
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.layout import LayoutError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.general import extract_certificate_info, find_unique_cms_attribute
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from . import signing
from .signature_fields import SigningError
from .verification import validation_context

ALGORITHM = "sha256"
# Hex digits reserved in /Contents, i.e. 32 KB of DER: the signer's certificate, two or three CA certificates
# and a timestamp token from a remote-signing service take 6–12 KB; the rest is room for the revocation data
# (OCSP responses, a CA's CRL) some services embed. The placeholder is written whole either way.
DEFAULT_RESERVED_HEX_DIGITS = 65536

NOT_CMS = ("Tệp chữ ký không phải chữ ký số CMS/PKCS#7 (SignedData, tệp .p7s): "
           "hãy gửi đúng tệp mà công cụ ký trả về.")


@dataclass(frozen=True)
class PreparedSignature:
    """A PDF waiting for its signature: everything the server keeps between handing out the digest and
    receiving the CMS (store all fields; `pdf` can be large, the others are small)."""

    pdf: bytes             # the PDF with the signature dictionary and its empty /Contents placeholder
    field_name: str
    digest: bytes          # SHA-256 over the /ByteRange: what the signer signs
    contents_start: int    # offsets in `pdf` of the placeholder "<00…00>", brackets included
    contents_end: int
    certificate: bytes = b""  # DER of the signer's certificate when it was given, else empty
    algorithm: str = ALGORITHM


@dataclass(frozen=True)
class ExternallySigned:
    """The signed PDF and who signed it, as the CMS says (the caller checks the name against the person)."""

    pdf: bytes
    certificate: asn1_x509.Certificate  # the signer's, as pyHanko reads it; .dump() gives the DER
    trusted: bool          # the certificate chains to SIGNING_TRUST_ROOTS (or the roots given)

    @property
    def signer_name(self):
        return self.certificate.subject.native.get("common_name", "")

    @property
    def organisation(self):
        return self.certificate.subject.native.get("organization_name", "")


def prepare(pdf_bytes, *, field_name, certificate=None, reason="", location="", certify=False, appearance=None,
            box=None, reserved_hex_digits=DEFAULT_RESERVED_HEX_DIGITS):
    """The PDF with an empty signature in `field_name`, and the digest the signer must sign.

    `certificate` (DER or PEM bytes, as exported from the signer's token) is optional: given, it names the
    signer in an appearance that prints %(signer)s, and `embed` accepts only a CMS made with it. `certify`,
    `appearance` and `box` are `signing.sign_pdf`'s, and lay out the same fields: the appearance is drawn
    now, before the digest is taken.
    """
    signer_cert = certificate_from(certificate) if certificate else None
    writer, metadata, field_spec = signing.signature_layout(
        pdf_bytes, field_name=field_name, reason=reason, location=location, certify=certify,
        appearance=appearance, box=box)
    # ExternalSigner only stands in for the signer while the placeholder is laid out; it never signs.
    placeholder_signer = signers.ExternalSigner(signing_cert=signer_cert, cert_registry=None)
    pdf_signer = signers.PdfSigner(metadata, signer=placeholder_signer, stamp_style=appearance,
                                   new_field_spec=field_spec)
    try:
        prepared_digest, _tbs, output = asyncio.run(
            pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=reserved_hex_digits))
    except PyHankoSigningError as error:  # e.g. a certification signature forbids adding one
        raise SigningError(f"Tệp không nhận thêm chữ ký ở ô “{field_name}” ({error}).") from error
    except LayoutError as error:  # an appearance that prints the signer's name, and no certificate to take it from
        raise SigningError("Hình thức chữ ký cần tên người ký: hãy tải lên chứng thư số của người ký "
                           f"trước khi chuẩn bị ký ({error}).") from error
    return PreparedSignature(
        pdf=output.getvalue(), field_name=field_name, digest=prepared_digest.document_digest,
        contents_start=prepared_digest.reserved_region_start, contents_end=prepared_digest.reserved_region_end,
        certificate=signer_cert.dump() if signer_cert else b"",
    )


def digest_to_sign(prepared):
    """What the signer's tool asks for: the algorithm and the digest in hex and base64 (tools differ)."""
    return {"algorithm": prepared.algorithm, "hex": prepared.digest.hex(),
            "base64": base64.b64encode(prepared.digest).decode("ascii")}


def embed(prepared, cms_bytes, *, trust_roots=None):
    """The signed PDF: the CMS written into the prepared placeholder, checked before and after.

    `cms_bytes` is the .p7s as signers' tools return it: DER, PEM, base64 or hex text. Refused (SigningError,
    Vietnamese) when it is not a CMS SignedData, when it signs another digest or with another certificate
    than the prepared one, or when the signed PDF does not validate as intact. `trust_roots` (paths) default
    to SIGNING_TRUST_ROOTS; an untrusted certificate is reported, not refused.
    """
    der = _der(cms_bytes)
    signed_data = _signed_data(der)
    signer_cert = _check_matches(prepared, signed_data)
    room = prepared.contents_end - prepared.contents_start - 2
    if 2 * len(der) > room:
        raise SigningError(f"Chữ ký số quá lớn ({len(der)} byte) so với chỗ đã dành trong tệp ({room // 2} byte): "
                           "cần chuẩn bị lại tệp với chỗ dành lớn hơn.")
    output = io.BytesIO(prepared.pdf)
    reserved = PreparedByteRangeDigest(document_digest=prepared.digest, reserved_region_start=prepared.contents_start,
                                       reserved_region_end=prepared.contents_end)
    PdfTBSDocument.finish_signing(output, reserved, der)
    signed = output.getvalue()
    status = _validate(signed, prepared.field_name, trust_roots)
    return ExternallySigned(pdf=signed, certificate=signer_cert, trusted=bool(status.trusted))


def sign_with_service(prepared, **account):
    """The PDF signed by the remote-signing service SIGNING_EXTERNAL_SERVICE names ("package.module.function").

    The service is called as `service(digest=…, algorithm="sha256", certificate=DER or None, **account)` and
    returns the CMS; `account` says whose key, as the deployment's service needs it (e.g. user=…). It may
    wait for the person to confirm on their phone: call this from a background task, not a request.
    """
    path = getattr(settings, "SIGNING_EXTERNAL_SERVICE", "")
    if not path:
        raise SigningError("Chưa cấu hình dịch vụ ký số từ xa (SIGNING_EXTERNAL_SERVICE).")
    try:
        service = import_string(path)
    except ImportError as error:
        raise SigningError(f"Không nạp được dịch vụ ký số từ xa “{path}” (SIGNING_EXTERNAL_SERVICE).") from error
    cms_bytes = service(digest=prepared.digest, algorithm=prepared.algorithm,
                        certificate=prepared.certificate or None, **account)
    return embed(prepared, cms_bytes)


def certificate_from(data):
    """The asn1crypto certificate (pyHanko's) in DER or PEM bytes, as exported from a token; SigningError if none."""
    try:
        return next(load_certs_from_pemder_data(_bytes(data)))
    except Exception as error:  # asn1crypto parses lazily and fails in many ways on a wrong file
        raise SigningError("Không đọc được chứng thư số của người ký: cần tệp chứng thư (.cer, .crt) "
                           "dạng DER hoặc PEM xuất từ thiết bị ký số.") from error


def _bytes(data):
    """Binary DER as it is; text (PEM, base64, hex) without the blank space around it. DER is never stripped:
    its last byte, part of a signature value, may well be a space or a newline."""
    data = data.encode("ascii", "replace") if isinstance(data, str) else bytes(data)
    return data if data.startswith(b"\x30") else data.strip()


def _der(data):
    """DER from a .p7s as tools return it: DER itself, PEM ("-----BEGIN PKCS7-----"), base64 or hex text."""
    data = _bytes(data)
    try:
        if data.startswith(b"\x30"):  # a DER SEQUENCE; base64 or hex text of one starts with "M" or "3"
            return data
        if pem.detect(data):
            return pem.unarmor(data)[2]
        if re.fullmatch(rb"[0-9A-Fa-f\s]+", data):
            return bytes.fromhex(data.decode("ascii"))
        return base64.b64decode(data)
    except (ValueError, binascii.Error) as error:
        raise SigningError(NOT_CMS) from error


def _signed_data(der):
    try:
        content = cms.ContentInfo.load(der, strict=True)
        if content["content_type"].native != "signed_data":
            raise SigningError(NOT_CMS)
        signed_data = content["content"]
        _ = signed_data.native  # asn1crypto parses lazily: damaged inner bytes fail here, not later
        return signed_data
    except SigningError:
        raise
    except Exception as error:  # garbage can fail anywhere in the ASN.1 parser
        raise SigningError(NOT_CMS) from error


def _check_matches(prepared, signed_data):
    """The signer's certificate, once the CMS is known to sign the prepared digest (with the prepared certificate)."""
    try:
        certificates = extract_certificate_info(signed_data)
    except (ValueError, NotImplementedError) as error:
        raise SigningError("Chữ ký số không kèm chứng thư số của người ký (hoặc có nhiều người ký): "
                           "cấu hình công cụ ký để đính kèm chứng thư.") from error
    (signer_info,) = signed_data["signer_infos"]
    try:
        message_digest = find_unique_cms_attribute(signer_info["signed_attrs"], "message_digest").native
    except (KeyError, ValueError) as error:
        raise SigningError("Chữ ký số không có thuộc tính messageDigest: không phải chữ ký trên giá trị băm "
                           "của tệp PDF.") from error
    if message_digest == hashlib.sha256(prepared.digest).digest():
        # The tool treated the digest as data and hashed it again: it must be set to sign a precomputed hash.
        raise SigningError("Công cụ ký đã băm lại giá trị băm thay vì ký trực tiếp giá trị băm của tệp: "
                           "chọn chế độ ký giá trị băm (hash) SHA-256 trong công cụ ký.")
    if message_digest != prepared.digest:
        raise SigningError("Chữ ký số không khớp với tệp đang chờ ký: chữ ký được tạo cho một tài liệu "
                           "hoặc giá trị băm khác.")
    signer_cert = certificates.signer_cert
    if prepared.certificate and signer_cert.dump() != prepared.certificate:
        name = signer_cert.subject.native.get("common_name", "")
        raise SigningError(f"Chữ ký số được tạo bằng chứng thư số khác (“{name}”) với chứng thư số "
                           "đã khai báo khi chuẩn bị ký.")
    return signer_cert


def _validate(signed, field_name, trust_roots):
    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        embedded = next(signature for signature in reader.embedded_signatures if signature.field_name == field_name)
        status = validate_pdf_signature(embedded, validation_context(trust_roots))
    except Exception as error:  # e.g. an algorithm pyHanko cannot check: the file cannot be issued either way
        raise SigningError(f"Không kiểm tra được chữ ký số sau khi gắn vào tệp ({error}).") from error
    if not (status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE):
        raise SigningError("Chữ ký số không hợp lệ với tệp: giá trị chữ ký không khớp với chứng thư số "
                           "hoặc với nội dung tệp.")
    return status

"""The person signs on their own machine: the server prepares the PDF and hands out only its digest, another
process that holds the person's PKCS#12 (scripts/sign_digest.py, standing in for a token's plugin or a
remote-signing service) returns a CMS over that digest, and the server embeds it.

The person's PKCS#12 is written by the test CA into the person's folder and read only by the child process:
the server's code under test gets the digest out and the CMS in, never the key.
"""

import base64
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from reporting.management.commands.create_demo_signer import _make_ca, _make_signer, _pkcs12
from reporting.report.external_signing import certificate_from, digest_to_sign, embed, prepare, sign_with_service
from reporting.report import pdf_marks
from reporting.report.pdf_marks import Box
from reporting.report.render_pdf import to_pdf
from reporting.report.signing import ORGANISATION_FIELD, PERSON_FIELD, SigningError, pkcs12_signer, sign_pdf
from reporting.report.verification import verify_pdf

from .samples import sample_document

SIGN_DIGEST = Path(__file__).resolve().parents[2] / "scripts" / "sign_digest.py"
PERSON = "Lê Văn Cường"
OTHER_PERSON = "Phạm Thị Dung"
ORGANISATION = "Công an Thành phố Hồ Chí Minh"
PASSWORD = "matkhau-ca-nhan"


@pytest.fixture(scope="module")
def root_ca():
    return _make_ca()


@pytest.fixture(scope="module")
def trust_root(tmp_path_factory, root_ca):
    path = tmp_path_factory.mktemp("server") / "root-ca.pem"
    path.write_bytes(root_ca[1].public_bytes(serialization.Encoding.PEM))
    return path


def issue_pkcs12(folder, name, root_ca):
    """The CA's act: the person's key and certificate, delivered into the person's folder only."""
    ca_key, ca_cert = root_ca
    key, cert = _make_signer(name, ca_key, ca_cert)
    (folder / "ca-nhan.p12").write_bytes(_pkcs12(name, key, cert, ca_cert, PASSWORD))
    return folder


@pytest.fixture(scope="module")
def person_folder(tmp_path_factory, root_ca):
    return issue_pkcs12(tmp_path_factory.mktemp("person"), PERSON, root_ca)


@pytest.fixture(scope="module")
def other_person_folder(tmp_path_factory, root_ca):
    return issue_pkcs12(tmp_path_factory.mktemp("other-person"), OTHER_PERSON, root_ca)


def on_person_machine(folder, *arguments, stdin=b""):
    """scripts/sign_digest.py run in another process, in the person's folder, with the PKCS#12 found there."""
    done = subprocess.run([sys.executable, str(SIGN_DIGEST), "--pkcs12", "ca-nhan.p12", *arguments], input=stdin,
                          cwd=folder, env={**os.environ, "SIGN_DIGEST_PASSWORD": PASSWORD},
                          capture_output=True, check=True, timeout=60)
    return done.stdout


def person_signs(folder, digest_hex, *arguments):
    """The CMS the person's process returns, given nothing but the digest in hex."""
    return on_person_machine(folder, *arguments, stdin=digest_hex.encode())


def remote_service(*, digest, algorithm, certificate, person_folder):
    """A remote-signing service as SIGNING_EXTERNAL_SERVICE names one: digest out, CMS in."""
    assert algorithm == "sha256"
    return person_signs(person_folder, digest.hex())


def validate_all(pdf, trust_root):
    """(field, pyHanko's status) of each signature in signing order, trusting only the test root."""
    root = asn1_x509.Certificate.load(pem.unarmor(trust_root.read_bytes())[2])
    return [(signature.field_name,
             validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False)))
            for signature in PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures]


def validate(pdf, trust_root):
    (field, status), = validate_all(pdf, trust_root)
    return field, status


def test_person_signs_the_digest_in_another_process_and_the_server_embeds_it(person_folder, report_pdf, trust_root):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD, reason="Phê duyệt báo cáo tháng")
    to_sign = digest_to_sign(prepared)
    assert to_sign["algorithm"] == "sha256" and bytes.fromhex(to_sign["hex"]) == prepared.digest
    assert base64.b64decode(to_sign["base64"]) == prepared.digest

    cms = person_signs(person_folder, to_sign["hex"])
    signed = embed(prepared, cms, trust_roots=[trust_root])

    assert (signed.signer_name, signed.trusted) == (PERSON, True)
    assert signed.pdf.startswith(report_pdf)  # an incremental update: the report's bytes are untouched
    assert len(signed.pdf) == len(prepared.pdf)  # the CMS filled the placeholder; nothing moved
    field, status = validate(signed.pdf, trust_root)
    assert field == PERSON_FIELD and status.signing_cert.subject.native["common_name"] == PERSON
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert verify_pdf(signed.pdf, trust_roots=[trust_root]).ok


@pytest.mark.parametrize("encoding", ["pem", "base64", "hex"])
def test_the_cms_is_taken_as_the_signers_tool_writes_it(encoding, person_folder, report_pdf, trust_root):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    der = person_signs(person_folder, digest_to_sign(prepared)["hex"])
    text = {"pem": pem.armor("PKCS7", der), "base64": base64.encodebytes(der).decode(),
            "hex": der.hex().upper()}[encoding]
    assert embed(prepared, text, trust_roots=[trust_root]).signer_name == PERSON


def reissued(cert, ca_key):
    """The same certificate with a new serial number, so a new signature value."""
    builder = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer)
               .public_key(cert.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(cert.not_valid_before_utc).not_valid_after(cert.not_valid_after_utc))
    for extension in cert.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(ca_key, hashes.SHA256())


def test_a_der_certificate_ending_in_a_blank_byte_is_read_whole(root_ca):
    """DER's last byte is part of a signature value, and one in 40 is a space or a newline, which stripping
    the input as if it were text would cut off."""
    ca_key, ca_cert = root_ca
    _key, cert = _make_signer(PERSON, ca_key, ca_cert)
    der = b""
    while not der[-1:].isspace():
        der = reissued(cert, ca_key).public_bytes(serialization.Encoding.DER)
    assert certificate_from(der).dump() == der


def test_a_der_cms_ending_in_a_blank_byte_is_read_whole(person_folder, report_pdf):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    cms = person_signs(person_folder, digest_to_sign(prepared)["hex"])
    # The signature value's last byte made a newline: read whole, the CMS parses and its value is wrong;
    # cut, it would not parse at all.
    with pytest.raises(SigningError, match="Chữ ký số không hợp lệ với tệp: giá trị chữ ký không khớp"):
        embed(prepared, cms[:-1] + b"\n")


def test_a_cms_over_another_digest_is_refused(person_folder, report_pdf):
    waiting = prepare(report_pdf, field_name=PERSON_FIELD)
    other = prepare(report_pdf, field_name="ChuKyKhac")
    cms = person_signs(person_folder, digest_to_sign(other)["hex"])
    with pytest.raises(SigningError, match="không khớp với tệp đang chờ ký"):
        embed(waiting, cms)


def test_a_tool_that_hashes_the_digest_again_is_told_to_sign_the_hash(person_folder, report_pdf):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    cms = person_signs(person_folder, hashlib.sha256(prepared.digest).hexdigest())
    with pytest.raises(SigningError, match="băm lại giá trị băm"):
        embed(prepared, cms)


@pytest.mark.parametrize("garbage", [b"", b"khong phai chu ky", bytes(range(256)) * 4, b"MIIB" + b"A" * 40],
                         ids=["empty", "text", "binary", "broken-base64"])
def test_garbage_is_refused_as_not_a_cms(garbage, report_pdf):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    with pytest.raises(SigningError, match=r"không phải chữ ký số CMS/PKCS#7 \(SignedData"):
        embed(prepared, garbage)


def test_a_certificate_is_not_a_cms(person_folder, report_pdf):
    certificate = on_person_machine(person_folder, "--certificate")
    with pytest.raises(SigningError, match="không phải chữ ký số CMS"):
        embed(prepare(report_pdf, field_name=PERSON_FIELD), certificate)


def test_with_the_uploaded_certificate_only_that_certificate_may_sign(person_folder, other_person_folder, report_pdf,
                                                                     trust_root):
    certificate = on_person_machine(person_folder, "--certificate")  # exported from the person's token, uploaded
    prepared = prepare(report_pdf, field_name=PERSON_FIELD, certificate=certificate)
    assert pem.unarmor(certificate)[2] == prepared.certificate

    by_other = person_signs(other_person_folder, digest_to_sign(prepared)["hex"])
    with pytest.raises(SigningError, match=f"chứng thư số khác \\(“{OTHER_PERSON}”\\)"):
        embed(prepared, by_other)
    by_person = person_signs(person_folder, digest_to_sign(prepared)["hex"])
    assert embed(prepared, by_person, trust_roots=[trust_root]).signer_name == PERSON


def test_an_unreadable_certificate_is_refused_before_preparing(report_pdf):
    with pytest.raises(SigningError, match="Không đọc được chứng thư số của người ký"):
        prepare(report_pdf, field_name=PERSON_FIELD, certificate=b"khong phai chung thu")


def test_an_untrusted_certificate_is_embedded_and_reported_untrusted(person_folder, report_pdf, tmp_path):
    _key, other_root = _make_ca()
    (tmp_path / "other-root.pem").write_bytes(other_root.public_bytes(serialization.Encoding.PEM))
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    signed = embed(prepared, person_signs(person_folder, digest_to_sign(prepared)["hex"]),
                   trust_roots=[tmp_path / "other-root.pem"])
    assert (signed.signer_name, signed.trusted) == (PERSON, False)


def test_a_field_already_signed_cannot_be_prepared_again(person_folder, report_pdf):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    signed = embed(prepared, person_signs(person_folder, digest_to_sign(prepared)["hex"]))
    with pytest.raises(SigningError, match=f"đã có chữ ký ở ô “{PERSON_FIELD}”"):
        prepare(signed.pdf, field_name=PERSON_FIELD)


def test_the_remote_signing_service_the_setting_names_signs_the_digest(settings, person_folder, report_pdf,
                                                                       trust_root):
    settings.SIGNING_EXTERNAL_SERVICE = f"{__name__}.remote_service"
    settings.SIGNING_TRUST_ROOTS = [trust_root]
    signed = sign_with_service(prepare(report_pdf, field_name=PERSON_FIELD), person_folder=person_folder)
    assert (signed.signer_name, signed.trusted) == (PERSON, True)


def test_without_a_remote_signing_service_configured_the_setting_is_named(settings, report_pdf):
    settings.SIGNING_EXTERNAL_SERVICE = ""
    with pytest.raises(SigningError, match="Chưa cấu hình dịch vụ ký số từ xa \\(SIGNING_EXTERNAL_SERVICE\\)"):
        sign_with_service(prepare(report_pdf, field_name=PERSON_FIELD))


def test_a_visible_signature_is_drawn_in_its_box_with_the_uploaded_certificate(person_folder, report_pdf,
                                                                               trust_root):
    certificate = on_person_machine(person_folder, "--certificate")
    box = Box(0, (330, 80, 540, 160))
    prepared = prepare(report_pdf, field_name=PERSON_FIELD, certificate=certificate, box=box,
                       appearance=TextStampStyle(stamp_text="Ký bởi: %(signer)s"))
    signed = embed(prepared, person_signs(person_folder, digest_to_sign(prepared)["hex"]), trust_roots=[trust_root])
    signature, = PdfFileReader(io.BytesIO(signed.pdf)).embedded_regular_signatures
    assert [float(edge) for edge in signature.sig_field["/Rect"]] == list(box.rect)
    assert "/N" in signature.sig_field["/AP"]  # drawn before the digest was taken, so the signature covers it
    assert validate(signed.pdf, trust_root)[1].bottom_line


def test_an_appearance_printing_the_signers_name_needs_the_certificate(report_pdf):
    with pytest.raises(SigningError, match="Hình thức chữ ký cần tên người ký: hãy tải lên chứng thư số"):
        prepare(report_pdf, field_name=PERSON_FIELD, box=Box(0, (0, 0, 200, 80)),
                appearance=TextStampStyle(stamp_text="Ký bởi: %(signer)s"))


def test_the_person_certifies_from_the_digest_and_the_organisation_still_signs_over_it(person_folder, report_pdf,
                                                                                        trust_root, root_ca, tmp_path):
    prepared = prepare(report_pdf, field_name=PERSON_FIELD, certify=True)
    by_person = embed(prepared, person_signs(person_folder, digest_to_sign(prepared)["hex"])).pdf
    ca_key, ca_cert = root_ca
    key, cert = _make_signer(ORGANISATION, ca_key, ca_cert)
    (tmp_path / "co-quan.p12").write_bytes(_pkcs12(ORGANISATION, key, cert, ca_cert, "matkhau"))
    by_both = sign_pdf(by_person, signer=pkcs12_signer(tmp_path / "co-quan.p12", "matkhau"),
                       field_name=ORGANISATION_FIELD)

    (person_field, person), (organisation_field, organisation) = validate_all(by_both, trust_root)
    assert (person_field, organisation_field) == (PERSON_FIELD, ORGANISATION_FIELD)
    assert person.signing_cert.subject.native["common_name"] == PERSON
    assert person.docmdp_ok and person.modification_level == ModificationLevel.FORM_FILLING
    assert person.bottom_line and organisation.bottom_line


def png(colour, size):
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, "PNG")
    return out.getvalue()


def test_signed_from_the_digest_the_report_takes_the_image_and_then_the_seal_as_when_signed_on_the_server(
        person_folder, root_ca, trust_root, tmp_path):
    """Same fields as `sign_pdf(certify=True, appearance=…)` lays out: the seal's signature goes in its field."""
    report = to_pdf(sample_document())
    prepared = prepare(report, field_name=PERSON_FIELD, certify=True,
                       appearance=pdf_marks.person_appearance(png((0, 51, 204, 255), (160, 80))))
    by_person = embed(prepared, person_signs(person_folder, digest_to_sign(prepared)["hex"])).pdf
    ca_key, ca_cert = root_ca
    key, cert = _make_signer(ORGANISATION, ca_key, ca_cert)
    (tmp_path / "co-quan.p12").write_bytes(_pkcs12(ORGANISATION, key, cert, ca_cert, "matkhau"))
    issued = sign_pdf(by_person, signer=pkcs12_signer(tmp_path / "co-quan.p12", "matkhau"),
                      field_name=ORGANISATION_FIELD,
                      appearance=pdf_marks.organisation_appearance(png((210, 20, 30, 255), (200, 200)), ORGANISATION))

    (_person_field, person), (_field, organisation) = validate_all(issued, trust_root)
    assert person.signing_cert.subject.native["common_name"] == PERSON
    assert person.docmdp_ok and person.bottom_line and organisation.bottom_line
    assert verify_pdf(issued, trust_roots=[trust_root]).ok

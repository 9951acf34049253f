"""Signing the BÁO CÁO PDF and checking the signature it makes; the demo signer command.

The verification of several signatures, the verify_signature command and the page: test_verification.py,
test_verify_page.py.
"""

import datetime
import io
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from reporting.report.signing import SigningError, sign_pdf
from reporting.report.verification import verify_pdf

from .helpers import flip_byte_in_original, make_signer, use_signer


@pytest.fixture(scope="module")
def signed_once(demo_signer, report_pdf):
    with override_settings():
        use_signer(django_settings, demo_signer)
        return sign_pdf(report_pdf, reason="Phê duyệt báo cáo tháng", location="Thành phố Hồ Chí Minh")


@pytest.fixture
def signed_pdf(signer, signed_once):
    return signed_once


def rotate_first_page(signed):
    """A well-formed incremental update that changes the document, as an editor saving the file would."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The library


def test_signed_report_verifies_as_signed_intact_and_trusted(signed_pdf):
    result = verify_pdf(signed_pdf)

    assert (result.signed, result.intact, result.trusted, result.ok) == (True, True, True, True)
    assert result.signer == "Võ Thị Giang"
    assert abs(result.signed_at - timezone.now()) < datetime.timedelta(minutes=2)
    assert re.fullmatch(r"Chữ ký hợp lệ: ký bởi Võ Thị Giang lúc \d\d/\d\d/\d{4} \d\d:\d\d:\d\d; "
                        r"tệp không bị sửa đổi sau khi ký\.", result.message)
    assert timezone.localtime(result.signed_at).strftime("%d/%m/%Y %H:%M:%S") in result.message


def test_signature_is_pades_with_sha256(signed_pdf):
    signature = PdfFileReader(io.BytesIO(signed_pdf)).embedded_regular_signatures[0]

    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.field_name == "ChuKyLanhDao"
    assert signature.md_algorithm == "sha256"
    assert signature.sig_object["/Reason"] == "Phê duyệt báo cáo tháng"


def test_one_byte_changed_in_the_document_breaks_the_signature(signed_pdf, report_pdf):
    result = verify_pdf(flip_byte_in_original(signed_pdf, report_pdf))

    assert result.signed and not result.intact and not result.ok
    assert result.message == "Tệp đã bị sửa đổi sau khi ký: chữ ký không còn hợp lệ."


def test_incremental_update_after_signing_is_a_modification(signed_pdf):
    result = verify_pdf(rotate_first_page(signed_pdf))

    assert result.signed and not result.intact and not result.ok
    assert "đã bị sửa đổi sau khi ký" in result.message


def test_bytes_appended_after_signing_are_a_modification(signed_pdf):
    result = verify_pdf(signed_pdf + b"\n% them sau khi ky\n")

    assert result.signed and not result.intact
    assert "đã bị sửa đổi sau khi ký" in result.message


def test_altered_signature_value_is_not_intact(signed_pdf):
    # The RSA signature value ends the CMS structure, before the zero padding of /Contents.
    start = signed_pdf.index(b"/Contents <") + len(b"/Contents <")
    end = signed_pdf.index(b">", start)
    position = start + len(signed_pdf[start:end].rstrip(b"0")) - 20
    digit = b"%X" % (int(signed_pdf[position:position + 1], 16) ^ 1)
    result = verify_pdf(signed_pdf[:position] + digit + signed_pdf[position + 1:])

    assert not result.intact and not result.ok


def test_signer_from_another_ca_is_intact_but_not_trusted(signer, report_pdf, settings, tmp_path):
    city_roots = settings.SIGNING_TRUST_ROOTS
    make_signer(settings, tmp_path / "other", name="Người Lạ")
    result = verify_pdf(sign_pdf(report_pdf), trust_roots=city_roots)

    assert result.signed and result.intact and not result.trusted and not result.ok
    assert result.signer == "Người Lạ"
    assert "không được tin cậy" in result.message


def test_without_trust_roots_nothing_is_trusted(signed_pdf):
    result = verify_pdf(signed_pdf, trust_roots=[])
    assert result.intact and not result.trusted


def test_unsigned_pdf(report_pdf):
    result = verify_pdf(report_pdf)

    assert not result.signed and not result.intact
    assert result.message == "Tệp không có chữ ký số."


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n garbage", b"%PDF-1.7\n" + b"\x00" * 500])
def test_garbage_never_raises(data):
    result = verify_pdf(data)

    assert not result.signed and not result.intact
    assert result.message == "Không đọc được tệp PDF."


def test_truncated_signed_file_never_raises(signed_pdf):
    result = verify_pdf(signed_pdf[: len(signed_pdf) // 2])
    assert not result.intact and not result.ok


def test_password_protected_pkcs12(settings, tmp_path, report_pdf):
    make_signer(settings, tmp_path, password="mật-khẩu-ký")

    assert verify_pdf(sign_pdf(report_pdf)).ok
    with pytest.raises(SigningError, match="sai mật khẩu"):
        sign_pdf(report_pdf, password="sai")


def test_missing_certificate_file_says_how_to_configure(settings, tmp_path, report_pdf):
    settings.SIGNING_PKCS12_PATH = tmp_path / "khong-co.p12"
    with pytest.raises(SigningError, match="SIGNING_PKCS12_PATH"):
        sign_pdf(report_pdf)


# create_demo_signer


def test_create_demo_signer_makes_a_ca_and_a_signer(settings, tmp_path):
    settings.SIGNING_PKCS12_PATH = tmp_path / "a" / "signer.p12"
    settings.SIGNING_ORGANISATION_PKCS12_PATH = tmp_path / "a" / "organisation.p12"
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "b" / "ca.pem")]
    out = io.StringIO()
    call_command("create_demo_signer", name="Nguyễn Văn An", organisation="Công an tỉnh thử nghiệm", stdout=out)

    assert (tmp_path / "b" / "ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert (tmp_path / "a" / "signer.p12").stat().st_mode & 0o077 == 0
    assert (tmp_path / "a" / "organisation.p12").stat().st_mode & 0o077 == 0
    assert "Nguyễn Văn An" in out.getvalue() and "Công an tỉnh thử nghiệm" in out.getvalue()
    assert "phát triển" in out.getvalue()


def test_demo_signer_certificate(signer):
    _key, cert, chain = pkcs12.load_key_and_certificates((signer / "signer.p12").read_bytes(), None)
    ca = x509.load_pem_x509_certificate((signer / "ca.pem").read_bytes())

    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Võ Thị Giang"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Công an Thành phố Hồ Chí Minh"
    assert cert.issuer == ca.subject and [c.subject for c in chain] == [ca.subject]
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign


def test_create_demo_signer_keeps_existing_files_unless_forced(signer):
    before = (signer / "signer.p12").read_bytes(), (signer / "ca.pem").read_bytes()
    out = io.StringIO()
    call_command("create_demo_signer", stdout=out)

    assert ((signer / "signer.p12").read_bytes(), (signer / "ca.pem").read_bytes()) == before
    assert "giữ nguyên" in out.getvalue()

    call_command("create_demo_signer", name="Võ Thị Giang", organisation="Cơ quan", force=True, stdout=io.StringIO())
    assert (signer / "ca.pem").read_bytes() != before[1]


def test_create_demo_signer_refuses_half_a_pair(signer):
    (signer / "ca.pem").unlink()
    with pytest.raises(CommandError, match="--force"):
        call_command("create_demo_signer", stdout=io.StringIO())
    assert (signer / "signer.p12").exists()

"""The leader signs with the key on a PKCS#11 token, then the organisation countersigns with its PKCS#12 key.

The token is a real SoftHSM2 token made for this module; the signatures are checked with pyHanko against
the test root CA that issued both certificates.
"""

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from reporting.management.commands.create_demo_signer import _make_ca, _make_signer, _pkcs12
from reporting.report.signing import (
    ORGANISATION_FIELD, PERSON_FIELD, SigningError, open_signer, pkcs12_signer, sign_pdf,
)

from . import softhsm

pytestmark = pytest.mark.skipif(
    softhsm.MODULE is None,
    reason="Chưa cài SoftHSM2 (libsofthsm2.so): bỏ qua các bài thử ký bằng thiết bị PKCS#11 "
           "(scripts/system-deps.sh cài gói softhsm2 khi WITH_BROWSER=1).")

LEADER = "Nguyễn Văn An"
ORGANISATION = "Công an Thành phố Hồ Chí Minh"
PIN = "246810"


@pytest.fixture(scope="module")
def root_ca():
    return _make_ca()


@pytest.fixture(scope="module")
def token(tmp_path_factory, root_ca):
    ca_key, ca_cert = root_ca
    with softhsm.softhsm_token(tmp_path_factory.mktemp("softhsm"), label="CATP-LanhDao", key_label="ky-so-lanh-dao",
                               pin=PIN, holder=LEADER, ca_key=ca_key, ca_cert=ca_cert) as made:
        yield made


@pytest.fixture(scope="module")
def organisation_p12(tmp_path_factory, root_ca):
    ca_key, ca_cert = root_ca
    key, cert = _make_signer(ORGANISATION, ca_key, ca_cert)
    path = tmp_path_factory.mktemp("organisation") / "co-quan.p12"
    path.write_bytes(_pkcs12(ORGANISATION, key, cert, ca_cert, "matkhau"))
    return path


@pytest.fixture
def on_token(settings, token, tmp_path):
    """The settings of a server whose leader's key is on the token; no PKCS#12 file exists."""
    settings.SIGNING_PKCS11_MODULE = token.module
    settings.SIGNING_PKCS11_TOKEN_LABEL = token.label
    settings.SIGNING_PKCS11_KEY_LABEL = token.key_label
    settings.SIGNING_PKCS11_CERT_LABEL = ""
    settings.SIGNING_PKCS11_PIN = token.pin
    settings.SIGNING_PKCS12_PATH = tmp_path / "khong-co.p12"
    return settings


def validate(pdf, root_ca):
    """pyHanko's status of each signature in the file, in signing order, trusting only the test root."""
    root = asn1_x509.Certificate.load(root_ca[1].public_bytes(serialization.Encoding.DER))
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures
    return [(signature.field_name,
             validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False)))
            for signature in signatures]


def signer_name(status_or_signer):
    return status_or_signer.signing_cert.subject.native["common_name"]


def test_leader_signs_on_token_then_organisation_countersigns_over_it(on_token, token, organisation_p12,
                                                                      report_pdf, root_ca):
    by_leader = sign_pdf(report_pdf, field_name=PERSON_FIELD, reason="Phê duyệt báo cáo tháng")
    by_both = sign_pdf(by_leader, field_name=ORGANISATION_FIELD, signer=pkcs12_signer(organisation_p12, "matkhau"),
                       reason="Xác nhận của cơ quan")

    assert by_both.startswith(by_leader)  # appended, not rewritten: the leader's signed bytes are untouched
    (leader_field, leader), (organisation_field, organisation) = validate(by_both, root_ca)
    assert (leader_field, signer_name(leader)) == (PERSON_FIELD, LEADER)
    assert (organisation_field, signer_name(organisation)) == (ORGANISATION_FIELD, ORGANISATION)
    assert leader.signing_cert.dump() == token.certificate.public_bytes(serialization.Encoding.DER)
    for status in (leader, organisation):
        assert status.intact and status.valid and status.trusted
    assert organisation.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert organisation.modification_level == ModificationLevel.NONE
    # The leader's signature covers its own revision; what came after is only the organisation's signature.
    assert leader.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert leader.modification_level == ModificationLevel.FORM_FILLING
    assert leader.diff_result.changed_form_fields == {ORGANISATION_FIELD}
    assert leader.docmdp_ok and leader.bottom_line


def test_the_token_is_chosen_when_configured_and_an_explicit_pkcs12_file_still_wins(on_token, organisation_p12,
                                                                                    report_pdf, root_ca):
    with open_signer() as signer:
        assert signer_name(signer) == LEADER
    signed = sign_pdf(report_pdf, signer_pkcs12_path=organisation_p12, password="matkhau")
    assert [signer_name(status) for _field, status in validate(signed, root_ca)] == [ORGANISATION]


def test_without_token_settings_the_pkcs12_file_signs(settings, organisation_p12, report_pdf, root_ca):
    settings.SIGNING_PKCS11_MODULE = ""
    settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSWORD = organisation_p12, "matkhau"
    (_field, status), = validate(sign_pdf(report_pdf), root_ca)
    assert signer_name(status) == ORGANISATION and status.trusted


def test_the_token_signs_again_after_each_signature_closes_its_session(on_token, report_pdf, root_ca):
    pdf = report_pdf
    for field in ("Lan1", "Lan2", "Lan3"):
        pdf = sign_pdf(pdf, field_name=field)
    assert [(field, signer_name(status), status.intact) for field, status in validate(pdf, root_ca)] == [
        ("Lan1", LEADER, True), ("Lan2", LEADER, True), ("Lan3", LEADER, True)]


def test_threads_of_one_process_take_turns_with_the_token(on_token, report_pdf, root_ca):
    with ThreadPoolExecutor(max_workers=4) as pool:
        signed = list(pool.map(lambda number: sign_pdf(report_pdf, field_name=f"Luong{number}"), range(8)))
    assert [[(field, signer_name(status)) for field, status in validate(pdf, root_ca)] for pdf in signed] == [
        [(f"Luong{number}", LEADER)] for number in range(8)]


def test_wrong_pin_is_refused_in_vietnamese_and_the_right_one_still_signs(on_token, report_pdf):
    on_token.SIGNING_PKCS11_PIN = "000000"
    with pytest.raises(SigningError, match="Sai mã PIN của thiết bị ký số “CATP-LanhDao” .*SIGNING_PKCS11_PIN"):
        sign_pdf(report_pdf, field_name=PERSON_FIELD)
    on_token.SIGNING_PKCS11_PIN = PIN
    assert sign_pdf(report_pdf, field_name=PERSON_FIELD).startswith(report_pdf)


def test_missing_pin_is_named(on_token, report_pdf):
    on_token.SIGNING_PKCS11_PIN = ""
    with pytest.raises(SigningError, match="Chưa khai báo mã PIN .*SIGNING_PKCS11_PIN"):
        sign_pdf(report_pdf)


def test_missing_module_is_refused_in_vietnamese(on_token, report_pdf, tmp_path):
    on_token.SIGNING_PKCS11_MODULE = str(tmp_path / "libkhongco.so")
    with pytest.raises(SigningError, match="Không nạp được thư viện PKCS#11 .*libkhongco.so.*SIGNING_PKCS11_MODULE"):
        sign_pdf(report_pdf)


def test_token_not_plugged_in_is_refused_in_vietnamese(on_token, report_pdf):
    on_token.SIGNING_PKCS11_TOKEN_LABEL = "Token-khac"
    with pytest.raises(SigningError, match="Không mở được thiết bị ký số “Token-khac”.*SIGNING_PKCS11_TOKEN_LABEL"):
        sign_pdf(report_pdf)


def test_no_such_key_on_the_token_is_refused_in_vietnamese(on_token, report_pdf):
    on_token.SIGNING_PKCS11_KEY_LABEL = "khoa-khac"
    with pytest.raises(SigningError, match="Không tìm thấy khóa ký “khoa-khac”.*“CATP-LanhDao”"):
        sign_pdf(report_pdf)


def test_a_field_already_signed_cannot_be_signed_again(on_token, organisation_p12, report_pdf):
    by_leader = sign_pdf(report_pdf, field_name=PERSON_FIELD)
    with pytest.raises(SigningError, match=f"đã có chữ ký ở ô “{PERSON_FIELD}”"):
        sign_pdf(by_leader, field_name=PERSON_FIELD, signer=pkcs12_signer(organisation_p12, "matkhau"))

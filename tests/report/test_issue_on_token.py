"""The whole issue on real keys: the director signs the finalised April report with the key on their token
(a SoftHSM2 token whose certificate an intermediate CA issued, as a CA delivers it), the records office
numbers, dates and seals it with the organisation's key; pyHanko validates both against the root alone."""

import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from reporting.management.commands.create_demo_signer import _make_signer, _pkcs12
from reporting.report import issue
from reporting.report.signing import ORGANISATION_FIELD, PERSON_FIELD

from . import softhsm
from .helpers import BLOCK_SIGNER, ORGANISATION, pdf_text, stored

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(
    softhsm.MODULE is None,
    reason="Chưa cài SoftHSM2 (libsofthsm2.so): bỏ qua các bài thử ký bằng thiết bị PKCS#11 "
           "(scripts/system-deps.sh cài gói softhsm2 khi WITH_BROWSER=1).")]
PIN = "864213"


@pytest.fixture(scope="module")
def chain():
    return softhsm.ca_chain()


@pytest.fixture(scope="module")
def directors_token(tmp_path_factory, chain):
    _root, intermediate = chain
    with softhsm.softhsm_token(tmp_path_factory.mktemp("softhsm"), label="GiamDoc", key_label="ky-so-giam-doc",
                               pin=PIN, holder=BLOCK_SIGNER, ca_key=intermediate.key,
                               ca_cert=intermediate.certificate,
                               ca_certs_on_token=[intermediate.certificate]) as made:
        yield made


@pytest.fixture
def on_token(settings, directors_token, chain, tmp_path):
    """The server's settings: the director's key on the token, the organisation's in its PKCS#12 file."""
    root, intermediate = chain
    key, certificate = _make_signer(ORGANISATION, intermediate.key, intermediate.certificate)
    organisation = tmp_path / "co-quan.p12"
    organisation.write_bytes(_pkcs12(ORGANISATION, key, certificate, intermediate.certificate, "mk"))
    roots = tmp_path / "root.pem"
    roots.write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    settings.SIGNING_PKCS11_MODULE, settings.SIGNING_PKCS11_TOKEN_LABEL = directors_token.module, directors_token.label
    settings.SIGNING_PKCS11_KEY_LABEL, settings.SIGNING_PKCS11_CERT_LABEL = directors_token.key_label, ""
    settings.SIGNING_PKCS11_PIN = directors_token.pin
    settings.SIGNING_PKCS12_PATH = tmp_path / "khong-co.p12"       # no key of the director's on the server
    settings.SIGNING_ORGANISATION_PKCS12_PATH, settings.SIGNING_ORGANISATION_PKCS12_PASSWORD = organisation, "mk"
    settings.SIGNING_TRUST_ROOTS = [str(roots)]
    return root


def test_signed_on_the_token_then_issued_both_signatures_validate_against_the_root(finalised, compiler, clerk,
                                                                                   on_token):
    issue.sign_as_signer(finalised, compiler)
    issued = issue.issue(finalised, clerk, number="264", issued_on=timezone.localdate())
    signed = stored(issued.signed_pdf)

    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(
        on_token.certificate.public_bytes(serialization.Encoding.DER))], allow_fetching=False)
    person, organisation = (validate_pdf_signature(signature, context)
                            for signature in PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures)
    assert person.signing_cert.subject.native["common_name"] == BLOCK_SIGNER
    assert organisation.signing_cert.subject.native["common_name"] == ORGANISATION
    for status in (person, organisation):
        assert status.intact and status.valid and status.trusted
    assert organisation.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert organisation.modification_level == ModificationLevel.NONE
    # The second covers the first: after the director's signature only the number, the date and the seal came.
    assert person.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert person.modification_level == ModificationLevel.FORM_FILLING and person.docmdp_ok
    assert person.diff_result.changed_form_fields == {"SoVanBan", "NgayBanHanh", ORGANISATION_FIELD}
    assert [signature.field_name for signature in PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures] == [
        PERSON_FIELD, ORGANISATION_FIELD]
    assert "Số: 264/BC-BCĐ" in pdf_text(signed)

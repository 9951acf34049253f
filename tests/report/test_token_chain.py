"""A token whose certificate comes from an intermediate CA carries that CA's certificate too, and the
signature takes it along, whether the server signs on the token or the person's own machine does
(scripts/sign_digest.py): a verifier that trusts only the root CA (as SIGNING_TRUST_ROOTS names the national
or the VGCA root, not each subordinate CA) still builds the chain."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from reporting.report.external_signing import digest_to_sign, embed, prepare
from reporting.report.signing import PERSON_FIELD, pkcs11_signer, sign_pdf

from . import softhsm

pytestmark = pytest.mark.skipif(
    softhsm.MODULE is None,
    reason="Chưa cài SoftHSM2 (libsofthsm2.so): bỏ qua các bài thử ký bằng thiết bị PKCS#11 "
           "(scripts/system-deps.sh cài gói softhsm2 khi WITH_BROWSER=1).")

LEADER = "Trần Thị Bình"
SIGN_DIGEST = Path(__file__).resolve().parents[2] / "scripts" / "sign_digest.py"


@pytest.fixture(scope="module")
def chain():
    return softhsm.ca_chain()


@pytest.fixture(scope="module")
def token(tmp_path_factory, chain):
    _root, intermediate = chain
    with softhsm.softhsm_token(tmp_path_factory.mktemp("softhsm-chain"), label="CATP-ChuoiCA", key_label="ky-so",
                               pin="135790", holder=LEADER, ca_key=intermediate.key, ca_cert=intermediate.certificate,
                               ca_certs_on_token=[intermediate.certificate]) as made:
        yield made


def asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def test_signature_carries_the_intermediate_ca_from_the_token_and_chains_to_the_root_alone(token, chain, report_pdf):
    root, intermediate = chain
    with pkcs11_signer(module=token.module, token_label=token.label, key_label=token.key_label,
                       pin=token.pin) as signer:
        signed = sign_pdf(report_pdf, signer=signer, field_name=PERSON_FIELD)

    signature, = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    assert intermediate.certificate.public_bytes(serialization.Encoding.DER) in [
        cert.dump() for cert in signature.other_embedded_certs]
    # Only the root: the intermediate must come from the signature itself.
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[asn1(root.certificate)],
                                                                 allow_fetching=False))
    assert status.signing_cert.subject.native["common_name"] == LEADER
    assert status.intact and status.valid and status.trusted
    assert [cert.subject.native["common_name"] for cert in status.validation_path.iter_certs(include_root=True)] == [
        "Root CA thử nghiệm", "CA cấp dưới thử nghiệm", LEADER]


def test_the_persons_own_machine_signs_the_digest_with_the_token(token, chain, report_pdf, tmp_path):
    """scripts/sign_digest.py on the person's machine: the PIN and the token stay there, the chain comes along."""
    root, _intermediate = chain
    (tmp_path / "root.pem").write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    prepared = prepare(report_pdf, field_name=PERSON_FIELD)
    # The child reads the token's SOFTHSM2_CONF from the environment the token fixture set.
    cms = subprocess.run([sys.executable, str(SIGN_DIGEST), "--pkcs11-module", token.module,
                          "--token-label", token.label, "--key-label", token.key_label],
                         input=digest_to_sign(prepared)["hex"].encode(),
                         env={**os.environ, "SIGN_DIGEST_PIN": token.pin},
                         capture_output=True, check=True, timeout=60).stdout
    signed = embed(prepared, cms, trust_roots=[tmp_path / "root.pem"])
    assert (signed.signer_name, signed.trusted) == (LEADER, True)

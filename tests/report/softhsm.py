"""A real PKCS#11 token for the signing tests: SoftHSM2 (Debian's softhsm2, installed by scripts/system-deps.sh
for the tests) standing in for a leader's USB token, with an RSA key generated on it and a certificate for
that key issued by a test CA, as a certification authority would deliver the token.

A real token's certificate is usually issued by an intermediate CA (a subordinate CA of the VGCA, or a public
CA under the national root CA), and the token carries that CA's certificate beside the signer's: `ca_chain`
makes a root and an intermediate, and `softhsm_token(..., ca_certs_on_token=...)` stores the intermediate's
certificate on the token too."""

import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

from reporting.management.commands.create_demo_signer import _builder, _key_usage, _name

# Debian installs it here (a link to the multiarch path); the other paths are the usual ones elsewhere.
MODULE_CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                     "/usr/lib64/pkcs11/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so")
MODULE = next((path for path in MODULE_CANDIDATES if Path(path).is_file()), None)


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    key_label: str
    pin: str
    certificate: x509.Certificate


@dataclass(frozen=True)
class CA:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def ca_chain(root_name="Root CA thử nghiệm", intermediate_name="CA cấp dưới thử nghiệm"):
    """A root CA and an intermediate CA it issued, which in turn issues signers' certificates."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (_builder(_name(root_name), _name(root_name), root_key.public_key(), years=20)
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .sign(root_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    intermediate = (_builder(_name(intermediate_name), root.subject, key.public_key(), years=10)
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
                    .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                                   critical=False)
                    .sign(root_key, hashes.SHA256()))
    return CA(root_key, root), CA(key, intermediate)


@contextlib.contextmanager
def softhsm_token(folder, *, label, key_label, pin, holder, ca_key, ca_cert, ca_certs_on_token=()):
    """A fresh token in `folder` holding `holder`'s key pair and CA-issued certificate, for the block's duration.

    `ca_certs_on_token` are CA certificates stored on the token as well, under their own labels and ids, as a
    CA delivers its intermediate certificate with the signer's.

    SoftHSM reads SOFTHSM2_CONF once, when the module is initialised, so the module is unloaded on
    leaving: a later token in another folder starts from its own configuration.
    """
    folder = Path(folder)
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    try:
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin,
                        "--so-pin", pin + "00"], check=True, capture_output=True)
        certificate = _key_and_certificate(label, key_label, pin, holder, ca_key, ca_cert, ca_certs_on_token)
        yield Token(module=MODULE, label=label, key_label=key_label, pin=pin, certificate=certificate)
    finally:
        pkcs11.unload(MODULE)
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def _key_and_certificate(label, key_label, pin, holder, ca_key, ca_cert, ca_certs_on_token):
    token = pkcs11.lib(MODULE).get_token(token_label=label)
    # The session is closed before the tests sign: a token keeps one login for all of a process's sessions.
    with token.open(rw=True, user_pin=pin) as session:
        # Private keys default to sensitive and not extractable: like a real token's, this one never leaves it.
        public, _private = session.generate_keypair(KeyType.RSA, 2048, label=key_label, id=b"\x01", store=True)
        public_key = RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT]),
                                      int.from_bytes(public[Attribute.MODULUS])).public_key()
        certificate = (_builder(_name(holder), ca_cert.subject, public_key, years=3)
                       .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                       .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
                       .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                      critical=False)
                       .sign(ca_key, hashes.SHA256()))
        _store_certificate(session, certificate, label=key_label, object_id=b"\x01")
        for number, ca_certificate in enumerate(ca_certs_on_token, start=1):
            _store_certificate(session, ca_certificate, label=f"CA {number}", object_id=bytes([1 + number]))
    return certificate


def _store_certificate(session, certificate, *, label, object_id):
    session.create_object({
        Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
        Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: object_id,
        Attribute.SUBJECT: certificate.subject.public_bytes(),
        Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
    })

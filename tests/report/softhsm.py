"""A real PKCS#11 token for the signing tests: SoftHSM2 (Debian's softhsm2, installed by scripts/system-deps.sh
for the tests) standing in for a leader's USB token, with an RSA key generated on it and a certificate for
that key issued by a test root CA, as a certification authority would deliver the token."""

import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
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


@contextlib.contextmanager
def softhsm_token(folder, *, label, key_label, pin, holder, ca_key, ca_cert):
    """A fresh token in `folder` holding `holder`'s key pair and CA-issued certificate, for the block's duration.

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
        certificate = _key_and_certificate(label, key_label, pin, holder, ca_key, ca_cert)
        yield Token(module=MODULE, label=label, key_label=key_label, pin=pin, certificate=certificate)
    finally:
        pkcs11.unload(MODULE)
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def _key_and_certificate(label, key_label, pin, holder, ca_key, ca_cert):
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
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: key_label, Attribute.ID: b"\x01",
            Attribute.SUBJECT: certificate.subject.public_bytes(),
            Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
        })
    return certificate

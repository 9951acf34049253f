"""A local demo CA and a signer certificate it issued, so signing works on a developer's machine.

Production never runs this: it is given a certificate issued by a real certification
authority through SIGNING_PKCS12_PATH, SIGNING_PKCS12_PASSWORD and SIGNING_TRUST_ROOTS.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

CA_NAME = "CA thử nghiệm Đề án 06"
ORGANISATION = "Công an Thành phố Hồ Chí Minh"
# Backdated a little so a verifier whose clock is slightly behind still sees a valid certificate.
CLOCK_SKEW = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm và chứng thư số người ký (chỉ dùng khi phát triển)."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="Võ Thị Giang", help="Họ tên người ký (CN của chứng thư).")
        parser.add_argument("--force", action="store_true", help="Tạo lại dù các tệp đã có.")

    def handle(self, *args, name, force, **options):
        p12_path, ca_path = Path(settings.SIGNING_PKCS12_PATH), Path(settings.SIGNING_TRUST_ROOTS[0])
        existing = [path for path in (p12_path, ca_path) if path.exists()]
        if existing and not force:
            if len(existing) == 2:
                self.stdout.write(f"Đã có chứng thư số người ký {p12_path} và CA {ca_path}; giữ nguyên (dùng --force để tạo lại).")
                return
            # Half a pair cannot sign and verify together, and the half present may be a real certificate.
            raise CommandError(f"Chỉ có {existing[0]}; dùng --force để tạo lại cả CA và chứng thư người ký.")
        ca_key, ca_cert = _make_ca()
        key, cert = _make_signer(name, ca_key, ca_cert)
        _write(ca_path, ca_cert.public_bytes(serialization.Encoding.PEM))
        _write(p12_path, _pkcs12(name, key, cert, ca_cert, settings.SIGNING_PKCS12_PASSWORD), private=True)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo CA “{CA_NAME}”: {ca_path}"))
        self.stdout.write(self.style.SUCCESS(f"Đã tạo chứng thư số người ký “{name}” ({ORGANISATION}): {p12_path}"))
        self.stdout.write("Chỉ dùng khi phát triển và thử nghiệm. Máy chủ thật dùng chứng thư số do tổ chức chứng thực cấp, "
                          "khai báo qua SIGNING_PKCS12_PATH, SIGNING_PKCS12_PASSWORD và SIGNING_TRUST_ROOTS.")


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])


def _builder(subject, issuer, public_key, years):
    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW).not_valid_after(now + datetime.timedelta(days=365 * years))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def _key_usage(**allowed):
    flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    return x509.KeyUsage(**{**flags, **allowed})


def _make_ca():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (_builder(_name(CA_NAME), _name(CA_NAME), key.public_key(), years=10)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _make_signer(name, ca_key, ca_cert):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # content_commitment is X.509's nonRepudiation: a signature that commits the signer, as a leader's does.
    cert = (_builder(_name(name), ca_cert.subject, key.public_key(), years=3)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _pkcs12(name, key, cert, ca_cert, password):
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(name.encode(), key, cert, [ca_cert], encryption)


def _write(path, data, private=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    if private:
        # The private key: readable by the app's account only, before any byte of it is written.
        path.touch(mode=0o600)
        path.chmod(0o600)
    path.write_bytes(data)

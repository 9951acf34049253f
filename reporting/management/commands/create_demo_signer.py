"""A local demo CA, the certificates it issued to the signer and to the organisation, and sample images of a
signature and a seal, so signing and issuing work on a developer's machine.

Production never runs this: it is given the signer's token and the organisation's certificate issued by a
real certification authority (SIGNING_PKCS11_*, SIGNING_ORGANISATION_PKCS12_PATH, SIGNING_TRUST_ROOTS), and
PC06 uploads the real images in the admin.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from reporting.management import demo_images
from reporting.models import ReportSettings
from reporting.periods import default_schedule
from reporting.report import signers

CA_NAME = "CA thử nghiệm Đề án 06"
ORGANISATION = "Công an Thành phố Hồ Chí Minh"
# Backdated a little so a verifier whose clock is slightly behind still sees a valid certificate.
CLOCK_SKEW = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = ("Tạo CA thử nghiệm, chứng thư số của người ký và của cơ quan, và ảnh chữ ký, con dấu mẫu "
            "(chỉ dùng khi phát triển).")

    def add_arguments(self, parser):
        parser.add_argument("--name", default="", help="Họ tên người ký (CN của chứng thư); mặc định là người ký "
                                                       "ghi trong cài đặt báo cáo.")
        parser.add_argument("--organisation", default="", help="Tên cơ quan (CN của chứng thư cơ quan); mặc định là "
                                                               "cơ quan báo cáo trong cài đặt báo cáo.")
        parser.add_argument("--images", action="store_true",
                            help="Thêm ảnh chữ ký và con dấu MẪU vào cài đặt báo cáo nếu chưa có.")
        parser.add_argument("--force", action="store_true", help="Tạo lại dù các tệp đã có.")

    def handle(self, *args, name, organisation, images, force, **options):
        if images:
            self._sample_images()
        person_path, ca_path = Path(settings.SIGNING_PKCS12_PATH), Path(settings.SIGNING_TRUST_ROOTS[0])
        organisation_path = Path(settings.SIGNING_ORGANISATION_PKCS12_PATH)
        existing = [path for path in (person_path, organisation_path, ca_path) if path.exists()]
        if existing and not force:
            if len(existing) == 3:
                self.stdout.write(f"Đã có chứng thư số {person_path}, {organisation_path} và CA {ca_path}; giữ nguyên "
                                  "(dùng --force để tạo lại).")
                return
            # Half a set cannot sign and verify together, and the part present may be a real certificate.
            raise CommandError(f"Chỉ có {', '.join(map(str, existing))}; dùng --force để tạo lại cả CA và các "
                               "chứng thư.")
        if not (name and organisation):
            report_settings = ReportSettings.for_schedule(default_schedule())
            # The person the report's signature block names: the demo signs as practice wants, never with a
            # clerk's certificate for the director.
            signer_lines = report_settings.signature_lines_below
            name = name or (signers.holder_name(signer_lines[-1]) if signer_lines else "") or "Người ký thử nghiệm"
            organisation = organisation or report_settings.reporting_body or "Cơ quan thử nghiệm"
        ca_key, ca_cert = _make_ca()
        _write(ca_path, ca_cert.public_bytes(serialization.Encoding.PEM))
        for holder, path, password in ((name, person_path, settings.SIGNING_PKCS12_PASSWORD),
                                       (organisation, organisation_path, settings.SIGNING_ORGANISATION_PKCS12_PASSWORD)):
            key, cert = _make_signer(holder, ca_key, ca_cert)
            _write(path, _pkcs12(holder, key, cert, ca_cert, password), private=True)
            self.stdout.write(self.style.SUCCESS(f"Đã tạo chứng thư số “{holder}”: {path}"))
        self.stdout.write(self.style.SUCCESS(f"Đã tạo CA “{CA_NAME}”: {ca_path}"))
        self.stdout.write("Chỉ dùng khi phát triển và thử nghiệm. Máy chủ thật dùng chứng thư số do tổ chức chứng thực "
                          "cấp (SIGNING_PKCS11_*, SIGNING_ORGANISATION_PKCS12_PATH, SIGNING_TRUST_ROOTS) và ảnh chữ ký, "
                          "con dấu thật tải lên ở Quản trị › Cài đặt báo cáo.")

    def _sample_images(self):
        report_settings = ReportSettings.for_schedule(default_schedule())
        if report_settings.signer_image or report_settings.seal_image:
            return
        report_settings.signer_image.save("chu-ky-mau.png", ContentFile(demo_images.signature()), save=False)
        report_settings.seal_image.save("con-dau-mau.png", ContentFile(demo_images.seal()), save=False)
        report_settings.save(update_fields=["signer_image", "seal_image"])
        self.stdout.write(self.style.SUCCESS("Đã thêm ảnh chữ ký và con dấu MẪU vào Cài đặt báo cáo."))


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

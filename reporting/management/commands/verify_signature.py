from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.report.verification import issued_version, registration_message, verify_pdf


class Command(BaseCommand):
    help = ("Xác minh chữ ký số của một tệp PDF: liệt kê mọi chữ ký theo thứ tự và cho biết tệp có phải tệp đã ban "
            "hành hay không. Mã thoát 0 khi mọi chữ ký hợp lệ, tệp không bị sửa đổi sau chữ ký cuối và người ký "
            "được tin cậy; 1 trong mọi trường hợp khác.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp PDF cần xác minh.")

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Không mở được tệp “{file}”: {error.strerror}.") from error
        result = verify_pdf(data)
        self.stdout.write(result.message)
        for number, check in enumerate(result.signatures, start=1):
            signer = check.signer or "(không rõ)"
            if check.organisation:
                signer += f" ({check.organisation})"
            self.stdout.write(f"Chữ ký thứ {number}:")
            self.stdout.write(f"  Người ký: {signer}")
            self.stdout.write(f"  Thời điểm ký: {check.signed_at_text}")
            self.stdout.write(f"  Tổ chức cấp chứng thư: {check.issuer or '(không rõ)'}")
            self.stdout.write(f"  Không bị sửa đổi sau khi ký: {_yes_no(check.intact)}")
            self.stdout.write(f"  Chứng thư được tin cậy: {_yes_no(check.trusted)}")
            self.stdout.write(f"  Phạm vi ký: {check.coverage_text}")
        self.stdout.write(registration_message(issued_version(data)))
        if not result.ok:
            # A script checking a report acts on the exit code (1), not on the text above.
            raise CommandError("Tệp không đạt yêu cầu xác minh chữ ký số.", returncode=1)


def _yes_no(flag):
    return "có" if flag else "không"

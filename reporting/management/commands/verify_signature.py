from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.report.signing import verify_pdf


class Command(BaseCommand):
    help = ("Xác minh chữ ký số của một tệp PDF. Mã thoát 0 khi chữ ký hợp lệ, tệp không bị sửa đổi "
            "và người ký được tin cậy; 1 trong mọi trường hợp khác.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp PDF cần xác minh.")

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Không mở được tệp “{file}”: {error.strerror}.") from error
        result = verify_pdf(data)
        self.stdout.write(result.message)
        if result.signed:
            self.stdout.write(f"Người ký: {result.signer or '(không rõ)'}")
            self.stdout.write(f"Thời điểm ký: {_when(result.signed_at)}")
            self.stdout.write(f"Không bị sửa đổi sau khi ký: {_yes_no(result.intact)}")
            self.stdout.write(f"Chứng thư được tin cậy: {_yes_no(result.trusted)}")
        if not result.ok:
            # A script checking a report acts on the exit code (1), not on the text above.
            raise CommandError("Tệp không đạt yêu cầu xác minh chữ ký số.", returncode=1)


def _yes_no(flag):
    return "có" if flag else "không"


def _when(moment):
    return timezone.localtime(moment).strftime("%H:%M:%S %d/%m/%Y") if moment else "(không rõ)"

from django.core.management.base import BaseCommand, CommandError

from reporting.formatting import format_number
from reporting.operations.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Phục hồi một bản sao lưu vào cơ sở dữ liệu mới (đã chạy migrate, chưa có dữ liệu)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu .tar.gz do lệnh backup ghi")

    def handle(self, *args, file, **options):
        try:
            rows, files = restore(file)
        except RestoreError as error:
            # Nothing was written (one transaction, the files removed again): say why, and that.
            raise CommandError(f"Không phục hồi được từ {file}: {error} Cơ sở dữ liệu và kho tệp giữ nguyên.") from None
        self.stdout.write(f"Đã phục hồi {format_number(rows)} bản ghi và {format_number(files)} tệp từ {file}.")

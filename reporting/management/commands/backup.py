from django.core.management.base import BaseCommand

from reporting.formatting import format_number
from reporting.operations.backup import backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu (các bảng và tệp minh chứng) vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu sẽ ghi, ví dụ de-an-06-2024-05-06.tar.gz")

    def handle(self, *args, file, **options):
        rows, files = backup(file)
        self.stdout.write(f"Đã sao lưu {format_number(rows)} bản ghi và {format_number(files)} tệp vào {file}.")

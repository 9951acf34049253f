from django.core.management.base import BaseCommand

from reporting.catalog.summary import summary_lines


class Command(BaseCommand):
    help = "In các danh mục đã nạp: số đã biết bên cạnh số theo văn bản, và từng dòng."

    def add_arguments(self, parser):
        parser.add_argument("--counts-only", action="store_true", help="Chỉ in các dòng 'tên: số lượng'.")

    def handle(self, *args, counts_only=False, **options):
        for line in summary_lines(details=not counts_only):
            self.stdout.write(line)

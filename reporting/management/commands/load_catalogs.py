from django.core.management.base import BaseCommand
from django.db import transaction

from indicators.loaders import load_indicators, load_measures, load_plans, load_service_lists, load_services
from models_pilot.loaders import load_pilot_models
from reporting.catalog.loading import (
    load_agencies,
    load_approval_chains,
    load_outlines,
    load_reminder_rules,
    load_report_settings,
)

STEPS = [
    ("đơn vị", load_agencies),
    ("danh sách DVC thiết yếu", load_service_lists),
    ("chỉ tiêu báo cáo của dịch vụ công", load_measures),
    ("dịch vụ công", load_services),
    ("chỉ số", load_indicators),
    ("mô hình điểm", load_pilot_models),
    ("kế hoạch, chỉ tiêu, nhiệm vụ", load_plans),
    ("quy tắc nhắc hạn", load_reminder_rules),
    ("quy trình duyệt của đơn vị", load_approval_chains),
    ("cài đặt báo cáo", load_report_settings),
    ("đề cương báo cáo", load_outlines),
]


class Command(BaseCommand):
    help = "Nạp danh mục thật từ fixtures/ (chạy lại không thay đổi gì; --update ghi đè theo tệp)."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="Ghi đè các dòng đã có bằng dữ liệu trong tệp.")

    def handle(self, *args, update=False, **options):
        # One transaction: a broken fixture leaves the catalogs exactly as they were.
        with transaction.atomic():
            for label, load in STEPS:
                counts = load(update=update)
                self.stdout.write(f"{label}: {counts}")

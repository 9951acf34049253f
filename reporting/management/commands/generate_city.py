from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from benchmarks import dataset
from reporting.exports import RangeError, parse_month
from reporting.models import Submission


class Command(BaseCommand):
    help = ("Sinh dữ liệu một thành phố cỡ TP.HCM 2024 (Công an TP, 24 sở ngành, 22 quận huyện, 312 phường xã) "
            "với mọi dịch vụ, chỉ số, mô hình, nhiệm vụ của danh mục thật; cùng --seed thì cùng số liệu.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Cùng seed, cùng dữ liệu (mặc định 1).")
        parser.add_argument("--months", type=int, default=dataset.MONTHS, help="Số tháng (mặc định 36).")
        parser.add_argument("--first", default="2022-01", help="Tháng đầu, dạng YYYY-MM (mặc định 2022-01).")
        parser.add_argument("--wards", type=int, default=dataset.WARDS, help="Số phường, xã sinh thêm (mặc định 312).")
        parser.add_argument("--missing", type=float, default=2.0,
                            help="Phần trăm báo cáo tháng không nộp (mặc định 2); 1/12 số báo cáo nộp muộn.")

    def handle(self, *args, seed, months, first, wards, missing, **options):
        try:
            month = parse_month(first, "first")
        except RangeError as error:
            raise CommandError(error.message) from None
        if not 1 <= months <= 120:
            raise CommandError("--months phải từ 1 đến 120.")
        first_index = month.year * 12 + month.month - 1
        last = divmod(first_index + months - 1, 12)
        in_range = (Q(period__year__gt=month.year) | Q(period__year=month.year, period__month__gte=month.month)) & (
            Q(period__year__lt=last[0]) | Q(period__year=last[0], period__month__lte=last[1] + 1))
        if Submission.objects.filter(in_range).exists():
            raise CommandError("Cơ sở dữ liệu đã có báo cáo trong các tháng này; hãy sinh dữ liệu vào một cơ sở dữ "
                               "liệu trống (hoặc chọn --first khác).")
        compiler = dataset.load_city(wards=wards)
        history = dataset.generate_history(compiler, first=(month.year, month.month), months=months, seed=seed,
                                           missing=missing / 100)
        self.stdout.write(history.summary())

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Submission
from reporting.months import BadMonth, Month, within
from reporting.operations import city_generator


class Command(BaseCommand):
    help = ("Sinh số liệu cho thành phố của danh mục năm 2024 (công an thành phố, sở ngành, quận huyện, phường xã) "
            "với mọi dịch vụ, chỉ số, mô hình, nhiệm vụ của danh mục thật; cùng --seed thì cùng số liệu.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Cùng seed, cùng dữ liệu (mặc định 1).")
        parser.add_argument("--months", type=int, default=city_generator.MONTHS, help="Số tháng (mặc định 36).")
        parser.add_argument("--first", default="2022-01", help="Tháng đầu, dạng YYYY-MM (mặc định 2022-01).")
        parser.add_argument("--wards", type=int, default=None,
                            help="Thay các phường, xã của danh mục bằng chừng ấy phường sinh tự động (mặc định: giữ danh mục).")
        parser.add_argument("--missing", type=float, default=2.0,
                            help="Phần trăm báo cáo tháng không nộp (mặc định 2); 1/12 số báo cáo nộp muộn.")

    def handle(self, *args, seed, months, first, wards, missing, **options):
        try:
            month = Month.parse(first, "first")
        except BadMonth as error:
            raise CommandError(error.message) from None
        if not 1 <= months <= 120:
            raise CommandError("--months phải từ 1 đến 120.")
        if Submission.objects.filter(within("period", month, month.plus(months - 1))).exists():
            raise CommandError("Cơ sở dữ liệu đã có báo cáo trong các tháng này; hãy sinh dữ liệu vào một cơ sở dữ "
                               "liệu trống (hoặc chọn --first khác).")
        compiler = city_generator.load_city(wards=wards)
        history = city_generator.generate_history(compiler, first=(month.year, month.month), months=months, seed=seed,
                                           missing=missing / 100)
        self.stdout.write(history.summary())

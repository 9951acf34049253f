"""python manage.py render_report --period 2024-04 --format pdf --out bao-cao.pdf
python manage.py render_report --from 2024-01 --to 2024-06 --format docx --out so-ket-6-thang.docx
python manage.py render_report --period 2024-03 --agency STP --format docx --out bao-cao-so-tu-phap.docx"""

from django.core.management.base import BaseCommand, CommandError

from reporting.formatting import format_number
from reporting.models import Agency, ReportingPeriod
from reporting.months import BadMonth, Month
from reporting.periods import default_schedule
from reporting.report.compose import compose
from reporting.report.render_docx import to_docx
from reporting.report.render_html import to_html
from reporting.report.render_pdf import to_pdf
from reporting.report.unit_report import compose_unit

RENDERERS = {"pdf": to_pdf, "docx": to_docx, "html": lambda document: to_html(document).encode("utf-8")}


class Command(BaseCommand):
    help = ("Xuất báo cáo tổng hợp (dự thảo) của một tháng hoặc nhiều tháng, hoặc báo cáo tháng của một đơn vị, "
            "ra PDF, DOCX hoặc HTML.")

    def add_arguments(self, parser):
        parser.add_argument("--period", help="một tháng: năm-tháng, ví dụ 2024-04")
        parser.add_argument("--from", dest="first", help="tháng đầu của báo cáo nhiều tháng, ví dụ 2024-01")
        parser.add_argument("--to", dest="last", help="tháng cuối của báo cáo nhiều tháng, ví dụ 2024-06")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="pdf")
        parser.add_argument("--out", required=True, help="tệp kết quả")
        parser.add_argument("--include-submitted", action="store_true",
                            help="tính cả báo cáo đã nộp nhưng chưa được duyệt (in rõ trên dự thảo)")
        parser.add_argument("--agency", help="mã đơn vị: báo cáo tháng của riêng đơn vị đó (cùng --period)")

    def handle(self, *args, period, first, last, format, out, include_submitted, agency, **options):
        if bool(period) == bool(first or last) or bool(first) != bool(last):
            raise CommandError("Dùng --period cho một tháng, hoặc cả --from và --to cho nhiều tháng.")
        if agency and not period:
            raise CommandError("Báo cáo của đơn vị là báo cáo tháng: dùng --agency cùng --period.")
        last = _period(period or last)
        first = _period(first) if first else last
        if (first.year, first.month) > (last.year, last.month):
            raise CommandError("--from phải trước hoặc trùng --to.")
        if agency:
            document = compose_unit(_agency(agency), last)
        else:
            document = compose(last, first=first, include_submitted=include_submitted)
        content = RENDERERS[format](document)
        with open(out, "wb") as file:
            file.write(content)
        self.stdout.write(f"Đã ghi {out} ({format_number(len(content))} byte).")


def _period(text):
    try:
        month = Month.parse(text, "period")
    except BadMonth:
        month = None
    found = month and ReportingPeriod.objects.filter(
        schedule=default_schedule(), year=month.year, month=month.month).first()
    if not found:
        raise CommandError(f"Không có kỳ báo cáo “{text}” (dạng năm-tháng, ví dụ 2024-04).")
    return found


def _agency(code):
    found = Agency.objects.filter(code=code).first()
    if not found:
        raise CommandError(f"Không có đơn vị mã “{code}”.")
    return found

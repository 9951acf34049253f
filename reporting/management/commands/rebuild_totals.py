"""Compute the kept totals of approved months again from their cells (``reporting.figures.totals.rebuild``).

For data written into the database without the workflow (a restored backup, a repair by SQL): the
application itself keeps them as months are approved and reopened.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from reporting.figures import totals
from reporting.models import CityTotal, UnitTotal


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp sẵn của các tháng đã duyệt từ số liệu của đơn vị."

    def handle(self, *args, **options):
        with transaction.atomic():
            totals.rebuild()
        self.stdout.write(f"Đã tính lại {UnitTotal.objects.count()} dòng của đơn vị, "
                          f"{CityTotal.objects.count()} dòng của thành phố.")

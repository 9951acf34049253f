"""A city-scale dataset: the real catalogs plus generated wards and a multi-unit history workbook.

Ho Chi Minh City had 312 ward-level units in 2024; the wards are generated
(their names are in none of the project's sources) under the real districts.
"""

import io

from django.core.management import call_command
from openpyxl import Workbook

from reporting import entry_sheet, value_table
from reporting.choices import AgencyKind, Role
from reporting.models import Agency, User

WARDS = 312
COMPILER = "bench.pc06"


def load_city():
    call_command("load_catalogs", stdout=io.StringIO())
    districts = list(Agency.objects.filter(kind=AgencyKind.DISTRICT).order_by("code"))
    Agency.objects.bulk_create([
        Agency(code=f"BENCH-P{number:03d}", name=f"Phường thử nghiệm {number}", kind=AgencyKind.WARD,
               parent=districts[number % len(districts)], source="benchmarks: phường sinh tự động")
        for number in range(1, WARDS + 1)
    ], ignore_conflicts=True)
    compiler, _ = User.objects.get_or_create(username=COMPILER, defaults={
        "role": Role.COMPILER, "agency": Agency.objects.get(code="PC06")})
    return compiler


def history_rows(count, year=2024):
    """``count`` valid rows: every generated ward, month after month, the four measures of ward services."""
    catalog = entry_sheet.catalog(year)
    services = [row for row in catalog.sections[0].rows if len(row.cells) == 4]
    rows = []
    month = 1
    while len(rows) < count:
        for ward in range(1, WARDS + 1):
            for service in services:
                received = 100 + ward + month
                for cell, value in zip(service.cells, (received, received // 2, received - 5, received - 9)):
                    rows.append([f"BENCH-P{ward:03d}", None, year, month, cell.key, None, value, None])
                    if len(rows) == count:
                        return rows
        month += 1
    return rows


def history_workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = value_table.SHEET_TITLE
    sheet.append(value_table.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

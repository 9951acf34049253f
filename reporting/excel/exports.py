"""Excel downloads: a period's values, and a unit's or the city's figures month by month.

The period export is written in ``value_table``'s long shape (header in row 1,
data from row 2) because PC06's history import reads that shape: a downloaded
period imports again with no change. It is the one that grows with the units
(86 000 rows for the country's 3 347 communes), so it is written row by row
as the values are read (``streamed``). The two series are for reading in Excel
— one row per numeric cell, one column per month.

Every text that a user or PC06 typed (names, labels, notes) goes through
``workbooks.text_cell`` (``safe_text`` in the period's rows), so a note
starting with "=" is never a formula.
Each workbook is read in a fixed number of queries, whatever the number of units.
"""

from decimal import Decimal
from itertools import groupby
from operator import itemgetter

import openpyxl
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Collate
from openpyxl.styles import Font

from reporting.choices import BoardStatus, CellMark, Progress, SubmissionStatus
from reporting.excel import streamed, value_table
from reporting.excel.workbooks import DECIMAL_FORMAT, NUMBER_FORMAT, header_row, number_cell, safe_text, text_cell
from reporting.models import Agency, DataValue, ReportingPeriod, Submission
from reporting.months import Month, within
from reporting.submissions import sheets
from reporting.submissions.sheets import CellKind

STATUS = "Trạng thái báo cáo"          # extra trailing column: the history import ignores it
STATUS_WIDTH = 18
SERIES_SHEET_TITLE = "Chuỗi số liệu"
SERIES_HEADERS = [value_table.KEY, value_table.LABEL]
SERIES_WIDTHS = [26, 60]
MONTH_WIDTH = 14
CITY_NOTE = "Chỉ tính báo cáo đã được PC06 duyệt"
APPROVED_UNITS = "Số đơn vị đã được duyệt"
NOTE_FONT = Font(italic=True)


# --- writing helpers -------------------------------------------------------------


def _excel_number(number):
    """(value, format): whole numbers as int so Excel groups them as 7.856.474."""
    if number == number.to_integral_value():
        return int(number), NUMBER_FORMAT
    return number.normalize(), DECIMAL_FORMAT


def write_number(worksheet, row, column, number):
    """A number cell as Excel shows it under Vietnamese settings: 7.856.474 · 93,95."""
    value, number_format = _excel_number(Decimal(number))
    return number_cell(worksheet, row, column, value, number_format)


def _new_sheet(title):
    workbook = openpyxl.Workbook()
    workbook.active.title = title
    return workbook, workbook.active


# --- a period, every unit in scope: the long table -------------------------------


def period_filename(period):
    return f"de-an-06-{period.year}-{period.month:02d}.xlsx"


def period_file(user, period):
    """The period's long table, in a temporary file: rows are written as they are read, a unit at a time.

    Values come from the database in chunks, ordered by unit code there; only one unit's cells are held at once,
    to put them in the catalog's order.
    """
    catalog = sheets.catalog(period.year)
    values = (
        DataValue.objects.filter(submission__period=period, submission__agency__in=Agency.objects.visible_to(user))
        .order_by(_code_order("submission__agency__code"))
        .values_list("submission__agency__code", "submission__agency__name", "submission__status", "key", "number",
                     "mark", "text", "comment")
    )
    rows = _period_rows(values.iterator(chunk_size=CHUNK), period, catalog)
    return streamed.xlsx_file(value_table.SHEET_TITLE, [*value_table.COLUMNS, STATUS],
                              [*value_table.WIDTHS, STATUS_WIDTH], rows)


CHUNK = 2000    # values read from the database at a time
STATUS_LABELS, MARK_LABELS = dict(SubmissionStatus.choices), dict(CellMark.choices)


def _code_order(field):
    """Units in the order Python sorts their codes, as the export always listed them.

    SQLite compares bytes already; PostgreSQL's default collation would skip the hyphen, and put "Q010"
    before "Q01-BTH".
    """
    return Collate(field, "C") if connection.vendor == "postgresql" else F(field)


def _period_rows(values, period, catalog):
    order = {cell.key: position for position, cell in enumerate(catalog.cells)}
    labels = catalog.labels
    cells = {}      # key → its two columns, the same for every unit
    for (code, name, status), unit_values in groupby(values, key=itemgetter(0, 1, 2)):
        unit = [safe_text(code), safe_text(name), period.year, period.month]   # General format: 2024, never "2.024"
        shown_status = safe_text(STATUS_LABELS.get(status, status))
        # Cells retired from this year's catalog still export, after the known ones.
        for _, _, _, key, number, mark, text, comment in sorted(
                unit_values, key=lambda value: (order.get(value[3], len(order)), value[3])):
            if key not in cells:
                cells[key] = [safe_text(key), safe_text(labels.get(key, key))]
            yield [*unit, *cells[key], _shown_value(number, mark, text, catalog.cell(key)), safe_text(comment),
                   shown_status]


def _shown_value(number, mark, text, cell):
    if number is not None:
        return streamed.Number(*_excel_number(number))
    if mark:   # in the words the history import reads back as the mark
        return safe_text(MARK_LABELS.get(mark, mark))
    # A retired cell has no kind any more; a stored Progress code still reads best as its label.
    is_choice = cell.kind == CellKind.CHOICE if cell else text in Progress.values
    if is_choice and text in Progress.values:
        return safe_text(Progress(text).label)
    return safe_text(text)


# --- series: numeric cells × months ----------------------------------------------


def _numeric(cells):
    return [cell for cell in cells if cell.kind == CellKind.COUNT]


def _write_series(worksheet, *, cells, labels, months, numbers, note, extra_rows):
    """Header, a note line, one row per cell, then ``extra_rows`` of (label, {Month: number or text})."""
    header_row(worksheet, 1, [*SERIES_HEADERS, *(month.label for month in months)],
               [*SERIES_WIDTHS, *([MONTH_WIDTH] * len(months))])
    text_cell(worksheet, 2, 1, note).font = NOTE_FONT
    row = 3
    for cell in cells:
        _write_series_row(worksheet, row, cell.key, labels.get(cell.key, cell.key),
                          {month: numbers.get((cell.key, month.year, month.month)) for month in months}, months)
        row += 1
    for label, by_month in extra_rows:
        _write_series_row(worksheet, row, "", label, by_month, months)
        row += 1


def _write_series_row(worksheet, row, key, label, by_month, months):
    text_cell(worksheet, row, 1, key)
    text_cell(worksheet, row, 2, label)
    for column, month in enumerate(months, start=3):
        value = by_month.get(month)
        if value is None:
            continue  # not reported that month: an empty cell, never a misleading 0
        if isinstance(value, str):
            text_cell(worksheet, row, column, value)
        else:
            write_number(worksheet, row, column, value)


def series_filename(name, months):
    return f"chuoi-so-lieu-{name}-{months[0].slug}-den-{months[-1].slug}.xlsx"


def unit_series_workbook(agency, months, schedule):
    """The unit's own numeric cells month by month, whatever each month's status, then that status."""
    last = months[-1]
    sheet = sheets.build(agency, ReportingPeriod(year=last.year, month=last.month))
    numbers = {
        (key, year, month): number
        for key, year, month, number in DataValue.objects.filter(
            within("submission__period", months[0], months[-1]), submission__agency=agency,
            submission__period__schedule=schedule, number__isnull=False,
        ).values_list("key", "submission__period__year", "submission__period__month", "number")
    }
    submissions = Submission.objects.filter(
        within("period", months[0], months[-1]), agency=agency, period__schedule=schedule).select_related("period")
    reported = {Month.of(s.period): s.board_status.label for s in submissions}
    statuses = {month: reported.get(month, BoardStatus.NOT_STARTED.label) for month in months}
    workbook, worksheet = _new_sheet(SERIES_SHEET_TITLE)
    _write_series(worksheet, cells=_numeric(sheet.cells), labels=sheet.labels, months=months, numbers=numbers,
                  note=f"{agency.name} ({agency.code}) · gồm cả báo cáo đang nhập, chưa duyệt",
                  extra_rows=[(STATUS, statuses)])
    return workbook


def unit_series_filename(agency, months):
    return series_filename(agency.code, months)


def city_series_workbook(user, months, schedule):
    """Totals over the units' APPROVED submissions only: a draft or a returned figure is not yet the city's."""
    catalog = sheets.catalog(months[-1].year)
    approved = Q(submission__status=SubmissionStatus.APPROVED,
                 submission__agency__in=Agency.objects.visible_to(user), submission__period__schedule=schedule)
    totals = (
        DataValue.objects.filter(approved, within("submission__period", months[0], months[-1]), number__isnull=False)
        .values("key", "submission__period__year", "submission__period__month")
        .annotate(total=Sum("number")).order_by()
    )
    numbers = {(t["key"], t["submission__period__year"], t["submission__period__month"]): t["total"] for t in totals}
    counts = (
        Submission.objects.filter(within("period", months[0], months[-1]), status=SubmissionStatus.APPROVED,
                                  agency__in=Agency.objects.visible_to(user), period__schedule=schedule)
        .values("period__year", "period__month").annotate(units=Count("pk")).order_by()
    )
    approved_units = {Month(c["period__year"], c["period__month"]): c["units"] for c in counts}
    workbook, worksheet = _new_sheet(SERIES_SHEET_TITLE)
    _write_series(worksheet, cells=_numeric(catalog.cells), labels=catalog.labels, months=months, numbers=numbers,
                  note=CITY_NOTE, extra_rows=[(APPROVED_UNITS, {month: approved_units.get(month, 0) for month in months})])
    return workbook


def city_series_filename(months):
    return series_filename("thanh-pho", months)

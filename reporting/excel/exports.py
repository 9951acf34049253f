"""Excel downloads: a period's values, and a unit's or the city's figures month by month.

The period export is written in ``value_table``'s long shape (header in row 1,
data from row 2) because PC06's history import reads that shape: a downloaded
period imports again with no change. The two series are for reading in Excel
— one row per numeric cell, one column per month.

Every text that a user or PC06 typed (names, labels, notes) goes through
``workbooks.text_cell``, so a note starting with "=" is never a formula.
Each workbook is read in a fixed number of queries, whatever the number of units.
"""

from decimal import Decimal

import openpyxl
from django.db.models import Count, Q, Sum
from openpyxl.styles import Font

from reporting.choices import BoardStatus, Progress, SubmissionStatus
from reporting.excel import value_table
from reporting.excel.workbooks import DECIMAL_FORMAT, NUMBER_FORMAT, header_row, number_cell, text_cell
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


def period_workbook(user, period):
    catalog = sheets.catalog(period.year)
    order = {cell.key: position for position, cell in enumerate(catalog.cells)}
    values = DataValue.objects.filter(
        submission__period=period, submission__agency__in=Agency.objects.visible_to(user),
    ).select_related("submission__agency")
    # Cells retired from this year's catalog still export, after the known ones.
    rows = sorted(values, key=lambda value: (value.submission.agency.code, order.get(value.key, len(order)), value.key))
    workbook, worksheet = _new_sheet(value_table.SHEET_TITLE)
    header_row(worksheet, 1, [*value_table.COLUMNS, STATUS], [*value_table.WIDTHS, STATUS_WIDTH])
    labels = catalog.labels
    for row, value in enumerate(rows, start=2):
        _write_value_row(worksheet, row, value, period, labels.get(value.key, value.key), catalog.cell(value.key))
    return workbook


def _write_value_row(worksheet, row, value, period, label, cell):
    submission = value.submission
    text_cell(worksheet, row, 1, submission.agency.code)
    text_cell(worksheet, row, 2, submission.agency.name)
    worksheet.cell(row=row, column=3, value=period.year)   # General format: 2024, never "2.024"
    worksheet.cell(row=row, column=4, value=period.month)
    text_cell(worksheet, row, 5, value.key)
    text_cell(worksheet, row, 6, label)
    _write_value(worksheet, row, 7, value, cell)
    text_cell(worksheet, row, 8, value.comment)
    text_cell(worksheet, row, 9, submission.get_status_display())


def _write_value(worksheet, row, column, value, cell):
    if value.number is not None:
        return write_number(worksheet, row, column, value.number)
    if value.mark:   # in the words the history import reads back as the mark
        return text_cell(worksheet, row, column, value.get_mark_display())
    # A retired cell has no kind any more; a stored Progress code still reads best as its label.
    is_choice = cell.kind == CellKind.CHOICE if cell else value.text in Progress.values
    if is_choice and value.text in Progress.values:
        return text_cell(worksheet, row, column, Progress(value.text).label)
    return text_cell(worksheet, row, column, value.text)


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

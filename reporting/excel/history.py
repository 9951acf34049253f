"""PC06's history workbook: past months of many units in one file, read in bulk.

One row per unit × month × cell, in ``value_table``'s columns (a period's
export has the same shape and re-imports with no change). Every row is
checked with ``reporting.submissions.rules`` like the form (each value by
``clean_cell``, as the form's fields clean it), and the whole file is judged
before anything is planned: units, periods, submissions and stored values are
each fetched in one query, so ten thousand rows cost the same few queries as
ten.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from de_an_06.text import clean_text
from reporting.cells import ONLINE, indicator_key, service_key
from reporting.choices import REPORTED_STATUSES
from reporting.excel import collector, value_table, workbooks
from reporting.excel.staging import ImportPlan, PlannedChange
from reporting.excel.workbooks import CellProblem, WorkbookError
from reporting.models import Agency, DataValue, ReportingPeriod, Submission
from reporting.months import Month
from reporting.periods import default_schedule, month_problem
from reporting.submissions import rules, sheets
from reporting.submissions.sheets import CellKind
from reporting.submissions.store import CellValue

COLUMNS_HELP = [
    (value_table.AGENCY_CODE, "Mã đơn vị trong danh mục đơn vị (ví dụ CATP, STP25, XA26740)."),
    (value_table.AGENCY_NAME, "Tên đơn vị, để người đọc đối chiếu; không bắt buộc, không dùng khi nhập."),
    (value_table.YEAR, "Năm của kỳ báo cáo, ví dụ 2024."),
    (value_table.MONTH, "Tháng của kỳ báo cáo, từ 1 đến 12."),
    (value_table.KEY, f"Mã ô số liệu, ví dụ {indicator_key('CCCD_RECORDS')}, "
                      f"{service_key('DVC22', ONLINE)} (xem cột này trong tệp xuất số liệu của một kỳ)."),
    (value_table.LABEL, "Tên chỉ tiêu, để người đọc đối chiếu; không bắt buộc."),
    (value_table.VALUE, "Số nguyên không âm; tình trạng (Chưa triển khai, Đang triển khai, Đã hoàn thành); hoặc nội dung."),
    (value_table.COMMENT, "Giải trình (không bắt buộc)."),
]


@dataclass
class _Row:
    number: int
    agency_code: str
    year: int
    month: int
    key: str
    raw_value: object
    comment: str


def empty_workbook():
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = value_table.SHEET_TITLE
    workbooks.header_row(worksheet, 1, value_table.COLUMNS, value_table.WIDTHS)
    return workbook


@collector.paused()
def read(upload, user):
    workbook = workbooks.open_workbook(upload)
    try:
        names = workbook.sheetnames
        worksheet = workbook[value_table.SHEET_TITLE] if value_table.SHEET_TITLE in names else workbook.worksheets[0]
        columns = _header(worksheet)
        rows, problems = _rows(worksheet, columns)
    finally:
        workbook.close()
    plan = ImportPlan(rows_read=len(rows) + len({p.row for p in problems}), problems=problems)
    if rows:
        with transaction.atomic():
            _Planner(worksheet.title, columns, user, plan).run(rows)
            # Planning opens the periods of the file's past months; a refused file leaves none behind.
            transaction.set_rollback(bool(plan.problems))
    plan.problems.sort(key=lambda problem: problem.row)
    return plan


def _header(worksheet):
    """Header text → column number; WorkbookError naming the missing required columns."""
    first = workbooks.first_row_of(worksheet, columns=40)
    columns = {str(title).strip(): number for number, title in enumerate(first, start=1) if title is not None}
    missing = [title for title in value_table.REQUIRED if title not in columns]
    if missing:
        raise WorkbookError(
            f"Trang “{worksheet.title}” thiếu cột {', '.join(f'“{title}”' for title in missing)} ở dòng 1. "
            "Dùng tệp mẫu số liệu lịch sử hoặc tệp xuất số liệu của một kỳ.")
    return columns


def _rows(worksheet, columns):
    """The non-empty rows as _Row, and the problems of cells that cannot even be read."""
    rows, problems = [], []
    named = list(columns.items())
    for number, cells in workbooks.rows_of(worksheet, first_row=2, columns=max(columns.values())):
        values = {title: cells[column - 1] for title, column in named}   # rows_of gives every column asked for
        filled = [(title, value) for title, value in values.items() if value is not None and value != ""]
        if not filled:
            continue
        formulas = [
            workbooks.formula_problem(worksheet.title, number, columns[title], _name(title, columns[title]), formula)
            for title, value in filled if (formula := workbooks.formula_text(value))
        ]
        row, row_problems = (None, formulas) if formulas else _row(worksheet.title, number, columns, values)
        problems += row_problems
        if row:
            rows.append(row)
    return rows, problems


def _name(title, column):
    return f"{workbooks.get_column_letter(column)} ({title})"


def _row(sheet, number, columns, values):
    problems = []

    def problem(title, message):
        problems.append(CellProblem(sheet, number, _name(title, columns[title]), message))

    code = str(values.get(value_table.AGENCY_CODE) or "").strip()
    key = str(values.get(value_table.KEY) or "").strip()
    if not code:
        problem(value_table.AGENCY_CODE, "Thiếu mã đơn vị.")
    if not key:
        problem(value_table.KEY, "Thiếu mã ô số liệu.")
    year = _whole(values.get(value_table.YEAR), 2022, 2100)
    month = _whole(values.get(value_table.MONTH), 1, 12)
    if year is None:
        problem(value_table.YEAR, f"“{values.get(value_table.YEAR) or ''}” không phải năm hợp lệ (từ 2022).")
    if month is None:
        problem(value_table.MONTH, f"“{values.get(value_table.MONTH) or ''}” không phải tháng hợp lệ (1–12).")
    comment = values.get(value_table.COMMENT) or ""
    try:
        comment = clean_text(workbooks.restore_text(comment)) if comment else ""
    except ValidationError as error:
        problem(value_table.COMMENT, " ".join(error.messages))
    if problems:
        return None, problems
    return _Row(number, code, year, month, key, values.get(value_table.VALUE), comment), problems


def _whole(raw, low, high):
    try:
        number = int(str(raw).strip()) if not isinstance(raw, float) or raw.is_integer() else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


_EMPTY = CellValue()


class _Planner:
    """Judges the readable rows against the database, in a fixed number of queries."""

    def __init__(self, sheet, columns, user, plan):
        self.sheet, self.columns, self.user, self.plan = sheet, columns, user, plan
        self.today = timezone.localdate()

    def problem(self, row, title, message):
        self.plan.problems.append(CellProblem(self.sheet, row.number, _name(title, self.columns[title]), message))

    def run(self, rows):
        agencies = {a.code: a for a in Agency.objects.filter(code__in={row.agency_code for row in rows})}
        editable = set(Agency.objects.editable_by(self.user).filter(pk__in=[a.pk for a in agencies.values()])
                       .values_list("pk", flat=True))
        months = {(row.year, row.month) for row in rows}
        periods = self._periods(months)
        catalogs = {year: sheets.catalog(year) for year in {year for year, _ in months}}
        parsed = self._parse(rows, agencies, editable, periods, catalogs)
        if self.plan.problems:
            return
        self._plan(parsed, agencies, periods, {year: catalog.bounds for year, catalog in catalogs.items()})

    def _periods(self, months):
        """(year, month) → its period, or None for a month still to come or before the schedule.

        Creating the period of a past month only sets up the calendar (``read`` undoes it for a refused file).
        """
        schedule = default_schedule()
        found = ReportingPeriod.objects.filter(schedule=schedule, year__in={y for y, _ in months},
                                               month__in={m for _, m in months})
        periods = {(period.year, period.month): period for period in found}
        for year, month in months - periods.keys():
            if not month_problem(Month(year, month), self.today):
                periods[(year, month)] = schedule.period_for(year, month)
        return {month: periods.get(month) for month in months}

    def _parse(self, rows, agencies, editable, periods, catalogs):
        """(agency, period) → key → (row, CellValue), with every row-level problem recorded."""
        targets, first_row = defaultdict(dict), {}
        windows = {month: period.entry_problem(self.today) if period else month_problem(Month(*month), self.today)
                   for month, period in periods.items()}   # why a month takes no data today, once per month
        for row in rows:
            agency, period, cell = agencies.get(row.agency_code), periods[(row.year, row.month)], \
                catalogs[row.year].cell(row.key)
            if agency is None or not agency.is_reporting_unit:
                self.problem(row, value_table.AGENCY_CODE,
                             f"Không có đơn vị báo cáo mã “{row.agency_code[:40]}” trong danh mục.")
                continue
            if agency.pk not in editable:
                self.problem(row, value_table.AGENCY_CODE, f"Bạn không được nhập số liệu cho {agency.name}.")
                continue
            if cell is None:
                self.problem(row, value_table.KEY, f"Mã ô “{row.key[:60]}” không có trong danh mục năm {row.year}.")
                continue
            window = windows[(row.year, row.month)]
            if window:
                self.problem(row, value_table.MONTH, window)
                continue
            identity = (agency.code, row.year, row.month, row.key)
            if identity in first_row:
                self.problem(row, value_table.KEY, f"Dòng trùng với dòng {first_row[identity]} "
                                                   f"(cùng đơn vị, tháng và mã ô).")
                continue
            first_row[identity] = row.number
            value = self._value(row, cell)
            if value is not None:
                targets[(agency.pk, period.pk)][row.key] = (row, value)
        return targets

    def _value(self, row, cell):
        raw = workbooks.read_value(row.raw_value)
        if cell.kind == CellKind.COUNT and rules.parse_mark(raw):
            return CellValue(mark=rules.parse_mark(raw))   # as the unit's template reads "Không phát sinh"
        try:
            value = rules.clean_cell(cell, raw)
        except ValidationError as error:
            self.problem(row, value_table.VALUE, " ".join(error.messages))
            return None
        if cell.kind == CellKind.COUNT:
            return CellValue(number=value, comment=row.comment)
        return CellValue(text=value)

    def _plan(self, targets, agencies, periods, bounds):
        """``bounds``: year → the parts and wholes of that year's catalog (a pair is judged where both are reported)."""
        by_pk = {a.pk: a for a in agencies.values()}
        period_by_pk = {p.pk: p for p in periods.values()}
        submissions = {(s.agency_id, s.period_id): s for s in Submission.objects.filter(
            agency_id__in={a for a, _ in targets}, period_id__in={p for _, p in targets})}
        stored = defaultdict(dict)
        values = DataValue.objects.filter(submission__in=list(submissions.values())).values_list(
            "submission__agency_id", "submission__period_id", "key", "number", "text", "comment", "mark")
        for agency_id, period_id, key, number, text, comment, mark in values:
            stored[(agency_id, period_id)][key] = CellValue(number, text, comment, mark)
        for target, cells in targets.items():
            agency, period = by_pk[target[0]], period_by_pk[target[1]]
            before = stored.get(target, {})
            self._check_bounds(cells, before, bounds[period.year])
            changed = [(row, key, value) for key, (row, value) in cells.items() if value != before.get(key, _EMPTY)]
            submission = submissions.get(target)
            if changed and submission and submission.status in REPORTED_STATUSES:
                for row, _, _ in changed:
                    self.problem(row, value_table.VALUE,
                                 f"Báo cáo {period.label} của {agency.name} {submission.get_status_display().lower()}; "
                                 "số liệu đã nộp hoặc đã duyệt không bị ghi đè bằng số liệu lịch sử.")
                continue
            self.plan.versions[target] = submission.version if submission else 0
            self.plan.changes += [
                PlannedChange(agency.pk, period.pk, key, before.get(key, _EMPTY), value, row=row.number)
                for row, key, value in changed
            ]
        if self.plan.problems:
            self.plan.changes, self.plan.versions = [], {}

    def _check_bounds(self, cells, before, bounds):
        numbers = {key: value.number for key, value in before.items()}
        numbers.update({key: value.number for key, (_, value) in cells.items()})
        for bound in rules.bound_problems(numbers, bounds):
            if bound.key in cells:
                self.problem(cells[bound.key][0], value_table.VALUE, bound.message)
            elif bound.whole_key in cells:
                self.problem(cells[bound.whole_key][0], value_table.VALUE, bound.whole_message)

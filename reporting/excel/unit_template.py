"""A unit's monthly sheet as an Excel template, and reading it back.

The template holds exactly the rows of ``sheets.build(agency, period)``,
last month's values beside this month's, and a signed token naming its unit
and period in a sheet Excel does not show: a file of another unit or month,
or not made here at all, is refused before any row is read. Every value read
is cleaned by ``rules.clean_cell``, as the browser's fields clean what is
typed, then judged with the sheet's other cells by ``EntryForm``, as in the browser.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from openpyxl.utils import get_column_letter

from reporting.choices import CellMark, Progress
from reporting.excel import workbooks
from reporting.excel.staging import ImportPlan, PlannedChange
from reporting.excel.workbooks import CellProblem, WorkbookError, text_cell
from reporting.formatting import format_number
from reporting.submissions import rules
from reporting.submissions.forms import EntryForm, mark_name, reason_name
from reporting.submissions.sheets import CellKind
from reporting.submissions.store import CellValue

DATA_SHEET = "Số liệu"
GUIDE_SHEET = "Hướng dẫn"
ID_SHEET = "ma-bieu-mau"
_SIGNING_SALT = "de-an-06.excel-template"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
COLUMNS = ["Mã ô", "Mục", "Chỉ tiêu", "Đơn vị tính", "Tháng trước", "Tháng này", "Lý do (khi số lũy kế giảm)"]
WIDTHS = [24, 40, 22, 12, 16, 18, 30]
KEY_COL, VALUE_COL, REASON_COL = 1, 6, 7
_COLUMN_NAMES = {VALUE_COL: f"F ({COLUMNS[5]})", REASON_COL: f"G ({COLUMNS[6]})", KEY_COL: f"A ({COLUMNS[0]})"}


def filename(agency, period):
    return f"bieu-mau-de-an-06-{agency.code}-{period.year}-{period.month:02d}.xlsx"


# --- writing -------------------------------------------------------------------


def build(agency, period, sheet, *, values, previous):
    workbook = Workbook()
    _guide(workbook.active, agency, period, sheet)
    _data(workbook.create_sheet(DATA_SHEET), agency, period, sheet, values, previous)
    identity = workbook.create_sheet(ID_SHEET)
    identity["A1"] = _token(agency, period)
    identity.sheet_state = "veryHidden"   # not listed by Excel's "Unhide"
    identity.protection.sheet = True
    workbook.active = 1
    return workbook


def _token(agency, period):
    return signing.dumps({"agency": agency.code, "year": period.year, "month": period.month}, salt=_SIGNING_SALT)


# Said with the pairs of this unit's services: "số trực tuyến không lớn hơn số tiếp nhận, …".
BOUNDS_LINE = "Với dịch vụ công: {bounds}."
GUIDE = [
    "Chỉ nhập vào các ô màu vàng ở cột F (Tháng này); cột G chỉ dùng để ghi lý do khi số lũy kế thấp hơn tháng trước.",
    "Số liệu là số nguyên không âm; gõ 7856474 hoặc 7.856.474 đều được. Trong kỳ không có hồ sơ nào thì ghi "
    "“Không phát sinh” (hoặc KPS); chưa có số thì ghi “Chưa có số liệu”. Để nộp, mọi ô số phải có số hoặc một "
    "trong hai chữ này.",
    BOUNDS_LINE,
    "Tình trạng mô hình, nhiệm vụ: chọn trong danh sách (Chưa triển khai, Đang triển khai, Đã hoàn thành).",
    "Không dùng công thức: hệ thống không tính công thức. Nếu đã tính trong Excel, hãy sao chép rồi “Dán giá trị”.",
    "Không sửa cột A (Mã ô), không thêm dòng. Dòng bị xóa khỏi tệp thì số liệu đã có trên hệ thống được giữ nguyên.",
    "Tải tệp lên ở trang báo cáo của đơn vị: hệ thống hiện mọi thay đổi (cũ → mới) và mọi lỗi theo dòng, cột; "
    "số liệu chỉ được cập nhật khi bạn bấm Xác nhận, và khi đó cập nhật toàn bộ hoặc không cập nhật gì.",
    "Sau khi cập nhật, bấm “Nộp báo cáo” trên trang báo cáo như khi nhập trực tiếp.",
]


def _guide_lines(sheet):
    """The guide, its line on parts and wholes saying those of this unit's services (none: no line)."""
    pairs = dict.fromkeys((bound.part_label.lower(), bound.whole_label.lower()) for bound in sheet.bounds)
    bounds = ", ".join(f"số {part} không lớn hơn số {whole}" for part, whole in pairs)
    return [line.format(bounds=bounds) if line == BOUNDS_LINE else line for line in GUIDE
            if line != BOUNDS_LINE or bounds]


def _guide(worksheet, agency, period, sheet):
    worksheet.title = GUIDE_SHEET
    worksheet.column_dimensions["A"].width = 110
    worksheet["A1"] = "BIỂU MẪU SỐ LIỆU BÁO CÁO THÁNG ĐỀ ÁN 06"
    worksheet["A1"].font = Font(bold=True, size=14)
    text_cell(worksheet, 2, 1, f"Đơn vị: {agency.name} (mã {agency.code})")
    text_cell(worksheet, 3, 1, f"Kỳ báo cáo: {period.label}; số liệu từ {period.window_start:%d/%m/%Y} "
                               f"đến {period.window_end:%d/%m/%Y}; hạn nộp {period.deadline:%d/%m/%Y}.")
    text_cell(worksheet, 4, 1, "Biểu mẫu chỉ dùng cho đơn vị và kỳ báo cáo trên; tải lên cho đơn vị hoặc kỳ khác sẽ bị từ chối.")
    worksheet["A6"] = "Hướng dẫn"
    worksheet["A6"].font = Font(bold=True)
    for number, line in enumerate(_guide_lines(sheet), start=1):
        cell = text_cell(worksheet, 6 + number, 1, f"{number}. {line}")
        cell.alignment = workbooks.WRAP
    worksheet.protection.sheet = True


def _data(worksheet, agency, period, sheet, values, previous):
    worksheet["A1"] = f"{agency.name} · {period.label}"
    worksheet["A1"].font = Font(bold=True, size=13)
    text_cell(worksheet, 2, 1, f"Hạn nộp {period.deadline:%d/%m/%Y}. Chỉ nhập vào ô màu vàng; xem trang “{GUIDE_SHEET}”.")
    workbooks.header_row(worksheet, HEADER_ROW, COLUMNS, WIDTHS)
    validations = _validations(worksheet)
    row, counts = FIRST_ROW, []
    for section in sheet.sections:
        cells = [(line, cell) for line in section.rows for cell in line.cells]
        if not cells:
            continue
        heading = text_cell(worksheet, row, 2, section.title)
        heading.font, heading.fill = workbooks.HEADER_FONT, workbooks.HEADER_FILL
        row += 1
        for line, cell in cells:
            _data_row(worksheet, row, line, cell, values.get(cell.key), previous.get(cell.key))
            if cell.kind == CellKind.COUNT:
                counts.append(row)
            else:
                validations[cell.kind].add(worksheet.cell(row=row, column=VALUE_COL))
            row += 1
    _count_validations(worksheet, counts)
    worksheet.protection.sheet = True
    # Protection guards against slips, not people: the server checks every value anyway.
    worksheet.protection.formatColumns = worksheet.protection.formatRows = False


def _data_row(worksheet, row, line, cell, value, before):
    text_cell(worksheet, row, KEY_COL, cell.key).font = Font(color="808080", size=9)
    text_cell(worksheet, row, 2, line.label).alignment = workbooks.WRAP
    text_cell(worksheet, row, 3, cell.label if cell.label != line.label else "")
    text_cell(worksheet, row, 4, line.unit if cell.kind == CellKind.COUNT else "")   # a remark counts no records
    _write_value(worksheet, row, 5, cell, before)
    target = _write_value(worksheet, row, VALUE_COL, cell, value)
    target.fill, target.protection = workbooks.INPUT_FILL, Protection(locked=False)
    if cell.cumulative:
        reason = text_cell(worksheet, row, REASON_COL, value.comment if value else "")
        reason.fill, reason.protection = workbooks.INPUT_FILL, Protection(locked=False)


def _write_value(worksheet, row, column, cell, value):
    if value is None or value.is_empty:
        return worksheet.cell(row=row, column=column)
    if value.mark:
        return text_cell(worksheet, row, column, CellMark(value.mark).label)
    if cell.kind == CellKind.COUNT:
        return workbooks.number_cell(worksheet, row, column, int(value.number))
    if cell.kind == CellKind.CHOICE and value.text in Progress.values:
        return text_cell(worksheet, row, column, Progress(value.text).label)
    written = text_cell(worksheet, row, column, value.text)
    written.alignment = workbooks.WRAP
    return written


def _validations(worksheet):
    """Excel's own checks as the user types; the import checks again whatever Excel let through."""
    labels = ",".join(Progress.labels)
    choices = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=True,
                             errorTitle="Tình trạng không hợp lệ", error=f"Chọn một trong: {labels}.")
    texts = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="4000", allow_blank=True,
                           showErrorMessage=True, errorTitle="Quá dài", error="Tối đa 4.000 ký tự.")
    for validation in (choices, texts):
        worksheet.add_data_validation(validation)
    return {CellKind.CHOICE: choices, CellKind.TEXT: texts}


# Words Excel lets into a number cell besides a whole number (its "=" ignores case); the import reads more
# spellings (rules.parse_mark: without diacritics, any case).
MARK_WORDS = [*CellMark.labels, "KPS"]


def _count_validations(worksheet, rows):
    """A whole number ≥ 0 or a mark's words, one check per run of consecutive count rows.

    A custom formula names its cell relative to the first cell of its range: one contiguous range per
    check keeps that unambiguous (a range list would be read from its first cell in one program, the
    active one in another).
    """
    column = get_column_letter(VALUE_COL)
    for first, last in _runs(rows):
        at = f"{column}{first}"
        words = ",".join(f'TRIM({at})="{word}"' for word in MARK_WORDS)
        validation = DataValidation(
            type="custom", formula1=f"IF(ISNUMBER({at}),AND({at}>=0,INT({at})={at}),OR({words}))", allow_blank=True,
            showErrorMessage=True, errorTitle="Số liệu không hợp lệ",
            error="Nhập số nguyên không âm, hoặc “Không phát sinh” (KPS), hoặc “Chưa có số liệu”.",
        )
        validation.add(f"{at}:{column}{last}")
        worksheet.add_data_validation(validation)


def _runs(rows):
    """(first, last) of each run of consecutive row numbers in ``rows`` (ascending)."""
    runs = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return [tuple(run) for run in runs]


# --- reading -------------------------------------------------------------------


def read(upload, agency, period, sheet, *, values, previous, version):
    """An ImportPlan of the uploaded template; WorkbookError when the file as a whole is refused."""
    workbook = workbooks.open_workbook(upload)
    try:
        _check_identity(workbook, agency, period)
        if DATA_SHEET not in workbook.sheetnames:
            raise WorkbookError(f"Tệp không có trang “{DATA_SHEET}” của biểu mẫu.")
        return _plan(workbook[DATA_SHEET], agency, period, sheet, values, previous, version)
    finally:
        workbook.close()


def _check_identity(workbook, agency, period):
    not_template = "Tệp không phải biểu mẫu Excel tải từ hệ thống (hoặc đã bị sửa phần nhận dạng). " \
                   "Hãy tải biểu mẫu của đơn vị ở trang báo cáo rồi nhập lại."
    if ID_SHEET not in workbook.sheetnames:
        raise WorkbookError(not_template)
    token = (*workbooks.first_row_of(workbook[ID_SHEET], columns=1), None)[0]
    try:
        identity = signing.loads(str(token or ""), salt=_SIGNING_SALT)
    except signing.BadSignature as error:
        raise WorkbookError(not_template) from error
    if (identity["agency"], identity["year"], identity["month"]) != (agency.code, period.year, period.month):
        raise WorkbookError(
            f"Biểu mẫu này của đơn vị mã {identity['agency']}, tháng {identity['month']}/{identity['year']}; "
            f"không thể nhập vào báo cáo {period.label} của {agency.name}."
        )


def _plan(worksheet, agency, period, sheet, values, previous, version):
    plan = ImportPlan(versions={(agency.pk, period.pk): version})
    data = _form_data(sheet, values, version)
    row_of = {}
    for row, cells in workbooks.rows_of(worksheet, first_row=FIRST_ROW, columns=REASON_COL):
        key = cells[KEY_COL - 1] if cells else None
        if key is None or str(key).strip() == "":
            continue
        plan.rows_read += 1
        key = str(key).strip()
        problem = _row_problem(worksheet.title, row, key, sheet, row_of)
        if problem:
            plan.problems.append(problem)
            continue
        row_of[key] = row
        plan.problems += _read_row(worksheet.title, row, sheet.cell(key), cells, data)
    form = EntryForm(sheet, values=values, previous=previous, version=version, data=data)
    if not form.is_valid():
        plan.problems += _form_problems(worksheet.title, form, row_of)
    plan.problems.sort(key=lambda problem: problem.row)
    if plan.problems:
        return plan
    for key, new in form.cell_values().items():
        old = values.get(key, CellValue())
        if new != old:
            plan.changes.append(PlannedChange(agency.pk, period.pk, key, old, new, row=row_of.get(key, 0)))
    return plan


def _form_data(sheet, values, version):
    """The form's data as if the user had opened the page: rows missing from the file keep their value."""
    data = {"version": str(version)}
    for cell in sheet.cells:
        value = values.get(cell.key)
        if value is None:
            continue
        data[cell.key] = format_number(value.number) if value.number is not None else value.text
        if value.mark:
            data[mark_name(cell.key)] = value.mark
        if value.comment:
            data[reason_name(cell.key)] = value.comment
    return data


def _row_problem(title, row, key, sheet, row_of):
    if sheet.cell(key) is None:
        return CellProblem(title, row, _COLUMN_NAMES[KEY_COL],
                           f"Mã ô “{key[:60]}” không có trong biểu mẫu của đơn vị kỳ này; không sửa cột A.")
    if key in row_of:
        return CellProblem(title, row, _COLUMN_NAMES[KEY_COL], f"Dòng trùng với dòng {row_of[key]} (cùng mã ô “{key}”).")
    return None


def _read_row(title, row, cell, cells, data):
    """Put the row's cleaned values into the form data; problems of the cells themselves."""
    problems = []
    columns = [VALUE_COL, REASON_COL] if cell.cumulative else [VALUE_COL]
    for column in columns:
        raw = cells[column - 1] if len(cells) >= column else None
        formula = workbooks.formula_text(raw)
        if formula:
            problems.append(workbooks.formula_problem(title, row, column, _COLUMN_NAMES[column], formula))
            continue
        if column == REASON_COL:
            data[reason_name(cell.key)] = workbooks.restore_text(raw or "")
            continue
        raw = workbooks.read_value(raw)
        if cell.kind == CellKind.COUNT:
            # "Không phát sinh" in the box is the page's mark, not a number; anything else takes the mark away.
            data[mark_name(cell.key)] = rules.parse_mark(raw)
            if data[mark_name(cell.key)]:
                data[cell.key] = ""
                continue
        try:
            # The form cleans the value again, to itself, and judges it with the other cells.
            data[cell.key] = rules.clean_cell(cell, raw)
        except ValidationError as error:
            data[cell.key] = None   # blank for the cross-cell checks, as a field in error is
            problems.append(CellProblem(title, row, _COLUMN_NAMES[column], " ".join(error.messages)))
    return problems


def _form_problems(title, form, row_of):
    problems = []
    for name, errors in form.errors.items():
        if name == "version":
            continue
        is_reason = name.endswith(".reason")
        key = name.removesuffix(".reason").removesuffix(".mark")
        column = _COLUMN_NAMES[REASON_COL if is_reason else VALUE_COL]
        for message in errors:
            problems.append(CellProblem(title, row_of.get(key, 0), column, message))
    return sorted(problems, key=lambda problem: problem.row)


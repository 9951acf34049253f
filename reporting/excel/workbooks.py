"""Reading and writing .xlsx files safely: the one place that opens an uploaded workbook.

An upload is judged before any spreadsheet parser sees it: by its bytes, not
its name (an old .xls, a CSV or a renamed text file is refused), by its size,
then part by part while its zip is inflated (``bounds``: zip bombs, damaged
members, DOCTYPE/ENTITY declarations, rows, strings and tags beyond what our
workbooks need). Only then does openpyxl open it, read-only and through
defusedxml (a dependency), and its rows are read through ``rows_of`` within
the same time budget (by ``sheet_rows``: lxml, no entity resolved, openpyxl's
values). Formulas are never evaluated and their cached results never
trusted: a cell holding one is reported back, and so is a cell openpyxl
cannot read ("abc" in a number cell), by sheet, row and column.

Writing goes through ``text_cell`` so that a value starting with ``=``, ``+``,
``-`` or ``@`` is stored as text behind an apostrophe, never as a formula that
a spreadsheet would run; ``restore_text`` undoes that on the way back in.
"""

import datetime
import hashlib
import io
import time
import weakref
from dataclasses import dataclass

import openpyxl
import openpyxl.worksheet._read_only as read_only_sheets
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from de_an_06.text import xml_safe
from reporting.excel import archive, bounds, sheet_rows
from reporting.excel.sheet_rows import CellParser, UnreadableCell
from reporting.formatting import format_number

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMAT = "#,##0"          # Excel shows 7.856.474 under Vietnamese regional settings
DECIMAL_FORMAT = "#,##0.00"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_READ_UNTIL = weakref.WeakKeyDictionary()   # workbook → when reading it must have ended

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
INPUT_FILL = PatternFill("solid", fgColor="FFF4C2")
WRAP = Alignment(wrap_text=True, vertical="top")


class WorkbookError(ValidationError):
    """The upload is not a workbook we will read; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class CellProblem:
    """One refused cell (or row, when ``column`` is empty), located the way the user sees it in Excel."""

    sheet: str
    row: int
    column: str
    message: str

    @property
    def where(self):
        place = f"Trang “{self.sheet}”, dòng {self.row}"
        return f"{place}, cột {self.column}" if self.column else place


def read_upload(upload, *, until=None):
    """The bytes of an uploaded .xlsx after every check that needs no parsing; WorkbookError otherwise."""
    name = getattr(upload, "name", "tệp")
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        raise WorkbookError(f"Tệp “{name}” có dung lượng {format_number(upload.size / 1024 / 1024, 1)} MB, "
                            f"vượt giới hạn {format_number(limit / 1024 / 1024)} MB.")
    content = upload.read(limit + 1)
    if not content:
        raise WorkbookError(f"Tệp “{name}” rỗng.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(f"Tệp “{name}” là định dạng Excel 97–2003 (.xls), không được hỗ trợ. "
                            "Mở tệp bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”.")
    if not content.startswith(b"PK\x03\x04"):
        raise WorkbookError(f"Tệp “{name}” không phải tệp Excel .xlsx (kiểm tra theo nội dung tệp, "
                            "không theo tên): không nhận CSV, văn bản hay tệp đổi đuôi.")
    try:
        bounds.check(name, content, until or archive.deadline(bounds.READ_SECONDS))
    except archive.ArchiveError as error:
        raise WorkbookError(error.messages) from error
    return content


# openpyxl offers no hook for its read-only sheets' parser; only read-only workbooks (ours) use this name.
# ``rows_of`` reads through ``sheet_rows`` itself; this keeps any other read of an upload's rows as safe.
read_only_sheets.WorkSheetParser = CellParser


def open_workbook(upload):
    """An openpyxl workbook (read-only, formulas kept as formulas) of a checked upload."""
    until = archive.deadline(bounds.READ_SECONDS)
    content = read_upload(upload, until=until)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a malformed package
        raise WorkbookError(f"Không đọc được tệp “{getattr(upload, 'name', 'tệp')}” như một bảng tính Excel: "
                            "tệp bị hỏng hoặc không do Excel tạo ra. Hãy mở tệp bằng Excel rồi lưu lại.") from error
    if not workbook.worksheets:
        raise WorkbookError(f"Tệp “{getattr(upload, 'name', 'tệp')}” không có trang tính nào.")
    _READ_UNTIL[workbook] = until
    return workbook


def rows_of(worksheet, *, first_row, columns):
    """(row number, values) of a sheet's rows from ``first_row``; WorkbookError for what cannot be read.

    Values only (no cell objects), read by ``sheet_rows`` in a third of the time
    openpyxl's own ``iter_rows(values_only=True)`` takes on a history workbook. A
    formula reads as its text ("=SUM(F5:F9)"), see ``formula_text``.
    Sheets beyond MAX_ROWS × MAX_COLUMNS are refused before a row is read,
    a damaged row or an unreadable cell where it is met, and reading stops
    when the workbook's time budget is spent.
    """
    title, max_rows, max_columns = worksheet.title, bounds.MAX_ROWS, bounds.MAX_COLUMNS
    if (worksheet.max_row or 0) > max_rows:
        raise WorkbookError(f"Trang “{title}” có {format_number(worksheet.max_row)} dòng, vượt giới hạn "
                            f"{format_number(max_rows)} dòng; chia thành nhiều tệp.")
    if (worksheet.max_column or 0) > max_columns:
        raise WorkbookError(f"Trang “{title}” có dữ liệu tới cột {get_column_letter(worksheet.max_column)}, "
                            f"vượt giới hạn {max_columns} cột; xóa các cột thừa rồi lưu lại.")
    until = _READ_UNTIL.get(worksheet.parent) or archive.deadline(bounds.READ_SECONDS)
    rows = sheet_rows.values_by_row(worksheet, min_row=first_row, max_col=columns)
    number = first_row - 1
    while True:
        try:
            values = next(rows, None)
        except Exception as error:  # a truncated sheet, a row number that is not one…
            where = f"sau dòng {number}" if number >= first_row else "từ đầu"
            raise WorkbookError(f"Trang “{title}” bị hỏng {where}: không đọc được tiếp. "
                                "Hãy mở tệp bằng Excel rồi lưu lại.") from error
        if values is None:
            return
        number += 1
        if number > max_rows:
            raise WorkbookError(f"Trang “{title}” vượt giới hạn {format_number(max_rows)} dòng; "
                                "chia thành nhiều tệp.")
        if number % 256 == 0:
            _check_time(title, until)
        yield number, _checked(title, number, values, max_columns)


def first_row_of(worksheet, *, columns):
    """A sheet's first row (a header, a token), read as ``rows_of`` reads; () for an empty sheet."""
    for _, values in rows_of(worksheet, first_row=1, columns=columns):
        return values
    return ()


def _check_time(title, until):
    if time.monotonic() > until:
        raise WorkbookError(f"Đọc trang “{title}” cần hơn {format_number(bounds.READ_SECONDS)} giây nên tệp bị từ chối "
                            "để bảo vệ hệ thống; hãy chia thành nhiều tệp nhỏ hơn.")


def _checked(title, number, values, max_columns):
    if len(values) > max_columns:
        if any(value is not None for value in values[max_columns:]):
            raise WorkbookError(f"Trang “{title}”, dòng {number} có dữ liệu sau cột {get_column_letter(max_columns)}, "
                                f"vượt giới hạn {max_columns} cột; xóa các cột thừa rồi lưu lại.")
        values = values[:max_columns]
    for value in values:
        if isinstance(value, UnreadableCell):
            raise WorkbookError(f"Trang “{title}”, dòng {value.row}, cột {get_column_letter(value.column)}: "
                                f"không đọc được giá trị “{value.text}” (ô ghi sai kiểu dữ liệu, tệp không do "
                                "Excel tạo ra). Hãy nhập lại ô này bằng Excel.")
    return values


def formula_text(value):
    """The formula a value read by ``rows_of`` holds, or None.

    Workbooks are opened with formulas kept, so a formula arrives as text
    starting with "=" (or as an array-formula object), never as a cached
    result. A text typed behind Excel's quote prefix that starts with "=" is
    refused with them: rare, and safer than guessing. Our own exports write
    such text behind an apostrophe, which ``restore_text`` removes.
    """
    if isinstance(value, str):
        return value if value.startswith("=") else None
    if value is None or isinstance(value, (int, float, datetime.date, datetime.time, datetime.timedelta)):
        return None
    return str(getattr(value, "text", value))


def formula_problem(sheet, row, column, column_name, formula):
    return CellProblem(sheet, row, column_name, f"Ô {get_column_letter(column)}{row} chứa công thức “{formula[:60]}”. "
                                                "Hệ thống không tính công thức: hãy dán giá trị (Paste Values).")


def restore_text(value):
    """A text cell's value as the user meant it: our export's protective apostrophe removed."""
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_STARTS:
        return text[1:]
    return text


def read_value(value):
    """A value read by ``rows_of`` as the user meant it, for ``rules.clean_cell``: text restored, others as read."""
    return restore_text(value) if isinstance(value, str) else value


# --- writing -------------------------------------------------------------------


def safe_text(value):
    """Text that no spreadsheet will run ('=1+1' becomes "'=1+1"), or None for no text."""
    text = "" if value is None else xml_safe(str(value))     # a stored text may predate the input rule
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return text or None


def text_cell(worksheet, row, column, value):
    """Write text that no spreadsheet will run: '=1+1' is stored as the text "'=1+1"."""
    text = safe_text(value)
    cell = worksheet.cell(row=row, column=column, value=text)
    if text:
        cell.data_type = "s"   # "#N/A" typed by a unit is its text, not Excel's error value
    return cell


def number_cell(worksheet, row, column, value, number_format=NUMBER_FORMAT):
    cell = worksheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    return cell


def header_row(worksheet, row, headers, widths=None):
    for column, title in enumerate(headers, start=1):
        cell = text_cell(worksheet, row, column, title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    column_widths(worksheet, widths)
    worksheet.freeze_panes = worksheet.cell(row=row + 1, column=1)


def column_widths(worksheet, widths):
    for column, width in enumerate(widths or [], start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width


def sha256_of(upload):
    """The uploaded file's SHA-256 (kept with each import, to know later which file it was)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def xlsx_response(workbook, filename):
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

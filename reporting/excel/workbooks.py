"""Reading and writing .xlsx files safely: the one place that opens an uploaded workbook.

An upload is judged before any spreadsheet parser sees it: by its bytes, not
its name (an old .xls, a CSV or a renamed text file is refused), by its size,
and by what its zip would inflate to (a zip bomb is refused from the zip's own
directory, without inflating anything). XML that declares a DOCTYPE is
refused outright, and openpyxl parses through defusedxml (a dependency) as a
second guard against external entities. Formulas are never evaluated and
their cached results never trusted: a cell holding one is reported back.

Writing goes through ``text_cell`` so that a value starting with ``=``, ``+``,
``-`` or ``@`` is stored as text behind an apostrophe, never as a formula that
a spreadsheet would run; ``restore_text`` undoes that on the way back in.
"""

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from de_an_06.text import xml_safe
from reporting.formatting import format_number

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMAT = "#,##0"          # Excel shows 7.856.474 under Vietnamese regional settings
DECIMAL_FORMAT = "#,##0.00"
MAX_ZIP_MEMBERS = 500
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 60_000                # a city-wide year of history is about 50 000 rows (312 wards × 12 months × 13 cells)
_DOCTYPE_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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


def read_upload(upload):
    """The bytes of an uploaded .xlsx after every check that needs no parsing; WorkbookError otherwise."""
    name = getattr(upload, "name", "tệp")
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        raise WorkbookError(f"Tệp “{name}” có dung lượng {format_number(upload.size / 1024 / 1024, 1)} MB, "
                            f"vượt giới hạn {format_number(limit / 1024 / 1024)} MB.")
    content = upload.read()
    if not content:
        raise WorkbookError(f"Tệp “{name}” rỗng.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(f"Tệp “{name}” là định dạng Excel 97–2003 (.xls), không được hỗ trợ. "
                            "Mở tệp bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”.")
    if not content.startswith(b"PK\x03\x04"):
        raise WorkbookError(f"Tệp “{name}” không phải tệp Excel .xlsx (kiểm tra theo nội dung tệp, "
                            "không theo tên): không nhận CSV, văn bản hay tệp đổi đuôi.")
    _check_archive(name, content)
    return content


def _check_archive(name, content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise WorkbookError(f"Tệp “{name}” bị hỏng hoặc không phải tệp Excel .xlsx.") from error
    with archive:
        members = archive.infolist()
        if "xl/workbook.xml" not in {member.filename for member in members}:
            raise WorkbookError(f"Tệp “{name}” không phải bảng tính Excel .xlsx.")
        inflated = sum(member.file_size for member in members)
        if len(members) > MAX_ZIP_MEMBERS or inflated > MAX_INFLATED_BYTES:
            raise WorkbookError(
                f"Tệp “{name}” khi giải nén lớn bất thường ({format_number(inflated / 1024 / 1024)} MB, "
                f"{format_number(len(members))} thành phần) nên bị từ chối để bảo vệ hệ thống.")
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and _declares_doctype(archive, member):
                raise WorkbookError(f"Tệp “{name}” chứa khai báo DOCTYPE/ENTITY trong “{member.filename}”; "
                                    "bảng tính Excel bình thường không có, nên tệp bị từ chối.")


def _declares_doctype(archive, member):
    # Read in chunks, keeping an overlap so a marker split between two chunks is still seen.
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 16):
            window = tail + chunk
            if any(marker in window for marker in _DOCTYPE_MARKERS):
                return True
            tail = window[-16:]
    return False


def open_workbook(upload):
    """An openpyxl workbook (read-only, formulas kept as formulas) of a checked upload."""
    content = read_upload(upload)
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a malformed package
        raise WorkbookError(f"Không đọc được tệp “{getattr(upload, 'name', 'tệp')}” như một bảng tính Excel "
                            f"({error.__class__.__name__}).") from error


def rows_of(worksheet, *, first_row, columns):
    """(row number, values) of a sheet's rows from ``first_row``, refusing sheets beyond MAX_ROWS before reading them.

    Values only (no cell objects): a third faster on a history workbook. A
    formula then reads as its text ("=SUM(F5:F9)"), see ``formula_text``.
    """
    declared = worksheet.max_row or 0
    if declared > MAX_ROWS + first_row:
        raise WorkbookError(f"Trang “{worksheet.title}” có {format_number(declared)} dòng, vượt giới hạn "
                            f"{format_number(MAX_ROWS)} dòng; chia thành nhiều tệp.")
    rows = worksheet.iter_rows(min_row=first_row, max_col=columns, values_only=True)
    for number, values in enumerate(rows, start=first_row):
        if number - first_row >= MAX_ROWS:
            raise WorkbookError(f"Trang “{worksheet.title}” vượt giới hạn {format_number(MAX_ROWS)} dòng; "
                                "chia thành nhiều tệp.")
        yield number, values


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


def text_cell(worksheet, row, column, value):
    """Write text that no spreadsheet will run: '=1+1' is stored as the text "'=1+1"."""
    text = "" if value is None else xml_safe(str(value))     # a stored text may predate the input rule
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    cell = worksheet.cell(row=row, column=column, value=text or None)
    if text:
        cell.data_type = "s"
    return cell


def number_cell(worksheet, row, column, value, number_format=NUMBER_FORMAT):
    cell = worksheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    return cell


def header_row(worksheet, row, headers, widths=None):
    for column, title in enumerate(headers, start=1):
        cell = text_cell(worksheet, row, column, title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    for column, width in enumerate(widths or [], start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width
    worksheet.freeze_panes = worksheet.cell(row=row + 1, column=1)


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

"""A one-sheet workbook written row by row, sent from disk: the period export at the scale of the country.

Issue 20 measured the period export of 3 347 units (86 000 rows) at 10,5 s and 572 MB, built whole in
memory by openpyxl. openpyxl's write-only mode bounds the memory, but still spends some 14 µs on each
cell it writes (its type checks, coordinates and lxml elements): 13 s of CPU for those rows on the
test machine. So openpyxl writes the package as it always does — workbook, styles, column widths,
frozen header row, the header itself —, and the rows, which hold only text and numbers, are written
into its sheet as XML, each cell as openpyxl writes it: text inline, numbers with the style openpyxl
registered for their format. Texts go through ``workbooks.safe_text`` first, as every exported text.
Most texts repeat from row to row (a unit's code and name, a cell's key and label, the status): each is
escaped once. The package is deflated at level 3: zipfile's default, 6, cost 0,5 s more of CPU on the
country's month (86 000 rows) on a machine where the whole export took 2,7 s, for a file 16 % smaller
(3,1 MB against 3,7 MB).
"""

import tempfile
import zipfile
from functools import cache
from typing import NamedTuple

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter

from reporting.excel.workbooks import (DECIMAL_FORMAT, HEADER_FILL, HEADER_FONT, NUMBER_FORMAT, WRAP,
                                       XLSX_CONTENT_TYPE, column_widths, safe_text)

ROWS_PER_WRITE = 1000
DEFLATE_LEVEL = 3
# What a text must escape in XML; a carriage return written as such would be read back as a line feed.
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


class Number(NamedTuple):
    """A number shown in a format (``workbooks.NUMBER_FORMAT``: 7.856.474 under Vietnamese settings)."""

    value: object
    number_format: str


def xlsx_file(title, headers, widths, rows):
    """A temporary file holding a workbook of one sheet: the header in bold, frozen, then ``rows``.

    Each row is a sequence of values, one per column: text (already through ``workbooks.safe_text``), a whole
    number in the General format (a year: 2024, never "2.024"), a ``Number``, or None for an empty cell.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    column_widths(sheet, widths)
    sheet.freeze_panes = "A2"
    heading = [WriteOnlyCell(sheet, safe_text(name)) for name in headers]
    for cell in heading:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    sheet.append(heading)
    styles = {number_format: _style_id(sheet, number_format) for number_format in (NUMBER_FORMAT, DECIMAL_FORMAT)}
    columns = [get_column_letter(column) for column in range(1, len(headers) + 1)]
    with tempfile.TemporaryFile() as package:
        workbook.save(package)
        sheet_path = sheet.path.lstrip("/")
        out = tempfile.TemporaryFile()
        with (zipfile.ZipFile(package) as source,
              zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=DEFLATE_LEVEL) as target):
            for item in source.infolist():
                if item.filename != sheet_path:
                    target.writestr(item, source.read(item))
                    continue
                with target.open(item.filename, "w") as stream:
                    _write_sheet(stream, source.read(item), rows, columns, styles)
    out.seek(0)
    return out


def xlsx_file_response(file, filename):
    """The file sent in chunks; it is closed, and so deleted, when the response is."""
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _style_id(sheet, number_format):
    """The workbook's style of a number in that format, registered so openpyxl writes it in styles.xml."""
    cell = WriteOnlyCell(sheet, 0)
    cell.number_format = number_format
    return cell.style_id


def _write_sheet(stream, header_only, rows, columns, styles):
    head, tail = header_only.split(b"</sheetData>")
    stream.write(head)
    lines = []
    inline_text = cache(_inline_text)       # for this export only: comments may be long
    for number, row in enumerate(rows, start=2):
        lines.append(_row(number, row, columns, styles, inline_text))
        if len(lines) == ROWS_PER_WRITE:
            stream.write("".join(lines).encode())
            lines = []
    stream.write("".join(lines).encode())
    stream.write(b"</sheetData>" + tail)


def _row(number, values, columns, styles, inline_text):
    cells = []
    for column, value in zip(columns, values):
        if value is None:
            continue
        if isinstance(value, str):
            cells.append(f'<c r="{column}{number}"{inline_text(value)}')
        elif isinstance(value, Number):
            cells.append(f'<c r="{column}{number}" s="{styles[value.number_format]}" t="n">'
                         f'<v>{safe_string(value.value)}</v></c>')
        else:
            cells.append(f'<c r="{column}{number}" t="n"><v>{safe_string(value)}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _inline_text(text):
    """A text cell's markup after its reference."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{_escaped(text)}</t></is></c>'


def _escaped(text):
    # Most texts hold nothing to escape; looking costs less than replacing.
    for char, entity in _XML_ESCAPES.items():
        if char in text:
            text = text.replace(char, entity)
    return text

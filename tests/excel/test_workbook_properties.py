"""Random bytes and random cells never crash the workbook readers, the cell rules or the number parser.

Whatever hypothesis makes up, the only exceptions that may escape are the
documented ones, each carrying a Vietnamese message: ``WorkbookError`` from the
readers, ``ValidationError`` from a cell's rules, ``NumberFormatError`` from
``parse_number``. The readers are those that need no database: every sheet read
row by row (as the unit template reads its own), the history workbook's rows,
the plan's appendix and the admin's catalog sheet.
"""

import datetime
import io
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reporting.catalog.resources import CatalogXLSX
from reporting.excel import history, value_table, workbooks
from reporting.excel.workbooks import WorkbookError
from reporting.formatting import NumberFormatError, parse_number
from reporting.plan import importer
from reporting.submissions import rules
from reporting.submissions.sheets import Cell, CellKind

from . import hostile

FEW = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=400, deadline=None, database=None)
CELLS = [Cell("o", "Ô", kind) for kind in (CellKind.COUNT, CellKind.CHOICE, CellKind.TEXT)]
VALID = hostile.small_workbook([value_table.COLUMNS, ["Q01-BNG", "Phường", 2024, 3, "ind.NEWS_PRESS", "", 12, ""]])


def read_everything(content):
    """Every database-free reader on ``content``; each may refuse it, none may fail otherwise."""
    readers = (_rows_and_cells, _history_rows, lambda upload: importer.read(upload),
               lambda upload: CatalogXLSX().create_dataset(upload.read()))
    for reader in readers:
        try:
            reader(ContentFile(content, name="tep.xlsx"))
        except WorkbookError as error:
            assert error.messages and all(message.strip() for message in error.messages)


def _rows_and_cells(upload):
    book = workbooks.open_workbook(upload)
    for sheet in book.worksheets:
        for _, values in workbooks.rows_of(sheet, first_row=1, columns=sheet.max_column):
            for value in values:
                workbooks.formula_text(value)
                for cell in CELLS:
                    try:
                        rules.clean_cell(cell, workbooks.read_value(value))
                    except ValidationError:
                        pass


def _history_rows(upload):
    book = workbooks.open_workbook(upload)
    sheet = book.worksheets[0]
    history._rows(sheet, history._header(sheet))


@FEW
@given(st.binary(max_size=3000))
def test_random_bytes(content):
    read_everything(content)
    read_everything(b"PK\x03\x04" + content)


@FEW
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=6),
       st.integers(1, len(VALID)))
def test_a_valid_workbook_damaged_byte_by_byte(changes, length):
    damaged = bytearray(VALID)
    for position, byte in changes:
        damaged[position] = byte
    read_everything(bytes(damaged[:length]))


_TYPES = st.sampled_from(["n", "s", "b", "d", "e", "str", "inlineStr", "zz", None])
_TEXTS = st.one_of(st.text(max_size=30), st.from_regex(r"-?[0-9]{0,25}(\.[0-9]{0,8})?([eE][-+]?[0-9]{1,4})?",
                                                         fullmatch=True), st.sampled_from(["NaN", "inf", "1E400", "-0"]))


@st.composite
def sheets_xml(draw):
    """A sheet of cells of any type holding any text, as no spreadsheet would write them."""
    rows = []
    for row in range(1, draw(st.integers(1, 4)) + 1):
        cells = []
        for column in draw(st.lists(st.sampled_from("ABCDEFGH"), max_size=8, unique=True)):
            kind, text = draw(_TYPES), draw(_TEXTS)
            kind_attribute = f' t="{kind}"' if kind else ""
            body = f"<is><t>{escape(text)}</t></is>" if kind == "inlineStr" else f"<v>{escape(text)}</v>"
            cells.append(f'<c r="{column}{row}"{kind_attribute}>{body}</c>')
        rows.append(f'<row r="{row}">{"".join(cells)}</row>')
    return hostile.sheet_xml("".join(rows))


@FEW
@given(sheets_xml())
def test_cells_of_any_type_holding_anything(sheet):
    text = sheet.decode()
    assume(all(ch == "\t" or ch == "\n" or ord(ch) >= 0x20 for ch in text))   # XML itself cannot hold the others
    read_everything(hostile.with_sheet(VALID, sheet))


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.text(max_size=40), st.datetimes(min_value=datetime.datetime(1900, 3, 1)), st.dates(min_value=datetime.date(1900, 3, 1)),
    st.from_regex(r"[0-9.,\- ]{0,24}", fullmatch=True),
)


@FEW
@given(st.lists(st.lists(_VALUES, min_size=1, max_size=8), min_size=1, max_size=5))
def test_any_values_a_spreadsheet_can_hold(rows):
    book = openpyxl.Workbook()
    try:
        book.active.append(value_table.COLUMNS)
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
    except Exception:  # what openpyxl itself will not write (a control character, a number Excel cannot hold)
        assume(False)
    read_everything(buffer.getvalue())


@MANY
@given(st.one_of(st.text(), st.from_regex(r"-?[0-9., \u00a0]{0,30}", fullmatch=True)))
def test_parse_number_gives_a_number_or_says_why(text):
    try:
        number = parse_number(text)
    except NumberFormatError as error:
        assert str(error)
        return
    assert number is None or isinstance(number, Decimal)


@MANY
@given(st.one_of(_VALUES, st.decimals(), st.integers(min_value=10 ** 14, max_value=10 ** 5000)))
def test_a_count_is_a_bounded_whole_number_or_says_why(raw):
    try:
        number = rules.parse_count(raw)
    except ValidationError as error:
        assert error.messages
        return
    assert number is None or (0 <= number <= rules.MAX_NUMBER and number == number.to_integral_value())


@pytest.mark.parametrize("kind", [CellKind.CHOICE, CellKind.TEXT])
@MANY
@given(raw=_VALUES)
def test_every_cell_kind_cleans_anything(kind, raw):
    try:
        rules.clean_cell(Cell("o", "Ô", kind), raw)
    except ValidationError as error:
        assert error.messages

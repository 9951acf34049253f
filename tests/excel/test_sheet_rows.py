"""``rows_of`` reads a sheet through ``sheet_rows``: every cell as openpyxl's own read-only iteration reads it.

The fast path covers the cells an import is made of; every other cell goes
back to openpyxl. Whatever sheet hypothesis writes from the cells below
(formulas, dates, rich text, unreadable values, cells without a coordinate,
missing rows, a row beyond the declared height), both readers give the same
rows, or both stop at the same row.
"""

import datetime
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.excel import sheet_rows
from reporting.excel.sheet_rows import UnreadableCell

from . import hostile

_SHEET = "xl/worksheets/sheet1.xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STRINGS = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
            '<si><t>PX26734</t></si><si><r><t>dvc.</t></r><r><t>DVC01</t></r></si></sst>')
# {ref} is the cell's coordinate attribute (r="B3", or nothing).
CELLS = [
    '<c {ref}><v>12</v></c>', '<c {ref} t="n"><v>1.5E+3</v></c>', '<c {ref}><v>abc</v></c>', '<c {ref}><v>NaN</v></c>',
    '<c {ref}><v></v></c>', '<c {ref}/>', '<c {ref} t="s"/>', '<c {ref}>loose text</c>',
    '<c {ref} t="s"><v>0</v></c>', '<c {ref} t="s"><v>1</v></c>', '<c {ref} t="s"><v>-1</v></c>',
    '<c {ref} t="s"><v>99</v></c>', '<c {ref} t="s"><v> 1 </v></c>',
    '<c {ref} t="inlineStr"><is><t>Hà Nội &amp; =1</t></is></c>',
    '<c {ref} t="inlineStr"><is><t xml:space="preserve"> a </t></is></c>',
    '<c {ref} t="inlineStr"><is><r><t>in</t></r><r><t>đậm</t></r></is></c>', '<c {ref} t="inlineStr"><is/></c>',
    '<c {ref} t="inlineStr"><is><t/></is></c>', '<c {ref} t="inlineStr"><is odd="1"><t>x</t></is></c>',
    '<c {ref} t="inlineStr"><v>3</v></c>', '<c {ref} t="n"><is><t>x</t></is></c>',
    '<c {ref}><f>SUM(A1:A2)</f><v>3</v></c>', '<c {ref} t="str"><f>A1</f><v>x</v></c>', '<c {ref} t="str"><v>x</v></c>',
    '<c {ref} t="b"><v>1</v></c>', '<c {ref} t="e"><v>#N/A</v></c>', '<c {ref} t="d"><v>2024-03-01T00:00:00</v></c>',
    '<c {ref} s="1"><v>45352</v></c>', '<c {ref} s="1" t="s"><v>0</v></c>', '<c {ref} s="0"><v>7</v></c>',
    '<c {ref} s="x"><v>7</v></c>', '<c {ref} s="x" t="inlineStr"><is><t>x</t></is></c>', '<c {ref} s=""><v>7</v></c>',
    '<c {ref}><v>1<x/></v></c>', '<c {ref}><!-- note --><v>5</v></c>',
]
SETTINGS = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def base_workbook():
    """An openpyxl workbook whose style 1 is a date, with a shared-strings table of two strings."""
    content = hostile.small_workbook([("Mã", datetime.datetime(2024, 3, 1))])
    content = hostile.rewrite_member(content, "xl/sharedStrings.xml", lambda _: _STRINGS.encode())
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_STRINGS_TYPE}"/></Types>'
    return hostile.rewrite_member(content, "[Content_Types].xml",
                                  lambda xml: xml.replace(b"</Types>", override.encode()))


BASE = base_workbook()


def both_readers(rows_xml, *, dimension="", width=4, min_row=1):
    """What openpyxl's iteration and ``sheet_rows`` read from a sheet of ``rows_xml``: (rows, stopped) each."""
    content = hostile.with_sheet(BASE, hostile.sheet_xml(rows_xml, dimension))
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False).worksheets[0]
    return (_read(sheet.iter_rows(min_row=min_row, max_col=width, values_only=True)),
            _read(sheet_rows.values_by_row(sheet, min_row=min_row, max_col=width)))


def _read(rows):
    read = []
    try:
        for values in rows:
            read.append(tuple(map(_comparable, values)))
    except Exception:  # noqa: BLE001: both must stop, at the same row, whatever each raises
        return read, True
    return read, False


def _comparable(value):
    if isinstance(value, UnreadableCell):
        return "unreadable", value.row, value.column, value.text
    if isinstance(value, (str, int, float, bool, datetime.datetime, type(None))):
        return value
    return type(value).__name__, sorted(vars(value).items())    # an array or data-table formula


def test_the_cells_of_an_import_read_as_openpyxl_reads_them():
    cells = "".join(cell.format(ref=f'r="{column}2"') for column, cell in zip("ABCD", CELLS[:4]))
    theirs, ours = both_readers(f'<row r="2">{cells}</row><row r="3"><c r="B3" t="s"><v>1</v></c></row>')
    assert ours == theirs
    rows, stopped = ours
    assert rows[1:] == [(12, 1500.0, ("unreadable", 2, 3, "abc"), ("unreadable", 2, 4, "NaN")),
                        (None, "dvc.DVC01", None, None)]
    assert not stopped


def test_every_kind_of_cell_reads_as_openpyxl_reads_it():
    for cell in CELLS:
        for ref in ('r="B2"', ""):
            row = f'<row r="2"><c r="A2"><v>1</v></c>{cell.format(ref=ref)}</row>'
            theirs, ours = both_readers(row)
            assert ours == theirs, cell


def test_missing_rows_come_empty_and_the_declared_height_ends_the_sheet():
    rows = '<row r="2"><c r="A2"><v>2</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>' \
           '<row r="9"><c r="A9"><v>9</v></c></row>'
    for dimension in ("", '<dimension ref="A1:D6"/>', '<dimension ref="A1:D9"/>', '<dimension ref="A1:D12"/>'):
        for min_row in (1, 3, 6):
            for width in (4, None):    # None: a sheet read as wide as it declares, which may be not at all
                theirs, ours = both_readers(rows, dimension=dimension, min_row=min_row, width=width)
                assert ours == theirs, (dimension, min_row, width)


def test_a_row_number_that_is_not_one_stops_both_at_the_same_row():
    rows = '<row r="2"><c><v>2</v></c></row><row r="3.0"><c><v>3</v></c></row><row><c><v>4</v></c></row>' \
           '<row r="5.5"><c><v>5</v></c></row>'
    theirs, ours = both_readers(rows)
    assert ours == theirs
    assert ours == ([(None,) * 4, (2, None, None, None), (3, None, None, None), (4, None, None, None)], True)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["", 'r="{n}"', 'r="{n}.0"']), st.integers(1, 8),
                          st.lists(st.tuples(st.sampled_from(CELLS), st.sampled_from(["", "A", "B", "C", "E", "1A"])),
                                   max_size=5)),
                max_size=6),
       st.sampled_from(["", '<dimension ref="A1:C4"/>', '<dimension ref="A1:E20"/>']), st.integers(1, 5))
def test_any_sheet_reads_as_openpyxl_reads_it(rows, dimension, width):
    xml = ""
    for number_attribute, number, cells in rows:
        written = "".join(cell.format(ref=f'r="{column}{number}"' if column else "") for cell, column in cells)
        xml += f"<row {number_attribute.format(n=number)}>{written}</row>"
    theirs, ours = both_readers(xml, dimension=dimension, width=width)
    assert ours == theirs



def test_a_sheet_declaring_entities_is_not_read_even_past_the_other_guards():
    # bounds refuses it first, and defusedxml when openpyxl sizes the sheet; the parser itself is the third guard.
    xml = hostile.sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>').replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', 1)
    rows = sheet_rows._RowParser(io.BytesIO(xml), []).rows(2)
    with pytest.raises(ValueError, match="DOCTYPE"):
        next(rows)

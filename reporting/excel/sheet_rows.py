"""A read-only sheet's values row by row: openpyxl's ``iter_rows(values_only=True)``, in a third of the time.

openpyxl reads a sheet through defusedxml's pure-Python ElementTree parser,
builds a dict per cell and a ``Text`` object per inline string: on a
10 000-row history workbook that was nearly half of the import's time. Here
the sheet is parsed by lxml (in C; installed with python-docx, and openpyxl's
own choice when present) and only the rows are handed to Python; the cells
everyone writes (a number, a shared string, an inline string, nothing else
inside) are read on the spot, and every other cell (a formula, a date, a
boolean, rich text, an error, anything odd) goes through openpyxl's own
``parse_cell``, so each value is the one openpyxl would give.

lxml resolves no entity and fetches nothing (``resolve_entities``,
``no_network``), and a sheet declaring a DOCTYPE is not read; ``bounds`` has
already refused any DOCTYPE or ENTITY declaration, and bounded every row and
text, before this parser starts.
"""

from lxml import etree
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet._reader import INLINE_STRING, ROW_TAG, SHEET_MAIN_NS, VALUE_TAG, WorkSheetParser

_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


class UnreadableCell:
    """A cell openpyxl could not read: "abc" or "NaN" in a number cell, a shared string that does not exist."""

    def __init__(self, row, column, text):
        self.row, self.column, self.text = row, column, text

    def __str__(self):
        return self.text or ""


class CellParser(WorkSheetParser):
    """openpyxl's sheet parser, except that a cell it cannot read becomes an ``UnreadableCell``.

    openpyxl raises from deep inside its row generator, which would end the
    sheet with no word of where; ``workbooks.rows_of`` reports the cell instead.
    """

    def parse_cell(self, element):
        before = self.col_counter
        try:
            return super().parse_cell(element)
        except Exception:  # ValueError, IndexError, TypeError… for one cell's text
            try:
                row, column = coordinate_to_tuple(element.get("r"))
            except (TypeError, ValueError):
                row, column = self.row_counter, before + 1
            self.col_counter = column
            text = next((child.text for child in element if child.text), "")
            return {"row": row, "column": column, "value": UnreadableCell(row, column, text[:60]),
                    "data_type": "e", "style_id": 0}


def values_by_row(worksheet, *, min_row, max_col):
    """(values of columns 1…``max_col``) for each row from ``min_row``, as openpyxl's read-only sheet gives them.

    As openpyxl does: a row missing from the file comes as a row of None, and
    reading stops at the height the sheet declares (its ``dimension``).
    """
    if not max_col:
        # A sheet without a declared width (only the catalog reader asks for one): openpyxl's rows, as wide as each is.
        yield from worksheet.iter_rows(min_row=min_row, values_only=True)
        return
    workbook, max_row = worksheet.parent, worksheet.max_row
    empty = (None,) * max_col
    counter = min_row
    with worksheet._get_source() as source:
        parser = _RowParser(source, worksheet._shared_strings, data_only=workbook.data_only, epoch=workbook.epoch,
                            date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, values in parser.rows(max_col):
            if max_row is not None and number > max_row:
                # A row beyond the declared height ends the sheet, once the rows missing up to it are given.
                yield from [empty] * (max_row + 1 - counter)
                return
            while counter < number:
                counter += 1
                yield empty
            if counter == number:
                counter += 1
                yield values


class _RowParser(CellParser):
    def rows(self, width):
        """(row number, values) of each ``<row>`` of the sheet; lxml's error for a damaged sheet."""
        events = etree.iterparse(self.source, events=("end",), tag=ROW_TAG, resolve_entities=False, no_network=True,
                                 remove_comments=True, remove_pis=True, huge_tree=False)
        for _, row in events:
            if self.row_counter == 0 and row.getroottree().docinfo.doctype:
                # bounds refuses a DOCTYPE before, and defusedxml when openpyxl sizes the sheet: a third guard.
                raise ValueError("A sheet declaring a DOCTYPE is not read.")
            yield self._row_number(row), self._values(row, width)
            # Keep memory flat: the rows already read are dropped from the tree lxml builds.
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]

    def _row_number(self, row):
        """openpyxl's rule: "r" if the row has it (7, "7.0"; ValueError for "7.5"), else the one after the last."""
        number = row.get("r")
        if number is None:
            self.row_counter += 1
        else:
            try:
                self.row_counter = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_counter = int(value)
        self.col_counter = 0
        # What ends the coordinates of this row's cells ("B12" in row 12), for _column.
        self.row_digits = str(self.row_counter) if self.row_counter >= 0 else None
        return self.row_counter

    def _values(self, row, width):
        values = [None] * width
        for cell in row:
            value = self._plain_value(cell)
            column = None if value is _ODD else self._column(cell.get("r"))
            if column is None:
                found = self.parse_cell(cell)
                column, value = found["column"], found["value"]
            if 1 <= column <= width:
                values[column - 1] = value
        return tuple(values)

    def _plain_value(self, cell):
        """The value of an empty cell, a number, a shared string or a plain inline string; _ODD for any other.

        Those are nearly all the cells of an import. What they read as here is
        what openpyxl's ``parse_cell`` reads; any doubt returns to it.
        """
        style = cell.get("s")
        if style and self._date_or_odd(style):
            return _ODD
        children = len(cell)
        if children == 0:
            return None        # whatever its type: openpyxl reads no value
        if children > 1:
            return _ODD        # a formula and its cached result, most often
        kind, child = cell.get("t", "n"), cell[0]
        if kind == "inlineStr" and child.tag == INLINE_STRING:
            return self._inline_text(child)
        if kind in ("n", "s") and child.tag == VALUE_TAG and not len(child):
            return self._stored_value(kind, child.text)
        return _ODD

    def _date_or_odd(self, style):
        # A style openpyxl cannot read as a number makes the cell unreadable; a date style makes it a date.
        try:
            return int(style) in self.date_formats
        except ValueError:
            return True

    def _inline_text(self, element):
        if len(element) != 1 or element.attrib:
            return _ODD        # rich text, phonetic runs, an empty <is/>, attributes openpyxl refuses
        text = element[0]
        if text.tag != _TEXT_TAG or len(text):
            return _ODD
        return text.text or ""

    def _stored_value(self, kind, text):
        if not text:
            return None
        try:
            if kind == "s":
                return self.shared_strings[int(text)]
            return float(text) if "." in text or "E" in text or "e" in text else int(text)
        except (ValueError, IndexError):
            return _ODD

    def _column(self, coordinate):
        """The cell's column, or None to leave the cell to parse_cell (a coordinate openpyxl cannot read)."""
        if coordinate is None:
            self.col_counter += 1
            return self.col_counter
        # "B12" in row 12: its letters looked up, rather than the coordinate parsed (a fifth of the reading time).
        digits = self.row_digits
        column = _COLUMNS.get(coordinate[:-len(digits)]) if digits and coordinate.endswith(digits) else None
        if column is None:
            try:
                _, column = coordinate_to_tuple(coordinate)
            except Exception:  # left to parse_cell, which says where
                return None
        self.col_counter = column
        return column


_ODD = object()    # a value _plain_value leaves to openpyxl
_COLUMNS = {get_column_letter(number): number for number in range(1, 703)}    # A … ZZ

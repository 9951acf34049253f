from decimal import Decimal

from django import forms

from de_an_06.text import clean_text
from reporting.choices import CellMark, Progress
from reporting.formatting import format_number
from reporting.submissions import rules
from reporting.submissions.sheets import Cell, CellKind
from reporting.submissions.store import CellValue
from reporting.submissions.widgets import HiddenInput, Select, Textarea, TextInput


class _CellField:
    """The field of one cell of the sheet: its value is ``rules.clean_cell`` of what was typed, as in an import."""

    kind = None

    def __init__(self, cell=None, **kwargs):
        self.cell = cell or Cell("", kwargs.get("label") or "", self.kind)
        kwargs.setdefault("label", self.cell.label)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return rules.clean_cell(self.cell, value)


class CountField(_CellField, forms.CharField):
    """A non-negative whole number, typed plainly or the Vietnamese way ('7.856.474')."""

    kind = CellKind.COUNT

    def __init__(self, cell=None, **kwargs):
        kwargs.setdefault("widget", TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "count"}))
        super().__init__(cell, **kwargs)

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, (int, Decimal)) else value


class ProgressField(_CellField, forms.ChoiceField):
    """A pilot model's or plan task's status, from the drop-down."""

    kind = CellKind.CHOICE

    def __init__(self, cell=None, **kwargs):
        kwargs.setdefault("choices", [("", "— chọn —"), *Progress.choices])
        kwargs.setdefault("widget", Select)
        super().__init__(cell, **kwargs)


class TextField(_CellField, forms.CharField):
    """A note, a result or a document reference; a one-line cell (a service's remark) is a single-line input."""

    kind = CellKind.TEXT

    def __init__(self, cell=None, **kwargs):
        kwargs.setdefault("max_length", rules.MAX_TEXT)   # the browser's own limit; clean_cell says why
        one_line = cell is not None and cell.one_line
        kwargs.setdefault("widget", TextInput(attrs={"class": "remark"}) if one_line else Textarea(attrs={"rows": 3}))
        super().__init__(cell, **kwargs)


class MarkField(forms.ChoiceField):
    """Instead of a number: "Không phát sinh" or "Chưa có số liệu" ("" when the cell holds a number)."""

    def __init__(self, *, blank_label, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", Select(attrs={"class": "mark"}))
        super().__init__(choices=[("", blank_label), *CellMark.choices], **kwargs)


class ReasonField(forms.CharField):
    """Why a running total went down: plain text, in NFC, refused if it holds what a document cannot."""

    def to_python(self, value):
        return clean_text(value)


def reason_name(key):
    return f"{key}.reason"


def mark_name(key):
    return f"{key}.mark"


def row_mark_name(row):
    """The control marking a whole service for the month.

    No cell key is so named: a service's cell keys start with ``cells.SERVICE_PREFIX``.
    """
    return f"service.{row.code}.mark"


def _marked_rows(sheet):
    """The rows marked as a whole: the services (a row of measures); an indicator is one cell already."""
    return [row for section in sheet.sections if section.columns for row in section.rows if row.counts]


class VersionForm(forms.Form):
    """The version of the submission the page was opened at: all an opened page whose sections are cached needs."""

    version = forms.IntegerField(widget=HiddenInput, min_value=0)


class EntryForm(VersionForm):
    """Every cell of a unit's sheet as one form; errors stand beside the cell they concern.

    A count cell has a mark beside it (``mark_name``), a service row one mark for all its counts
    (``row_mark_name``): chosen, it marks every count of the row. A form with errors can still save
    its valid cells (``saveable_values``).
    """

    def __init__(self, sheet, *, values, previous, version, **kwargs):
        initial = {cell.key: _initial(values.get(cell.key)) for cell in sheet.cells}
        initial.update({reason_name(key): value.comment for key, value in values.items() if value.comment})
        initial.update({mark_name(key): value.mark for key, value in values.items() if value.mark})
        for row in _marked_rows(sheet):
            marks = {values[cell.key].mark if cell.key in values else "" for cell in row.counts}
            initial[row_mark_name(row)] = marks.pop() if len(marks) == 1 else ""
        initial["version"] = version
        super().__init__(initial=initial, **kwargs)
        self.sheet, self.previous = sheet, previous
        self.marks, self.held = {}, {}   # key → mark once cleaned; key → why a valid cell was not saved
        self.broken_bounds = []          # rules.BoundProblem of what was typed, once cleaned
        self._row_of = {}
        for row in _marked_rows(sheet):
            self.fields[row_mark_name(row)] = MarkField(blank_label="Nhập từng ô", label="Cả dịch vụ trong tháng")
            self._row_of.update({cell.key: row for cell in row.counts})
        for cell in sheet.cells:
            self.fields[cell.key] = _field_for(cell)
            if cell.kind == CellKind.COUNT:
                self.fields[mark_name(cell.key)] = MarkField(blank_label="Có số liệu", label="Đánh dấu")
            if cell.cumulative:
                self.fields[reason_name(cell.key)] = ReasonField(
                    required=False, max_length=500, label="Lý do số lũy kế giảm",
                    widget=TextInput(attrs={"class": "reason"}),
                )

    def row_mark(self, row):
        return self[row_mark_name(row)]

    def clean(self):
        cleaned = super().clean()
        self.marks = {}
        for cell in self.sheet.cells:
            if cell.kind != CellKind.COUNT:
                continue
            row = self._row_of.get(cell.key)
            whole_row = cleaned.get(row_mark_name(row), "") if row else ""
            mark = whole_row or cleaned.get(mark_name(cell.key), "")
            if mark and cleaned.get(cell.key) is not None:
                self.add_error(cell.key, rules.mark_conflict(mark, whole_row=bool(whole_row)))
            self.marks[cell.key] = mark
        self.broken_bounds = rules.bound_problems(self._judged(lambda key: cleaned.get(key)), self.sheet.bounds)
        for problem in self.broken_bounds:
            if problem.key not in self.errors:
                self.add_error(problem.key, problem.message)
        for cell in self.sheet.cells:
            if cell.cumulative and not cleaned.get(reason_name(cell.key), "").strip():
                before = self.previous.get(cell.key)
                problem = rules.decrease_problem(cleaned.get(cell.key), before.number if before else None)
                if problem:
                    self.add_error(cell.key, problem)
        return cleaned

    def _judged(self, number_of, mark_of=None):
        """key → what each count counts for in the bounds, from ``number_of(key)`` and the cell's mark."""
        mark_of = mark_of or (lambda key: "" if key in self.errors else self.marks.get(key, ""))
        return {cell.key: rules.judged_number(number_of(cell.key), mark_of(cell.key))
                for cell in self.sheet.cells if cell.kind == CellKind.COUNT}

    def cell_values(self):
        """key → CellValue for every cell of the sheet, from the cleaned data."""
        values = {}
        for cell in self.sheet.cells:
            value = self.cleaned_data.get(cell.key)
            comment = self.cleaned_data.get(reason_name(cell.key), "").strip() if cell.cumulative else ""
            if cell.kind == CellKind.COUNT:
                mark = self.marks.get(cell.key, "")
                number = None if mark else value
                values[cell.key] = CellValue(number=number, comment=comment if number is not None else "", mark=mark)
            else:
                values[cell.key] = CellValue(text=(value or "").strip())
        return values

    def can_save_part(self):
        """Whether a form with errors still knows which version it edits: then its valid cells can be saved."""
        return "version" in self.cleaned_data and not self.non_field_errors()

    def saveable_values(self, stored):
        """key → CellValue of every cell that may be saved although others were refused; fills ``held``.

        A cell is refused with its own error, its reason's or its mark's. A cell that is valid alone but
        breaks a bound with a refused cell (the whole of a part above it, or a whole below a part's stored
        value once the part keeps it) is held too, so what is stored never has a part above its whole.
        ``stored``: key → CellValue now in the database.
        """
        refused = {cell.key for cell in self.sheet.cells if self._refused(cell.key)}
        labels = {cell.key: cell.label for cell in self.sheet.cells}
        self.held = {problem.whole_key: problem.key for problem in self.broken_bounds
                     if problem.whole_key not in refused}
        typed = self.cell_values()

        def value_of(key):   # what the database will hold: the stored value where the typed one is not saved
            return stored.get(key, CellValue()) if key in refused or key in self.held else typed[key]

        while True:
            kept = refused | self.held.keys()
            judged = self._judged(lambda key: value_of(key).number, lambda key: value_of(key).mark)
            added = {}
            for problem in rules.bound_problems(judged, self.sheet.bounds):
                for key, other in ((problem.key, problem.whole_key), (problem.whole_key, problem.key)):
                    if key not in kept:
                        added[key] = other
            if not added:
                break
            self.held.update(added)
        self.held = {key: f"Chưa lưu: ô này đi cùng ô “{labels[other]}” đang cần sửa."
                     for key, other in self.held.items()}
        kept = refused | self.held.keys()
        return {key: value for key, value in typed.items() if key not in kept}

    def _refused(self, key):
        row = self._row_of.get(key)
        names = [key, reason_name(key), mark_name(key), *([row_mark_name(row)] if row else [])]
        return any(name in self.errors for name in names)

    def as_data(self, values):
        """The POST data that would show ``values`` (key → CellValue) in their fields, as a user types them."""
        data = {}
        for key, value in values.items():
            field = self.fields.get(key)
            if field is not None:
                data[key] = field.prepare_value(_initial(value)) if _initial(value) is not None else ""
                if reason_name(key) in self.fields:
                    data[reason_name(key)] = value.comment
                if mark_name(key) in self.fields:
                    data[mark_name(key)] = value.mark
        return data


def _initial(value):
    if value is None:
        return None
    return value.number if value.number is not None else value.text


_FIELDS = {CellKind.COUNT: CountField, CellKind.CHOICE: ProgressField, CellKind.TEXT: TextField}


def _field_for(cell):
    return _FIELDS[cell.kind](cell)

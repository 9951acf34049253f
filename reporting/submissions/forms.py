from decimal import Decimal

from django import forms

from de_an_06.text import clean_text
from reporting.choices import Progress
from reporting.formatting import format_number
from reporting.submissions import rules
from reporting.submissions.sheets import Cell, CellKind
from reporting.submissions.store import CellValue
from reporting.submissions.widgets import Select, Textarea, TextInput


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


class ReasonField(forms.CharField):
    """Why a running total went down: plain text, in NFC, refused if it holds what a document cannot."""

    def to_python(self, value):
        return clean_text(value)


def reason_name(key):
    return f"{key}.reason"


class EntryForm(forms.Form):
    """Every cell of a unit's sheet as one form; errors stand beside the cell they concern."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, sheet, *, values, previous, version, **kwargs):
        initial = {cell.key: _initial(values.get(cell.key)) for cell in sheet.cells}
        initial.update({reason_name(key): value.comment for key, value in values.items() if value.comment})
        initial["version"] = version
        super().__init__(initial=initial, **kwargs)
        self.sheet, self.previous = sheet, previous
        for cell in sheet.cells:
            self.fields[cell.key] = _field_for(cell)
            if cell.cumulative:
                self.fields[reason_name(cell.key)] = ReasonField(
                    required=False, max_length=500, label="Lý do số lũy kế giảm",
                    widget=TextInput(attrs={"class": "reason"}),
                )

    def clean(self):
        cleaned = super().clean()
        numbers = {cell.key: cleaned.get(cell.key) for cell in self.sheet.cells if cell.kind == CellKind.COUNT}
        for problem in rules.bound_problems(numbers, self.sheet.bounds):
            if problem.key not in self.errors:
                self.add_error(problem.key, problem.message)
        for cell in self.sheet.cells:
            if cell.cumulative and not cleaned.get(reason_name(cell.key), "").strip():
                before = self.previous.get(cell.key)
                problem = rules.decrease_problem(cleaned.get(cell.key), before.number if before else None)
                if problem:
                    self.add_error(cell.key, problem)
        return cleaned

    def cell_values(self):
        """key → CellValue for every cell of the sheet, from the cleaned data."""
        values = {}
        for cell in self.sheet.cells:
            value = self.cleaned_data.get(cell.key)
            comment = self.cleaned_data.get(reason_name(cell.key), "").strip() if cell.cumulative else ""
            if cell.kind == CellKind.COUNT:
                values[cell.key] = CellValue(number=value, comment=comment if value is not None else "")
            else:
                values[cell.key] = CellValue(text=(value or "").strip())
        return values

    def as_data(self, values):
        """The POST data that would show ``values`` (key → CellValue) in their fields, as a user types them."""
        data = {}
        for key, value in values.items():
            field = self.fields.get(key)
            if field is not None:
                data[key] = field.prepare_value(_initial(value)) if _initial(value) is not None else ""
                if reason_name(key) in self.fields:
                    data[reason_name(key)] = value.comment
        return data


def _initial(value):
    if value is None:
        return None
    return value.number if value.number is not None else value.text


_FIELDS = {CellKind.COUNT: CountField, CellKind.CHOICE: ProgressField, CellKind.TEXT: TextField}


def _field_for(cell):
    return _FIELDS[cell.kind](cell)

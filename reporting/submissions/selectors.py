"""Reads for the month's pages (the entry page, its history), each scoped through ``reporting.access``.

PC06's review board reads through ``review_board``.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from reporting import cells
from reporting.choices import CellMark, Progress
from reporting.formatting import format_number
from reporting.models import Submission
from reporting.submissions.sheets import CellKind


def month_links(month, agency_pk):
    """The URLs of a unit's month (its entry page, history, printed report, Excel template), reversed once per
    process: the entry page shows them on every request, and reversing a URL costs more than rendering a row."""
    return _month_links(get_script_prefix(), month.year, month.month, agency_pk)


@lru_cache(maxsize=8192)
def _month_links(script_prefix, year, month, agency_pk):
    unit_month = [year, month, agency_pk]
    return {
        "entry": reverse("entry", args=unit_month), "history": reverse("history", args=unit_month),
        "unit_months": reverse("unit_months", args=[agency_pk]),
        "report_pdf": reverse("unit_report", args=[*unit_month, "pdf"]),
        "report_docx": reverse("unit_report", args=[*unit_month, "docx"]),
        "download_template": reverse("download_template", args=unit_month),
        "upload_template": reverse("upload_template", args=unit_month),
    }


def submission_for(period, agency):
    return (
        Submission.objects.filter(period=period, agency=agency)
        .select_related("period", "agency", "submitted_by", "updated_by").first()
    )


@dataclass
class EntryCell:
    cell: object
    field: object
    previous: object  # CellValue of last month, or None
    name: str = ""    # what a screen reader says for the input: "Đăng ký khai sinh — Tiếp nhận"
    mark: object = None   # the bound field marking a count "Không phát sinh" / "Chưa có số liệu"
    held: str = ""    # why this valid cell was not saved with the others (it goes with a cell in error)

    @property
    def previous_mark(self):
        """Last month's mark as the page shows it ("Không phát sinh"), or ""."""
        return CellMark(self.previous.mark).label if self.previous is not None and self.previous.mark else ""

    @property
    def has_previous(self):
        return self.previous is not None and not self.previous.is_empty

    @property
    def previous_text(self):
        """Last month's status or text as the page shows it ("Đang triển khai", not its code)."""
        if not self.has_previous:
            return ""
        text = self.previous.text
        return Progress(text).label if self.cell.kind == CellKind.CHOICE and text in Progress.values else text

    @property
    def describedby(self):
        """The ids the template gives the cell's error list and last month's value, when it shows them."""
        ids = [f"{self.field.auto_id}_error"] if self.field.errors else []
        if self.held:
            ids.append(f"{self.field.auto_id}_held")
        if self.has_previous:
            ids.append(f"{self.field.auto_id}_prev")
        return " ".join(ids)

    def widget(self):
        """The input, described by the error and last month's value beside it (Django alone names an error id only)."""
        describedby = self.describedby
        return self.field.as_widget(attrs={"aria-describedby": describedby} if describedby else None)


def entry_layout(sheet, form, previous):
    """Sections → rows → cells with their bound field and last month's value, for the template.

    Only the sections the unit reports (a section without rows is left out). A section whose cells
    are all optional (notes, coordination results) says so (``optional``) and whether anything was
    typed in it or refused (``open``); ``errors`` are its cells with an error, for the summary
    at the top of the page.

    A section with columns (the services, one column per measure) also gives each row its ``slots``:
    its cells under their columns, None where the row does not report the column's measure; and its
    ``remarks``: its text cells, which have no column (the unit's remark on the service).
    """
    layout = []
    for section in sheet.sections:
        if not section.rows:
            continue
        optional = not any(cell.required for row in section.rows for cell in row.cells)
        rows, errors, typed = [], [], False
        for row in section.rows:
            entry_cells = [EntryCell(cell, form[cell.key], previous.get(cell.key), _input_name(row, cell),
                                     mark=form[f"{cell.key}.mark"] if cell.kind == CellKind.COUNT else None,
                                     held=form.held.get(cell.key, ""))
                           for cell in row.cells]
            reasons = [form[f"{cell.key}.reason"] for cell in row.cells if cell.cumulative]
            line = {"row": row, "cells": entry_cells, "reasons": reasons}
            if section.columns:
                line["mark"] = form.row_mark(row) if row.counts else None
                by_measure = {cells.service_measure(entry.cell.key): entry for entry in entry_cells}
                line["slots"] = [by_measure.get(column.measure) for column in section.columns]
                line["remarks"] = [entry for entry in entry_cells if entry.cell.kind == CellKind.TEXT]
            errors += [entry for entry in entry_cells if entry.field.errors]
            errors += [EntryCell(None, reason, None, f"{row.label} — {reason.label}") for reason in reasons
                       if reason.errors]
            errors += [EntryCell(None, entry.mark, None, f"{entry.name} — đánh dấu") for entry in entry_cells
                       if entry.mark is not None and entry.mark.errors]
            if line.get("mark") is not None and line["mark"].errors:
                errors.append(EntryCell(None, line["mark"], None, f"{row.label} — cả dịch vụ trong tháng"))
            typed = typed or (optional and any(entry.field.value() for entry in entry_cells))
            rows.append(line)
        layout.append({"section": section, "rows": rows, "errors": errors, "optional": optional,
                       "open": bool(errors) or typed})
    return layout


def section_outline(sheet):
    """``entry_layout`` without the cells, for an opened page whose sections come from the cache: the bar above them."""
    return [{"section": section, "rows": section.rows, "errors": [], "open": False,
             "optional": not any(cell.required for row in section.rows for cell in row.cells)}
            for section in sheet.sections if section.rows]


def _input_name(row, cell):
    return row.label if cell.label == row.label else f"{row.label} — {cell.label}"


@dataclass
class ChangeLine:
    who: str
    at: object
    label: str
    old: str
    new: str
    comment: str
    source: str


def change_lines(changes, labels):
    """ValueChange rows as people read them: the cell's name and Vietnamese-formatted values."""
    return [
        ChangeLine(
            who=change.changed_by.get_full_name() or change.changed_by.username, at=change.changed_at,
            label=labels.get(change.key, change.key), old=display_value(change.old_value),
            new=display_value(change.new_value), comment=change.comment, source=change.get_source_display(),
        )
        for change in changes
    ]


def display_value(raw):
    if raw in Progress.values:
        return Progress(raw).label
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        return raw
    return format_number(number, max(0, -number.as_tuple().exponent))

"""Reads for the month's pages (the entry page, its history, PC06's review board), each scoped through ``reporting.access``."""
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.http import urlencode

from reporting import cells
from reporting.choices import AgencyKind, BoardStatus, CellMark, Progress
from reporting.formatting import format_number, format_percent
from reporting.models import Agency, Submission
from reporting.reminders.planner import last_reminded
from reporting.submissions.sheets import CellKind


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


# The board's order, which PC06's review queue (``queue.py``) follows too: by kind of unit, the wards of a
# district together, then by code.
BOARD_ORDER = ("kind", "parent__code", "code")
STATUS_FILTER, SORT = "trang-thai", "sap-xep"
SORTS = {
    "": "Thứ tự bảng (loại, quận, mã)",
    "nop-som": "Nộp sớm trước",
    "nop-muon": "Nộp muộn trước",
    "don-vi": "Tên đơn vị (A → Z)",
}


@dataclass
class BoardRow:
    agency: Agency
    submission: Submission | None
    last_reminded: object = None   # when the unit was last sent a reminder or notice for this period, or None

    @property
    def status(self):
        return self.submission.board_status if self.submission else BoardStatus.NOT_STARTED

    @property
    def first_submitted_at(self):
        return self.submission.first_submitted_at if self.submission else None


def review_board(user, period, filters):
    """Every expected unit the user may see × its submission status, in a fixed number of queries.

    ``filters`` may hold ``loai`` (agency kind), ``quan`` (a district: it and its wards), ``trang-thai`` (a
    BoardStatus: only those rows; the counts stay those of the kind and district chosen, so each chip says how
    many it would show) and ``sap-xep`` (one of ``SORTS``).
    """
    agencies = period.expected_agencies().filter(pk__in=Agency.objects.visible_to(user)).select_related("parent")
    kind = filters.get("loai", "")
    if kind in AgencyKind.values:
        agencies = agencies.filter(kind=kind)
    district = filters.get("quan", "")
    if district.isdigit():
        agencies = agencies.filter(Q(pk=district) | Q(parent_id=district))
    agencies = list(agencies.order_by(*BOARD_ORDER))
    submissions = Submission.objects.filter(period=period, agency__in=[agency.pk for agency in agencies])
    by_agency = {submission.agency_id: submission for submission in submissions.select_related("submitted_by")}
    reminded = last_reminded(period)
    rows = [BoardRow(agency, by_agency.get(agency.pk), reminded.get(agency.code)) for agency in agencies]
    counts = Counter(row.status for row in rows)
    reported = counts[BoardStatus.ON_TIME] + counts[BoardStatus.LATE] + counts[BoardStatus.APPROVED]
    districts = (
        period.expected_agencies().filter(kind=AgencyKind.DISTRICT, pk__in=Agency.objects.visible_to(user)).order_by("code")
    )
    status = filters.get(STATUS_FILTER, "")
    status = status if status in BoardStatus.values else ""
    sort = filters.get(SORT, "")
    sort = sort if sort in SORTS else ""
    chosen = {"loai": kind if kind in AgencyKind.values else "", "quan": district if district.isdigit() else "",
              STATUS_FILTER: status, SORT: sort}
    return {
        "rows": _sorted([row for row in rows if not status or row.status == status], sort),
        "counts": [(value, counts[value]) for value in BoardStatus],
        "chips": _chips(chosen, counts, len(rows)),
        "expected": len(rows),
        "reported": reported,
        "completeness": format_percent(reported, len(rows)) or "0%",
        "kinds": AgencyKind.choices, "kind": kind, "districts": districts, "district": district,
        "status": status, "sort": sort, "sorts": list(SORTS.items()), "query": _query(chosen),
    }


def _chips(chosen, counts, total):
    """The status chips: links that filter the table, keeping the kind, district and order chosen."""
    chips = [{"status": "", "label": "Tất cả", "count": total, "query": _query({**chosen, STATUS_FILTER: ""}),
              "current": not chosen[STATUS_FILTER]}]
    chips += [{"status": value, "label": value.label, "count": counts[value],
               "query": _query({**chosen, STATUS_FILTER: value.value}), "current": chosen[STATUS_FILTER] == value}
              for value in BoardStatus]
    return chips


def _query(chosen):
    return urlencode({name: value for name, value in chosen.items() if value})


def _sorted(rows, sort):
    """Rows in the order asked; a unit that never submitted goes last when sorting by time, in the board's order."""
    if sort == "don-vi":
        return sorted(rows, key=lambda row: (vietnamese_order(row.agency.name), row.agency.code))
    if sort in ("nop-som", "nop-muon"):
        submitted = [row for row in rows if row.first_submitted_at]
        submitted.sort(key=lambda row: row.first_submitted_at, reverse=sort == "nop-muon")
        return submitted + [row for row in rows if not row.first_submitted_at]
    return rows


# Vietnamese letters that are letters of their own in the alphabet (a ă â, d đ, e ê, o ô ơ, u ư), each sorted
# after its base letter; the five tone marks only break ties.
_OWN_LETTERS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}


def vietnamese_order(text):
    """A sort key that puts "Đa Kao" after "Dĩ An" and before "Gò Vấp", and "Phường 2" before "Phường 10".

    Python compares code points, which would put every Đ and every accented capital after Z.
    """
    key = []
    for part in re.findall(r"\d+|\D+", unicodedata.normalize("NFD", text.lower())):
        if part.isdigit():
            key.append((0, int(part), ()))
            continue
        letters = []
        for char in part.replace("đ", "d\u0335"):
            if unicodedata.combining(char):
                if letters and (char in _OWN_LETTERS or char == "\u0335"):
                    letters[-1] = (letters[-1][0], _OWN_LETTERS.get(char, 1))
            else:
                letters.append((char, 0))
        key.append((1, 0, tuple(letters)))
    return key, unicodedata.normalize("NFC", text)

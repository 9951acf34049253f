"""Reads for the pages, each scoped through reporting.access."""


from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .choices import AgencyKind, BoardStatus, Progress, SubmissionStatus
from .formatting import format_number, format_percent
from .models import Agency, ImportBatch, ReportingPeriod, ReportingSchedule, Submission

DEFAULT_SCHEDULE_NAME = "Báo cáo tháng Đề án 06"


def default_schedule():
    schedule, _ = ReportingSchedule.objects.get_or_create(name=DEFAULT_SCHEDULE_NAME)
    return schedule


def current_period(today=None):
    """The period officers are working on: the first whose deadline is today or later."""
    today = today or timezone.localdate()
    schedule = default_schedule()
    year, month = today.year, today.month
    if today > schedule.deadline_for(year, month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return schedule.period_for(year, month)


def latest_reported_period(today=None):
    """The latest month past its deadline with approved figures (else the latest past its deadline, else the current).

    What leaders open by default: a month nobody's report was approved in yet shows nothing.
    """
    closed = (ReportingPeriod.objects.filter(schedule__name=DEFAULT_SCHEDULE_NAME,
                                             deadline__lt=today or timezone.localdate())
              .order_by("-year", "-month"))
    return (closed.filter(submissions__status=SubmissionStatus.APPROVED).first() or closed.first()
            or current_period(today))


def agencies_for(user, *, kind="", on=None):
    agencies = Agency.objects.visible_to(user).select_related("parent").annotate(child_count=Count("children"))
    if kind:
        agencies = agencies.filter(kind=kind)
    if on:
        agencies = agencies.active_on(on)
    return agencies.order_by("kind", "code")


def agency_detail(user, pk):
    """The agency if the user may read it, with its children and accounts, else None."""
    visible_children = Agency.objects.visible_to(user).order_by("code")
    return (
        Agency.objects.visible_to(user)
        .select_related("parent")
        .prefetch_related(Prefetch("children", queryset=visible_children), "users")
        .filter(pk=pk)
        .first()
    )


def days_until(day, today=None):
    return (day - (today or timezone.localdate())).days


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


def entry_layout(sheet, form, previous):
    """Sections → rows → cells with their bound field and last month's value, for the template."""
    return [
        {
            "section": section,
            "rows": [
                {"row": row, "cells": [EntryCell(cell, form[cell.key], previous.get(cell.key)) for cell in row.cells],
                 "reasons": [form[f"{cell.key}.reason"] for cell in row.cells if cell.cumulative]}
                for row in section.rows
            ],
        }
        for section in sheet.sections
    ]


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


@dataclass
class BoardRow:
    agency: Agency
    submission: Submission | None

    @property
    def status(self):
        return self.submission.board_status if self.submission else BoardStatus.NOT_STARTED


def review_board(user, period, filters):
    """Every expected unit the user may see × its submission status, in a fixed number of queries.

    ``filters`` may hold ``loai`` (agency kind) and ``quan`` (a district: it and its wards).
    """
    agencies = period.expected_agencies().filter(pk__in=Agency.objects.visible_to(user)).select_related("parent")
    kind = filters.get("loai", "")
    if kind in AgencyKind.values:
        agencies = agencies.filter(kind=kind)
    district = filters.get("quan", "")
    if district.isdigit():
        agencies = agencies.filter(Q(pk=district) | Q(parent_id=district))
    agencies = list(agencies.order_by("kind", "parent__code", "code"))
    submissions = Submission.objects.filter(period=period, agency__in=[agency.pk for agency in agencies])
    by_agency = {submission.agency_id: submission for submission in submissions.select_related("submitted_by")}
    rows = [BoardRow(agency, by_agency.get(agency.pk)) for agency in agencies]
    counts = Counter(row.status for row in rows)
    reported = counts[BoardStatus.ON_TIME] + counts[BoardStatus.LATE] + counts[BoardStatus.APPROVED]
    districts = (
        period.expected_agencies().filter(kind=AgencyKind.DISTRICT, pk__in=Agency.objects.visible_to(user)).order_by("code")
    )
    return {
        "rows": rows,
        "counts": [(status, counts[status]) for status in BoardStatus],
        "expected": len(rows),
        "reported": reported,
        "completeness": format_percent(reported, len(rows)) or "0%",
        "kinds": AgencyKind.choices, "kind": kind, "districts": districts, "district": district,
    }


def recent_imports(user, limit=10):
    """The user's latest uploads, pending ones first to be confirmed or cancelled."""
    return ImportBatch.objects.filter(created_by=user).order_by("-created_at")[:limit]

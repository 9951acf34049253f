"""From an uploaded workbook to written values: read → preview → confirm, all rows or none.

A reader (``unit_template`` for a unit's own template, ``history`` for PC06's
multi-unit workbook) turns a file into an ``ImportPlan``: the cells that would
change, each with its old value, or the problems that stop it. A plan with
problems is only shown; a plan with changes is staged as an ``ImportBatch``
and applied, when its uploader confirms, through ``store.save_batch`` in one
transaction with the same audit as the form.
"""

import itertools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from reporting.choices import CellMark, ChangeSource, Progress
from reporting.excel import collector, workbooks
from reporting.formatting import format_number
from reporting.models import (
    Agency,
    ImportBatch,
    ImportKind,
    ImportStatus,
    ReportingPeriod,
    WorkflowError,
)
from reporting.submissions import sheets, store, workflow
from reporting.submissions.store import CellValue


@dataclass(frozen=True)
class PlannedChange:
    agency_id: int
    period_id: int
    key: str
    old: CellValue
    new: CellValue
    row: int = 0

    def as_json(self):
        """A compact list: a history batch holds tens of thousands of them. The mark comes last, as it came last."""
        number = None if self.new.number is None else str(self.new.number)
        return [self.agency_id, self.period_id, self.key, number, self.new.text, self.new.comment, shown(self.old),
                self.row, self.new.mark]


def staged(batch):
    """The batch's changes as (target, key, CellValue, old value as shown, source row)."""
    for agency_id, period_id, key, number, text, comment, old, row, *mark in batch.changes:
        # A batch staged before marks existed has no ninth item: its cells are unmarked.
        value = CellValue(None if number is None else Decimal(number), text, comment, *mark)
        yield (agency_id, period_id), key, value, old, row


@dataclass
class ImportPlan:
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)   # workbooks.CellProblem
    # (agency id, period id) → the submission version the changes were computed against
    versions: dict = field(default_factory=dict)
    rows_read: int = 0


def shown(value):
    """A value as the preview and the history show it: 7.856.474, a status label, or the text."""
    if value.number is not None:
        return format_number(value.number)
    if value.mark:
        return CellMark(value.mark).label
    if value.text in _PROGRESS_VALUES:
        return Progress(value.text).label
    return value.text


# Progress.values builds its list (and its lazy labels) on every call: a history batch asks once per cell.
_PROGRESS_VALUES = frozenset(Progress.values)


@collector.paused()
def stage(plan, *, user, kind, upload, agency=None, period=None):
    """Keep a plan with changes until its uploader confirms it."""
    return ImportBatch.objects.create(
        kind=kind, file_name=upload.name[:255], file_sha256=workbooks.sha256_of(upload),
        file_size=upload.size, rows_read=plan.rows_read, agency=agency, period=period, created_by=user,
        changes=[change.as_json() for change in plan.changes],
        versions=[[agency_id, period_id, version] for (agency_id, period_id), version in plan.versions.items()],
    )


VALUE_KINDS = (ImportKind.UNIT_TEMPLATE, ImportKind.HISTORY)


def own_batch(user, pk, kinds=VALUE_KINDS):
    """The user's own batch of one of ``kinds``, or None: nobody sees or confirms another's upload."""
    return (ImportBatch.objects.filter(pk=pk, created_by=user, kind__in=kinds)
            .select_related("agency", "period").first())


@collector.paused()
def apply(batch, user):
    """Write every change of the batch or none; WorkflowError (or StaleSubmission) says why not."""
    if batch.status != ImportStatus.PENDING:
        raise WorkflowError(f"Lần nhập này {batch.get_status_display().lower()}, không thể xác nhận lại.")
    changes = {}
    for target, key, value, _, _ in staged(batch):
        changes.setdefault(target, {})[key] = value
    versions = {(agency_id, period_id): version for agency_id, period_id, version in batch.versions}
    with transaction.atomic():
        submissions = store.save_batch(user, changes, versions=versions, source=ChangeSource.IMPORT)
        if batch.kind == ImportKind.HISTORY:
            workflow.approve_imported_history(submissions.values(), user, file_name=batch.file_name)
        batch.status, batch.finished_at = ImportStatus.APPLIED, timezone.now()
        batch.note = f"Đã cập nhật {format_number(len(batch.changes))} ô số liệu của {format_number(len(changes))} báo cáo."
        batch.save(update_fields=["status", "finished_at", "note"])
    return submissions


def preview(batch, limit):
    """The first ``limit`` changes for the preview page, named: unit, month, cell label, old and new."""
    lines = list(itertools.islice(staged(batch), limit))
    agencies = dict(Agency.objects.filter(pk__in={t[0] for t, *_ in lines}).values_list("pk", "name"))
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(pk__in={t[1] for t, *_ in lines})}
    labels = {}
    for year in {period.year for period in periods.values()}:
        labels.update(sheets.catalog(year).labels)
    return [
        {"unit": agencies.get(target[0], ""), "month": periods[target[1]].label, "label": labels.get(key, key),
         "old": old, "new": shown(value), "comment": value.comment, "row": row}
        for target, key, value, old, row in lines
    ]


def summary(batch):
    """(unit, month, number of changed cells) of every target of the batch."""
    counts = Counter((agency_id, period_id) for agency_id, period_id, *_ in batch.changes)
    agencies = dict(Agency.objects.filter(pk__in={a for a, _ in counts}).values_list("pk", "name"))
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(pk__in={p for _, p in counts})}
    rows = [(agencies[a], periods[p], count) for (a, p), count in counts.items()]
    return [(unit, period.label, count) for unit, period, count in sorted(rows, key=lambda r: (r[0], r[1].year, r[1].month))]


def recent_imports(user, limit=10):
    """The user's latest uploads, pending ones first to be confirmed or cancelled."""
    return ImportBatch.objects.filter(created_by=user).order_by("-created_at")[:limit]


def cancel(batch):
    if batch.status == ImportStatus.PENDING:
        batch.status, batch.finished_at, batch.note = ImportStatus.CANCELLED, timezone.now(), "Người tải lên đã hủy."
        batch.save(update_fields=["status", "finished_at", "note"])

"""Reading and writing a unit's monthly values: the one path every change takes.

The form and (with the Excel import) the spreadsheet both call ``save_values``:
it checks the workflow, claims the submission's version (so a concurrent save
is refused, never overwritten) and writes an audit row for every changed cell,
all in one transaction.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .choices import ChangeSource
from .models import DataValue, Submission, ValueChange, WorkflowError, previous_month


@dataclass(frozen=True)
class CellValue:
    number: Decimal | None = None
    text: str = ""
    comment: str = ""

    @property
    def is_empty(self):
        return self.number is None and not self.text

    @property
    def audit_text(self):
        """How the history shows it: the plain number (normalised) or the text."""
        if self.number is not None:
            return format(self.number.normalize(), "f")
        return self.text

    @classmethod
    def of(cls, data_value):
        return cls(data_value.number, data_value.text, data_value.comment)


def values_of(submission):
    if submission is None:
        return {}
    return {value.key: CellValue.of(value) for value in submission.values.all()}


def previous_values(agency, period):
    """The unit's values of the month before, whatever their status, in one query."""
    year, month = previous_month(period.year, period.month)
    values = DataValue.objects.filter(
        submission__agency=agency, submission__period__schedule_id=period.schedule_id,
        submission__period__year=year, submission__period__month=month,
    )
    return {value.key: CellValue.of(value) for value in values}


def missing_cells(sheet, values):
    return [cell for cell in sheet.cells if cell.required and values.get(cell.key, CellValue()).is_empty]


def save_values(*, agency, period, user, values, version, source=ChangeSource.FORM):
    """Write the cells given in ``values`` (key → CellValue); return the submission.

    ``version`` is the submission version the user started from (0 when there was
    none). Raises WorkflowError if the user may not edit, StaleSubmission if
    someone saved in between; nothing is written then.
    """
    with transaction.atomic():
        submission, _ = Submission.objects.select_related("period").get_or_create(period=period, agency=agency)
        submission.ensure_editable(user)
        submission.claim_version(version, user)
        _write_cells(submission, user, values, source)
    return submission


def _write_cells(submission, user, values, source):
    existing = {value.key: value for value in submission.values.all()}
    created, updated, deleted, audit = [], [], [], []
    for key, new in values.items():
        row = existing.get(key)
        old = CellValue.of(row) if row else CellValue()
        if old == new:
            continue
        audit.append(ValueChange(
            submission=submission, key=key, old_value=old.audit_text, new_value=new.audit_text,
            comment=new.comment, source=source, version=submission.version, changed_by=user,
        ))
        if new.is_empty:
            if row:
                deleted.append(row.pk)
        elif row:
            row.number, row.text, row.comment = new.number, new.text, new.comment
            updated.append(row)
        else:
            created.append(DataValue(submission=submission, key=key, number=new.number, text=new.text, comment=new.comment))
    DataValue.objects.filter(pk__in=deleted).delete()
    DataValue.objects.bulk_update(updated, ["number", "text", "comment"])
    DataValue.objects.bulk_create(created)
    ValueChange.objects.bulk_create(audit)


def submit(submission, user, sheet, *, version):
    """Submit once every required cell is filled (0 when nothing happened)."""
    missing = missing_cells(sheet, values_of(submission))
    if missing:
        labels = sheet.labels
        names = "; ".join(labels[cell.key] for cell in missing[:5]) + ("; …" if len(missing) > 5 else "")
        raise WorkflowError(f"Còn {len(missing)} ô chưa nhập ({names}). Nhập 0 nếu trong kỳ không phát sinh.")
    submission.submit(user, version=version)


EVIDENCE_KEY = "evidence"


def record_evidence_change(submission, user, *, added="", removed=""):
    """Evidence files are part of what a unit reports, so their arrival and removal are audited too."""
    ValueChange.objects.create(submission=submission, key=EVIDENCE_KEY, old_value=removed, new_value=added,
                               source=ChangeSource.FORM, version=submission.version, changed_by=user)


def changes_since(submission, version):
    """What others changed after the user loaded ``version``: shown when their save is refused."""
    return list(submission.value_changes.filter(version__gt=version).select_related("changed_by").order_by("changed_at", "pk"))

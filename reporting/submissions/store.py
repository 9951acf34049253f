"""Reading and writing a unit's monthly values: the one path every change takes.

The form, the unit's Excel template and PC06's history workbook all end in
``save_batch``: it checks the workflow, claims each submission's version (so a
concurrent save is refused, never overwritten) and writes an audit row for
every changed cell, all in one transaction. ``write_values`` is the same for
one unit inside the caller's transaction, where the entry page's "Nộp" also
moves the month (``workflow.save_and_send``).
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Sum
from django.utils import timezone

from reporting.choices import CellMark, ChangeSource
from reporting.models import DataValue, ReportingPeriod, Submission, ValueChange, WorkflowError
from reporting.models.organisation import lineage_ids
from reporting.months import Month


@dataclass(frozen=True)
class CellValue:
    number: Decimal | None = None
    text: str = ""
    comment: str = ""
    # A CellMark value instead of a number ("" for a real value): a marked cell is filled, yet holds no number.
    mark: str = ""

    def __post_init__(self):
        # The database refuses it too (mark_or_value); failing here names the caller that built it.
        if self.mark and (self.number is not None or self.text):
            raise ValueError(f"A cell marked {self.mark!r} holds no number or text.")

    @property
    def is_empty(self):
        return self.number is None and not self.text and not self.mark

    @property
    def audit_text(self):
        """How the history shows it: the plain number (normalised), the mark's label ("Không phát sinh") or the text."""
        if self.number is not None:
            return format(self.number.normalize(), "f")
        if self.mark:
            return CellMark(self.mark).label
        return self.text

    @classmethod
    def of(cls, data_value):
        return cls(data_value.number, data_value.text, data_value.comment, data_value.mark)


def values_of(submission):
    if submission is None:
        return {}
    return {value.key: CellValue.of(value) for value in submission.values.all()}


def previous_values(agency, period):
    """The unit's values of the month before, whatever their status.

    A unit formed this month has no month before of its own: it compares with the sum of the units it
    was formed from (``lineage_ids``), number by number; their texts are theirs and are not carried over.
    """
    own = {value.key: CellValue.of(value) for value in _month_before(period).filter(submission__agency=agency)}
    return own or _predecessors_values(agency, period)


def values_with_previous(agency, period, submission):
    """``values_of(submission)`` and ``previous_values(agency, period)`` in one query (the entry page's).

    A second one only for a unit formed this month, whose month before is its predecessors' sums.
    """
    before = Month.of(period).previous()
    values, previous = {}, {}
    rows = DataValue.objects.raw(_BOTH_MONTHS_SQL, [agency.pk, period.pk, period.schedule_id, before.year,
                                                    before.month])
    for value in rows:
        if value.period_id != period.pk:
            previous[value.key] = CellValue.of(value)
        elif submission is not None and value.submission_id == submission.pk:   # not one made since it was read
            values[value.key] = CellValue.of(value)
    return values, previous or _predecessors_values(agency, period)


# The cells of the unit's month (its submission: one per unit and month) and of its month before (whatever the
# status), in SQL written once: every entry page and every save reads them, and compiling the ORM's query cost
# twice the rest. Both submissions by the unique (period, agency) index: on PostgreSQL at 3 347 units, half the
# planning and execution of a join with the periods under an OR (0,23 against 0,45 ms).
_BOTH_MONTHS_SQL = f"""
SELECT v.id, v.submission_id, v.key, v.number, v.text, v.comment, v.mark, s.period_id
FROM {DataValue._meta.db_table} v JOIN {Submission._meta.db_table} s ON s.id = v.submission_id
WHERE s.agency_id = %s AND s.period_id IN (%s, (
    SELECT p.id FROM {ReportingPeriod._meta.db_table} p WHERE p.schedule_id = %s AND p.year = %s AND p.month = %s))
"""


def _month_before(period):
    before = Month.of(period).previous()
    return DataValue.objects.filter(submission__period__schedule_id=period.schedule_id,
                                    submission__period__year=before.year, submission__period__month=before.month)


def _predecessors_values(agency, period):
    """What a unit formed in ``period`` compares with: the sums of its predecessors' numbers of the month before."""
    if not agency.is_formed_in(period):
        return {}
    sums = (_month_before(period).filter(submission__agency__in=lineage_ids([agency.pk]), number__isnull=False)
            .values("key").annotate(total=Sum("number")).order_by())
    return {row["key"]: CellValue(number=row["total"]) for row in sums}


def missing_cells(sheet, values):
    """Required cells with neither a value nor a mark: a unit that has no figure says so ("Chưa có số liệu")."""
    return [cell for cell in sheet.cells if cell.required and values.get(cell.key, CellValue()).is_empty]


def save_values(*, agency, period, user, values, version, source=ChangeSource.FORM):
    """Write one unit's cells (key → CellValue) for one period; return its submission.

    ``version`` is the submission version the user started from (0 when there was
    none). Raises WorkflowError if the user may not edit, StaleSubmission if
    someone saved in between; nothing is written then.
    """
    with transaction.atomic():
        submission, _ = write_values(agency=agency, period=period, user=user, values=values, version=version,
                                     source=source)
    return submission


def write_values(*, agency, period, user, values, version, source=ChangeSource.FORM):
    """``save_values`` inside the caller's transaction; returns the submission and its cells after the save.

    A unit's first save (version 0) inserts its submission already claimed: on deadline day most saves are
    first ones, and looking the month up, inserting it, looking it up again, claiming its version and reading
    values that cannot exist yet cost five queries more.
    """
    target = (agency.pk, period.pk)
    submission = _first_submission(agency, period, user) if version == 0 else None
    if submission is None:
        submission = _claimed(user, {target}, {target: version})[target]
        stored = _stored([submission])
    else:
        _ensure_editable(user, {target: submission})
        stored = {}
    before = {key: CellValue.of(row) for (_, key), row in stored.items()}
    _write_cells(user, {target: submission}, {target: values}, source, stored)
    return submission, {**before, **values}


def save_batch(user, changes, *, versions, source):
    """Write the cells of many (agency id, period id) targets at once, all or none.

    ``changes`` maps each target to its key → CellValue; ``versions`` maps it to
    the version the user started from. The number of queries does not grow
    with the number of targets, so PC06's history workbook takes the same path
    as one officer's form.
    """
    with transaction.atomic():
        submissions = _claimed(user, changes.keys(), versions)
        _write_cells(user, submissions, changes, source, _stored(submissions.values()))
    return submissions


def _first_submission(agency, period, user):
    """The unit's submission of ``period``, created by this save at version 1; None if it exists already."""
    try:
        with transaction.atomic():
            return Submission.objects.create(agency=agency, period=period, version=1, updated_by=user)
    except IntegrityError:
        # Someone saved the month first, maybe at this very moment: their version decides, as for any save.
        return None


def _claimed(user, targets, versions):
    """target → Submission (with period and agency), each checked editable and its version claimed."""
    submissions = _submissions_for(targets)
    _ensure_editable(user, submissions)
    Submission.claim_versions({submission.pk: versions[target] for target, submission in submissions.items()}, user)
    for target, submission in submissions.items():
        submission.version = versions[target] + 1
    return submissions


def _submissions_for(targets):
    """target → Submission (with period and agency), creating the missing ones."""
    targets = set(targets)

    def existing():
        found = Submission.objects.select_related("period", "agency").order_by().filter(
            agency_id__in={agency for agency, _ in targets}, period_id__in={period for _, period in targets})
        return {(s.agency_id, s.period_id): s for s in found if (s.agency_id, s.period_id) in targets}

    submissions = existing()
    missing = targets - submissions.keys()
    if missing:
        # ignore_conflicts: a unit saving its first draft at the same moment must not fail this batch;
        # the version check that follows decides who wins.
        Submission.objects.bulk_create([Submission(agency_id=a, period_id=p) for a, p in missing], ignore_conflicts=True)
        submissions = existing()
    return submissions


def _ensure_editable(user, submissions):
    for submission in submissions.values():
        problem = submission.editing_problem(user)
        if problem:
            where = f"{submission.agency.name} · {submission.period.label}: " if len(submissions) > 1 else ""
            raise WorkflowError(where + problem)


def _stored(submissions):
    """(submission id, key) → DataValue of the submissions, read after their versions were claimed."""
    values = DataValue.objects.filter(submission__in=list(submissions))
    return {(value.submission_id, value.key): value for value in values}


def _write_cells(user, submissions, changes, source, existing):
    """``existing``: ``_stored(submissions)``; its rows are updated in place."""
    created, updated, deleted, audit = [], [], [], []
    for target, values in changes.items():
        submission = submissions[target]
        for key, new in values.items():
            row = existing.get((submission.pk, key))
            old = CellValue.of(row) if row else CellValue()
            if old == new:
                continue
            audit.append((submission.pk, key, old.audit_text, new.audit_text, new.comment, submission.version))
            if new.is_empty:
                if row:
                    deleted.append(row.pk)
            elif row:
                row.number, row.text, row.comment, row.mark = new.number, new.text, new.comment, new.mark
                updated.append(row)
            else:
                created.append((submission.pk, key, new.number, new.text, new.comment, new.mark))
    if deleted:
        DataValue.objects.filter(pk__in=deleted).delete()
    DataValue.objects.bulk_update(updated, ["number", "text", "comment", "mark"], batch_size=500)
    insert_rows(DataValue, ["submission", "key", "number", "text", "comment", "mark"], created)
    changed_at = timezone.now()
    insert_rows(ValueChange, ["submission", "key", "old_value", "new_value", "comment", "version", "source", "changed_by",
                          "changed_at"], [(*change, source, user.pk, changed_at) for change in audit])


def insert_rows(model, field_names, rows):
    """INSERT rows of plain values in one command (PostgreSQL) or one statement run many times (SQLite).

    A history workbook creates ten thousand values and as many audit rows;
    ``bulk_create`` builds a model instance and compiles SQL for every value,
    which ``python -m benchmarks`` measured at most of the import's time.
    Numbers and dates still go through their field's conversion for the
    database; text and ids go to the driver as they are.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    database = connections[DEFAULT_DB_ALIAS]
    # Each distinct value converted once: every audit row of an import has the same time, and numbers recur.
    converters = [
        cache(partial(field.get_db_prep_save, connection=database)) if field.get_internal_type() in _CONVERTED
        else None for field in fields
    ]
    quote = database.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    params = [[convert(value) if convert else value for convert, value in zip(converters, row)] for row in rows]
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            # COPY streams the rows in one command: 20 000 INSERTs, even pipelined, took seconds.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
        else:
            # One short statement parsed once, looped over in C by sqlite3.
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", params)


_CONVERTED = {"DecimalField", "DateTimeField"}


EVIDENCE_KEY = "evidence"


def record_evidence_change(submission, user, *, added="", removed=""):
    """Evidence files are part of what a unit reports, so their arrival and removal are audited too."""
    ValueChange.objects.create(submission=submission, key=EVIDENCE_KEY, old_value=removed, new_value=added,
                               source=ChangeSource.FORM, version=submission.version, changed_by=user)


def changes_since(submission, version):
    """What others changed after the user loaded ``version``: shown when their save is refused."""
    return list(submission.value_changes.filter(version__gt=version).select_related("changed_by").order_by("changed_at", "pk"))

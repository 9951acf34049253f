"""Keeping the approved figures added up (``UnitTotal``, ``CityTotal``) as months are approved and reopened.

A month counts in the city's figures from the transaction that approves it to
the one that reopens it; these functions run inside those transactions
(``workflow``), so the kept sums change with the status or not at all.

- ``count``: the submissions' share measures are computed in the database from
  their cells (``consolidation.shares_of``, the same rules as adding them up
  live) and kept; their cells and those share measures are then added to the
  city's rows of their months;
- ``uncount``: the same taken back from the city's rows, and the share rows
  deleted; a city row no unit counts in any more goes too (a cell nobody was
  asked is absent);
- ``rebuild``: both computed again from the approved cells, for data written
  in bulk without the workflow (a generated city, ``manage.py rebuild_totals``).

The city's rows are changed by upserts that add (``total = total + new``)
rather than write, under the row locks of PostgreSQL (SQLite serialises
writers): two approvals at once both count. Each takes its rows in key order,
so two approvals never wait for each other's locks in a cycle.
"""

from django.db import connection
from django.db.models import F, Sum

from reporting.choices import APPROVED_STATUSES
from reporting.figures import consolidation
from reporting.models import CityTotal, Submission, UnitTotal

COLUMNS = ("total", *consolidation.STORED_COUNTS)
# A UnitTotal's columns in the order ``consolidation.shares_of`` selects them.
UNIT_COLUMNS = ("submission_id", "key", *COLUMNS, "period_id", "agency_id")


def count(submission_ids):
    """Add the approved ``submission_ids``' figures to the totals."""
    submission_ids = list(submission_ids)
    _insert(UnitTotal, UNIT_COLUMNS, consolidation.shares_of(submission_ids))
    for rows in _by_month(submission_ids):
        _add_to_city(rows)


def uncount(submission_ids):
    """Take the ``submission_ids``' figures (approved until now) back from the totals."""
    submission_ids = list(submission_ids)
    for rows in _by_month(submission_ids):
        _take_from_city(rows)
    UnitTotal.objects.filter(submission__in=submission_ids).delete()
    periods = Submission.objects.filter(pk__in=submission_ids).values("period")
    CityTotal.objects.filter(period__in=periods, numbers=0, none=0, unknown=0).delete()


def rebuild(periods=None):
    """Compute the totals of ``periods`` (every period when None) again from their approved cells."""
    approved = Submission.objects.filter(status__in=APPROVED_STATUSES)
    cities = CityTotal.objects.all()
    if periods is not None:
        approved, cities = approved.filter(period__in=periods), cities.filter(period__in=periods)
    UnitTotal.objects.filter(period__in=approved.values("period")).delete()
    cities.delete()
    approved = approved.values("pk")
    _insert(UnitTotal, UNIT_COLUMNS, consolidation.shares_of(approved))
    for rows in _by_month(approved):
        _insert(CityTotal, ("period_id", "key", *COLUMNS), rows)


def _by_month(submissions):
    """What the submissions add to the city, by month and key: their cells, and their kept share measures."""
    shares = (UnitTotal.objects.filter(submission__in=submissions).annotate(period_of=F("period"))
              .values_list("period_of", "key").annotate(**{name: Sum(name) for name in COLUMNS})
              .order_by("period_of", "key"))
    return consolidation.cells_by_month(submissions), shares


def _add_to_city(rows):
    table = _name(CityTotal._meta.db_table)
    added = ", ".join(f"{_name(name)} = {table}.{_name(name)} + excluded.{_name(name)}" for name in COLUMNS)
    _insert(CityTotal, ("period_id", "key", *COLUMNS), rows,
            f"ON CONFLICT ({_name('period_id')}, {_name('key')}) DO UPDATE SET {added}")


def _take_from_city(taken):
    # Not the upsert with negative numbers: the row it would insert is checked (counts never negative)
    # before the conflict is found. The rows are locked in key order first, as the upsert takes them.
    list(CityTotal.objects.select_for_update().filter(period__in=taken.values("period_of"), key__in=taken.values("key"))
         .order_by("period", "key").values_list("pk"))
    select, params = taken.query.sql_with_params()
    table = _name(CityTotal._meta.db_table)
    subtracted = ", ".join(f"{_name(name)} = {table}.{_name(name)} - taken.{_name(name)}" for name in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {subtracted} FROM ({select}) AS taken "
                       f"WHERE {table}.{_name('period_id')} = taken.{_name('period_of')} "
                       f"AND {table}.{_name('key')} = taken.{_name('key')}", params)


def _insert(model, columns, rows, suffix=""):
    """INSERT the rows selected (by a queryset, or its (sql, params)) into ``model``'s table, their columns in
    the order of ``columns``."""
    select, params = rows if isinstance(rows, tuple) else rows.query.sql_with_params()
    names = ", ".join(_name(column) for column in columns)
    with connection.cursor() as cursor:
        # SQLite reads "ON" after a SELECT without WHERE as a join's: every SELECT here has a WHERE.
        cursor.execute(f"INSERT INTO {_name(model._meta.db_table)} ({names}) {select} {suffix}", params)


def _name(column):
    return connection.ops.quote_name(column)

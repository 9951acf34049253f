"""Keeping the approved figures added up (``UnitTotal``, ``CityTotal``) as months are approved and reopened.

A month counts in the city's figures from the transaction that approves it to
the one that reopens it; these functions run inside those transactions
(``workflow``), so the kept sums change with the status or not at all.

- ``count``: the submissions' own rows are computed in the database from their
  cells (``consolidation.unit_rows``, the same rules as adding them up live),
  then added to the city's rows of their months;
- ``uncount``: the same rows taken back from the city's, then deleted; a city
  row no unit counts in any more goes too (a cell nobody was asked is absent);
- ``rebuild``: both computed again from the approved cells, for data written
  in bulk without the workflow (a generated city, ``manage.py rebuild_totals``).

The city's rows are changed by one upsert that adds (``total = total + new``)
rather than writes, under the row locks of PostgreSQL (SQLite serialises
writers): two approvals at once both count. Its rows are taken in key order,
so two approvals never wait for each other's locks in a cycle.
"""

from django.db import connection
from django.db.models import F, Sum

from reporting.choices import APPROVED_STATUSES
from reporting.figures import consolidation
from reporting.models import CityTotal, Submission, UnitTotal

COLUMNS = ("total", *consolidation.STORED_COUNTS)


def count(submission_ids):
    """Add the approved ``submission_ids``' figures to the totals."""
    submission_ids = list(submission_ids)
    for rows in consolidation.unit_rows(submission_ids):
        _insert(UnitTotal, ("submission_id", "key", *COLUMNS), rows)
    _add_to_city(submission_ids)


def uncount(submission_ids):
    """Take the ``submission_ids``' figures (approved until now) back from the totals."""
    submission_ids = list(submission_ids)
    _take_from_city(submission_ids)
    UnitTotal.objects.filter(submission__in=submission_ids).delete()
    periods = Submission.objects.filter(pk__in=submission_ids).values("period")
    CityTotal.objects.filter(period__in=periods, numbers=0, none=0, unknown=0).delete()


def rebuild(periods=None):
    """Compute the totals of ``periods`` (every period when None) again from their approved cells."""
    approved = Submission.objects.filter(status__in=APPROVED_STATUSES)
    cities = CityTotal.objects.all()
    if periods is not None:
        approved, cities = approved.filter(period__in=periods), cities.filter(period__in=periods)
    UnitTotal.objects.filter(submission__period__in=approved.values("period")).delete()
    cities.delete()
    for rows in consolidation.unit_rows(approved.values("pk")):
        _insert(UnitTotal, ("submission_id", "key", *COLUMNS), rows)
    summed = (UnitTotal.objects.filter(submission__in=approved.values("pk"))
              .values_list("submission__period_id", "key").annotate(**{name: Sum(name) for name in COLUMNS})
              .order_by())
    _insert(CityTotal, ("period_id", "key", *COLUMNS), summed)


def _add_to_city(submission_ids):
    table = _name(CityTotal._meta.db_table)
    added = ", ".join(f"{_name(name)} = {table}.{_name(name)} + excluded.{_name(name)}" for name in COLUMNS)
    _insert(CityTotal, ("period_id", "key", *COLUMNS), _summed_by_month(submission_ids),
            f"ON CONFLICT ({_name('period_id')}, {_name('key')}) DO UPDATE SET {added}")


def _take_from_city(submission_ids):
    # Not the upsert with negative numbers: the row it would insert is checked (counts never negative)
    # before the conflict is found. The rows are locked in key order first, as the upsert takes them.
    taken = _summed_by_month(submission_ids)
    list(CityTotal.objects.select_for_update().filter(period__in=taken.values("period_of"), key__in=taken.values("key"))
         .order_by("period", "key").values_list("pk"))
    select, params = taken.query.sql_with_params()
    table = _name(CityTotal._meta.db_table)
    subtracted = ", ".join(f"{_name(name)} = {table}.{_name(name)} - taken.{_name(name)}" for name in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {subtracted} FROM ({select}) AS taken "
                       f"WHERE {table}.{_name('period_id')} = taken.{_name('period_of')} "
                       f"AND {table}.{_name('key')} = taken.{_name('key')}", params)


def _summed_by_month(submission_ids):
    """(period pk, key, total, numbers, none, unknown) of the submissions' rows added up by month and key."""
    return (UnitTotal.objects.filter(submission__in=submission_ids).annotate(period_of=F("submission__period_id"))
            .values_list("period_of", "key").annotate(**{name: Sum(name) for name in COLUMNS})
            .order_by("period_of", "key"))


def _insert(model, columns, queryset, suffix=""):
    """INSERT the rows ``queryset`` selects (its columns in the order of ``columns``) into ``model``'s table."""
    select, params = queryset.query.sql_with_params()
    names = ", ".join(_name(column) for column in columns)
    with connection.cursor() as cursor:
        # SQLite reads "ON" after a SELECT without WHERE as a join's: every SELECT here has a WHERE.
        cursor.execute(f"INSERT INTO {_name(model._meta.db_table)} ({names}) {select} {suffix}", params)


def _name(column):
    return connection.ops.quote_name(column)

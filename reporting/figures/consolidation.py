"""The city's figures for one month or a range of months: the one place that adds units and months up.

The consolidated report and the dashboard read these numbers, so they always
agree. Units are added in SQL (one query: a sum per cell and month); months are
then folded by what the cell measures:

- a flow (a service's records, news items) adds up over the months;
- a cumulative counter or a stock takes its last month's value, and so does a
  service's cumulative measure (records received to date);
- a ratio is never added or averaged: it is recomputed from its two parts.

By default only approved submissions count, and the city's are read already
added up (``reporting.figures.totals``: a row per cell and month; some units
add their cells and their kept share rows); including submitted, not yet
approved ones is the caller's explicit choice (and the report prints it), and
adds the cells up again. Both ways share the queries below that say how a
unit's cells count.

A counted unit's cell is a number, "không phát sinh" (``CellMark.NONE``: a zero
the unit vouches for) or "chưa có số liệu" (``CellMark.UNKNOWN``, or no value
at all: missing, never zero). The same aggregation counts, per cell, the units
of each (``Coverage``), so a figure says over how many units it was added. A
dashboard share (online ÷ received, on time ÷ resolved) adds only the services
for which the unit reported both parts: a part known without its whole would
inflate the share.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Replace

from indicators.models import Indicator, IndicatorKind, Measure
from reporting import cells, stamps
from reporting.choices import APPROVED_STATUSES, REPORTED_STATUSES, CellMark
from reporting.models import CityTotal, DataValue, UnitTotal

# The measures the dashboard's shares read (online ÷ received, on time ÷ resolved), each also summed over
# every service under ``cells.all_services_key``: flows, added up over units and months.
SHARE_MEASURES = (cells.RECEIVED, cells.ONLINE, cells.RESOLVED, cells.ON_TIME)
# Each share's part and whole: one counts in a share only beside the other, from the same unit and service.
SHARE_PAIRS = ((cells.ONLINE, cells.RECEIVED), (cells.ON_TIME, cells.RESOLVED))
LAST_VALUE_KINDS = (IndicatorKind.CUMULATIVE, IndicatorKind.STOCK)
LAST_VALUE_CACHE_SECONDS = 60 * 60   # bounds how stale an edit that sends no signal can leave the codes


@dataclass(frozen=True)
class LastValueCodes:
    """What a range takes the last month of: indicators (running totals, stocks) and cumulative service measures."""

    indicators: frozenset
    measures: frozenset

    def covers(self, key):
        return cells.indicator_code(key) in self.indicators or cells.service_measure(key) in self.measures


LAST_VALUE_SHAPE = stamps.shape_of(LastValueCodes)


@dataclass(frozen=True)
class Coverage:
    """Of the counted units asked a cell: how many gave a number, said "không phát sinh", or gave none."""

    numbers: int = 0
    none: int = 0
    unknown: int = 0          # "chưa có số liệu", or the cell left without a value

    @property
    def expected(self):
        return self.numbers + self.none + self.unknown

    @property
    def reported(self):
        """The units whose figure is known: a number, or a zero they vouch for."""
        return self.numbers + self.none

    @property
    def complete(self):
        return not self.unknown

    @property
    def nothing_happened(self):
        """Every unit asked said "không phát sinh": the figure is a true zero, and nothing to write about."""
        return self.none > 0 and not self.numbers and not self.unknown

    @property
    def nobody_reported(self):
        return self.unknown > 0 and not self.reported


@dataclass
class Figures:
    """Cell key → the range's consolidated number (absent when no counted unit reported it) and its coverage."""

    values: dict
    coverage: dict = field(default_factory=dict)     # key → Coverage (absent when no counted unit was asked it)

    def get(self, key):
        return self.values.get(key)

    def coverage_of(self, key):
        return self.coverage.get(key)


def least_covered(coverages):
    """Of ``coverages``, the one with the most units without data: what a figure made of them can claim."""
    found = [coverage for coverage in coverages if coverage is not None]
    return max(found, key=lambda coverage: (coverage.unknown, -coverage.reported), default=None)


class Monthly(dict):
    """key → {period pk: the month's total}, and ``coverage``: key → {period pk: the month's Coverage}."""

    def __init__(self, totals=(), coverage=None):
        super().__init__(totals)
        self.coverage = coverage or {}


# One aggregation gives a cell's sum and its coverage: the rows are the counted units' cells, one per unit.
COVERAGE_COUNTS = {
    "numbers": Count("pk", filter=Q(number__isnull=False)),
    "none": Count("pk", filter=Q(mark=CellMark.NONE)),
    "unknown": Count("pk", filter=Q(number__isnull=True) & ~Q(mark=CellMark.NONE)),
}
# The counts a stored row of totals holds, and their sums over units.
STORED_COUNTS = ("numbers", "none", "unknown")
ZERO = Value(Decimal(0), output_field=DecimalField())
ALL_SERVICES_PREFIX = cells.all_services_key("")[:-1]     # "dvc.*."


def figures(periods, *, include_submitted=False, agencies=None):
    """The consolidated numbers of ``periods`` (one or more ReportingPeriod of one schedule), with their coverage."""
    if include_submitted or agencies is not None:
        return fold(periods, _by_key(_summed_cells(_cells(periods, _statuses(include_submitted), agencies))))
    city = CityTotal.objects.filter(period__in=list(periods)).exclude(key__startswith=ALL_SERVICES_PREFIX)
    return fold(periods, _by_key(city.values_list("key", "period_id", "total", *STORED_COUNTS), stored=True))


def fold(periods, by_key, *, last_only=None):
    """key → {period pk: the month's total} folded over ``periods`` by what each key measures.

    ``last_only`` (the keys of running totals and stocks) may come from the caller, who has the indicators
    loaded already; otherwise they are the keys the cached codes cover (``_last_value_codes``). A key's
    coverage over a range is its last month's where the last value is taken, else the month with the
    most units without data (a flow is only as complete as its least complete month).
    """
    order = {period.pk: position for position, period in enumerate(_in_order(periods))}
    months = {key: [(order[pk], total) for pk, total in totals.items() if pk in order] for key, totals in by_key.items()}
    coverage = {key: [(order[pk], found) for pk, found in by_month.items() if pk in order]
                for key, by_month in getattr(by_key, "coverage", {}).items()}
    if last_only is None:
        last_only = _last_value_keys(months.keys() | coverage.keys())
    return Figures({key: _fold(totals, key in last_only) for key, totals in months.items() if totals},
                   {key: _fold_coverage(found, key in last_only) for key, found in coverage.items() if found})


def series(periods, keys, *, include_submitted=False, agencies=None):
    """key → {period pk: the month's total} for ``keys`` and the share measures summed over every service.

    A measure over every service is keyed ``cells.all_services_key(measure)``.

    The city's months of approved figures are one query of the kept totals: a dashboard's trend charts and,
    folded, its figures. Submitted months, or some units, add the cells up.
    """
    share_keys = [cells.all_services_key(measure) for measure in SHARE_MEASURES]
    if not include_submitted and agencies is None:
        city = CityTotal.objects.filter(period__in=list(periods), key__in=[*keys, *share_keys])
        return _by_key(city.values_list("key", "period_id", "total", *STORED_COUNTS), stored=True)
    values = _cells(periods, _statuses(include_submitted), agencies)
    by_key = _by_key(_summed_cells(values.filter(key__in=keys)))
    if include_submitted:
        # The units' rows added here: a database cannot aggregate an aggregate in one query (the kept
        # totals are this sum).
        summed = {}
        for _, key, *sums, period_id, _ in _rows(_shares_by_unit(values)):
            found = summed.setdefault((key, period_id), [Decimal(0), 0, 0, 0])
            for position, value in enumerate(sums):
                found[position] += value
        shares = [(key, period_id, *sums) for (key, period_id), sums in summed.items()]
    else:
        shares = (_unit_totals(periods, agencies).values_list("key", "period_id")
                  .annotate(**{name: Sum(name) for name in ("total", *STORED_COUNTS)}).order_by())
    for key, period_id, total, *counts in shares:
        _add(by_key, key, period_id, total if counts[0] else None, Coverage(*counts))
    return by_key


def service_totals_by_unit(periods, *, agencies=None, include_submitted=False):
    """agency pk → {measure: its total over every service and month}: the numbers rankings compare.

    Of ``agencies``, or of every unit when None.
    """
    periods = list(periods)
    measures = {cells.all_services_key(measure): measure for measure in SHARE_MEASURES}
    if include_submitted:
        rows = [(agency_id, key, total) for _, key, total, numbers, _, _, _, agency_id
                in _rows(_shares_by_unit(_cells(periods, REPORTED_STATUSES, agencies))) if numbers]
    else:
        rows = _unit_totals(periods, agencies).filter(numbers__gt=0).order_by()
        # A month holds one row per unit and key: nothing to add up in the database for one month.
        rows = (rows.values_list("agency_id", "key", "total") if len(periods) == 1 else
                rows.values_list("agency_id", "key").annotate(summed=Sum("total")))
    totals = {}
    for agency_id, key, total in rows:
        by_measure = totals.setdefault(agency_id, {})
        by_measure[measures[key]] = by_measure.get(measures[key], 0) + total
    return totals


def shares_of(submissions):
    """(sql, params) of the rows of ``UnitTotal`` for ``submissions``: (submission pk, key, total, numbers,
    none, unknown, period pk, agency pk) of each share measure over every service."""
    return _shares_by_unit(_counted(DataValue.objects.filter(submission__in=submissions)))


def cells_by_month(submissions):
    """The queryset of (period pk, key, total, numbers, none, unknown) of the cells of ``submissions`` that
    hold or should hold a number, added up by month and key: what they add to the city."""
    values = _counted(DataValue.objects.filter(submission__in=submissions))
    return (values.annotate(period_of=F("submission__period_id")).values_list("period_of", "key")
            .annotate(total=Coalesce(Sum("number"), ZERO), **COVERAGE_COUNTS).order_by("period_of", "key"))


def _statuses(include_submitted):
    return REPORTED_STATUSES if include_submitted else APPROVED_STATUSES


def _summed_cells(values):
    return values.values_list("key", "submission__period_id").annotate(total=Sum("number"), **COVERAGE_COUNTS).order_by()


def _cells(periods, statuses, agencies):
    """The counted units' cells that hold or should hold a number: values, marks, and cells left empty."""
    values = DataValue.objects.filter(submission__period__in=list(periods), submission__status__in=statuses)
    return _for_agencies(_counted(values), agencies)


def _counted(values):
    """Of ``values``, the cells that hold or should hold a number: neither texts nor the narrative notes."""
    return values.filter(text="").exclude(cells.notes_q())


def _unit_totals(periods, agencies):
    """The kept ``UnitTotal`` rows of ``periods``, of ``agencies`` only unless it is None."""
    rows = UnitTotal.objects.filter(period__in=list(periods))
    return rows if agencies is None else rows.filter(agency__in=agencies)


def _for_agencies(rows, agencies):
    """Rows reached through ``submission``, of ``agencies`` only unless it is None."""
    return rows if agencies is None else rows.filter(submission__agency__in=agencies)


def _shares_by_unit(values):
    """(sql, params) of a row per submission and share measure, summed over the services whose pair the unit
    reported: submission_id, series_key (``cells.all_services_key``), total, and the unit counted once in
    numbers (a number for one service at least), none (only "không phát sinh") or unknown (no pair known);
    then period_id and agency_id of the submission.

    A unit with a number for one service and "không phát sinh" for another gave a number; one whose every
    pair is "chưa có số liệu" gave none.

    The values and whether each is paired are a table the sums read: written as one query of the ORM,
    each aggregate would evaluate the pair's subquery again (five times a value).
    """
    series_key = Case(
        *(When(cells.service_measure_q(measure), then=Value(cells.all_services_key(measure)))
          for measure in SHARE_MEASURES),
        default=None,
    )
    paired = (_paired(values.filter(cells.service_measure_q(*SHARE_MEASURES)))
              .annotate(series_key=series_key, period_of=F("submission__period_id"),
                        agency_of=F("submission__agency_id"))
              .values("submission_id", "series_key", "number", "mark", "paired", "period_of", "agency_of").order_by())
    inner, params = paired.query.sql_with_params()
    q = connection.ops.quote_name
    # The mark is the code's constant, written as a literal: the select's own parameters would have to
    # come before the derived table's.
    known = f"v.{q('paired')} AND (v.{q('number')} IS NOT NULL OR v.{q('mark')} = '{CellMark.NONE}')"
    with_number = f"MAX(CASE WHEN {known} AND v.{q('number')} IS NOT NULL THEN 1 ELSE 0 END)"
    any_known = f"MAX(CASE WHEN {known} THEN 1 ELSE 0 END)"
    unit = f", v.{q('period_of')}, v.{q('agency_of')}"
    # MATERIALIZED: PostgreSQL would otherwise fold the table into the query and evaluate the pair's
    # subquery again in each aggregate.
    sql = (f"WITH v AS MATERIALIZED ({inner}) "
           f"SELECT v.{q('submission_id')}, v.{q('series_key')}, "
           f"COALESCE(SUM(CASE WHEN v.{q('paired')} THEN v.{q('number')} END), 0), "
           f"{with_number}, {any_known} - {with_number}, 1 - {any_known}{unit} "
           f"FROM v WHERE v.{q('series_key')} IS NOT NULL "
           f"GROUP BY v.{q('submission_id')}, v.{q('series_key')}{unit}")
    return sql, params


def _rows(sql_and_params):
    sql, params = sql_and_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _paired(values):
    """``values`` annotated ``paired``: a share measure whose pair the same unit reported for the same service.

    The pair's key is the row's own with its measure swapped (online ↔ received, on time ↔ resolved);
    None for any other key, which is then never paired.
    """
    swaps = []
    for part, whole in SHARE_PAIRS:
        for measure, other in ((part, whole), (whole, part)):
            swaps.append(When(cells.service_measure_q(measure), then=Replace(
                F("key"), Value(f"{cells.SEPARATOR}{measure}"), Value(f"{cells.SEPARATOR}{other}"))))
    pair = DataValue.objects.filter(submission=OuterRef("submission"), key=OuterRef("pair_key")).filter(
        Q(number__isnull=False) | Q(mark=CellMark.NONE))
    return values.annotate(pair_key=Case(*swaps, default=None)).annotate(paired=Exists(pair))


def _by_key(monthly, *, stored=False):
    """``Monthly`` from (key, period pk, total, numbers, none, unknown) rows.

    A stored total is 0 where no unit gave a number; an aggregate's is None.
    """
    by_key = Monthly()
    for key, period_id, total, *counts in monthly:
        coverage = Coverage(*counts)
        _add(by_key, key, period_id, total if not stored or coverage.numbers else None, coverage)
    return by_key


def _add(by_key, key, period_id, total, coverage):
    by_key.coverage.setdefault(key, {})[period_id] = coverage
    if total is not None or coverage.reported:
        by_key.setdefault(key, {})[period_id] = total if total is not None else Decimal(0)


def _in_order(periods):
    return sorted(periods, key=lambda period: (period.year, period.month))


def _last_value_keys(keys):
    """The keys whose months must not be added: running totals and stocks, of indicators and of services."""
    codes = _last_value_codes()
    return {key for key in keys if codes.covers(key)}


def _last_value_codes():
    """Read by every consolidation, changed only by a catalog edit (a Measure's too), so cached under its stamp."""
    key = stamps.cache_key("last-value-codes", stamps=[stamps.CATALOG], shape=LAST_VALUE_SHAPE)
    codes = cache.get(key)
    if codes is None:
        codes = LastValueCodes(
            indicators=frozenset(Indicator.objects.filter(kind__in=LAST_VALUE_KINDS).values_list("code", flat=True)),
            measures=frozenset(Measure.objects.filter(cumulative=True).values_list("code", flat=True)),
        )
        cache.set(key, codes, LAST_VALUE_CACHE_SECONDS)
    return codes


def _fold(months, last_only):
    if last_only:
        return max(months)[1]
    return sum((total for _, total in months), Decimal(0))


def _fold_coverage(months, last_only):
    if last_only:
        return max(months)[1]
    return max(months, key=lambda month: (month[1].unknown, month[0]))[1]

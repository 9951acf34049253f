"""The city's figures for one month or a range of months: the one place that adds units and months up.

The consolidated report and the dashboard read these numbers, so they always
agree. Units are added in SQL (one query: a sum per cell and month); months are
then folded by what the cell measures:

- a flow (a service's records, news items) adds up over the months;
- a cumulative counter or a stock takes its last month's value, and so does a
  service's cumulative measure (records received to date);
- a ratio is never added or averaged: it is recomputed from its two parts.

By default only approved submissions count; including submitted, not yet
approved ones is the caller's explicit choice (and the report prints it).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, F, Q, Sum, Value, When

from indicators.models import Indicator, IndicatorKind, Measure
from reporting import cells, stamps
from reporting.choices import APPROVED_STATUSES, REPORTED_STATUSES
from reporting.models import DataValue

# The measures the dashboard's shares read (online ÷ received, on time ÷ resolved), each also summed over
# every service under ``cells.all_services_key``: flows, added up over units and months.
SHARE_MEASURES = (cells.RECEIVED, cells.ONLINE, cells.RESOLVED, cells.ON_TIME)
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


@dataclass
class Figures:
    """Cell key → the range's consolidated number (absent when no counted unit reported it)."""

    values: dict

    def get(self, key):
        return self.values.get(key)


def figures(periods, *, include_submitted=False, agencies=None):
    """The consolidated numbers of ``periods`` (one or more ReportingPeriod of one schedule)."""
    monthly = _numbers(periods, include_submitted, agencies).values_list("key", "submission__period_id")
    return fold(periods, _by_key(monthly.annotate(total=Sum("number")).order_by()))


def fold(periods, by_key, *, last_only=None):
    """key → {period pk: the month's total} folded over ``periods`` by what each key measures.

    ``last_only`` (the keys of running totals and stocks) may come from the caller, who has the indicators
    loaded already; otherwise they are the keys the cached codes cover (``_last_value_codes``).
    """
    order = {period.pk: position for position, period in enumerate(_in_order(periods))}
    months = {key: [(order[pk], total) for pk, total in totals.items() if pk in order] for key, totals in by_key.items()}
    if last_only is None:
        last_only = _last_value_keys(months)
    return Figures({key: _fold(totals, key in last_only) for key, totals in months.items() if totals})


def series(periods, keys, *, include_submitted=False, agencies=None):
    """key → {period pk: the month's total} for ``keys`` and the share measures summed over every service.

    A measure over every service is keyed ``cells.all_services_key(measure)``.

    One query: the months of a dashboard's trend charts and, folded, its figures.
    """
    service_measure = Case(
        *(When(cells.service_measure_q(measure), then=Value(cells.all_services_key(measure)))
          for measure in SHARE_MEASURES),
        default=F("key"),
    )
    wanted = Q(key__in=keys) | cells.service_measure_q(*SHARE_MEASURES)
    monthly = (_numbers(periods, include_submitted, agencies).filter(wanted)
               .annotate(series_key=service_measure).values_list("series_key", "submission__period_id")
               .annotate(total=Sum("number")).order_by())
    return _by_key(monthly)


def service_totals_by_unit(periods, *, agencies, include_submitted=False):
    """agency pk → {measure: its total over every service and month}: the numbers rankings compare."""
    measure = Case(*(When(cells.service_measure_q(name), then=Value(name)) for name in SHARE_MEASURES), default=None)
    rows = (_numbers(periods, include_submitted, agencies).filter(cells.service_measure_q(*SHARE_MEASURES))
            .annotate(measure=measure)
            .values("submission__agency_id", "measure").annotate(total=Sum("number")).order_by())
    totals = {}
    for row in rows:
        totals.setdefault(row["submission__agency_id"], {})[row["measure"]] = row["total"]
    return totals


def _numbers(periods, include_submitted, agencies):
    values = DataValue.objects.filter(
        submission__period__in=list(periods), number__isnull=False,
        submission__status__in=REPORTED_STATUSES if include_submitted else APPROVED_STATUSES,
    )
    return values if agencies is None else values.filter(submission__agency__in=agencies)


def _by_key(monthly):
    """key → {period pk: total} from (key, period pk, total) rows."""
    by_key = {}
    for key, period_id, total in monthly:
        by_key.setdefault(key, {})[period_id] = total
    return by_key


def _in_order(periods):
    return sorted(periods, key=lambda period: (period.year, period.month))


def _last_value_keys(by_key):
    """The keys whose months must not be added: running totals and stocks, of indicators and of services."""
    codes = _last_value_codes()
    return {key for key in by_key if codes.covers(key)}


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

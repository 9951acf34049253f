"""The city's figures for one month or a range of months: the one place that adds units and months up.

The consolidated report reads these numbers, and the dashboard will read the
same. Units are added in SQL (one query: a sum per cell and month); months are
then folded by what the cell measures:

- a flow (a service's records, news items) adds up over the months;
- a cumulative counter or a stock takes its last month's value;
- a ratio is never added or averaged: it is recomputed from its two parts.

By default only approved submissions count; including submitted, not yet
approved ones is the caller's explicit choice (and the report prints it).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from indicators.models import Indicator, IndicatorKind

from .choices import SubmissionStatus
from .models import DataValue

APPROVED = (SubmissionStatus.APPROVED,)
APPROVED_AND_SUBMITTED = (SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED)


@dataclass
class Figures:
    """Cell key → the range's consolidated number (absent when no counted unit reported it)."""

    values: dict

    def get(self, key):
        return self.values.get(key)


def figures(periods, *, include_submitted=False, agencies=None):
    """The consolidated numbers of ``periods`` (one or more ReportingPeriod of one schedule)."""
    periods = sorted(periods, key=lambda period: (period.year, period.month))
    values = DataValue.objects.filter(
        submission__period__in=periods, number__isnull=False,
        submission__status__in=APPROVED_AND_SUBMITTED if include_submitted else APPROVED,
    )
    if agencies is not None:
        values = values.filter(submission__agency__in=agencies)
    monthly = (
        values.values("key", "submission__period_id").annotate(total=Sum("number")).order_by()
    )
    order = {period.pk: position for position, period in enumerate(periods)}
    by_key = {}
    for row in monthly:
        by_key.setdefault(row["key"], []).append((order[row["submission__period_id"]], row["total"]))
    last_only = _last_value_keys(by_key)
    return Figures({key: _fold(months, key in last_only) for key, months in by_key.items()})


def _last_value_keys(by_key):
    """The keys whose months must not be added: indicators that count a running total or a stock."""
    codes = {key.removeprefix("ind.") for key in by_key if key.startswith("ind.")}
    kinds = dict(Indicator.objects.filter(code__in=codes).values_list("code", "kind"))
    return {f"ind.{code}" for code, kind in kinds.items() if kind in (IndicatorKind.CUMULATIVE, IndicatorKind.STOCK)}


def _fold(months, last_only):
    if last_only:
        return max(months)[1]
    return sum((total for _, total in months), Decimal(0))

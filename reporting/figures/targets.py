"""The plan's targets and the figures that measure them: what the dashboard and the plan board both show.

An indicator is measured from the consolidated figures (``reporting.figures.consolidation``):
a count as summed, a ratio as its numerator's share of its denominator; a target
compares that value with the plan's (``gap``, ``reached``). ``Trend`` gives the
same values month by month.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from indicators.models import IndicatorKind
from reporting.cells import all_services_key, indicator_key
from reporting.choices import CellMark
from reporting.figures import consolidation
from reporting.formatting import format_number, format_percent
from reporting.months import Month

PERCENT = "%"


@dataclass
class Point:
    label: str                  # "4/2024"
    value: Decimal | None


@dataclass
class Kpi:
    label: str
    unit: str
    value: Decimal | None
    parts: str = ""             # "3.600/3.832" for a ratio
    series: list = field(default_factory=list)
    target: Decimal | None = None
    note: str = ""
    coverage: consolidation.Coverage | None = None   # the units asked, and those that gave the figure

    @property
    def text(self):
        """The value; without one, why: every unit said "không phát sinh", or nobody gave the figure."""
        if self.value is None and self.coverage is not None:
            return CellMark.NONE.label if self.coverage.nothing_happened else CellMark.UNKNOWN.label
        return format_value(self.value, self.unit)

    @property
    def coverage_text(self):
        """"trên 140/168 đơn vị có số liệu": the value is over these units only ('' when nobody was asked)."""
        if self.coverage is None or not self.coverage.expected:
            return ""
        return (f"trên {format_number(self.coverage.reported)}/{format_number(self.coverage.expected)} "
                "đơn vị có số liệu")

    @property
    def gap(self):
        """Actual minus target, "-12,5 điểm %" or "+1.204 hồ sơ"; '' without both."""
        if self.value is None or self.target is None:
            return ""
        difference = self.value - self.target
        sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
        if self.unit == PERCENT:
            return f"{sign}{format_percent(abs(difference), 100)[:-1]} điểm %"
        return f"{sign}{format_number(abs(difference))} {self.unit}"

    @property
    def reached(self):
        return None if self.value is None or self.target is None else self.value >= self.target


@dataclass
class TargetRow:
    code: str
    text: str
    kpi: Kpi | None             # None: no indicator measures this target yet


def format_value(value, unit):
    if value is None:
        return ""
    if unit == PERCENT:
        return format_percent(value, 100)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def measured_parts(indicator):
    if indicator.kind == IndicatorKind.RATIO:
        return [indicator.numerator, indicator.denominator]
    return [indicator]


def indicator_keys(indicators):
    return sorted({indicator_key(part.code) for indicator in indicators for part in measured_parts(indicator)})


def last_value_keys(indicators):
    return {indicator_key(part.code) for indicator in indicators for part in measured_parts(indicator)
            if part.kind in consolidation.LAST_VALUE_KINDS}


class Trend:
    """The months of the window, each month's value of a key or of a ratio of two keys."""

    def __init__(self, periods, monthly):
        self.periods = periods
        self.monthly = monthly

    def of(self, key):
        return [Point(Month(*month).short_label, self._month(key, period)) for month, period in self.periods.items()]

    def ratio(self, part, whole):
        points = []
        for month, period in self.periods.items():
            numerator, denominator = self._month(part, period), self._month(whole, period)
            value = numerator * 100 / denominator if numerator is not None and denominator else None
            points.append(Point(Month(*month).short_label, value))
        return points

    def _month(self, key, period):
        return self.monthly.get(key, {}).get(period.pk)


def ratio_kpi(label, figures, trend, part, whole, **extra):
    numerator, denominator = figures.get(part), figures.get(whole)
    value = numerator * 100 / denominator if numerator is not None and denominator else None
    parts = f"{format_number(numerator)}/{format_number(denominator)}" if value is not None else ""
    return Kpi(label, PERCENT, value, parts=parts, series=trend.ratio(part, whole) if trend else [],
               coverage=consolidation.least_covered(figures.coverage_of(key) for key in (part, whole)), **extra)


def service_kpis(figures, trend):
    services = all_services_key
    return [
        ratio_kpi("Hồ sơ dịch vụ công thiết yếu nộp trực tuyến", figures, trend, services("online"),
                   services("received")),
        ratio_kpi("Hồ sơ dịch vụ công thiết yếu giải quyết đúng hạn", figures, trend, services("on_time"),
                   services("resolved")),
    ]


def indicator_kpi(indicator, figures, trend, **extra):
    if indicator.kind == IndicatorKind.RATIO:
        return ratio_kpi(indicator.name, figures, trend, indicator_key(indicator.numerator.code),
                          indicator_key(indicator.denominator.code), **extra)
    key = indicator_key(indicator.code)
    return Kpi(indicator.name, indicator.unit, figures.get(key), series=trend.of(key) if trend else [],
               coverage=figures.coverage_of(key), **extra)


def target_row(target, figures, trend):
    if target.indicator is None:
        return TargetRow(target.code, target.text, None)
    kpi = indicator_kpi(target.indicator, figures, trend, target=target.value)
    return TargetRow(target.code, target.text, kpi)


def plan_targets(plan, period):
    """The plan's targets with their actual value in ``period``, as the dashboard computes them (no trend)."""
    targets = plan.targets.select_related("indicator__numerator", "indicator__denominator").order_by("order", "code")
    figures = consolidation.figures([period])
    return [target_row(target, figures, None) for target in targets]

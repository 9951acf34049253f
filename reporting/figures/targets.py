"""The plan's targets and the figures that measure them: what the dashboard and the plan board both show.

An indicator is measured from the consolidated figures (``reporting.figures.consolidation``):
a count as summed, a ratio as its numerator's share of its denominator; a target
compares that value with the plan's (``gap``, ``reached``) and stands on track, at
risk or behind (``standing``: the rule is written there). ``Trend`` gives the same
values month by month.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import TextChoices

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
    month: Month | None = None


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
    standing: str = ""          # a Standing, when a plan target measures this figure
    target_code: str = ""       # that target's number in the plan ("4")

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

    @property
    def standing_label(self):
        return Standing(self.standing).label if self.standing else ""


class Standing(TextChoices):
    """Where a target stands, worst first: the order the dashboard lists targets in."""

    BEHIND = "behind", "Chậm"
    AT_RISK = "at_risk", "Có nguy cơ"
    NO_DATA = "no_data", "Chưa có số liệu"
    ON_TRACK = "on_track", "Đúng tiến độ"
    REACHED = "reached", "Đã đạt"
    NOT_MEASURED = "not_measured", "Chưa đo được"


WORST_FIRST = {standing: rank for rank, standing in enumerate(Standing)}
# How far below its path a target may be and still be "at risk" rather than "behind".
MARGIN_POINTS = Decimal(5)          # a share: 5 percentage points
MARGIN_OF_TARGET = Decimal("0.05")  # a count: 5 % of the target's level
# Said when PC06 has neither linked a target nor written why it cannot be measured.
NO_REASON = "Chưa gắn chỉ số đo và chưa ghi lý do — PC06 ghi trong danh mục Kế hoạch."


def margin(target, unit):
    return MARGIN_POINTS if unit == PERCENT else target * MARGIN_OF_TARGET


def path_value(start, target, month, deadline):
    """The value a straight line from ``start`` ((Month, value)) to ``target`` at ``deadline`` has at ``month``."""
    start_month, start_value = start
    span = deadline.index - start_month.index
    if span <= 0:
        return target
    done = min(max(month.index - start_month.index, 0), span)
    return start_value + (target - start_value) * done / span


def standing(*, value, target, unit, month, deadline, history=()):
    """(Standing, the path's value at ``month`` or None) of a target reached when value ≥ target by ``deadline``.

    The rule, as the leaders read it:

    - no figure this month: **Chưa có số liệu**;
    - value ≥ target: **Đã đạt**;
    - the deadline's month read and the target not reached: **Chậm**;
    - otherwise the target is judged against its *linear path*: a straight line from where the
      figure stood when the plan's year began to the target at the deadline. The start is the earliest
      month of ``history`` ((Month, value) pairs known before ``month``) from December of the year
      before the deadline's; on or above the path: **Đúng tiến độ**; below it by at most the margin
      (5 percentage points for a share, 5 % of the target for a count): **Có nguy cơ**; further below:
      **Chậm**.
    - Without any earlier month to draw the path from, the target's level is the only yardstick: within
      the margin of it **Có nguy cơ**, further **Chậm** — a figure far from its target with nothing to
      show it is moving is not called on track.

    The margin is a choice, not a rule of the plan: it keeps a month's noise (a late unit, a share
    moving by a point) from flipping a target between "on track" and "behind".
    """
    if value is None:
        return Standing.NO_DATA, None
    if value >= target:
        return Standing.REACHED, None
    if month >= deadline:
        return Standing.BEHIND, None
    since = Month(deadline.year - 1, 12)
    known = sorted((point_month, point_value) for point_month, point_value in history
                   if point_value is not None and since <= point_month < month)
    expected = path_value(known[0], target, month, deadline) if known else target
    if value >= expected:
        return Standing.ON_TRACK, expected
    if expected - value <= margin(target, unit):
        return Standing.AT_RISK, expected
    return Standing.BEHIND, expected


@dataclass
class TargetRow:
    code: str
    text: str
    kpi: Kpi | None             # None: no indicator measures this target
    standing: str = Standing.NOT_MEASURED
    expected: Decimal | None = None     # where the linear path to the deadline stands this month
    reason: str = ""            # why no indicator measures it (the catalog's words)

    @property
    def standing_label(self):
        return Standing(self.standing).label

    @property
    def expected_text(self):
        return format_value(self.expected, self.kpi.unit) if self.kpi and self.expected is not None else ""

    @property
    def rank(self):
        return WORST_FIRST[Standing(self.standing)]


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
        return [Point(Month(*month).short_label, self._month(key, period), Month(*month))
                for month, period in self.periods.items()]

    def ratio(self, part, whole):
        points = []
        for month, period in self.periods.items():
            numerator, denominator = self._month(part, period), self._month(whole, period)
            value = numerator * 100 / denominator if numerator is not None and denominator else None
            points.append(Point(Month(*month).short_label, value, Month(*month)))
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


def target_row(target, figures, trend, *, month=None):
    """The target with its value, and where it stands at ``month`` (a Month; the trend's last by default)."""
    if target.indicator is None:
        return TargetRow(target.code, target.text, None, reason=target.unmeasured_reason or NO_REASON)
    kpi = indicator_kpi(target.indicator, figures, trend, target=target.value)
    points = [(point.month, point.value) for point in kpi.series if point.month is not None]
    month = month or (points[-1][0] if points else Month(target.plan.year, 12))
    kpi.standing, expected = standing(value=kpi.value, target=target.value, unit=kpi.unit, month=month,
                                      deadline=Month(target.plan.year, 12), history=points)
    kpi.target_code = target.code
    return TargetRow(target.code, target.text, kpi, kpi.standing, expected)


def worst_first(rows):
    """Behind, at risk, without figures, on track, reached, then those nothing measures; in plan order within."""
    return sorted(rows, key=lambda row: row.rank)


def plan_targets(plan, period):
    """The plan's targets with their actual value in ``period``, as the dashboard computes them (no trend)."""
    targets = (plan.targets.select_related("plan", "indicator__numerator", "indicator__denominator")
               .order_by("order", "code"))
    figures = consolidation.figures([period])
    return [target_row(target, figures, None, month=Month.of(period)) for target in targets]

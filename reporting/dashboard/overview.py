"""The leadership dashboard of a period: completeness, targets, trends, rankings, pilot models, overdue tasks.

Its first screen answers a leader's three questions (``summary``): where the plan's targets stand, who is
late, what moved since last month; the tables below list the worst first, and ``grid`` shows who reported
each month.

Every figure comes from ``reporting.figures``, what the consolidated report
reads, so the two always say the same. A dashboard is read in a fixed number
of queries whatever the number of units (the trend's months and the range's
figures share one), and kept in the cache until a submission changes status
or a catalog it reads changes (``stamps.FIGURES``, ``stamps.CATALOG``); without
Redis the cache is the process's own memory.

The scope is the city or one unit's subtree (a district and its wards), so a
leader drills down from the city to a district, to a ward, to its submission.
"""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from indicators.models import Indicator, PlanTarget
from reporting import stamps
from reporting.access import subtree
from reporting.choices import REPORTED_STATUSES, AgencyKind, Progress, SubmissionStatus
from reporting.dashboard import grid as units_grid
from reporting.dashboard import summary
from reporting.dashboard import units as unit_rows
from reporting.figures import consolidation, plan_progress, targets
from reporting.formatting import format_percent
from reporting.models import Agency, ReportingPeriod
from reporting.models.organisation import lineage_ids
from reporting.months import Month, within
from reporting.periods import DEFAULT_SCHEDULE_NAME, default_schedule, month_problem

TREND_CHOICES = (12, 24, 36)
CACHE_SECONDS = 10 * 60      # bounds how stale an edit that sends no signal (a bulk update) can leave a page
# A submission's move (submitted, returned, approved, reopened) or an edit of what the dashboard reads
# makes every cached dashboard, data or page, stale.
STAMPS = (stamps.FIGURES, stamps.CATALOG)


class NoSuchPeriod(LookupError):
    pass


# --- what the page shows ----------------------------------------------------------------


@dataclass
class KindCount:
    kind: str
    label: str
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self):
        return self.on_time + self.late

    @property
    def missing(self):
        return self.expected - self.submitted

    @property
    def rate(self):
        return format_percent(self.submitted, self.expected) or "0%"


@dataclass
class MissingUnit:
    pk: int
    name: str
    kind: str
    parent: str
    status: str


# The columns of the pilot-model table: each progress, then the models nobody reported ("").
PROGRESS_COLUMNS = [(Progress.DONE, Progress.DONE.label), (Progress.IN_PROGRESS, Progress.IN_PROGRESS.label),
                    (Progress.NOT_STARTED, Progress.NOT_STARTED.label), ("", "Chưa báo cáo")]


@dataclass
class ProgrammeStatus:
    name: str
    declared: int
    counts: dict                # progress (or "" for not reported) → number of models

    @property
    def by_column(self):
        return [self.counts.get(progress, 0) for progress, _ in PROGRESS_COLUMNS]

    @property
    def effective(self):
        return sum(self.counts.get(progress, 0) for progress in plan_progress.EFFECTIVE)


@dataclass
class OverdueTask:
    number: str
    content: str
    due: datetime.date
    plan: str
    lead: str


@dataclass
class Dashboard:
    first: tuple                # (year, month)
    last: tuple
    months: int
    node: tuple | None          # (pk, name) of the unit whose subtree is shown; None for the city
    breadcrumbs: list           # [(pk, name)] from the city down to the node's parent
    kinds: list
    missing: list
    kpis: list
    targets: list
    rows: list
    rankings: list
    programmes: list
    overdue: list
    window: list                # month labels of the trend
    built_at: datetime.datetime
    late_units: list = field(default_factory=list)      # summary.LateUnit, worst first
    movers: list = field(default_factory=list)          # summary.Move, biggest first
    grid: units_grid.Grid | None = None

    @property
    def measured_targets(self):
        return [target for target in self.targets if target.kpi is not None]

    @property
    def targets_shown(self):
        """The worst measured targets the first screen shows; ``targets_folded`` the rest (on a phone, four
        screens hold the three answers whatever PC06 links)."""
        return self.measured_targets[:summary.SHOWN_TARGETS]

    @property
    def targets_folded(self):
        return self.measured_targets[summary.SHOWN_TARGETS:]

    @property
    def late_shown(self):
        return self.late_units[:summary.SHOWN_LATE]

    @property
    def late_folded(self):
        return self.late_units[summary.SHOWN_LATE:]

    @property
    def unmeasured_targets(self):
        return [target for target in self.targets if target.kpi is None]

    @property
    def standing_counts(self):
        return summary.standing_counts(self.targets)

    @property
    def missing_units(self):
        return [unit for unit in self.late_units if unit.missing]

    @property
    def late_submitters(self):
        return [unit for unit in self.late_units if not unit.missing]

    @property
    def expected(self):
        return sum(kind.expected for kind in self.kinds)

    @property
    def submitted(self):
        return sum(kind.submitted for kind in self.kinds)

    @property
    def on_time(self):
        return sum(kind.on_time for kind in self.kinds)

    @property
    def late(self):
        return sum(kind.late for kind in self.kinds)

    @property
    def completeness(self):
        return format_percent(self.submitted, self.expected) or "0%"

    @property
    def is_range(self):
        return self.first != self.last


# Every class a cached dashboard holds.
SHAPE = stamps.shape_of(Dashboard, targets.Point, targets.Kpi, consolidation.Coverage, targets.TargetRow, KindCount,
                        MissingUnit, unit_rows.UnitRow, unit_rows.Ranking, ProgrammeStatus, OverdueTask, summary.LateUnit, summary.Move,
                        units_grid.Grid, units_grid.Row, units_grid.Cell)


# --- building it ----------------------------------------------------------------------


def get(first, last, *, node_pk=None, months=TREND_CHOICES[0]):
    """The dashboard from the cache, or built and cached; ``first``/``last`` are (year, month)."""
    key = stamps.cache_key("dashboard", *first, *last, node_pk or "city", months, stamps=STAMPS, shape=SHAPE)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = build(first, last, node_pk=node_pk, months=months)
        cache.set(key, dashboard, CACHE_SECONDS)
    return dashboard


def build(first, last, *, node_pk=None, months=TREND_CHOICES[0]):
    periods = _periods(first, last, months)
    last_period = periods[last]
    range_periods = [period for month, period in periods.items() if first <= month <= last]
    units = _units(last_period, node_pk)
    node = next((unit for unit in units if unit.pk == node_pk), None) if node_pk else None
    if node_pk and node is None:
        raise NoSuchPeriod("Đơn vị không có trong danh sách báo cáo của kỳ này.")
    in_scope = [unit.pk for unit in units]
    year_targets = list(PlanTarget.objects.filter(plan__year=last[0]).select_related(
        "plan", "indicator__numerator", "indicator__denominator").order_by("plan__number", "order", "code"))
    featured = list(Indicator.objects.filter(on_dashboard=True, is_active=True)
                    .select_related("numerator", "denominator").order_by("order", "code"))
    measured = featured + [target.indicator for target in year_targets if target.indicator]
    # A unit's trend reads its predecessors' figures before it was formed (a ward of July 2025 continues
    # the wards it was formed from); the city's needs no such care: it sums whoever reported each month.
    scope = None if node is None else lineage_ids(in_scope)
    monthly = consolidation.series(list(periods.values()), targets.indicator_keys(measured), agencies=scope)
    figures = consolidation.fold(range_periods, monthly, last_only=targets.last_value_keys(measured))
    trend = targets.Trend(periods, monthly)
    # The city's units are every unit that reports: no list of thousands to send back to the database.
    unit_totals = consolidation.service_totals_by_unit(range_periods, agencies=None if node is None else in_scope)
    rows = unit_rows.rows(units, node, unit_totals)
    target_rows = [targets.target_row(target, figures, trend, month=Month(*last)) for target in year_targets]
    kpis = targets.service_kpis(figures, trend) + [_with_target(targets.indicator_kpi(indicator, figures, trend),
                                                                indicator, year_targets, target_rows)
                                                   for indicator in featured]
    return Dashboard(
        first=first, last=last, months=months,
        node=(node.pk, node.name) if node else None, breadcrumbs=_breadcrumbs(node),
        kinds=_kind_counts(units), missing=_missing(units),
        kpis=kpis, targets=targets.worst_first(target_rows),
        rows=rows, rankings=unit_rows.rankings(rows, units, unit_totals, node),
        programmes=_programmes(plan_progress.model_statuses(last_period, agencies=scope)),
        overdue=_overdue(last_period, node),
        window=[Month(*month).short_label for month in periods], built_at=timezone.now(),
        late_units=summary.late_units(units),
        movers=summary.movers(kpis + [row.kpi for row in target_rows if row.kpi], last),
        grid=units_grid.build(periods, rows, node_pk),
    )


def _with_target(kpi, indicator, year_targets, target_rows):
    """A KPI card carries the plan's target its indicator measures (the first, if several), and its standing."""
    for target, row in zip(year_targets, target_rows):
        if target.indicator_id == indicator.pk:
            kpi.target, kpi.standing, kpi.target_code = row.kpi.target, row.standing, row.code
            break
    return kpi


def _periods(first, last, months):
    """(year, month) → period, from the trend window's first month (or the range's, if earlier) to ``last``.

    One query; months with no period are left out (nothing was reported then).
    """
    start = min(Month(*last).plus(1 - months), Month(*first))
    found = (ReportingPeriod.objects.filter(within("", start, Month(*last)), schedule__name=DEFAULT_SCHEDULE_NAME)
             .select_related("schedule").order_by("year", "month"))
    periods = {(period.year, period.month): period for period in found}
    for month in {first, last} - periods.keys():
        # The range's own months exist on demand, as every month's page does.
        if problem := month_problem(Month(*month)):
            raise NoSuchPeriod(problem)
        periods[month] = default_schedule().period_for(*month)
    return dict(sorted(periods.items()))


@dataclass(slots=True)
class Unit:
    """An expected unit of the month as the dashboard reads it: thousands are read at once, as plain rows."""

    pk: int
    name: str
    kind: str
    parent_id: int | None
    parent_name: str            # "" without a parent
    parent_reports: bool        # its parent is a reporting unit (not the steering committee)
    submission_status: str | None
    submission_late: bool | None


def _units(period, node_pk):
    """The expected units of the period in scope, each with its submission's status and lateness (one query)."""
    units = period.expected_agencies().annotate(
        submission=FilteredRelation("submissions", condition=Q(submissions__period=period)))
    if node_pk:
        units = units.filter(subtree(node_pk))
    rows = units.order_by("kind", "code").values_list(
        "pk", "name", "kind", "parent_id", "parent__name", "parent__is_reporting_unit",
        "submission__status", "submission__is_late")
    return [Unit(pk, name, kind, parent_id, parent_name or "", bool(parent_reports), status, late)
            for pk, name, kind, parent_id, parent_name, parent_reports, status, late in rows]


def _is_reported(unit):
    return unit.submission_status in REPORTED_STATUSES


def _kind_counts(units):
    counts = {kind: KindCount(kind, label) for kind, label in AgencyKind.choices}
    for unit in units:
        count = counts[unit.kind]
        count.expected += 1
        if _is_reported(unit):
            if unit.submission_late:
                count.late += 1
            else:
                count.on_time += 1
    return [count for count in counts.values() if count.expected]


def _missing(units):
    labels = dict(SubmissionStatus.choices)
    return [MissingUnit(unit.pk, unit.name, AgencyKind(unit.kind).label, unit.parent_name,
                        labels.get(unit.submission_status, "Chưa nhập"))
            for unit in units if not _is_reported(unit)]


def _breadcrumbs(node):
    """[(pk, name)] of the node's reporting ancestors, from the top (one query, for a chosen unit only)."""
    if node is None:
        return []
    ancestor = Agency.objects.select_related("parent__parent__parent").get(pk=node.pk).parent
    crumbs = []
    while ancestor is not None and ancestor.is_reporting_unit:
        crumbs.insert(0, (ancestor.pk, ancestor.name))
        ancestor = ancestor.parent
    return crumbs


# --- pilot models and the plan ----------------------------------------------------------------


def _programmes(models):
    programmes = {}
    for model in models:
        programme = programmes.setdefault(model.programme_id, ProgrammeStatus(
            model.programme.name, model.programme.declared_count, {}))
        progress = str(model.progress or "")
        programme.counts[progress] = programme.counts.get(progress, 0) + 1
    return list(programmes.values())


def _overdue(period, node):
    return [OverdueTask(task.number, task.content, task.due_date, task.plan.number, task.lead_text)
            for task in plan_progress.overdue_tasks(period, lead=node)]


"""What one unit reports for one period: the cells of its monthly sheet.

The catalogs decide it (who reports each service and indicator, who leads
each pilot model and plan task); this module turns them into sections of rows
of cells keyed like ``DataValue.key``. The entry page, the Excel template and
import, the history and the consolidated report all read the same sheet, in a
fixed number of queries whatever the size of the catalogs.

A unit's sheet changes only when a catalog does, yet every page of the unit
needs it: it is kept in the cache, under ``stamps.CATALOG`` (moved on by any
catalog edit), so the entry page does not send its eight
catalog queries on every request of deadline day. A unit that no catalog names
by itself, nor any unit it took over, reports what every unit of its kind
reports: the 3 000 communes of a country share one sheet a year, built once
rather than at each commune's first page of deadline day.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, F, OuterRef, Q, Subquery

from indicators.models import Indicator, IndicatorKind, Measure, PlanTask, PlanTaskUnit, Service, TaskRole
from models_pilot.models import PilotModel
from reporting import cells, stamps
from reporting.models.organisation import Share, Succession

SHEET_CACHE_SECONDS = 60 * 60     # bounds how stale an edit that sends no signal can leave a sheet
# The last cell of a service's row, as the unit's own report asks it (seed 004, Phụ lục II).
SERVICE_NOTE_LABEL = "Khó khăn, vướng mắc (nếu có)"


class CellKind:
    COUNT = "count"    # a non-negative whole number
    CHOICE = "choice"  # one of Progress
    TEXT = "text"      # a short narrative


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    kind: str
    cumulative: bool = False
    help: str = ""      # what is counted, in one line (a service measure's definition)
    one_line: bool = False   # a text typed on one line (a service's remark), not a paragraph

    @property
    def required(self):
        """Numbers and statuses must be filled before submitting (0 when nothing happened); notes need not."""
        return self.kind != CellKind.TEXT


@dataclass(frozen=True)
class Bound:
    """Within one row, a part that may not exceed its whole (online ≤ received): their keys and labels."""

    part: str
    whole: str
    part_label: str
    whole_label: str


@dataclass
class Row:
    code: str
    label: str
    cells: list
    unit: str = ""
    # (numerator key, denominator key) of a ratio shown live beside the row.
    ratio: tuple = ()
    bounds: tuple = ()   # Bound of each part the row reports with its whole

    @property
    def counts(self):
        """The row's number cells (a service's measures), without its texts (the remark)."""
        return [cell for cell in self.cells if cell.kind == CellKind.COUNT]


@dataclass(frozen=True)
class Column:
    """A column of a section shown as a table: the cells of one service measure, in the rows that report it."""

    measure: str
    label: str
    help: str = ""
    cumulative: bool = False


@dataclass
class Section:
    slug: str
    title: str
    rows: list = field(default_factory=list)
    empty_text: str = ""
    columns: list = field(default_factory=list)


@dataclass
class Sheet:
    sections: list
    key: str = ""       # the cache key ``build`` keeps it under ("" for one built otherwise)

    @property
    def cells(self):
        return [cell for section in self.sections for row in section.rows for cell in row.cells]

    def cell(self, key):
        return self._by_key.get(key)

    @property
    def bounds(self):
        """Every part that may not exceed its whole, as ``rules.bound_problems`` judges them."""
        return [bound for section in self.sections for row in section.rows for bound in row.bounds]

    @property
    def labels(self):
        """key → 'row label · cell label', for the history and error lists."""
        return {
            cell.key: f"{row.label} · {cell.label}" if cell.label != row.label else row.label
            for section in self.sections for row in section.rows for cell in row.cells
        }

    def __post_init__(self):
        self._by_key = {cell.key: cell for cell in self.cells}


# Every class a cached sheet holds.
SHAPE = stamps.shape_of(Sheet, Section, Row, Cell, Bound, Column)


def build(agency, period):
    """The unit's sheet for ``period`` (it depends on the period's year only), from the cache when it is there."""
    key = cache_key(agency, period)
    return stamps.kept(key, partial(_build, agency, period, key), SHEET_CACHE_SECONDS)


def cache_key(agency, period):
    owner = agency.pk if agency.pk in named_units() else "kind"
    return stamps.cache_key("entry-sheet", owner, agency.kind, period.year, stamps=[stamps.CATALOG], shape=SHAPE)


def named_units():
    """The units whose sheet is their own: named by a service, indicator, pilot model or plan task rather than by
    their kind, and every unit formed from one of them (``heir_lineage`` may pass the items on). From the cache."""
    return stamps.kept(stamps.cache_key("named-units", stamps=[stamps.CATALOG], shape="pks"), _named_units,
                       SHEET_CACHE_SECONDS)


def _named_units():
    named = {
        *Service.reporter_agencies.through.objects.values_list("agency_id", flat=True),
        *Indicator.reporter_agencies.through.objects.values_list("agency_id", flat=True),
        *PilotModel.objects.filter(lead_agency__isnull=False).values_list("lead_agency_id", flat=True),
        *PlanTaskUnit.objects.filter(agency__isnull=False).values_list("agency_id", flat=True),
    }
    successors = {}
    for predecessor, successor in Succession.objects.values_list("predecessor_id", "successor_id"):
        successors.setdefault(predecessor, set()).add(successor)
    frontier = set(named)
    while frontier:
        frontier = {successor for unit in frontier for successor in successors.get(unit, ())} - named
        named |= frontier
    return frozenset(named)


def _build(agency, period, key=""):
    # A unit formed by a reorganisation reports what the units it is heir to reported, until PC06
    # names it in the catalogs itself: the merger does not wait for the catalogs.
    lineage = heir_lineage(agency)
    led = _plan_tasks_of(agency, lineage, period.year, TaskRole.LEAD)
    coordinated = _plan_tasks_of(agency, lineage, period.year, TaskRole.COORDINATING).exclude(pk__in=led.values("pk"))
    return Sheet([
        _services(_reported_by(Service.objects.all(), agency, lineage)),
        _indicators(_reported_by(Indicator.objects.all(), agency, lineage)),
        _pilot_models(PilotModel.objects.filter(is_active=True, lead_agency__in=lineage)),
        _plan_tasks(period.year, led),
        _coordinated_tasks(period.year, coordinated),
        _narrative(),
    ], key=key)


# How many successors the predecessor of a succession has, in the same query (a subquery, not a GROUP BY).
_SUCCESSOR_COUNT = Subquery(
    Succession.objects.filter(predecessor=OuterRef("predecessor")).order_by()
    .values("predecessor").annotate(count=Count("pk")).values("count"))


def heir_lineage(agency):
    """The unit and the units it reports in place of, however many reorganisations back (one query a generation).

    Each catalog item has one owner at a time (issue 18), so a unit takes over a predecessor's items only
    when the predecessor has ended and this unit is its heir: it took the predecessor whole, or was its only
    successor, or kept its name when it was split (Sở Nội vụ of 1/3/2025, not Sở Dân tộc và Tôn giáo, carries
    on Sở Nội vụ's reports). A unit carved out of one that goes on (Sở Quy hoạch - Kiến trúc out of Sở Xây
    dựng, 1/10/2025) takes nothing: the unit that goes on still reports its items. A split in parts with no
    such heir passes nothing on; PC06 names the new owner in the catalogs.
    """
    found, frontier = {agency.pk}, {agency.pk}
    while frontier:
        links = (Succession.objects.filter(successor_id__in=frontier, predecessor__valid_to__isnull=False)
                 .annotate(successors=_SUCCESSOR_COUNT)
                 .filter(Q(share=Share.WHOLE) | Q(successors=1) | Q(successor__name=F("predecessor__name"))))
        frontier = set(links.order_by().values_list("predecessor_id", flat=True)) - found
        found |= frontier
    return found


def catalog(year):
    """Every cell some unit may report in ``year``: how PC06's history workbook and the exports name cells."""
    return Sheet([
        _services(Service.objects.filter(is_active=True)),
        _indicators(Indicator.objects.filter(is_active=True)),
        _pilot_models(PilotModel.objects.filter(is_active=True)),
        _plan_tasks(year, PlanTask.objects.filter(plan__year=year)),
        _coordinated_tasks(year, PlanTask.objects.filter(plan__year=year, units__role=TaskRole.COORDINATING).distinct()),
        _narrative(),
    ])


def _reported_by(queryset, agency, lineage):
    return (queryset.filter(is_active=True)
            .filter(Q(reporter_kind=agency.kind) | Q(reporter_agencies__in=lineage)).distinct())


def _plan_tasks_of(agency, lineage, year, role):
    """The year's tasks in which the unit (or a predecessor) has ``role``, named or by its kind ("UBND các phường")."""
    return (
        PlanTask.objects.filter(plan__year=year)
        .filter(Q(units__role=role) & (Q(units__agency__in=lineage) | Q(units__agency_kind=agency.kind)))
        .distinct()
    )


def _services(services):
    """A row per service, its cells its measures in the measures' order then the unit's remark on it (optional).

    The section's columns are every measure used; the remark has no column.
    """
    section = Section("dich-vu-cong", "Dịch vụ công thiết yếu", empty_text="Đơn vị không được giao báo cáo dịch vụ công nào.")
    wholes = dict(Measure.objects.values_list("pk", "part_of_id"))
    used = {}
    for service in services.prefetch_related("measures"):
        measures = {measure.pk: measure for measure in service.measures.all()}
        if not measures:
            continue
        used.update(measures)
        key = partial(cells.service_key, service.code)
        codes = {measure.code for measure in measures.values()}
        section.rows.append(Row(
            service.code, service.name, unit=service.count_unit,
            cells=[*(Cell(key(measure.code), measure.label, CellKind.COUNT, cumulative=measure.cumulative,
                          help=measure.definition) for measure in measures.values()),
                   Cell(cells.service_note_key(service.code), SERVICE_NOTE_LABEL, CellKind.TEXT, one_line=True)],
            ratio=(key(cells.ONLINE), key(cells.RECEIVED)) if {cells.ONLINE, cells.RECEIVED} <= codes else (),
            bounds=tuple(
                Bound(key(part.code), key(whole.code), part.label, whole.label)
                for part in measures.values() if (whole := measures.get(_reported_whole(part.pk, measures, wholes)))
            ),
        ))
    section.columns = [Column(measure.code, measure.label, measure.definition, measure.cumulative)
                       for measure in sorted(used.values(), key=lambda measure: (measure.order, measure.code))]
    return section


def _reported_whole(measure_pk, reported, wholes):
    """The nearest measure ``measure_pk`` is a part of that the service reports too (on time → resolved), or None.

    A whole the service does not report is skipped: on time is still a part of the cases to resolve.
    """
    whole, seen = wholes.get(measure_pk), {measure_pk}
    while whole is not None and whole not in reported and whole not in seen:
        seen.add(whole)
        whole = wholes.get(whole)
    return whole if whole in reported else None


def _indicators(indicators):
    section = Section("chi-so", "Chỉ số hằng tháng", empty_text="Đơn vị không được giao báo cáo chỉ số nào.")
    indicators = list(indicators.select_related("numerator", "denominator"))
    entered = {indicator.code for indicator in indicators if indicator.kind != IndicatorKind.RATIO}
    for indicator in indicators:
        if indicator.kind == IndicatorKind.RATIO:
            # A ratio is never typed: it is shown from its two parts when the unit reports both.
            if {indicator.numerator.code, indicator.denominator.code} <= entered:
                section.rows.append(Row(
                    indicator.code, indicator.name, [], unit="%",
                    ratio=(cells.indicator_key(indicator.numerator.code),
                           cells.indicator_key(indicator.denominator.code)),
                ))
            continue
        cell = Cell(cells.indicator_key(indicator.code), indicator.name, CellKind.COUNT,
                    cumulative=indicator.kind == IndicatorKind.CUMULATIVE)
        section.rows.append(Row(indicator.code, indicator.name, [cell], unit=indicator.unit))
    return section


def _progress_row(code, key, label):
    """``key(field)`` is the key of the row's field (``cells.model_key`` or ``cells.task_key`` of its item)."""
    return Row(code, label, [
        Cell(key(cells.STATUS), "Tình trạng", CellKind.CHOICE),
        Cell(key(cells.RESULT), "Kết quả, ghi chú", CellKind.TEXT),
    ])


def _pilot_models(models):
    section = Section("mo-hinh", "Mô hình điểm đơn vị chủ trì",
                      empty_text="Đơn vị chưa được giao chủ trì mô hình điểm nào (PC06 giao trong danh mục mô hình).")
    for model in models:
        section.rows.append(_progress_row(model.code, partial(cells.model_key, model.code), model.name))
    return section


def _plan_tasks(year, tasks):
    section = Section("nhiem-vu", f"Nhiệm vụ kế hoạch năm {year} đơn vị chủ trì",
                      empty_text=f"Đơn vị không chủ trì nhiệm vụ nào của kế hoạch năm {year}.")
    for task in tasks:
        row = _progress_row(task.number, partial(cells.task_key, task.pk), f"Nhiệm vụ {task.number}: {task.content}")
        # The plan names each task's product ("Kế hoạch", "Báo cáo"…): the lead unit cites the document it issued.
        row.cells.insert(1, Cell(cells.task_key(task.pk, cells.PRODUCT), "Sản phẩm (số, ký hiệu văn bản)",
                                 CellKind.TEXT))
        section.rows.append(row)
    return section


def _coordinated_tasks(year, tasks):
    section = Section("phoi-hop", f"Nhiệm vụ kế hoạch năm {year} đơn vị phối hợp",
                      empty_text=f"Đơn vị không được giao phối hợp nhiệm vụ nào của kế hoạch năm {year}.")
    for task in tasks:
        section.rows.append(Row(task.number, f"Nhiệm vụ {task.number}: {task.content}", [
            Cell(cells.task_key(task.pk, cells.COORDINATION), "Kết quả phối hợp", CellKind.TEXT)]))
    return section


def _narrative():
    section = Section("thuyet-minh", "Thuyết minh cho báo cáo")
    for topic in cells.NOTE_TOPICS:
        section.rows.append(Row(topic.slug, topic.title, [Cell(topic.key, topic.title, CellKind.TEXT)]))
    return section

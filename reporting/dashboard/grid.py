"""The units × months grid: for each row of the units table, whether its units reported each month of the trend.

Two aggregate queries whatever the number of units or months: the submissions counted by (month, row) and the
units expected counted by row with one filtered count per month. A unit is counted in the row of its ancestor
that heads a row (the city's top-level units, or the chosen unit and its children), worked out in SQL from
the parent chain, so no list of units travels to Python.

The rows are the units of the month read: a month before a row's unit existed shows "không phải nộp"; the
units it was formed from are not folded in (the trend of figures does that, this grid is about who reported).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, When

from reporting.access import SUBTREE_DEPTH  # how deep access.subtree reaches: the same units, counted
from reporting.choices import REPORTED_STATUSES
from reporting.models import Agency, Submission
from reporting.models.organisation import existed_on
from reporting.months import Month


class State:
    """A cell's state, its abbreviation (printed in the cell: colour is never the only sign) and meaning."""

    MISSING, LATE, COMPLETE, NONE = "missing", "late", "complete", "none"
    LEGEND = (
        (MISSING, "T", "Thiếu: có đơn vị chưa nộp (số bên cạnh: bao nhiêu đơn vị)"),
        (LATE, "M", "Đủ, có đơn vị nộp muộn (số bên cạnh: bao nhiêu đơn vị)"),
        (COMPLETE, "Đ", "Đủ, đúng hạn"),
        (NONE, "–", "Không có đơn vị phải nộp"),
    )
    ABBREVIATIONS = {state: abbreviation for state, abbreviation, _ in LEGEND}


SEVERITY = {State.MISSING: 2, State.LATE: 1, State.COMPLETE: 0, State.NONE: 0}


@dataclass(slots=True)
class Cell:
    label: str                  # "4/2024"
    expected: int = 0
    reported: int = 0
    late: int = 0
    # Worked out once: the city's grid has some 40 000 cells, each read by the sort and the page.
    state: str = field(init=False)

    def __post_init__(self):
        if not self.expected:
            self.state = State.NONE
        elif self.reported < self.expected:
            self.state = State.MISSING
        else:
            self.state = State.LATE if self.late else State.COMPLETE

    @property
    def abbreviation(self):
        return State.ABBREVIATIONS[self.state]

    @property
    def count(self):
        """The number printed beside the abbreviation: units missing, or late; none for a complete month."""
        return {State.MISSING: self.expected - self.reported, State.LATE: self.late}.get(self.state)

    @property
    def description(self):
        if self.state == State.NONE:
            return f"{self.label}: không có đơn vị phải nộp"
        text = f"{self.label}: {self.reported}/{self.expected} đơn vị đã nộp"
        return f"{text}, {self.late} nộp muộn" if self.late else text


@dataclass(slots=True)
class Row:
    pk: int
    name: str
    pinned: bool = False        # the chosen unit's own row stays on top
    cells: list = field(default_factory=list)

    @property
    def missing_months(self):
        return sum(cell.state == State.MISSING for cell in self.cells)

    @property
    def late_months(self):
        return sum(cell.state == State.LATE for cell in self.cells)

    @property
    def worst(self):
        """Sort key, worst first: months with units missing, then months with units late, then the latest
        month's state before earlier ones', then more units missing, then the name."""
        recent = [(-SEVERITY[cell.state], cell.reported - cell.expected) for cell in reversed(self.cells)]
        return (-self.missing_months, -self.late_months, recent, self.name)


@dataclass
class Grid:
    months: list                # short labels of the columns, oldest first
    rows: list

    @property
    def legend(self):
        return State.LEGEND


def _head(node_pk, prefix=""):
    """SQL: the pk of the row a unit is counted in; ``prefix`` reaches the unit ("agency__" from a submission)."""
    own = f"{prefix}id"
    ancestors = [f"{prefix}{'parent__' * level}parent" for level in range(SUBTREE_DEPTH)]
    ids = [own] + [f"{ancestor}_id" for ancestor in ancestors]
    if node_pk is not None:
        whens = [When(Q(**{own: node_pk}), then=F(own))]
        whens += [When(Q(**{ids[level + 1]: node_pk}), then=F(ids[level])) for level in range(SUBTREE_DEPTH)]
    else:
        # In the city, a unit's row is its topmost ancestor that is a reporting unit.
        whens = [When(Q(**{f"{ancestor}__isnull": True}) | Q(**{f"{ancestor}__is_reporting_unit": False}),
                      then=F(ids[level])) for level, ancestor in enumerate(ancestors)]
    return Case(*whens, default=None, output_field=IntegerField())


def build(periods, heads, node_pk=None):
    """The grid of ``heads`` (UnitRow-like: pk, name) over ``periods`` ({(year, month): period}), worst first."""
    reported = (Submission.objects.filter(period__in=list(periods.values()))
                .annotate(head=_head(node_pk, "agency__")).filter(head__isnull=False)
                .values("period_id", "head").order_by()
                .annotate(reported=Count("pk", filter=Q(status__in=REPORTED_STATUSES)),
                          late=Count("pk", filter=Q(status__in=REPORTED_STATUSES, is_late=True))))
    counted = {(row["period_id"], row["head"]): row for row in reported}
    expected = (Agency.objects.filter(is_reporting_unit=True).annotate(head=_head(node_pk))
                .filter(head__isnull=False).values("head").order_by()
                .annotate(**{f"p{period.pk}": Count("pk", filter=existed_on(period.window_end))
                             for period in periods.values()}))
    expected = {row["head"]: row for row in expected}
    rows = []
    for head in heads:
        row = Row(head.pk, head.name, pinned=head.pk == node_pk)
        for month, period in periods.items():
            found = counted.get((period.pk, head.pk), {})
            row.cells.append(Cell(Month(*month).short_label, expected.get(head.pk, {}).get(f"p{period.pk}", 0),
                                  found.get("reported", 0), found.get("late", 0)))
        rows.append(row)
    rows.sort(key=lambda row: (not row.pinned, row.worst))
    return Grid([f"{month}/{year % 100:02d}" for year, month in periods], rows)

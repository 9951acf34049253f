"""The dashboard's drill-down table and rankings: one row per unit heading the scope, with its subtree's totals.

The rows are listed worst first (``UnitRow.worst``); the rankings name the best and worst by online share and
by on-time share, per kind of unit and, for the city, over every ward.
"""

import heapq
from operator import itemgetter
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from reporting.choices import REPORTED_STATUSES, AgencyKind
from reporting.formatting import format_number, format_percent

RANKED = 5


@dataclass(slots=True)
class UnitRow:
    """A row of the drill-down table: one unit with what its subtree in scope reported."""

    pk: int
    name: str
    kind: str
    is_leaf: bool
    expected: int = 0
    submitted: int = 0
    totals: dict = field(default_factory=dict)

    def rate(self, part, whole):
        whole_value = self.totals.get(whole)
        if not whole_value:
            return None
        return Decimal(self.totals.get(part) or 0) * 100 / whole_value

    @property
    def online_rate(self):
        return self.rate("online", "received")

    @property
    def on_time_rate(self):
        return self.rate("on_time", "resolved")

    @property
    def online_text(self):
        return _parts_and_share(self.totals, "online", "received")

    @property
    def on_time_text(self):
        return _parts_and_share(self.totals, "on_time", "resolved")

    @property
    def submitted_rate(self):
        return Decimal(self.submitted) * 100 / self.expected if self.expected else None

    @property
    def worst(self):
        """Sort key, worst first: the smallest share of its units that reported, then the lowest on-time and
        online shares (a unit without those figures after those with them), then the name."""
        return (_low_first(self.submitted_rate), _low_first(self.on_time_rate), _low_first(self.online_rate),
                self.name)


@dataclass
class Ranking:
    title: str
    measure: str                # "online" or "on_time"
    best: list
    worst: list


def _low_first(value):
    return (value is None, value or 0)


def _parts_and_share(totals, part, whole):
    if not totals.get(whole):
        return ""
    return (f"{format_number(totals.get(part) or 0)}/{format_number(totals[whole])} "
            f"({format_percent(totals.get(part) or 0, totals[whole])})")


def rows(units, node, unit_totals):
    """The node's own row and its children's (the city: its top-level units), each with its subtree's totals."""
    by_pk = {unit.pk: unit for unit in units}
    if node is None:
        heads = [unit for unit in units if unit.parent_id not in by_pk]
    else:
        heads = [node] + [unit for unit in units if unit.parent_id == node.pk]
    has_children = {unit.parent_id for unit in units}
    rows = {unit.pk: UnitRow(unit.pk, unit.name, AgencyKind(unit.kind).label,
                             is_leaf=unit.pk not in has_children or unit is node) for unit in heads}
    for unit in units:
        row = _row_of(unit, rows, by_pk)
        row.expected += 1
        row.submitted += unit.submission_status in REPORTED_STATUSES
        for measure, total in unit_totals.get(unit.pk, {}).items():
            row.totals[measure] = row.totals.get(measure, 0) + total
    # Worst first; the chosen unit's own row stays on top of its children.
    return sorted(rows.values(), key=lambda row: (node is None or row.pk != node.pk, row.worst))


def _row_of(unit, rows, by_pk):
    while unit.pk not in rows:
        unit = by_pk[unit.parent_id]
    return rows[unit.pk]


def rankings(rows, units, unit_totals, node):
    """Best and worst by online share and by on-time share: the table's rows by kind, and every ward in scope."""
    groups = defaultdict(list)
    labels = dict(AgencyKind.choices)
    for row in rows:
        groups[row.kind].append(row)
    if node is None:
        ward = labels[AgencyKind.WARD]
        groups[ward] = [UnitRow(unit.pk, unit.name, ward, True, totals=unit_totals.get(unit.pk, {}))
                        for unit in units if unit.kind == AgencyKind.WARD]
    rankings = []
    for kind, members in groups.items():
        for measure, title, rate in (("online", "tỷ lệ hồ sơ trực tuyến", "online_rate"),
                                     ("on_time", "tỷ lệ giải quyết đúng hạn", "on_time_rate")):
            # Each rate worked out once; of the city's thousands of wards only the ends are kept, not sorted.
            rated = [((-value, row.name), row) for row in members if (value := getattr(row, rate)) is not None]
            if len(rated) >= 2:
                size = min(RANKED, len(rated) // 2)
                best = [row for _, row in heapq.nsmallest(size, rated, key=itemgetter(0))]
                worst = [row for _, row in heapq.nlargest(size, rated, key=itemgetter(0))]
                rankings.append(Ranking(f"{kind}: {title}", measure, best, worst))
    return rankings


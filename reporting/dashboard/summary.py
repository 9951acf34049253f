"""The leaders' first screen: which targets are on track, who is late, what moved since last month.

Plain functions over what ``overview`` already read (no query): the targets' rows (their standing is
``reporting.figures.targets.standing``), the units of the month with their submission, the KPIs' series.
"""

from dataclasses import dataclass
from decimal import Decimal

from reporting.choices import REPORTED_STATUSES, AgencyKind, SubmissionStatus
from reporting.figures.targets import PERCENT, Standing, format_value
from reporting.formatting import format_number, format_percent
from reporting.months import Month

MOVERS = 5                  # the biggest changes the first screen lists
SHOWN_LATE = 5              # late units listed before "Xem thêm N đơn vị" (folded)
SHOWN_TARGETS = 4           # measured targets shown, worst first, before the rest (folded)


# --- who is late ---------------------------------------------------------------------------------


@dataclass
class LateUnit:
    pk: int
    name: str
    kind: str
    parent: str
    status: str                 # "Chưa nhập", "Đang nhập", "Bị trả lại", … or "Nộp muộn"
    missing: bool               # not reported at all (worse than reported late)


# Worst first: nothing entered, then a draft or a report waiting for its head, then one sent back.
_MISSING_ORDER = {None: 0, SubmissionStatus.DRAFT: 1, SubmissionStatus.PREPARED: 2, SubmissionStatus.RETURNED: 3}


def late_units(units):
    """Units that have not reported the month (worst first), then those that reported after the deadline."""
    labels = dict(SubmissionStatus.choices)
    missing = sorted((unit for unit in units if unit.submission_status not in REPORTED_STATUSES),
                     key=lambda unit: (_MISSING_ORDER.get(unit.submission_status, 4), unit.name))
    late = sorted((unit for unit in units if unit.submission_status in REPORTED_STATUSES and unit.submission_late),
                  key=lambda unit: unit.name)
    return ([_late(unit, labels.get(unit.submission_status, "Chưa nhập"), True) for unit in missing]
            + [_late(unit, "Nộp muộn", False) for unit in late])


def _late(unit, status, missing):
    # The steering committee heads every top-level unit: naming it beside each says nothing.
    parent = unit.parent_name if unit.parent_reports else ""
    return LateUnit(unit.pk, unit.name, AgencyKind(unit.kind).label, parent, status, missing)


# --- what moved ----------------------------------------------------------------------------------


@dataclass
class Move:
    label: str
    unit: str
    before: Decimal
    after: Decimal
    months: tuple               # ("3/2024", "4/2024")
    standing: str = ""          # the standing of the target this figure measures, if any

    @property
    def change(self):
        return self.after - self.before

    @property
    def size(self):
        """How big the move is, comparable across figures: the change relative to the month before."""
        return abs(self.change) / abs(self.before) if self.before else Decimal("Infinity")

    @property
    def direction(self):
        return "up" if self.change > 0 else "down"

    @property
    def text(self):
        """"tăng 2,3 điểm % (34,19% → 36,5%)" or "giảm 1.204 hồ sơ (−5,2%)"."""
        verb = "tăng" if self.change > 0 else "giảm"
        if self.unit == PERCENT:
            points = format_percent(abs(self.change), 100)[:-1]
            return (f"{verb} {points} điểm % ({format_value(self.before, PERCENT)} → "
                    f"{format_value(self.after, PERCENT)})")
        amount = f"{verb} {format_number(abs(self.change), 0 if self.change == self.change.to_integral_value() else 2)}"
        relative = f" ({'+' if self.change > 0 else '−'}{format_percent(abs(self.change), self.before)})" \
            if self.before else ""
        return f"{amount} {self.unit}{relative}"


def movers(kpis, last, count=MOVERS):
    """The figures that changed most from the month before ``last`` ((year, month)) to it, biggest first.

    "Biggest" is relative to the month before (a share from 20 % to 30 % moved 50 %), so a count in millions
    and a share in points compare; a figure without both months, or unchanged, is left out.
    """
    month, before = Month(*last), Month(*last).previous()
    found, seen = [], set()
    for kpi in kpis:
        if kpi.label in seen:
            continue
        seen.add(kpi.label)
        values = {point.month: point.value for point in kpi.series if point.month is not None}
        if values.get(month) is None or values.get(before) is None or values[month] == values[before]:
            continue
        found.append(Move(kpi.label, kpi.unit, values[before], values[month],
                          (before.short_label, month.short_label), kpi.standing))
    return sorted(found, key=lambda move: move.size, reverse=True)[:count]


# --- the targets at a glance ---------------------------------------------------------------------


def standing_counts(rows):
    """[(Standing, label, count)] of the measured targets, worst first, leaving out standings nobody has."""
    counts = {}
    for row in rows:
        counts[row.standing] = counts.get(row.standing, 0) + 1
    return [(standing.value, standing.label, counts[standing]) for standing in Standing
            if counts.get(standing) and standing != Standing.NOT_MEASURED]

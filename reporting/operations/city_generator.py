"""A city-scale dataset: the real catalogs, 36 months of approved history and a history workbook.

The city is the catalogs' own: before 1/7/2025 the city police, the
departments, the 22 districts and their 273 wards (323 reporting units in
2024). ``load_city(wards=N)`` makes a city of the same shape whose wards are
N generated ones under the real districts: a few for a test, thousands for a
benchmark at the scale of the country.
``generate_history`` gives each unit an approved
submission for every month from January 2022 to December 2024, holding
exactly the cells ``reporting.submissions.sheets`` says the unit reports, with
numbers that behave like the real ones (a service measure never above the
whole it is a part of — online ≤ received, on time ≤ resolved —, running
totals that only grow, a ratio's part never above its whole) and the
narrative notes of the districts, departments and city police (the wards'
notes are summarised by their district, or the report would run to a hundred
pages).
"""

import datetime
import io
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from indicators.models import Indicator, IndicatorKind, PlanTask
from models_pilot.models import PilotModel
from reporting import cells
from reporting.catalog.loading import read_fixture
from reporting.choices import AgencyKind, Progress, Role, SubmissionStatus
from reporting.excel import value_table
from reporting.figures import totals as approved_totals
from reporting.formatting import format_number, parse_number
from reporting.models import Agency, DataValue, Submission, User
from reporting.months import Month
from reporting.operations import city_notes
from reporting.periods import default_schedule
from reporting.submissions import sheets
from reporting.submissions.store import insert_rows

COMPILER = "bench.pc06"
FIRST_MONTH = (2022, 1)
# The generated months are before the 2025 reorganisation: the city of that day is the one resized.
GENERATED_HIERARCHY_DAY = datetime.date(2024, 12, 31)
MONTHS = 36
# Whose notes PC06 quotes in the city report.
NOTE_WRITERS = (AgencyKind.POLICE, AgencyKind.DEPARTMENT, AgencyKind.DISTRICT)


def load_city(wards=None, *, units=None):
    """Load the catalogs, give the 2024 city ``wards`` generated wards if asked, return PC06's compiler.

    ``units`` asks for that many reporting units in all instead: the city's departments and districts,
    and generated wards for the rest (3 347: about the whole country's communes since 2025).
    """
    call_command("load_catalogs", stdout=io.StringIO())
    if units is not None:
        others = (Agency.objects.filter(is_reporting_unit=True).exclude(kind=AgencyKind.WARD)
                  .active_on(GENERATED_HIERARCHY_DAY).count())
        wards = max(units - others, 0)
    if wards is not None:
        _resize_wards(wards)
    compiler, _ = User.objects.get_or_create(username=COMPILER, defaults={
        "role": Role.COMPILER, "agency": Agency.objects.get(code="PC06")})
    return compiler


def _resize_wards(wards):
    """Replace every ward-level unit by ``wards`` generated wards under the districts of 2024."""
    Agency.objects.filter(kind=AgencyKind.WARD).delete()
    districts = list(Agency.objects.filter(kind=AgencyKind.DISTRICT).active_on(GENERATED_HIERARCHY_DAY).order_by("code"))
    Agency.objects.bulk_create([
        Agency(code=f"BENCH-P{number:03d}", name=f"Phường thử nghiệm {number}", kind=AgencyKind.WARD,
               parent=districts[number % len(districts)], source="benchmarks: phường sinh tự động")
        for number in range(1, wards + 1)
    ])


# --- months of approved submissions --------------------------------------------------


@dataclass
class History:
    """What ``generate_history`` wrote, and the sums the consolidation must find in it."""

    units: int
    periods: list
    submissions: int
    values: int
    notes: int
    seconds: float
    totals: Counter     # (period pk, key) → the sum of the numbers generated for that cell and month
    catalog: "_Catalog"  # goes on with each unit's numbers: ``catalog.values(agency, a later period)``

    def summary(self):
        return (f"Dữ liệu sinh: {format_number(self.units)} đơn vị × {len(self.periods)} tháng = "
                f"{format_number(self.submissions)} báo cáo đã duyệt, {format_number(self.values)} ô số liệu "
                f"(trong đó {format_number(self.notes)} đoạn thuyết minh); sinh trong {format_number(self.seconds, 1)} s")


def generate_history(compiler, *, first=FIRST_MONTH, months=MONTHS, seed=0, missing=0.0):
    """An approved submission per reporting unit per month from ``first`` on, with the cells its sheet asks for.

    ``seed`` picks another city of the same shape (the same seed, the same numbers); a share
    ``missing`` of the units' months have no submission at all (a unit that never reported).

    Rows go in by ``reporting.submissions.store.insert_rows`` (COPY on PostgreSQL, one
    statement run many times on SQLite): the ORM's bulk_create builds a model
    instance per value, and there are a few hundred thousand. One transaction:
    SQLite would otherwise commit, and wait for the disk, after every row.
    """
    with transaction.atomic():
        return _generate(compiler, first, months, seed, missing)


def _generate(compiler, first, months, seed, missing):
    started = time.perf_counter()
    assign_pilot_model_leads()
    periods = month_periods(first, months)
    units = _expected_units(periods)
    catalog = _Catalog(seed)
    planned = [(period, agency, catalog.values(agency, period)) for period in periods for agency in units[period]
               if _draw(seed, agency, period, "missing") >= missing]
    insert_rows(Submission, ["period", "agency", "status", "version", "is_late", "first_submitted_at", "submitted_at",
                             "submitted_by", "review_comment", "updated_at", "updated_by"],
            [_submission_row(period, agency, compiler, seed) for period, agency, _ in planned])
    submission_ids = {(period_id, agency_id): pk for period_id, agency_id, pk in Submission.objects.filter(
        period__in=periods).values_list("period_id", "agency_id", "pk")}
    rows, totals, notes_written = [], Counter(), 0
    for period, agency, values in planned:
        submission = submission_ids[period.pk, agency.pk]
        for key, value in values.items():
            if isinstance(value, str):
                rows.append((submission, key, None, value, ""))
                notes_written += cells.is_note(key)
            else:
                rows.append((submission, key, Decimal(value), "", ""))
                totals[period.pk, key] += value
    insert_rows(DataValue, ["submission", "key", "number", "text", "comment"], rows)
    # Approved without the workflow, so added up here as approving each month would have.
    approved_totals.rebuild(periods)
    return History(units=len({agency.pk for _, agency, _ in planned}), periods=periods, submissions=len(planned),
                   values=len(rows), notes=notes_written, seconds=time.perf_counter() - started, totals=totals,
                   catalog=catalog)


def month_periods(first, months):
    """The schedule's periods of ``months`` months from ``first`` = (year, month)."""
    last = Month(*first).plus(months - 1)
    return default_schedule().periods_between(first, (last.year, last.month))


def assign_pilot_model_leads():
    """Give each pilot model without one a lead department or district, as PC06 does in the model catalog.

    The real catalog names no lead units yet, and a unit reports a model's
    progress only when it leads it.
    """
    leads = list(Agency.objects.filter(kind__in=(AgencyKind.DEPARTMENT, AgencyKind.DISTRICT),
                                       is_reporting_unit=True).order_by("kind", "code"))
    for position, model in enumerate(PilotModel.objects.filter(lead_agency__isnull=True).order_by("code")):
        model.lead_agency = leads[(position * 7) % len(leads)]
        model.save(update_fields=["lead_agency"])


def _expected_units(periods):
    """period → its expected reporting units: the hierarchy changes, so each month has its own list."""
    return {period: list(period.expected_agencies().order_by("code")) for period in periods}


def _draw(seed, agency, period, what):
    """A number in [0, 1) fixed by the seed, the unit, the month and what it decides."""
    return random.Random(f"{seed}:{agency.code}:{period.year}-{period.month}:{what}").random()


def _submission_row(period, agency, compiler, seed):
    # One report in twelve came in after the deadline; every one has since been approved.
    late = _draw(seed, agency, period, "late") < 1 / 12
    day = period.deadline + datetime.timedelta(days=2 if late else -3)
    submitted = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return (period.pk, agency.pk, SubmissionStatus.APPROVED, 3, late, submitted, submitted, compiler.pk, "",
            submitted + datetime.timedelta(days=1), compiler.pk)


class _Catalog:
    """The cells each unit reports (its entry sheet, built once a year) and believable values for them."""

    def __init__(self, seed=0):
        self.seed = seed
        self.sheets = {}
        self.named = sheets.named_units()
        self.figures = {}
        self.indicator_kinds = dict(Indicator.objects.values_list("code", "kind"))
        self.ratio_parts = [
            (cells.indicator_key(numerator), cells.indicator_key(denominator))
            for numerator, denominator in Indicator.objects.filter(kind=IndicatorKind.RATIO)
            .values_list("numerator__code", "denominator__code")
        ]
        self.task_due = {cells.task_status_key(pk): due for pk, due in PlanTask.objects.values_list("pk", "due_date")}
        self.anchors = defaultdict(dict)
        for row in read_fixture("demo_values_2024_04.csv"):
            self.anchors[row["agency"]][row["key"]] = int(parse_number(row["value"]))

    def values(self, agency, period):
        """key → number or text of the unit's month: every cell of its sheet but the optional notes of rows."""
        return self.figures_of(agency).month(self.sheet(agency, period), period)

    def sheet(self, agency, period):
        # As ``sheets.build`` shares them: 300 wards share one sheet a year.
        sheet_key = (agency.pk if agency.pk in self.named else agency.kind, period.year)
        if sheet_key not in self.sheets:
            self.sheets[sheet_key] = sheets.build(agency, period)
        return self.sheets[sheet_key]

    def figures_of(self, agency):
        if agency.pk not in self.figures:
            self.figures[agency.pk] = _UnitFigures(agency, self)
        return self.figures[agency.pk]


def months_since_start(period):
    return Month.of(period).index - Month(*FIRST_MONTH).index


# The month of the real city report whose figures the demo holds (fixtures/demo_values_2024_04.csv).
ANCHOR_STEP = Month(2024, 4).index - Month(*FIRST_MONTH).index


def _depth(key, whole_of):
    """How many wholes a service cell is inside (received 0, online 1; on time 2 under resolved and to resolve)."""
    depth = 0
    while key in whole_of and depth <= len(whole_of):
        key, depth = whole_of[key], depth + 1
    return depth


def growth(step, start, per_month):
    """A running total's or a stock's share of its April 2024 level ``step`` months after January 2022 (linear)."""
    return (start + per_month * step) / (start + per_month * ANCHOR_STEP)


class _UnitFigures:
    """One unit's numbers month after month, from its own seeded random source, so every run is the same."""

    def __init__(self, agency, catalog):
        self.agency = agency
        self.catalog = catalog
        self.random = random.Random(f"{catalog.seed}:{agency.code}")
        # A ward serves a few tens of thousands of people; a department or the city police the whole city.
        self.scale = 1 if agency.kind == AgencyKind.WARD else 12
        self.anchors = catalog.anchors.get(agency.code, {})
        self.draws = {}

    def draw(self, key):
        """A number in [0, 1) drawn once for ``key``: what stays the same month after month (a ward's size…)."""
        if key not in self.draws:
            self.draws[key] = self.random.random()
        return self.draws[key]

    def base(self, key, low, high):
        return (low + (high - low) * self.draw(key)) * self.scale

    def month(self, sheet, period):
        step = months_since_start(period)
        values = {}
        for row in sheet.sections[0].rows:
            values.update(self.service(row, step))
        for row in sheet.sections[1].rows:
            for cell in row.cells:
                values[cell.key] = self.indicator(cell.key, step)
        self.keep_parts_within_wholes(values)
        for row in sheet.sections[2].rows + sheet.sections[3].rows:
            status_key = row.cells[0].key
            values[status_key] = self.progress(status_key, period)
        if self.agency.kind in NOTE_WRITERS:
            values.update(city_notes.month_notes(period, self.random, values))
        return values

    def level(self, key, low, high):
        """The cell's April 2024 level: the real report's figure where the demo has one, else drawn once."""
        return self.anchors.get(key) or self.base(key, low, high)

    def service(self, row, step):
        """A month of one service, whatever it measures: wholes first, then each part as a share of its whole.

        The service's size is drawn once (the real report's figure where the demo has one). Online uptake
        grows from about half in 2022 to nearly all at the end of 2024; a running total to date only grows.
        """
        whole_of = {bound.part: bound.whole for bound in row.bounds}
        parts_of = defaultdict(list)
        for part, whole in whole_of.items():
            parts_of[whole].append(part)
        flows = [cell.key for cell in row.counts if not cell.cumulative]
        main = round(self.level(flows[0], 10, 160) * self.random.uniform(0.75, 1.25)) if flows else 0
        values = {}
        for cell in sorted(row.counts, key=lambda cell: _depth(cell.key, whole_of)):
            if cell.key in values:
                continue
            if cell.cumulative:
                values[cell.key] = round(self.level(cell.key, 2_000, 20_000) * growth(step, 0.3, 0.02))
            elif cell.key not in whole_of:
                values[cell.key] = main if cell.key == flows[0] else round(main * self.random.uniform(0.88, 1.1))
            else:
                whole = whole_of[cell.key]
                values.update(self.shares(values[whole], parts_of[whole], step))
        for part in sorted(whole_of, key=lambda key: _depth(key, whole_of)):
            # Only a part drawn on its own (a running total) can exceed its whole; the shares never do.
            values[part] = min(values[part], values[whole_of[part]])
        return values

    def shares(self, whole, parts, step):
        """The parts of one whole: online takes the month's online share, the others split the rest.

        A lone part other than online (on time of resolved) is most of its whole.
        """
        online = [part for part in parts if cells.service_measure(part) == cells.ONLINE]
        others = [part for part in parts if part not in online]
        values = {part: round(whole * min(1.0, 0.45 + 0.015 * step + self.random.uniform(-0.05, 0.05)))
                  for part in online}
        if online:
            rest = whole - sum(values.values())
            values.update({part: rest // len(others) for part in others})
        else:
            values.update({part: round(whole * self.random.uniform(0.88, 1.0)) for part in others})
        return values

    def indicator(self, key, step):
        kind = self.catalog.indicator_kinds[cells.indicator_code(key)]
        level = self.level(key, 200, 20_000)
        if kind == IndicatorKind.CUMULATIVE:
            return round(level * growth(step, 0.3, 0.02))     # a running total never falls
        if kind == IndicatorKind.STOCK:
            return round(level * growth(step, 1, 0.002))
        return round(level * self.random.uniform(0.7, 1.3))  # a flow: this month's news items, answers…

    def keep_parts_within_wholes(self, values):
        # e.g. the facilities that read the chip-based ID card are some of all the facilities.
        # Capped at the whole, never scaled down: a running total capped by a growing whole still never falls.
        for part, whole in self.catalog.ratio_parts:
            if part in values and whole in values:
                values[part] = min(values[part], values[whole])

    def progress(self, key, period):
        """A plan task is done by its due date (one in four runs late); a pilot model starts, then is done."""
        due = self.catalog.task_due.get(key)
        if due is not None:
            late = self.draw(f"{key}:late") < 1 / 4
            return Progress.DONE if period.window_end > due and not late else Progress.IN_PROGRESS
        step = months_since_start(period)
        starts = 36 * self.draw(f"{key}:start")
        if step < starts:
            return Progress.NOT_STARTED
        return Progress.DONE if step >= starts + 6 + 30 * self.draw(f"{key}:done") else Progress.IN_PROGRESS


# --- a multi-unit history workbook ------------------------------------------------------


def history_rows(count, year=2024):
    """``count`` valid rows: every ward of ``year``, month after month, the services that report the four measures."""
    catalog = sheets.catalog(year)
    wards = list(Agency.objects.filter(kind=AgencyKind.WARD, is_reporting_unit=True).active_on(datetime.date(year, 12, 31))
                 .order_by("code").values_list("code", flat=True))
    four = (cells.RECEIVED, cells.ONLINE, cells.RESOLVED, cells.ON_TIME)
    services = [row for row in catalog.sections[0].rows
                if sorted(cells.service_measure(cell.key) for cell in row.counts) == sorted(four)]
    rows = []
    month = 1
    while len(rows) < count:
        for number, ward in enumerate(wards, start=1):
            for service in services:
                received = 100 + number + month
                values = dict(zip(four, (received, received // 2, received - 5, received - 9)))
                for cell in service.counts:
                    rows.append([ward, None, year, month, cell.key, None,
                                 values[cells.service_measure(cell.key)], None])
                    if len(rows) == count:
                        return rows
        month += 1
    return rows


def history_workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = value_table.SHEET_TITLE
    sheet.append(value_table.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

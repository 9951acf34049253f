"""Where the pilot models and the plan's tasks stand in a period, as the units reported them.

The consolidated report (its count of effective models, its list of overdue
tasks) and the dashboard both read these, so they always say the same. Each is
one or two queries, whatever the number of units.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from indicators.models import PlanTask, PlanTaskUnit, TaskRole
from models_pilot.models import PilotModel
from reporting import cells
from reporting.choices import APPROVED_STATUSES, Progress
from reporting.models import DataValue
from reporting.months import Month

# Furthest first: a model one unit reports done and another in progress is done.
FURTHEST_FIRST = (Progress.DONE, Progress.IN_PROGRESS, Progress.NOT_STARTED)
EFFECTIVE = (Progress.DONE, Progress.IN_PROGRESS)


def _reported(period, statuses, agencies, **cell):
    values = DataValue.objects.filter(submission__period=period, submission__status__in=statuses, **cell)
    return values if agencies is None else values.filter(submission__agency__in=agencies)


def model_statuses(period, *, statuses=APPROVED_STATUSES, agencies=None):
    """Every active pilot model (with its programme), each with ``progress``: the furthest reported, or None.

    Two queries: the models, then the progress their status cells of the month report, found by key (an
    index). As one query, a test per progress on a key built in SQL, PostgreSQL hashed every cell of the
    month three times: 44 ms of the dashboard at 3 347 units.
    """
    models = list(PilotModel.objects.filter(is_active=True).select_related("programme")
                  .order_by("programme__code", "number", "code"))
    by_key = {cells.model_status_key(model.code): model for model in models}
    reported = defaultdict(set)
    for key, progress in _reported(period, statuses, agencies, key__in=by_key, text__in=FURTHEST_FIRST).values_list(
            "key", "text").distinct():
        reported[key].add(progress)
    for key, model in by_key.items():
        model.progress = next((progress for progress in FURTHEST_FIRST if progress in reported[key]), None)
    return models


def overdue_tasks(period, *, statuses=APPROVED_STATUSES, lead=None):
    """Tasks of the period's year due before its data window closed and not reported done.

    ``lead`` (an Agency, or the dashboard's row of one: its pk and kind) keeps the tasks it leads, by name or by
    its kind ("UBND các quận, huyện").
    """
    tasks = PlanTask.objects.filter(plan__year=period.year, due_date__lt=period.window_end)
    if lead is not None:
        tasks = tasks.filter(Q(units__agency_id=lead.pk) | Q(units__agency_kind=lead.kind), units__role=TaskRole.LEAD)
    return _not_done(tasks, period, statuses)


def tasks_due_next(period, *, statuses=APPROVED_STATUSES):
    """Tasks due within the next month's data window and not reported done: the report's V. names them."""
    following = Month.of(period).next()
    _, next_end = period.schedule.window_for(following.year, following.month)
    return _not_done(PlanTask.objects.filter(due_date__gte=period.window_end, due_date__lte=next_end), period,
                     statuses)


def _not_done(tasks, period, statuses):
    """``tasks`` no unit reported done in ``period``: two queries, the tasks, then their status cells found by
    key (an index), as ``model_statuses`` reads. Correlated on a key built in SQL, PostgreSQL looked through
    every cell of the month's thousands of submissions: 27 ms of the dashboard at 3 347 units."""
    tasks = list(tasks.select_related("plan").distinct().order_by("due_date", "pk"))
    if not tasks:
        return []
    keys = [cells.task_status_key(task.pk) for task in tasks]
    done = set(_reported(period, statuses, None, key__in=keys, text=Progress.DONE).values_list("key", flat=True))
    return [task for task, key in zip(tasks, keys) if key not in done]


# --- the plan board ------------------------------------------------------------------------------

# What a unit wrote beside a task, in the order the board shows it.
TASK_FIELDS = {cells.PRODUCT: "Sản phẩm", cells.RESULT: "Kết quả", cells.COORDINATION: "Phối hợp"}


@dataclass
class TaskLine:
    task: object
    progress: str | None            # the furthest any lead unit reported, or None
    overdue: bool
    reports: list = field(default_factory=list)     # (unit name, field label, text)

    @property
    def progress_label(self):
        return Progress(self.progress).label if self.progress else "Chưa báo cáo"


def task_board(plan, period, *, statuses=APPROVED_STATUSES, lead=None):
    """Every task of the plan as reported in ``period``: overdue ones first, then by group and number.

    ``lead`` (an Agency) keeps the tasks it leads, by name or by its kind. Three queries.
    """
    task_key = cells.task_status_expression(OuterRef("pk"))
    reported = _reported(period, statuses, None, key=task_key)
    tasks = (plan.tasks.select_related("group").prefetch_related(
        Prefetch("units", queryset=PlanTaskUnit.objects.select_related("agency")))
        .annotate(**{progress: Exists(reported.filter(text=progress)) for progress in FURTHEST_FIRST}))
    if lead is not None:
        tasks = tasks.filter(Q(units__agency_id=lead.pk) | Q(units__agency_kind=lead.kind), units__role=TaskRole.LEAD).distinct()
    lines = [_line(task, period) for task in tasks]
    _attach_reports(lines, period, statuses)
    lines.sort(key=lambda line: (not line.overdue, line.task.group.order, _number(line.task.number)))
    return lines


def _line(task, period):
    progress = next((progress for progress in FURTHEST_FIRST if getattr(task, progress)), None)
    overdue = bool(task.due_date and task.due_date < period.window_end and progress != Progress.DONE)
    return TaskLine(task, progress, overdue)


def _attach_reports(lines, period, statuses):
    """The units' product references and notes on these tasks, in one query."""
    by_key = {cells.task_key(line.task.pk, name): (line, label)
              for line in lines for name, label in TASK_FIELDS.items()}
    values = (DataValue.objects.filter(submission__period=period, submission__status__in=statuses,
                                       key__in=list(by_key)).exclude(text="")
              .values_list("key", "submission__agency__name", "text").order_by("submission__agency__code"))
    for key, unit, text in values:
        line, label = by_key[key]
        line.reports.append((unit, label, text))


def _number(printed):
    """"07" < "10" < "10a": the plan's numbering, read as numbers where it is one."""
    digits = "".join(character for character in printed if character.isdigit())
    return (int(digits) if digits else 0, printed)


def progress_counts(lines):
    counts = Counter(line.progress or "" for line in lines)
    return {"done": counts[Progress.DONE], "in_progress": counts[Progress.IN_PROGRESS],
            "not_started": counts[Progress.NOT_STARTED], "not_reported": counts[""],
            "overdue": sum(line.overdue for line in lines)}


def lead_units(plan):
    """The units and kinds that lead some task of the plan, for the board's filter: [(agency pk, label)]."""
    units = (PlanTaskUnit.objects.filter(task__plan=plan, role=TaskRole.LEAD).exclude(agency=None)
             .values_list("agency_id", "agency__name").distinct().order_by("agency__name"))
    return list(units)

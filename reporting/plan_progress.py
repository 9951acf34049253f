"""Where the pilot models and the plan's tasks stand in a period, as the units reported them.

The consolidated report (its count of effective models, its list of overdue
tasks) and the dashboard both read these, so they always say the same. Each is
one query, whatever the number of units.
"""

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from indicators.models import PlanTask, TaskRole
from models_pilot.models import PilotModel

from .choices import Progress
from .consolidation import APPROVED
from .models import DataValue

# Furthest first: a model one unit reports done and another in progress is done.
FURTHEST_FIRST = (Progress.DONE, Progress.IN_PROGRESS, Progress.NOT_STARTED)
EFFECTIVE = (Progress.DONE, Progress.IN_PROGRESS)


def _reported(period, statuses, agencies, key):
    values = DataValue.objects.filter(submission__period=period, submission__status__in=statuses, key=key)
    return values if agencies is None else values.filter(submission__agency__in=agencies)


def model_statuses(period, *, statuses=APPROVED, agencies=None):
    """Every active pilot model (with its programme), each with ``progress``: the furthest reported, or None."""
    reported = _reported(period, statuses, agencies, Concat(Value("mh."), OuterRef("code"), Value(".status")))
    models = list(
        PilotModel.objects.filter(is_active=True).select_related("programme")
        .annotate(**{progress: Exists(reported.filter(text=progress)) for progress in FURTHEST_FIRST})
        .order_by("programme__code", "number", "code")
    )
    for model in models:
        model.progress = next((progress for progress in FURTHEST_FIRST if getattr(model, progress)), None)
    return models


def overdue_tasks(period, *, statuses=APPROVED, lead=None):
    """Tasks of the period's year due before its data window closed and not reported done.

    ``lead`` (an Agency) keeps the tasks it leads, by name or by its kind ("UBND các quận, huyện").
    """
    tasks = PlanTask.objects.filter(plan__year=period.year, due_date__lt=period.window_end)
    if lead is not None:
        tasks = tasks.filter(Q(units__agency=lead) | Q(units__agency_kind=lead.kind), units__role=TaskRole.LEAD)
    return _not_done(tasks, period, statuses)


def tasks_due_next(period, *, statuses=APPROVED):
    """Tasks due within the next month's data window and not reported done: the report's V. names them."""
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    _, next_end = period.schedule.window_for(year, month)
    return _not_done(PlanTask.objects.filter(due_date__gte=period.window_end, due_date__lte=next_end), period,
                     statuses)


def _not_done(tasks, period, statuses):
    task_key = Concat(Value("nv."), Cast(OuterRef("pk"), CharField()), Value(".status"))
    done = _reported(period, statuses, None, task_key).filter(text=Progress.DONE)
    return list(tasks.filter(~Exists(done)).select_related("plan").distinct().order_by("due_date", "pk"))

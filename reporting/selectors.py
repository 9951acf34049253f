"""Reads for the pages, each scoped through reporting.access."""


from django.db.models import Count, Prefetch
from django.utils import timezone

from .models import Agency, ReportingSchedule

DEFAULT_SCHEDULE_NAME = "Báo cáo tháng Đề án 06"


def default_schedule():
    schedule, _ = ReportingSchedule.objects.get_or_create(name=DEFAULT_SCHEDULE_NAME)
    return schedule


def current_period(today=None):
    """The period officers are working on: the first whose deadline is today or later."""
    today = today or timezone.localdate()
    schedule = default_schedule()
    year, month = today.year, today.month
    if today > schedule.deadline_for(year, month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return schedule.period_for(year, month)


def agencies_for(user, *, kind="", on=None):
    agencies = Agency.objects.visible_to(user).select_related("parent").annotate(child_count=Count("children"))
    if kind:
        agencies = agencies.filter(kind=kind)
    if on:
        agencies = agencies.active_on(on)
    return agencies.order_by("kind", "code")


def agency_detail(user, pk):
    """The agency if the user may read it, with its children and accounts, else None."""
    visible_children = Agency.objects.visible_to(user).order_by("code")
    return (
        Agency.objects.visible_to(user)
        .select_related("parent")
        .prefetch_related(Prefetch("children", queryset=visible_children), "users")
        .filter(pk=pk)
        .first()
    )


def days_until(day, today=None):
    return (day - (today or timezone.localdate())).days



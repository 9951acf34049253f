"""The periods of the city's monthly schedule: which one is being worked on, which one leaders read.

Periods are created from the schedule when first asked for (``ReportingSchedule.period_for``),
so a month is never typed by hand.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from reporting.choices import SubmissionStatus
from reporting.models import ReportingPeriod, ReportingSchedule
from reporting.months import Month

DEFAULT_SCHEDULE_NAME = "Báo cáo tháng Đề án 06"


def default_schedule():
    schedule, _ = ReportingSchedule.objects.get_or_create(name=DEFAULT_SCHEDULE_NAME)
    return schedule


def current_period(today=None):
    """The period officers are working on: the first whose deadline is today or later."""
    today = today or timezone.localdate()
    schedule = default_schedule()
    month = Month.of(today)
    if today > schedule.deadline_for(month.year, month.month):
        month = month.next()
    return schedule.period_for(month.year, month.month)


def latest_reported_period(today=None):
    """The latest month past its deadline with approved figures (else the latest past its deadline, else the current).

    What leaders open by default: a month nobody's report was approved in yet shows nothing.
    """
    closed = (ReportingPeriod.objects.filter(schedule__name=DEFAULT_SCHEDULE_NAME,
                                             deadline__lt=today or timezone.localdate())
              .order_by("-year", "-month"))
    return (closed.filter(submissions__status=SubmissionStatus.APPROVED).first() or closed.first()
            or current_period(today))


def period_or_404(year, month):
    """The schedule's period of that month, or 404 if it was never opened."""
    return get_object_or_404(ReportingPeriod, schedule__name=DEFAULT_SCHEDULE_NAME, year=year, month=month)


def days_until(day, today=None):
    return (day - (today or timezone.localdate())).days

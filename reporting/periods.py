"""The periods of the city's monthly schedule: which one is being worked on, which one leaders read.

Any month from the schedule's first month to the month under way exists on
demand: its period is created with the computed window and deadline the first
time anyone asks for it (``ReportingSchedule.period_for``), so a month is never
typed by hand. A month still to come is not a period yet: nobody reports for it.
"""

from django.utils import timezone

from de_an_06.errors import NotFoundBecause
from reporting.choices import SubmissionStatus
from reporting.models import ReportingPeriod, ReportingSchedule
from reporting.months import Month

DEFAULT_SCHEDULE_NAME = "Báo cáo tháng Đề án 06"


def default_schedule():
    schedule, _ = ReportingSchedule.objects.get_or_create(name=DEFAULT_SCHEDULE_NAME)
    return schedule


def current_period(today=None):
    """The period officers are working on: the first whose deadline is today or later."""
    schedule = default_schedule()
    month = current_month(schedule, today)
    return schedule.period_for(month.year, month.month)


def current_month(schedule, today=None):
    """The month of ``current_period``, computed without the database."""
    today = today or timezone.localdate()
    month = Month.of(today)
    return month.next() if today > schedule.deadline_for(month.year, month.month) else month


def latest_reported_period(today=None):
    """The latest month past its deadline with approved figures (else the latest past its deadline, else the current).

    What leaders open by default: a month nobody's report was approved in yet shows nothing.
    """
    closed = (ReportingPeriod.objects.filter(schedule__name=DEFAULT_SCHEDULE_NAME,
                                             deadline__lt=today or timezone.localdate())
              .order_by("-year", "-month"))
    return (closed.filter(submissions__status=SubmissionStatus.APPROVED).first() or closed.first()
            or current_period(today))


def month_problem(month, today=None):
    """Why ``month`` has no period of the schedule, or '' when it has (or may have) one."""
    schedule, current = default_schedule(), Month.of(current_period(today))
    if not schedule.covers(month):
        return f"Lịch báo cáo áp dụng từ {Month.of(schedule.first_month).label.lower()}; {month.label.lower()} không có kỳ báo cáo."
    if month > current:
        return f"Chưa đến kỳ báo cáo {month.label.lower()}: kỳ đang nhập là {current.label.lower()}."
    return ""


def period_or_404(year, month):
    """The schedule's period of that month, created on demand; 404 (saying why) before the schedule or in the future.

    One query when the period exists, as it does for every month anyone has opened.
    """
    found = ReportingPeriod.objects.filter(schedule__name=DEFAULT_SCHEDULE_NAME, year=year, month=month)
    period = found.select_related("schedule").first()
    if period:
        return period
    problem = month_problem(Month(year, month)) if 1 <= month <= 12 else "Tháng phải từ 1 đến 12."
    if problem:
        raise NotFoundBecause(problem)
    return default_schedule().period_for(year, month)


def days_until(day, today=None):
    return (day - (today or timezone.localdate())).days

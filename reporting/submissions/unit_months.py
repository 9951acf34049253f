"""A unit's months: every month it reports, with status and deadline, the ones needing action first.

Months are computed from the schedule, not read from stored periods, so a month nobody opened
is listed too (its period is created when the unit opens it). One query reads the unit's reports.
"""

from dataclasses import dataclass

from reporting.choices import BoardStatus, SubmissionStatus
from reporting.models import Submission
from reporting.months import Month, within

SHOWN_MONTHS = 24      # two years: this year's and last year's reports; older ones page back


@dataclass(frozen=True)
class UnitMonth:
    month: Month
    deadline: object
    status: BoardStatus
    submission: Submission | None
    overdue: bool

    @property
    def needs_action(self):
        return self.status == BoardStatus.RETURNED or self.overdue

    @property
    def urgency(self):
        """0 returned (PC06 waits for a correction), 1 overdue, 2 anything else."""
        return 0 if self.status == BoardStatus.RETURNED else 1 if self.overdue else 2


def reported_months(agency, schedule, current):
    """The months from the schedule's first to ``current`` for which the unit exists on the window's last day."""
    first, last = _span(agency, schedule, current)
    return [month for month in first.through(last) if _reports(agency, schedule, month)]


def neighbours(agency, schedule, here, current):
    """The unit's reported months nearest before and after ``here`` up to ``current`` (None at either end).

    Looked for outwards from ``here``, not among every month since the schedule began: the entry page
    shows them on every request.
    """
    first, last = _span(agency, schedule, current)
    before = (month for month in reversed(first.through(here.previous())) if _reports(agency, schedule, month))
    after = (month for month in here.next().through(last) if _reports(agency, schedule, month))
    return next(before, None), next(after, None)


def _span(agency, schedule, current):
    first = max(Month.of(schedule.first_month), Month.of(agency.valid_from) if agency.valid_from else Month(1, 1))
    return first, min(current, Month.of(agency.valid_to).next() if agency.valid_to else current)


def _reports(agency, schedule, month):
    return agency.is_active_on(schedule.window_for(month.year, month.month)[1])


def months_of(agency, schedule, current, today, *, until=None):
    """The ``SHOWN_MONTHS`` months up to ``until`` (default: the latest), returned and overdue first, then newest
    first; and the month to page back from, or None when there is none earlier."""
    months = reported_months(agency, schedule, current)
    if until is not None:
        months = [month for month in months if month <= until]
    months = months[-SHOWN_MONTHS:]
    if not months:
        return [], None
    reports = {Month.of(submission.period): submission for submission in Submission.objects.filter(
        within("period", months[0], months[-1]), agency=agency, period__schedule=schedule).select_related("period")}
    rows = [_row(month, reports.get(month), schedule, today) for month in months]
    rows.sort(key=lambda row: (row.urgency, -row.month.index))
    earlier = months[0].previous()
    return rows, (earlier if reported_months(agency, schedule, earlier) else None)


def _row(month, submission, schedule, today):
    deadline = submission.period.deadline if submission else schedule.deadline_for(month.year, month.month)
    status = submission.board_status if submission else BoardStatus.NOT_STARTED
    waiting = submission is None or submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    return UnitMonth(month, deadline, status, submission, overdue=waiting and deadline < today)

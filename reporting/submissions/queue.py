"""PC06's review queue: the period's reports awaiting PC06 (submitted, not yet approved or returned), in the board's order.

The decision panel at the top of a unit's month shows where that unit stands in it ("Chờ duyệt: 2/5", the
previous and next unit), and the review view sends PC06 on to the next unit once it has approved or returned
one. Both read ``place``, so the links and the landing after a decision can never disagree.
"""

from dataclasses import dataclass

from django.db.models import Q

from reporting.choices import SubmissionStatus
from reporting.models import Agency, Submission
from reporting.submissions.review_board import BOARD_ORDER


@dataclass(frozen=True)
class QueueUnit:
    pk: int
    name: str


@dataclass(frozen=True)
class QueuePlace:
    """Where one unit stands in the period's queue; ``number`` is None when its report is not awaiting PC06."""

    number: int | None
    total: int
    previous: QueueUnit | None
    next: QueueUnit | None
    # The next unit still waiting, wrapping round to the top of the board: where PC06 goes after a decision.
    after: QueueUnit | None


def place(user, period, agency):
    """The unit's place in the queue of the units ``user`` may see, in one query.

    The unit is read along with the queue even when its report is not waiting (PC06 has just approved it, or
    opened an approved month): its neighbours are then the waiting units around it in the board's order, which
    the database sorts — Python would have to repeat how each database orders an empty parent code.
    """
    visible = period.expected_agencies().filter(pk__in=Agency.objects.visible_to(user))
    rows = list(
        Submission.objects.filter(period=period, agency__in=visible)
        .filter(Q(status=SubmissionStatus.SUBMITTED) | Q(agency=agency))
        .order_by(*[f"agency__{field}" for field in BOARD_ORDER])
        .values_list("agency_id", "agency__name", "status")
    )
    here = next((index for index, (pk, _, _) in enumerate(rows) if pk == agency.pk), None)
    waiting = [(index, QueueUnit(pk, name)) for index, (pk, name, status) in enumerate(rows)
               if status == SubmissionStatus.SUBMITTED]
    if here is None:
        first = waiting[0][1] if waiting else None
        return QueuePlace(None, len(waiting), None, first, first)
    before = [unit for index, unit in waiting if index < here]
    after = [unit for index, unit in waiting if index > here]
    number = len(before) + 1 if rows[here][2] == SubmissionStatus.SUBMITTED else None
    return QueuePlace(number, len(waiting), before[-1] if before else None, after[0] if after else None,
                      (after or before or [None])[0])

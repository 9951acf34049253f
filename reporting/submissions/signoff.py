"""The unit head's review of what its officer prepared: what changed since last month, then submit or return.

Only where PC06's ``ApprovalChain`` says the unit's kind has its head review the month. The head reads the
figures against last month's, biggest relative changes first, because a typing slip shows as a jump; then
submits the month to PC06 or returns it to the officer with a comment (``workflow``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from reporting import access
from reporting.choices import CellMark, SubmissionStatus
from reporting.formatting import format_number, format_percent
from reporting.models import Submission
from reporting.months import Month
from reporting.submissions import actions, sheets, workflow
from reporting.submissions.sheets import CellKind

NEW = "mới"


@dataclass(frozen=True)
class Change:
    """One filled number of the month beside last month's, as the head reads it."""

    key: str
    label: str
    previous: str        # last month's figure, its mark, or "—"
    current: str         # this month's figure or its mark
    difference: str      # "+150", "-20", "0"; "mới" without last month's figure; "" when this month has none
    relative: str        # "+12,5%", or "" when it cannot be computed
    direction: str       # "up", "down" or ""


@dataclass
class SignOff:
    """What the entry page needs of the approval chain for this user and month."""

    prepares: bool = False          # "send" hands the month to the unit's head (an officer under head review)
    reviewing: bool = False         # the head (or PC06) is looking at a month its officer prepared
    previous_label: str = ""        # "Tháng 3/2024"
    changes: list = field(default_factory=list)
    head_return: object = None      # the StatusChange of the head's last return, shown to the officer


def for_entry(user, agency, period, submission, sheet, values, previous, *, head_reviews, head_return):
    """The approval chain's part of the entry page, from what ``entry_month.read`` read with the month: no query."""
    signoff = SignOff(prepares=prepares(user, agency, head_reviews=head_reviews))
    if submission is None:
        return signoff
    if submission.status == SubmissionStatus.PREPARED and access.may_sign_off(user, agency):
        signoff.reviewing = True
        signoff.previous_label = Month.of(period).previous().label
        signoff.changes = changes(sheet, values, previous)
    elif head_reviews and submission.status == SubmissionStatus.DRAFT:
        signoff.head_return = head_return
    return signoff


def prepares(user, agency, *, head_reviews):
    """Whether the user's "send" prepares the month for the unit's head (``workflow.goes_to_head``), without a query."""
    return access.may_change(user, agency) and not access.may_submit(user, agency, head_reviews=head_reviews)


def changes(sheet, values, previous):
    """Each filled number beside last month's: biggest relative change first, then those new this month.

    A figure that went from 0 to something is the biggest change of all; "Không phát sinh" counts as 0 (the unit
    vouches for it), "Chưa có số liệu" as no figure. A month with no figure of its own is listed last.
    """
    ranked = []
    for order, cell in enumerate(sheet.cells):
        value = values.get(cell.key)
        if cell.kind != CellKind.COUNT or value is None or value.is_empty:
            continue
        before = previous.get(cell.key)
        now_number, before_number = _number(value), _number(before)
        if now_number is None:
            group, rank = 2, 0
        elif before_number is None:
            group, rank = 1, 0
        else:
            group, rank = 0, -_relative(now_number, before_number)
        ranked.append(((group, rank, order), Change(
            key=cell.key, label=sheet.labels[cell.key], previous=_shown(before), current=_shown(value),
            difference=_difference(now_number, before_number), relative=_relative_text(now_number, before_number),
            direction=_direction(now_number, before_number))))
    return [change for _, change in sorted(ranked, key=lambda pair: pair[0])]


def _number(value):
    if value is None:
        return None
    if value.mark == CellMark.NONE:
        return Decimal(0)
    return value.number


def _shown(value):
    if value is None or value.is_empty:
        return "—"
    if value.mark:
        return CellMark(value.mark).label
    return format_number(value.number)


def _relative(now, before):
    if before == 0:
        return Decimal("Infinity") if now else Decimal(0)
    return abs(now - before) / before


def _difference(now, before):
    if now is None:
        return ""
    if before is None:
        return NEW
    return _signed(now - before, format_number(abs(now - before)))


def _relative_text(now, before):
    if now is None or not before:
        return ""
    return _signed(now - before, format_percent(abs(now - before), before, 1))


def _signed(delta, text):
    return f"+{text}" if delta > 0 else f"-{text}" if delta < 0 else text


def _direction(now, before):
    if now is None or before is None or now == before:
        return ""
    return "up" if now > before else "down"


# --- the head's two buttons -------------------------------------------------------------------------------


ACTIONS = {
    "nop-pc06": "Đã nộp báo cáo cho PC06.",
    "tra-lai-can-bo": "Đã trả lại báo cáo cho cán bộ nhập liệu.",
}


@login_required
@require_POST
def sign_off(request, pk, action):
    """The head submits the prepared month to PC06 (complete, as any submission) or returns it to the officer."""
    submission = access.in_scope_or_404(Submission.objects.select_related("period", "agency"), request.user,
                                        "agency", pk)
    if action not in ACTIONS:
        raise Http404

    def act(version):
        if action == "nop-pc06":
            sheet = sheets.build(submission.agency, submission.period)
            workflow.submit(submission, request.user, version=version, sheet=sheet)
        else:
            workflow.return_to_officer(submission, request.user, version=version,
                                       comment=request.POST.get("comment", ""))

    if actions.attempt(request, act):
        late = action == "nop-pc06" and submission.is_late
        messages.success(request, "Đã nộp báo cáo cho PC06 (nộp muộn so với hạn)." if late else ACTIONS[action])
    period, agency = submission.period, submission.agency
    return redirect(reverse("entry", args=[period.year, period.month, agency.pk]))

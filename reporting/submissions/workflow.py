"""Every change of a submission's status, one named function each.

A transition checks who asks and from which state, is a compare-and-swap on
``version`` (two people acting at once can never both win), writes its
``StatusChange`` row and its side effects itself, in one transaction: a month
approved is added to the kept totals and a month reopened taken back from them
(``figures.totals``), the figures every cache holds are stale
(``stamps.FIGURES``), and a report returned to its unit is announced to the
unit once the return is committed. Nothing else writes ``Submission.status``,
so no path can skip the audit or the effects.

Where PC06 says a kind of unit has its head review the month (``ApprovalChain``),
the officer ``prepare``s it, and the head ``submit``s it or ``return_to_officer``;
elsewhere whoever enters the figures submits them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from de_an_06.text import clean_text
from reporting import access, stamps
from reporting.choices import SubmissionStatus
from reporting.figures import totals
from reporting.models import ApprovalChain, StatusChange, Submission, WorkflowError
from reporting.submissions.store import missing_cells, values_of
from reporting.reminders import dispatch
from reporting.tasks import hand_out


def submit(submission, user, *, version, sheet=None, now=None):
    """The unit hands its month to PC06; with ``sheet``, only once every required cell is filled.

    Only the first submission sets the timeliness; a resubmission after a return or a reopening keeps it.
    """
    now = now or timezone.now()
    submission.ensure_editable(user, timezone.localdate(now))
    if not access.may_submit(user, submission.agency, head_reviews=ApprovalChain.head_reviews_for(submission.agency)):
        raise WorkflowError("Báo cáo của đơn vị do lãnh đạo đơn vị duyệt rồi nộp PC06: hãy bấm “Gửi lãnh đạo đơn vị "
                            "duyệt”.")
    if sheet is not None:
        _ensure_complete(submission, sheet)
    first = {} if submission.first_submitted_at else {
        "first_submitted_at": now, "is_late": timezone.localdate(now) > submission.period.deadline}
    _move(submission, SubmissionStatus.SUBMITTED, user, version=version, comment="",
          submitted_at=now, submitted_by=user, **first)


def goes_to_head(submission, user):
    """Whether the user's "send" on the entry page prepares the month for the unit's head rather than submits it."""
    agency = submission.agency
    return access.may_change(user, agency) and not access.may_submit(
        user, agency, head_reviews=ApprovalChain.head_reviews_for(agency))


def prepare(submission, user, *, version, sheet=None, now=None):
    """The officer hands the month to the unit's head, complete as for PC06; the officer can no longer edit it.

    Timeliness is not set: it is the first submission's to PC06, which the head makes.
    """
    now = now or timezone.now()
    submission.ensure_editable(user, timezone.localdate(now))
    if not ApprovalChain.head_reviews_for(submission.agency):
        raise WorkflowError("Đơn vị này nộp báo cáo thẳng cho PC06, không qua bước lãnh đạo đơn vị duyệt.")
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise WorkflowError("Không thể gửi lãnh đạo đơn vị duyệt báo cáo đang ở trạng thái "
                            f"“{submission.get_status_display()}”.")
    if sheet is not None:
        _ensure_complete(submission, sheet)
    _move(submission, SubmissionStatus.PREPARED, user, version=version, comment="")


def return_to_officer(submission, user, *, version, comment):
    """The unit's head (or PC06 for it) sends the prepared month back to the officer, saying what to correct."""
    if not access.may_sign_off(user, submission.agency):
        raise WorkflowError("Chỉ lãnh đạo đơn vị hoặc PC06 mới được trả lại báo cáo cho cán bộ nhập liệu.")
    if submission.status != SubmissionStatus.PREPARED:
        raise WorkflowError("Không thể trả lại cán bộ nhập liệu báo cáo đang ở trạng thái "
                            f"“{submission.get_status_display()}”.")
    comment = _text(comment)
    if not comment:
        raise WorkflowError("Ghi rõ nội dung cần cán bộ nhập liệu sửa khi trả lại báo cáo.")
    _move(submission, SubmissionStatus.DRAFT, user, version=version, comment=comment)


def return_to_unit(submission, user, *, version, comment):
    _ensure_reviewer(submission, user, SubmissionStatus.SUBMITTED, "trả lại")
    comment = _text(comment)
    if not comment:
        raise WorkflowError("Ghi rõ nội dung cần đơn vị sửa khi trả lại báo cáo.")
    _move(submission, SubmissionStatus.RETURNED, user, version=version, comment=comment, review_comment=comment)


def approve(submission, user, *, version):
    _ensure_reviewer(submission, user, SubmissionStatus.SUBMITTED, "duyệt")
    _move(submission, SubmissionStatus.APPROVED, user, version=version, comment="", review_comment="")


def reopen(submission, user, *, version, reason):
    _ensure_reviewer(submission, user, SubmissionStatus.APPROVED, "mở lại")
    reason = _text(reason)
    if not reason:
        raise WorkflowError("Ghi rõ lý do mở lại báo cáo đã duyệt.")
    _move(submission, SubmissionStatus.RETURNED, user, version=version, comment=reason, review_comment=reason)


def approve_imported_history(submissions, user, *, file_name):
    """Past months PC06 loaded from a workbook are the figures already accepted on paper: they become approved.

    Runs inside the import's transaction, after its values were written (which
    claimed every version). A month still being worked on never reaches here:
    the import refused it (submitted, approved or closed).
    """
    submissions = [submission for submission in submissions if submission.status != SubmissionStatus.APPROVED]
    comment = f"Số liệu lịch sử nhập từ tệp “{file_name}”."
    StatusChange.objects.bulk_create([
        StatusChange(submission=submission, from_status=submission.status, to_status=SubmissionStatus.APPROVED,
                     comment=comment, changed_by=user)
        for submission in submissions
    ], batch_size=1000)
    approved = [submission.pk for submission in submissions]
    Submission.objects.filter(pk__in=approved).update(status=SubmissionStatus.APPROVED, review_comment="")
    totals.count(approved)
    stamps.FIGURES.bump()


def _text(typed):
    try:
        return clean_text(typed)
    except ValidationError as error:
        raise WorkflowError(error.messages[0]) from None


def _ensure_complete(submission, sheet):
    missing = missing_cells(sheet, values_of(submission))
    if missing:
        names = "; ".join(sheet.labels[cell.key] for cell in missing[:5]) + ("; …" if len(missing) > 5 else "")
        raise WorkflowError(f"Còn {len(missing)} ô chưa nhập ({names}). Nhập số, hoặc chọn “Không phát sinh” "
                            "nếu trong kỳ không có, “Chưa có số liệu” nếu chưa có số.")


def _ensure_reviewer(submission, user, required_status, action):
    if not access.can_review(user):
        raise WorkflowError(f"Chỉ cán bộ tổng hợp PC06 mới được {action} báo cáo.")
    if submission.status != required_status:
        raise WorkflowError(f"Không thể {action} báo cáo đang ở trạng thái “{submission.get_status_display()}”.")


def _move(submission, to_status, user, *, version, comment, **fields):
    with transaction.atomic():
        submission.claim_version(version, user)
        Submission.objects.filter(pk=submission.pk).update(status=to_status, **fields)
        change = StatusChange.objects.create(submission=submission, from_status=submission.status,
                                             to_status=to_status, changed_by=user, comment=comment)
        if to_status == SubmissionStatus.APPROVED:
            totals.count([submission.pk])
        elif change.from_status == SubmissionStatus.APPROVED:
            totals.uncount([submission.pk])
        stamps.FIGURES.bump()
        if to_status == SubmissionStatus.RETURNED:
            _announce_return(change)
        elif change.from_status == SubmissionStatus.PREPARED and to_status == SubmissionStatus.DRAFT:
            _announce_return_to_officers(change)
    submission.refresh_from_db()


def _announce_return(change):
    # Claimed in the return's own transaction, so the notice is as durable as the return: the workers only
    # deliver it, and a broker that is down when this commits delays it (hand_out, then beat) but loses nothing.
    delivery_ids = dispatch.plan_returned(change, timezone.now())
    transaction.on_commit(lambda: hand_out(delivery_ids))


def _announce_return_to_officers(change):
    # As durable as a return from PC06 (``_announce_return``).
    delivery_ids = dispatch.plan_returned_to_officers(change, timezone.now())
    transaction.on_commit(lambda: hand_out(delivery_ids))

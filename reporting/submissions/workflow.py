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
elsewhere whoever enters the figures submits them. The entry page's "Nộp" saves
the cells and sends the month in one transaction (``save_and_send``): on
deadline day every unit does it at once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from de_an_06.text import clean_text
from reporting import access, stamps
from reporting.choices import SubmissionStatus
from reporting.figures import totals
from reporting.models import ApprovalChain, StatusChange, Submission, WorkflowError
from reporting.submissions import store
from reporting.reminders import dispatch
from reporting.tasks import hand_out


def submit(submission, user, *, version, sheet=None, values=None, head_reviews=None, now=None):
    """The unit hands its month to PC06; with ``sheet``, only once every required cell is filled.

    Only the first submission sets the timeliness; a resubmission after a return or a reopening keeps it.
    ``values`` (the month's cells) and ``head_reviews`` (``ApprovalChain.head_reviews_for``), when the caller
    has them, are not read again.
    """
    now = now or timezone.now()
    fields = _submitting(submission, user, now, sheet=sheet, values=values, head_reviews=head_reviews)
    _move(submission, SubmissionStatus.SUBMITTED, user, version=version, comment="", **fields)


def goes_to_head(submission, user):
    """Whether the user's "send" on the entry page prepares the month for the unit's head rather than submits it."""
    return _goes_to_head(user, submission.agency, ApprovalChain.head_reviews_for(submission.agency))


def prepare(submission, user, *, version, sheet=None, values=None, head_reviews=None, now=None):
    """The officer hands the month to the unit's head, complete as for PC06; the officer can no longer edit it.

    Timeliness is not set: it is the first submission's to PC06, which the head makes. ``values`` and
    ``head_reviews`` as for ``submit``.
    """
    now = now or timezone.now()
    _preparing(submission, user, now, sheet=sheet, values=values, head_reviews=head_reviews)
    _move(submission, SubmissionStatus.PREPARED, user, version=version, comment="")


def save_and_send(*, agency, period, user, values, version, sheet, head_reviews, now=None):
    """The entry page's "Nộp": the typed cells saved and the month sent on, in one transaction on one version claim.

    Sent on is prepared for the unit's head where the head reviews the month and the user is not the head
    (``goes_to_head``), else submitted to PC06. Returns the submission and why it was not sent (a required
    cell left empty: the cells are saved all the same, as a draft), or None. Raises what ``store.save_values``
    raises, and nothing is written then. One claim covers both writes: nobody can act on the month between them.
    ``head_reviews`` is what the page read (``entry_month``); completeness is checked on the cells as saved.
    """
    now = now or timezone.now()
    with transaction.atomic():
        submission, cells = store.write_values(agency=agency, period=period, user=user, values=values,
                                               version=version)
        prepares = _goes_to_head(user, agency, head_reviews)
        to_status = SubmissionStatus.PREPARED if prepares else SubmissionStatus.SUBMITTED
        checks = _preparing if prepares else _submitting
        try:
            fields = checks(submission, user, now, sheet=sheet, values=cells, head_reviews=head_reviews)
        except WorkflowError as refusal:
            return submission, refusal
        _record_move(submission, to_status, user, comment="", fields=fields)
    # What ``_move`` would read back, but for the times of the save: the page is redirected, nothing reads them.
    submission.status = to_status
    for name, value in fields.items():
        setattr(submission, name, value)
    return submission, None


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


def _ensure_complete(submission, sheet, values=None):
    missing = store.missing_cells(sheet, store.values_of(submission) if values is None else values)
    if missing:
        names = "; ".join(sheet.labels[cell.key] for cell in missing[:5]) + ("; …" if len(missing) > 5 else "")
        raise WorkflowError(f"Còn {len(missing)} ô chưa nhập ({names}). Nhập số, hoặc chọn “Không phát sinh” "
                            "nếu trong kỳ không có, “Chưa có số liệu” nếu chưa có số.")


def _ensure_reviewer(submission, user, required_status, action):
    if not access.can_review(user):
        raise WorkflowError(f"Chỉ cán bộ tổng hợp PC06 mới được {action} báo cáo.")
    if submission.status != required_status:
        raise WorkflowError(f"Không thể {action} báo cáo đang ở trạng thái “{submission.get_status_display()}”.")


def _submitting(submission, user, now, *, sheet, values, head_reviews):
    """``submit``'s checks; the fields it sets."""
    submission.ensure_editable(user, timezone.localdate(now))
    if head_reviews is None:
        head_reviews = ApprovalChain.head_reviews_for(submission.agency)
    if not access.may_submit(user, submission.agency, head_reviews=head_reviews):
        raise WorkflowError("Báo cáo của đơn vị do lãnh đạo đơn vị duyệt rồi nộp PC06: hãy bấm “Gửi lãnh đạo đơn vị "
                            "duyệt”.")
    if sheet is not None:
        _ensure_complete(submission, sheet, values)
    first = {} if submission.first_submitted_at else {
        "first_submitted_at": now, "is_late": timezone.localdate(now) > submission.period.deadline}
    return {"submitted_at": now, "submitted_by": user, **first}


def _preparing(submission, user, now, *, sheet, values, head_reviews):
    """``prepare``'s checks."""
    submission.ensure_editable(user, timezone.localdate(now))
    if head_reviews is None:
        head_reviews = ApprovalChain.head_reviews_for(submission.agency)
    if not head_reviews:
        raise WorkflowError("Đơn vị này nộp báo cáo thẳng cho PC06, không qua bước lãnh đạo đơn vị duyệt.")
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise WorkflowError("Không thể gửi lãnh đạo đơn vị duyệt báo cáo đang ở trạng thái "
                            f"“{submission.get_status_display()}”.")
    if sheet is not None:
        _ensure_complete(submission, sheet, values)
    return {}


def _goes_to_head(user, agency, head_reviews):
    return access.may_change(user, agency) and not access.may_submit(user, agency, head_reviews=head_reviews)


def _move(submission, to_status, user, *, version, comment, **fields):
    with transaction.atomic():
        submission.claim_version(version, user)
        _record_move(submission, to_status, user, comment=comment, fields=fields)
    submission.refresh_from_db()


def _record_move(submission, to_status, user, *, comment, fields):
    """The move itself, its audit row and its effects, in the caller's transaction once it claimed the version."""
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


def _announce_return(change):
    # Claimed in the return's own transaction, so the notice is as durable as the return: the workers only
    # deliver it, and a broker that is down when this commits delays it (hand_out, then beat) but loses nothing.
    delivery_ids = dispatch.plan_returned(change, timezone.now())
    transaction.on_commit(lambda: hand_out(delivery_ids))


def _announce_return_to_officers(change):
    # As durable as a return from PC06 (``_announce_return``).
    delivery_ids = dispatch.plan_returned_to_officers(change, timezone.now())
    transaction.on_commit(lambda: hand_out(delivery_ids))

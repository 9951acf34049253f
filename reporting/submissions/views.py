"""The month's work: a unit's entry page, PC06's review board, history and evidence.

Every page finds the unit through ``reporting.access`` (another unit's id in
the URL is a 404) and every change goes through ``store`` (values) or
``workflow`` (status), which check who may write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from reporting import access, periods
from reporting.choices import Role
from reporting.models import Evidence, ReportingPeriod, StaleSubmission, Submission, WorkflowError
from reporting.months import Month, from_query
from reporting.submissions import (actions, entry_month, queue, review_board, sections, selectors, sheets, signoff,
                                   store, unit_months, workflow)
from reporting.submissions.conflicts import merge as conflicts_of
from reporting.submissions.evidence import check_upload
from reporting.submissions.forms import EntryForm, VersionForm


def _submission_or_404(user, pk):
    return access.in_scope_or_404(Submission.objects.select_related("period", "agency"), user, "agency", pk)


def _evidence_or_404(user, pk):
    evidence = Evidence.objects.select_related("submission__period", "submission__agency")
    return access.in_scope_or_404(evidence, user, "submission__agency", pk)


def entry_url(period, agency):
    return reverse("entry", args=[period.year, period.month, agency.pk])


@login_required
def my_report(request):
    """Units land on their own current month, leaders on the dashboard, PC06 on the review board."""
    if request.user.role == Role.LEADER:
        return redirect("dashboard_home")
    period = periods.current_period()
    if request.user.role in access.CHANGE_OWN_UNIT and request.user.agency_id:
        return redirect(entry_url(period, request.user.agency))
    return redirect("board", period.year, period.month)


@login_required
@require_http_methods(["GET", "POST"])
def entry_page(request, year, month, agency_pk):
    opened = entry_month.read(request.user, year, month, agency_pk)
    period, agency, submission = opened.period, opened.agency, opened.submission
    sheet = sheets.build(agency, period)
    values, previous = store.values_with_previous(agency, period, submission)
    draft = submission or Submission(period=period, agency=agency)
    problem = draft.editing_problem(request.user)
    # A page opened (not posted back) shows nothing but the sheet and the values read: its sections are cached.
    sections_key = sections.cache_key(sheet, values, previous) if request.method == "GET" else None
    sections_html = sections.cached(sections_key) if sections_key else None
    if sections_html is None:
        form = EntryForm(sheet, values=values, previous=previous, version=draft.version,
                         data=request.POST if request.method == "POST" else None)
    else:
        form = VersionForm(initial={"version": draft.version})
    conflict, partial = [], None
    if request.method == "POST":
        if problem:
            raise PermissionDenied(problem)
        complete = form.is_valid()
        if complete or form.can_save_part():
            # With errors, the valid cells are saved all the same: an officer's hour of typing is not lost to
            # one mistyped box. The refused ones keep their stored value and the page keeps what was typed.
            typed = form.cell_values() if complete else form.saveable_values(values)
            changed = sum(1 for key, value in typed.items() if values.get(key, store.CellValue()) != value)
            sends, refusal = complete and "nop" in request.POST, None
            try:
                if sends:
                    submission, refusal = workflow.save_and_send(
                        agency=agency, period=period, user=request.user, values=typed,
                        version=form.cleaned_data["version"], sheet=sheet, head_reviews=opened.head_reviews)
                elif complete or changed:
                    submission = store.save_values(agency=agency, period=period, user=request.user,
                                                   values=typed, version=form.cleaned_data["version"])
            except StaleSubmission:
                current = selectors.submission_for(period, agency)
                changes = store.changes_since(current, form.cleaned_data["version"])
                values = store.values_of(current)
                shown, conflicts = conflicts_of(changes, typed, values, sheet.labels)
                conflict = {"changes": selectors.change_lines(changes, sheet.labels), "cells": conflicts}
                # What the user typed stays, except where the other editor changed a cell: there the page
                # shows the stored value, so the next save cannot silently revert it.
                data = request.POST.copy()
                data.update(form.as_data(shown))
                data["version"] = current.version
                form = EntryForm(sheet, values=values, previous=previous, version=current.version, data=data)
                form.is_valid()
            else:
                if complete:
                    return _after_save(request, submission, period, agency, refusal=refusal,
                                       prepares=signoff.prepares(request.user, agency, head_reviews=opened.head_reviews))
                partial = {"saved": changed, "held": len(form.held), "submitting": "nop" in request.POST}
                if changed:
                    # The page goes on from the version just saved, so its next save is not refused as stale.
                    held, values = form.held, store.values_of(submission)
                    data = request.POST.copy()
                    data["version"] = submission.version
                    form = EntryForm(sheet, values=values, previous=previous, version=submission.version, data=data)
                    form.is_valid()
                    form.held = held
    return render(request, "reporting/entry.html", {
        "period": period, "agency": agency, "submission": submission, "form": form, "problem": problem,
        "links": selectors.month_links(period, agency.pk),
        "not_reporting": agency.not_reporting_reason(period), **_neighbours(period, agency),
        "sections": (selectors.section_outline(sheet) if sections_html is not None
                     else selectors.entry_layout(sheet, form, previous)),
        "sections_key": sections_key, "sections_html": sections_html, "conflict": conflict, "partial": partial,
        "missing": len(store.missing_cells(sheet, values)),
        "days_left": periods.days_until(period.deadline), "can_review": access.can_review(request.user),
        "review_queue": (queue.place(request.user, period, agency)
                         if submission and access.can_review(request.user) else None),
        # Neither evidence nor the month's status changes with a save of this page: what was read stands.
        "evidence": opened.evidence,
        "signoff": signoff.for_entry(request.user, agency, period, submission, sheet, values, previous,
                                     head_reviews=opened.head_reviews, head_return=opened.head_return),
    })


def _neighbours(period, agency):
    """The unit's previous and next months it reports, for the links beside the title (None at either end)."""
    previous_month, next_month = unit_months.neighbours(agency, period.schedule, Month.of(period),
                                                        periods.current_month(period.schedule))
    return {"previous_month": previous_month, "next_month": next_month,
            "previous_links": previous_month and selectors.month_links(previous_month, agency.pk),
            "next_links": next_month and selectors.month_links(next_month, agency.pk)}


@login_required
def months_list(request, agency_pk):
    """Every month the unit reports, with status and deadline: returned and overdue first, then newest first."""
    agency = access.agency_or_404(request.user, agency_pk)
    current = periods.current_period()
    until = from_query(request.GET, "den")
    rows, earlier = unit_months.months_of(agency, current.schedule, Month.of(current), timezone.localdate(),
                                          until=until)
    return render(request, "reporting/unit_months.html", {
        "agency": agency, "rows": rows, "earlier": earlier, "current": current,
        "not_reporting": agency.not_reporting_reason(current),
    })


def _after_save(request, submission, period, agency, *, prepares, refusal):
    """What the page says after a complete save: a draft, or the month sent on (``workflow.save_and_send``).

    ``prepares``: the "send" handed the month to the unit's head (``signoff.prepares``, as ``workflow.goes_to_head``
    says it from the approval chain the page already read); ``refusal``: why the month was saved but not sent.
    """
    back = redirect(entry_url(period, agency))
    if "nop" not in request.POST:
        messages.success(request, "Đã lưu nháp. Bạn có thể quay lại nhập tiếp bất cứ lúc nào trước khi nộp.")
    elif prepares and refusal:
        messages.error(request, f"Đã lưu nháp nhưng chưa gửi lãnh đạo đơn vị duyệt: {refusal.message}")
    elif prepares:
        messages.success(request, f"Đã gửi báo cáo {period.label} để lãnh đạo đơn vị duyệt. Lãnh đạo "
                                  "đơn vị sẽ nộp PC06 hoặc trả lại kèm ý kiến để bạn sửa.")
    elif refusal:
        messages.error(request, f"Đã lưu nháp nhưng chưa nộp: {refusal.message}")
    else:
        late = " (nộp muộn so với hạn)" if submission.is_late else ""
        messages.success(request, f"Đã nộp báo cáo {period.label}{late}. PC06 sẽ xem xét và phản hồi.")
    return back


REVIEW_ACTIONS = {
    "tra-lai": lambda submission, user, version, comment: workflow.return_to_unit(
        submission, user, version=version, comment=comment),
    "duyet": lambda submission, user, version, comment: workflow.approve(submission, user, version=version),
    "mo-lai": lambda submission, user, version, comment: workflow.reopen(submission, user, version=version,
                                                                         reason=comment),
}
REVIEW_DONE = {"tra-lai": "Đã trả lại báo cáo cho đơn vị.", "duyet": "Đã duyệt báo cáo.", "mo-lai": "Đã mở lại báo cáo."}


@login_required
@require_POST
def review(request, pk, action):
    submission = _submission_or_404(request.user, pk)
    if action not in REVIEW_ACTIONS:
        raise Http404
    done = actions.attempt(request, lambda version: REVIEW_ACTIONS[action](
        submission, request.user, version, request.POST.get("comment", "")))
    if done and action in DECISIONS:
        return _next_in_queue(request, submission, REVIEW_DONE[action])
    if done:
        messages.success(request, REVIEW_DONE[action])
    return redirect(entry_url(submission.period, submission.agency))


# A decision takes the report out of PC06's queue; a reopening puts it back in the unit's hands, and PC06 stays.
DECISIONS = {"tra-lai", "duyet"}


def _next_in_queue(request, submission, done):
    """PC06 moves on to the next report awaiting review, or back to the board when none is left."""
    period, agency = submission.period, submission.agency
    following = queue.place(request.user, period, agency).after
    if following is None:
        messages.success(request, f"{agency.name} — {done} Đã xử lý hết báo cáo chờ duyệt.")
        return redirect("board", period.year, period.month)
    messages.success(request, f"{agency.name} — {done} Tiếp theo: {following.name}.")
    return redirect(reverse("entry", args=[period.year, period.month, following.pk]))


@login_required
def history(request, year, month, agency_pk):
    period, agency = periods.period_or_404(year, month), access.agency_or_404(request.user, agency_pk)
    submission = selectors.submission_for(period, agency)
    if submission is None:
        raise Http404("Đơn vị chưa có báo cáo kỳ này.")
    labels = {**sheets.build(agency, period).labels, store.EVIDENCE_KEY: "Tài liệu minh chứng"}
    return render(request, "reporting/history.html", {
        "period": period, "agency": agency, "submission": submission,
        "value_changes": selectors.change_lines(submission.value_changes.select_related("changed_by"), labels),
        "status_changes": submission.status_changes.select_related("changed_by"),
    })


@login_required
def board(request, year, month):
    """PC06's review board: one page of the month's units, the worst first, under the counts of the whole month."""
    period = periods.period_or_404(year, month)
    return render(request, "reporting/board.html", {
        "period": period, **review_board.board_page(request.user, period, request.GET),
        "periods": ReportingPeriod.objects.filter(schedule_id=period.schedule_id),
        "can_read_city": access.can_read_city(request.user), "can_remind": access.can_review(request.user),
    })


@login_required
def current_board(request):
    period = periods.current_period()
    return redirect("board", period.year, period.month)


@login_required
@require_POST
def upload_evidence(request, pk):
    submission = _submission_or_404(request.user, pk)
    back = redirect(entry_url(submission.period, submission.agency))
    try:
        submission.ensure_editable(request.user)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError("Chọn tệp minh chứng để tải lên.")
        content_type = check_upload(upload)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    with transaction.atomic():
        Evidence.objects.create(submission=submission, file=upload, name=upload.name[:255], content_type=content_type,
                                size=upload.size, uploaded_by=request.user)
        store.record_evidence_change(submission, request.user, added=upload.name)
    messages.success(request, f"Đã tải lên “{upload.name}”.")
    return back


@login_required
def download_evidence(request, pk):
    """Always a download, never a page: a browser that guessed the type of a file could run what it holds."""
    evidence = _evidence_or_404(request.user, pk)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name,
                            content_type=evidence.content_type)
    # SecurityMiddleware adds it too (SECURE_CONTENT_TYPE_NOSNIFF); a file must not depend on a setting for it.
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def delete_evidence(request, pk):
    evidence = _evidence_or_404(request.user, pk)
    submission = evidence.submission
    try:
        submission.ensure_editable(request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        with transaction.atomic():
            evidence.delete()
            store.record_evidence_change(submission, request.user, removed=evidence.name)
        evidence.file.delete(save=False)
        messages.success(request, f"Đã xóa “{evidence.name}”.")
    return redirect(entry_url(submission.period, submission.agency))




@login_required
def home(request):
    if request.user.role == Role.LEADER:
        return redirect("dashboard_home")    # leaders read the city's figures, they enter none
    period = periods.current_period()
    own_agency = request.user.agency
    return render(request, "reporting/home.html", {
        "period": period, "not_reporting": own_agency.not_reporting_reason(period) if own_agency else "",
        "own_submission": selectors.submission_for(period, own_agency) if own_agency else None,
        "days_left": periods.days_until(period.deadline),
        "own_agency": own_agency,
        "can_edit_catalogs": access.can_edit_catalogs(request.user),
    })

"""Excel in: a unit's template (download, upload) and PC06's history workbook, each previewed before it is applied.

Scope is checked as everywhere else: the unit comes from
``Agency.objects.visible_to`` (404 otherwise), the right to write from
``Submission.editing_problem``, and a staged upload is visible only to the
person who uploaded it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from reporting import access, periods
from reporting.excel import history, staging, unit_template, workbooks
from reporting.models import ImportKind, StaleSubmission, Submission, WorkflowError
from reporting.submissions import selectors, sheets, store
from reporting.submissions.views import entry_url

# A preview page stays readable and light; the counts above the tables say how many there are in all.
MAX_CHANGES_SHOWN = 1000
MAX_PROBLEMS_SHOWN = 500


@login_required
def download_template(request, year, month, agency_pk):
    period, agency = periods.period_or_404(year, month), access.agency_or_404(request.user, agency_pk)
    submission = selectors.submission_for(period, agency)
    workbook = unit_template.build(agency, period, sheets.build(agency, period),
                                    values=store.values_of(submission), previous=store.previous_values(agency, period))
    return workbooks.xlsx_response(workbook, unit_template.filename(agency, period))


@login_required
@require_POST
def upload_template(request, year, month, agency_pk):
    period, agency = periods.period_or_404(year, month), access.agency_or_404(request.user, agency_pk)
    back = redirect(entry_url(period, agency))
    existing = selectors.submission_for(period, agency)
    submission = existing or Submission(period=period, agency=agency)
    problem = submission.editing_problem(request.user)
    upload = request.FILES.get("file")
    if problem or upload is None:
        messages.error(request, problem or "Chọn tệp Excel biểu mẫu để tải lên.")
        return back
    try:
        plan = unit_template.read(
            upload, agency, period, sheets.build(agency, period), version=submission.version,
            values=store.values_of(existing), previous=store.previous_values(agency, period),
        )
    except workbooks.WorkbookError as error:
        messages.error(request, " ".join(error.messages))
        return back
    return _after_reading(request, plan, upload, kind=ImportKind.UNIT_TEMPLATE, back=back,
                          agency=agency, period=period, title=f"Nhập Excel: {agency.name} · {period.label}")


@login_required
@require_http_methods(["GET", "POST"])
def history_import(request):
    """PC06 loads past months of many units from one workbook in the long value table's shape."""
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 được nhập số liệu lịch sử.")
    if request.method == "GET":
        return render(request, "reporting/history_import.html", {
            "columns": history.COLUMNS_HELP, "recent": staging.recent_imports(request.user),
        })
    upload = request.FILES.get("file")
    back = redirect("history_import")
    if upload is None:
        messages.error(request, "Chọn tệp Excel số liệu lịch sử để tải lên.")
        return back
    try:
        plan = history.read(upload, request.user)
    except workbooks.WorkbookError as error:
        messages.error(request, " ".join(error.messages))
        return back
    return _after_reading(request, plan, upload, kind=ImportKind.HISTORY, back=back,
                          title="Nhập số liệu lịch sử nhiều đơn vị")


@login_required
def history_template(request):
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 được nhập số liệu lịch sử.")
    return workbooks.xlsx_response(history.empty_workbook(), "mau-so-lieu-lich-su-de-an-06.xlsx")


def _after_reading(request, plan, upload, *, kind, back, title, agency=None, period=None):
    if plan.problems:
        # Shown, never stored: nothing of a file with problems is kept or applied.
        return render(request, "reporting/import_preview.html", {
            "title": title, "problems": plan.problems[:MAX_PROBLEMS_SHOWN], "problem_count": len(plan.problems),
            "file_name": upload.name, "rows_read": plan.rows_read, "back_url": back.url,
        }, status=422)
    if not plan.changes:
        messages.info(request, f"Tệp “{upload.name}” không có số liệu nào khác với số liệu hiện có; không có gì thay đổi.")
        return back
    batch = staging.stage(plan, user=request.user, kind=kind, upload=upload, agency=agency, period=period)
    return redirect("import_preview", batch.pk)


@login_required
def import_preview(request, pk):
    batch = _own_batch_or_404(request.user, pk)
    return render(request, "reporting/import_preview.html", {
        "title": f"Xem trước: {batch.file_name}", "batch": batch, "file_name": batch.file_name,
        "changes": staging.preview(batch, MAX_CHANGES_SHOWN), "change_count": len(batch.changes),
        "summary": staging.summary(batch) if batch.kind == ImportKind.HISTORY else [],
        "rows_read": batch.rows_read, "back_url": _back_url(batch),
    })


@login_required
@require_POST
def import_confirm(request, pk):
    batch = _own_batch_or_404(request.user, pk)
    try:
        staging.apply(batch, request.user)
    except StaleSubmission:
        staging.cancel(batch)
        messages.error(request, "Số liệu đã được người khác thay đổi sau khi bạn tải tệp lên nên chưa cập nhật gì. "
                                "Hãy tải tệp lên lại để xem trước với số liệu mới nhất.")
    except WorkflowError as error:
        staging.cancel(batch)
        messages.error(request, f"Chưa cập nhật gì: {error.message}")
    else:
        messages.success(request, f"{batch.note} Lịch sử thay đổi ghi nguồn “Nhập Excel”.")
    return redirect(_back_url(batch))


@login_required
@require_POST
def import_cancel(request, pk):
    batch = _own_batch_or_404(request.user, pk)
    staging.cancel(batch)
    messages.info(request, "Đã hủy; số liệu không thay đổi.")
    return redirect(_back_url(batch))


def _own_batch_or_404(user, pk):
    batch = staging.own_batch(user, pk)
    if batch is None:
        raise Http404("Không tìm thấy lần nhập này.")
    return batch


def _back_url(batch):
    if batch.kind == ImportKind.UNIT_TEMPLATE:
        return entry_url(batch.period, batch.agency)
    return reverse("history_import")

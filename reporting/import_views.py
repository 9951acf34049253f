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

from . import access, entry, entry_sheet, excel_template, history, imports, selectors, spreadsheets
from .models import ImportKind, StaleSubmission, Submission, WorkflowError
from .submission_views import agency_or_404, entry_url, period_or_404

# A preview page stays readable and light; the counts above the tables say how many there are in all.
MAX_CHANGES_SHOWN = 1000
MAX_PROBLEMS_SHOWN = 500


@login_required
def download_template(request, year, month, agency_pk):
    period, agency = period_or_404(year, month), agency_or_404(request.user, agency_pk)
    submission = selectors.submission_for(period, agency)
    workbook = excel_template.build(agency, period, entry_sheet.build(agency, period),
                                    values=entry.values_of(submission), previous=entry.previous_values(agency, period))
    return spreadsheets.xlsx_response(workbook, excel_template.filename(agency, period))


@login_required
@require_POST
def upload_template(request, year, month, agency_pk):
    period, agency = period_or_404(year, month), agency_or_404(request.user, agency_pk)
    back = redirect(entry_url(period, agency))
    existing = selectors.submission_for(period, agency)
    submission = existing or Submission(period=period, agency=agency)
    problem = submission.editing_problem(request.user)
    upload = request.FILES.get("file")
    if problem or upload is None:
        messages.error(request, problem or "Chọn tệp Excel biểu mẫu để tải lên.")
        return back
    try:
        plan = excel_template.read(
            upload, agency, period, entry_sheet.build(agency, period), version=submission.version,
            values=entry.values_of(existing), previous=entry.previous_values(agency, period),
        )
    except spreadsheets.WorkbookError as error:
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
            "columns": history.COLUMNS_HELP, "recent": selectors.recent_imports(request.user),
        })
    upload = request.FILES.get("file")
    back = redirect("history_import")
    if upload is None:
        messages.error(request, "Chọn tệp Excel số liệu lịch sử để tải lên.")
        return back
    try:
        plan = history.read(upload, request.user)
    except spreadsheets.WorkbookError as error:
        messages.error(request, " ".join(error.messages))
        return back
    return _after_reading(request, plan, upload, kind=ImportKind.HISTORY, back=back,
                          title="Nhập số liệu lịch sử nhiều đơn vị")


@login_required
def history_template(request):
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 được nhập số liệu lịch sử.")
    return spreadsheets.xlsx_response(history.empty_workbook(), "mau-so-lieu-lich-su-de-an-06.xlsx")


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
    batch = imports.stage(plan, user=request.user, kind=kind, upload=upload, agency=agency, period=period)
    return redirect("import_preview", batch.pk)


@login_required
def import_preview(request, pk):
    batch = _own_batch_or_404(request.user, pk)
    return render(request, "reporting/import_preview.html", {
        "title": f"Xem trước: {batch.file_name}", "batch": batch, "file_name": batch.file_name,
        "changes": imports.preview(batch, MAX_CHANGES_SHOWN), "change_count": len(batch.changes),
        "summary": imports.summary(batch) if batch.kind == ImportKind.HISTORY else [],
        "rows_read": batch.rows_read, "back_url": _back_url(batch),
    })


@login_required
@require_POST
def import_confirm(request, pk):
    batch = _own_batch_or_404(request.user, pk)
    try:
        imports.apply(batch, request.user)
    except StaleSubmission:
        imports.cancel(batch)
        messages.error(request, "Số liệu đã được người khác thay đổi sau khi bạn tải tệp lên nên chưa cập nhật gì. "
                                "Hãy tải tệp lên lại để xem trước với số liệu mới nhất.")
    except WorkflowError as error:
        imports.cancel(batch)
        messages.error(request, f"Chưa cập nhật gì: {error.message}")
    else:
        messages.success(request, f"{batch.note} Lịch sử thay đổi ghi nguồn “Nhập Excel”.")
    return redirect(_back_url(batch))


@login_required
@require_POST
def import_cancel(request, pk):
    batch = _own_batch_or_404(request.user, pk)
    imports.cancel(batch)
    messages.info(request, "Đã hủy; số liệu không thay đổi.")
    return redirect(_back_url(batch))


def _own_batch_or_404(user, pk):
    batch = imports.own_batch(user, pk)
    if batch is None:
        raise Http404("Không tìm thấy lần nhập này.")
    return batch


def _back_url(batch):
    if batch.kind == ImportKind.UNIT_TEMPLATE:
        return entry_url(batch.period, batch.agency)
    return reverse("history_import")

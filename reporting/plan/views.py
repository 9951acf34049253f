"""A year's plan: its list and detail, PC06 loads it from its appendix (.xlsx), and follows it on the board.

The board shows where each task stands, overdue ones first, and the targets'
actual values; for PC06, leaders and administrators, read-only. ``ky=YYYY-MM`` picks the
month (by default the latest one past its deadline with approved figures),
``chu-tri=<id>`` keeps the tasks a unit leads (by name or by its kind).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.models import Plan, PlanTask, PlanTaskUnit
from reporting import access, periods
from reporting.excel import staging, workbooks
from reporting.figures import plan_progress, targets
from reporting.models import Agency, ImportKind
from reporting.months import from_query
from reporting.plan import importer


@login_required
def plan_list(request):
    return render(request, "catalogs/plan_list.html", {"plans": Plan.objects.annotate(printed=Count("tasks")),
                                                       "can_edit_catalogs": access.can_edit_catalogs(request.user)})


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    units = PlanTaskUnit.objects.select_related("agency")
    tasks = PlanTask.objects.filter(plan=plan).select_related("group").prefetch_related(Prefetch("units", queryset=units))
    return render(request, "catalogs/plan_detail.html", {
        "plan": plan,
        "targets": plan.targets.select_related("indicator"),
        "groups": plan.task_groups.annotate(printed=Count("tasks")),
        "tasks": tasks.order_by("group__order", "number"),
    })


@login_required
@require_GET
def plan_board(request, pk):
    if not access.can_read_city(request.user):
        raise PermissionDenied("Bảng theo dõi kế hoạch dành cho lãnh đạo, PC06 và quản trị hệ thống.")
    plan = get_object_or_404(Plan, pk=pk)
    month = from_query(request.GET, "ky")
    if month:
        period = periods.period_or_404(month.year, month.month)
    else:
        period = periods.latest_reported_period()
        if period.year > plan.year:     # a past year's plan is read as it stood at the end of its year
            period = period.schedule.period_for(plan.year, 12)
    lead_pk = request.GET.get("chu-tri", "")
    lead = get_object_or_404(Agency, pk=lead_pk) if lead_pk.isdigit() else None
    lines = plan_progress.task_board(plan, period, lead=lead)
    return render(request, "catalogs/plan_board.html", {
        "plan": plan, "period": period, "lines": lines, "counts": plan_progress.progress_counts(lines),
        "leads": plan_progress.lead_units(plan), "lead": lead,
        "targets": targets.plan_targets(plan, period),
    })


# --- loading a plan from its appendix ----------------------------------------------------------


def _catalog_editors_only(request):
    if not access.can_edit_catalogs(request.user):
        raise PermissionDenied("Chỉ PC06 và quản trị hệ thống được nạp kế hoạch.")


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request):
    _catalog_editors_only(request)
    form = importer.PlanHeaderForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = importer.read(form.cleaned_data["file"])
        except workbooks.WorkbookError as error:
            form.add_error("file", error.messages)
        else:
            if not draft.problems:
                batch = importer.stage(draft, form.header(), user=request.user, upload=form.cleaned_data["file"])
                return redirect("plan_import_preview", batch.pk)
            # Shown, never stored: nothing of a file with problems is kept.
            return render(request, "catalogs/plan_import.html", {"form": form, "problems": draft.problems}, status=422)
    return render(request, "catalogs/plan_import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_template(request):
    _catalog_editors_only(request)
    return workbooks.xlsx_response(importer.empty_workbook(), "mau-phu-luc-nhiem-vu-ke-hoach.xlsx")


def _own_plan_batch(request, pk):
    _catalog_editors_only(request)
    batch = staging.own_batch(request.user, pk, kinds=[ImportKind.PLAN])
    if batch is None:
        raise Http404("Không tìm thấy lần nạp kế hoạch này.")
    return batch


@login_required
def plan_import_preview(request, pk):
    batch = _own_plan_batch(request, pk)
    reviews = importer.review(importer.draft_of(batch))
    return render(request, "catalogs/plan_import_preview.html", {
        "batch": batch, "plan": batch.changes["plan"], "groups": batch.changes["groups"], "reviews": reviews,
        "unmatched": [review for review in reviews if review.unmatched_lead or review.unmatched_coordinating],
        "no_lead": [review for review in reviews if not review.has_lead],
        "unparsed": [review for review in reviews if review.deadline_kind == "unparsed"],
    })


@login_required
@require_POST
def plan_import_confirm(request, pk):
    batch = _own_plan_batch(request, pk)
    if batch.status != "pending":
        messages.error(request, f"Lần nạp này {batch.get_status_display().lower()}, không thể xác nhận lại.")
        return redirect("plan_import_preview", batch.pk)
    plan = importer.apply(batch)
    messages.success(request, batch.note)
    return redirect("plan_detail", plan.pk)


@login_required
@require_POST
def plan_import_cancel(request, pk):
    staging.cancel(_own_plan_batch(request, pk))
    messages.info(request, "Đã hủy; danh mục kế hoạch không thay đổi.")
    return redirect("plan_upload")

"""The plan board: where each task of a year's plan stands, overdue ones first, and its targets' actual values.

For PC06, leaders and administrators; read-only. ``ky=YYYY-MM`` picks the
month (by default the latest one past its deadline with approved figures),
``chu-tri=<id>`` keeps the tasks a unit leads (by name or by its kind).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from indicators.models import Plan

from . import access, dashboard, exports, plan_progress, selectors
from .models import Agency
from .submission_views import period_or_404


@login_required
@require_GET
def plan_board(request, pk):
    if not access.can_read_city(request.user):
        raise PermissionDenied("Bảng theo dõi kế hoạch dành cho lãnh đạo, PC06 và quản trị hệ thống.")
    plan = get_object_or_404(Plan, pk=pk)
    if request.GET.get("ky"):
        try:
            month = exports.parse_month(request.GET["ky"], "ky")
        except exports.RangeError as error:
            return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
        period = period_or_404(month.year, month.month)
    else:
        period = selectors.latest_reported_period()
    lead_pk = request.GET.get("chu-tri", "")
    lead = get_object_or_404(Agency, pk=lead_pk) if lead_pk.isdigit() else None
    lines = plan_progress.task_board(plan, period, lead=lead)
    return render(request, "catalogs/plan_board.html", {
        "plan": plan, "period": period, "lines": lines, "counts": plan_progress.progress_counts(lines),
        "leads": plan_progress.lead_units(plan), "lead": lead,
        "targets": dashboard.plan_targets(plan, period),
    })

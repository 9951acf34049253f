"""The leadership dashboard pages: read-only, for PC06, leaders and administrators.

``/dieu-hanh/`` opens the latest month whose deadline has passed (its figures
are in and its late units known); ``/dieu-hanh/<năm>/<tháng>/`` takes
``tu=YYYY-MM`` for a range, ``don-vi=<id>`` for one unit's subtree and
``thang=12|24|36`` for the trend's length. ``.../xuat-excel/`` downloads the
same view as .xlsx.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import access, dashboard, dashboard_export, exports, selectors
from .models import ReportingPeriod
from .selectors import DEFAULT_SCHEDULE_NAME
from .spreadsheets import xlsx_response

FORBIDDEN = "Trang điều hành dành cho lãnh đạo, PC06 và quản trị hệ thống."


def _leaders_only(request):
    if not access.can_read_city(request.user):
        raise PermissionDenied(FORBIDDEN)


@login_required
@require_GET
def dashboard_home(request):
    """The latest month whose deadline has passed, or the month the filter form asks for (``ky``)."""
    _leaders_only(request)
    query = request.GET.copy()
    if query.get("ky"):
        try:
            month = exports.parse_month(query.pop("ky")[0], "ky")
        except exports.RangeError as error:
            return _bad(error.message)
        year, month = month.year, month.month
    else:
        latest = (ReportingPeriod.objects.filter(schedule__name=DEFAULT_SCHEDULE_NAME, deadline__lt=timezone.localdate())
                  .order_by("-year", "-month").first()) or selectors.current_period()
        year, month = latest.year, latest.month
    for name in [name for name, value in query.items() if not value]:
        del query[name]
    suffix = f"?{query.urlencode()}" if query else ""
    return redirect(reverse("dashboard", args=[year, month]) + suffix)


class BadQuery(ValueError):
    pass


def _choices(request, year, month):
    """(first, last, node pk, months) from the URL and its query; BadQuery with a Vietnamese message."""
    last = (year, month)
    first = last
    if request.GET.get("tu"):
        try:
            start = exports.parse_month(request.GET["tu"], "tu")
        except exports.RangeError as error:
            raise BadQuery(error.message) from None
        first = (start.year, start.month)
        if first > last:
            raise BadQuery("Tháng bắt đầu phải trước hoặc trùng tháng đang xem.")
    node = request.GET.get("don-vi", "")
    if node and not node.isdigit():
        raise BadQuery(f"Tham số “don-vi” = “{node}” phải là mã số của một đơn vị.")
    months = request.GET.get("thang", str(dashboard.TREND_CHOICES[0]))
    if not months.isdigit() or int(months) not in dashboard.TREND_CHOICES:
        raise BadQuery("Tham số “thang” chỉ nhận 12, 24 hoặc 36.")
    return first, last, int(node) if node else None, int(months)


def _dashboard(request, year, month):
    _leaders_only(request)
    first, last, node, months = _choices(request, year, month)
    try:
        return dashboard.get(first, last, node_pk=node, months=months)
    except dashboard.NoSuchPeriod as error:
        raise Http404(str(error)) from None


def _bad(error):
    # Plain text: the message quotes what was typed in the URL.
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def dashboard_page(request, year, month):
    try:
        board = _dashboard(request, year, month)
    except BadQuery as error:
        return _bad(error)
    scope = request.GET.copy()
    scope.pop("don-vi", None)
    return render(request, "dashboard/index.html", {
        "board": board, "query": request.GET.urlencode(), "scope_query": scope.urlencode(),
        "trend_choices": dashboard.TREND_CHOICES,
        "progress_columns": dashboard.PROGRESS_COLUMNS,
    })


@login_required
@require_GET
def dashboard_xlsx(request, year, month):
    try:
        board = _dashboard(request, year, month)
    except BadQuery as error:
        return _bad(error)
    return xlsx_response(dashboard_export.workbook(board), dashboard_export.filename(board))

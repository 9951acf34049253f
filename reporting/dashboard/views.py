"""The leadership dashboard pages: read-only, for PC06, leaders and administrators.

``/dieu-hanh/`` opens the latest month whose deadline has passed and whose
figures PC06 has begun approving; ``/dieu-hanh/<năm>/<tháng>/`` takes
``tu=YYYY-MM`` for a range, ``don-vi=<id>`` for one unit's subtree and
``thang=12|24|36`` for the trend's length, ``tat-ca=1`` to list every unit in
its tables rather than the worst fifty. ``.../xuat-excel/`` downloads the
same view as .xlsx; ``.../ban-in/`` is its one-page summary for the steering
committee's meeting (A4, printed from the browser).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from de_an_06.errors import NotFoundBecause
from reporting import access, periods, stamps
from reporting.dashboard import export, overview
from reporting.excel.workbooks import xlsx_response
from reporting.months import from_query

FORBIDDEN = "Trang điều hành dành cho lãnh đạo, PC06 và quản trị hệ thống."


def _leaders_only(request):
    if not access.can_read_city(request.user):
        raise PermissionDenied(FORBIDDEN)


@login_required
@require_GET
def dashboard_home(request):
    """The latest month past its deadline with approved figures, or the month the filter form asks for (``ky``)."""
    _leaders_only(request)
    query = request.GET.copy()
    month = from_query(query, "ky")
    if month:
        year, month = month.year, month.month
        del query["ky"]
    else:
        latest = periods.latest_reported_period()
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
    start = from_query(request.GET, "tu")
    if start:
        first = (start.year, start.month)
        if first > last:
            raise BadQuery("Tháng bắt đầu phải trước hoặc trùng tháng đang xem.")
    node = request.GET.get("don-vi", "")
    if node and not node.isdigit():
        raise BadQuery(f"Tham số “don-vi” = “{node}” phải là mã số của một đơn vị.")
    months = request.GET.get("thang", str(overview.TREND_CHOICES[0]))
    if not months.isdigit() or int(months) not in overview.TREND_CHOICES:
        raise BadQuery("Tham số “thang” chỉ nhận 12, 24 hoặc 36.")
    return first, last, int(node) if node else None, int(months)


def _dashboard(choices):
    first, last, node, months = choices
    try:
        return overview.get(first, last, node_pk=node, months=months)
    except overview.NoSuchPeriod as error:
        raise NotFoundBecause(str(error)) from None


def _bad(error):
    # Plain text: the message quotes what was typed in the URL.
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _query(choices, *, with_node=True):
    """The query string of these choices, written one way: links on the page and the cache key agree."""
    first, last, node, months = choices
    query = {}
    if first != last:
        query["tu"] = f"{first[0]}-{first[1]:02d}"
    if months != overview.TREND_CHOICES[0]:
        query["thang"] = months
    if node and with_node:
        query["don-vi"] = node
    return urlencode(query)


@login_required
@require_GET
def dashboard_page(request, year, month):
    """The page's body is cached as HTML beside the data (same stamp): a cached page costs two queries."""
    _leaders_only(request)
    try:
        choices = _choices(request, year, month)
    except BadQuery as error:
        return _bad(error)
    every_unit = request.GET.get(EVERY_UNIT) == "1"
    key = stamps.cache_key("dashboard-html", year, month, _query(choices), every_unit, stamps=overview.STAMPS,
                           shape=overview.SHAPE)
    board_html = cache.get(key)
    if board_html is None:
        board = _dashboard(choices)
        shown = len(board.rows) if every_unit else SHOWN_UNITS
        board_html = render_to_string("dashboard/_board.html", {
            "board": board, "query": _query(choices), "scope_query": _query(choices, with_node=False),
            "trend_choices": overview.TREND_CHOICES, "progress_columns": overview.PROGRESS_COLUMNS,
            "unit_rows": board.rows[:shown], "grid_rows": board.grid.rows[:shown] if board.grid else [],
            "every_unit_parameter": EVERY_UNIT,
        })
        cache.set(key, board_html, overview.CACHE_SECONDS)
    return render(request, "dashboard/index.html", {"board_html": mark_safe(board_html),  # rendered by us, escaped
                                                    "title": f"Điều hành {month}/{year}"})


# The units table and the grid list the worst units first: a city of thousands of communes shows this many,
# and "tat-ca=1" all of them (the Excel download always holds every unit).
SHOWN_UNITS = 50
EVERY_UNIT = "tat-ca"


@login_required
@require_GET
def dashboard_print(request, year, month):
    """The first screen's three answers on one A4 page: what the steering committee reads at its meeting."""
    _leaders_only(request)
    try:
        board = _dashboard(_choices(request, year, month))
    except BadQuery as error:
        return _bad(error)
    return render(request, "dashboard/print.html", {
        "board": board, "dashboard_url": reverse("dashboard", args=[year, month]),
        "missing": _first(board.missing_units, PRINTED_UNITS), "late": _first(board.late_submitters, PRINTED_UNITS),
        "overdue": _first(board.overdue, PRINTED_TASKS),
    })


def _first(items, count):
    """(the first ``count``, how many more)."""
    return items[:count], max(len(items) - count, 0)


# How many late units (of each kind: missing, late) and overdue tasks the printed page names before
# "và N … khác": with the longest lists the page stays one A4 sheet (tests/dashboard/test_leaders_summary.py).
PRINTED_UNITS = 12
PRINTED_TASKS = 8


@login_required
@require_GET
def dashboard_xlsx(request, year, month):
    _leaders_only(request)
    try:
        board = _dashboard(_choices(request, year, month))
    except BadQuery as error:
        return _bad(error)
    return xlsx_response(export.workbook(board), export.filename(board))

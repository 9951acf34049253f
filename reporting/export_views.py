"""Excel downloads, scoped like every page: another unit's id is a 404, the city totals are for PC06 and leaders.

The workbooks themselves are built in ``reporting.exports``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.views.decorators.http import require_GET

from . import access, exports, selectors
from .spreadsheets import xlsx_response
from .submission_views import agency_or_404, period_or_404


@login_required
@require_GET
def export_period(request, year, month):
    period = period_or_404(year, month)
    return xlsx_response(exports.period_workbook(request.user, period), exports.period_filename(period))


@login_required
@require_GET
def export_unit_series(request, pk):
    # Scope before input: a unit outside it is a 404 whatever the range says.
    agency = agency_or_404(request.user, pk)
    try:
        months = _months(request)
    except exports.RangeError as error:
        return _bad_range(error)
    workbook = exports.unit_series_workbook(agency, months, selectors.default_schedule())
    return xlsx_response(workbook, exports.unit_series_filename(agency, months))


@login_required
@require_GET
def export_city_series(request):
    if not access.can_read_city(request.user):
        raise PermissionDenied("Chỉ PC06, lãnh đạo và quản trị hệ thống được tải số liệu tổng hợp toàn thành phố.")
    try:
        months = _months(request)
    except exports.RangeError as error:
        return _bad_range(error)
    workbook = exports.city_series_workbook(request.user, months, selectors.default_schedule())
    return xlsx_response(workbook, exports.city_series_filename(months))


def _months(request):
    def current():
        period = selectors.current_period()
        return exports.Month(period.year, period.month)

    return exports.month_range(request.GET.get("tu", ""), request.GET.get("den", ""), current=current)


def _bad_range(error):
    # Plain text: the message quotes what was typed in the URL, so it is never rendered as HTML.
    return HttpResponseBadRequest(f"Không xuất được Excel: {error.message}", content_type="text/plain; charset=utf-8")

"""Excel downloads, scoped like every page: another unit's id is a 404, the city totals are for PC06 and leaders.

The workbooks themselves are built in ``reporting.excel.exports``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from reporting import access, periods
from reporting.excel import exports
from reporting.excel.streamed import xlsx_file_response
from reporting.excel.workbooks import xlsx_response
from reporting.months import Month, month_range


@login_required
@require_GET
def export_period(request, year, month):
    period = periods.period_or_404(year, month)
    # Sent from a temporary file: the whole country's month is 86 000 rows.
    return xlsx_file_response(exports.period_file(request.user, period), exports.period_filename(period))


@login_required
@require_GET
def export_unit_series(request, pk):
    # Scope before input: a unit outside it is a 404 whatever the range says.
    agency = access.agency_or_404(request.user, pk)
    months = _months(request)
    workbook = exports.unit_series_workbook(agency, months, periods.default_schedule())
    return xlsx_response(workbook, exports.unit_series_filename(agency, months))


@login_required
@require_GET
def export_city_series(request):
    if not access.can_read_city(request.user):
        raise PermissionDenied("Chỉ PC06, lãnh đạo và quản trị hệ thống được tải số liệu tổng hợp toàn thành phố.")
    months = _months(request)
    workbook = exports.city_series_workbook(request.user, months, periods.default_schedule())
    return xlsx_response(workbook, exports.city_series_filename(months))


def _months(request):
    def current():
        period = periods.current_period()
        return Month.of(period)

    return month_range(request.GET.get("tu", ""), request.GET.get("den", ""), current=current)


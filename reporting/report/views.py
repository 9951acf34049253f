"""The consolidated report in the browser: preview the draft, download it, finalise, sign, download issued versions.

PC06, leaders and administrators read it (``access.can_read_city``); only PC06
finalises and signs (``reporting.report.issue``).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from .. import access, exports
from ..models import ReportSettings, ReportVersion, WorkflowError
from ..submission_views import period_or_404
from . import issue, signing
from .compose import compose
from .render_docx import to_docx
from .render_html import to_html_fragment
from .render_pdf import to_pdf

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INCLUDE_SUBMITTED = "gom-chua-duyet"
FIRST_MONTH = "tu"


def _reader(request):
    if not access.can_read_city(request.user):
        raise PermissionDenied("Chỉ PC06, lãnh đạo và quản trị hệ thống xem báo cáo tổng hợp.")


def _file(content, filename, content_type):
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _draft(request, period):
    """(document, first month or None, include_submitted) of the draft the query asks for.

    ``tu`` starts a multi-month report; ``gom-chua-duyet`` adds the submitted, unapproved figures.
    """
    first = None
    if request.GET.get(FIRST_MONTH):
        try:
            month = exports.parse_month(request.GET[FIRST_MONTH], FIRST_MONTH)
        except exports.RangeError as error:
            raise Http404(error.message) from error
        first = period_or_404(month.year, month.month)
        if (first.year, first.month) > (period.year, period.month):
            raise Http404("Tháng bắt đầu phải trước tháng của báo cáo.")
    include_submitted = request.GET.get(INCLUDE_SUBMITTED) == "1"
    return compose(period, first=first, include_submitted=include_submitted), first, include_submitted


@login_required
def preview(request, year, month):
    _reader(request)
    period = period_or_404(year, month)
    document, first, include_submitted = _draft(request, period)
    return render(request, "report/consolidated.html", {
        "period": period, "document_html": to_html_fragment(document), "include_submitted": include_submitted,
        "first": first, "query": request.GET.urlencode(),
        "versions": ReportVersion.objects.filter(period=period).select_related("finalised_by", "signed_by")
                    .defer("pdf", "docx", "signed_pdf", "document"),
        "can_issue": access.can_review(request.user), "today": timezone.localdate(),
        "settings": ReportSettings.for_schedule(period.schedule),
    })


@login_required
def draft_file(request, year, month, kind):
    _reader(request)
    period = period_or_404(year, month)
    document, first, _ = _draft(request, period)
    name = f"du-thao-bao-cao-de-an-06-{period.year}-{period.month:02d}"
    if first:
        name += f"-tu-{first.year}-{first.month:02d}"
    if kind == "pdf":
        return _file(to_pdf(document), f"{name}.pdf", PDF)
    if kind == "docx":
        return _file(to_docx(document), f"{name}.docx", DOCX)
    raise Http404


@login_required
@require_POST
def finalise(request, year, month):
    period = period_or_404(year, month)
    try:
        issued_on = datetime.date.fromisoformat(request.POST.get("issued_on", ""))
        version = issue.finalise(period, request.user, number=request.POST.get("number", ""), issued_on=issued_on)
    except ValueError:
        messages.error(request, "Ngày ban hành không hợp lệ.")
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã ban hành báo cáo số {version.number}; nội dung đã được cố định.")
    return redirect("report_preview", period.year, period.month)


@login_required
@require_POST
def sign(request, pk):
    version = get_object_or_404(ReportVersion.objects.select_related("period__schedule"), pk=pk)
    try:
        issue.sign(version, request.user, location=ReportSettings.for_schedule(version.period.schedule).place)
    except WorkflowError as error:
        messages.error(request, error.message)
    except signing.SigningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Đã ký số báo cáo số {version.number}.")
    return redirect("report_preview", version.period.year, version.period.month)


@login_required
def version_file(request, pk, kind):
    _reader(request)
    version = get_object_or_404(ReportVersion.objects.select_related("period"), pk=pk)
    name = f"bao-cao-de-an-06-{version.period.year}-{version.period.month:02d}-so-{version.number.replace('/', '-')}"
    if kind == "docx":
        return _file(version.docx, f"{name}.docx", DOCX)
    if kind == "signed" and version.signed_pdf:
        return _file(version.signed_pdf, f"{name}-da-ky.pdf", PDF)
    if kind == "pdf":
        return _file(version.pdf, f"{name}.pdf", PDF)
    raise Http404

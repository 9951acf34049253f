"""The consolidated report in the browser: preview the draft, download it, finalise, download its versions.

PC06, leaders and administrators read it (``access.can_read_city``); only PC06 finalises it
(``reporting.report.issue``); signing and issuing a version are ``signing_views``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from reporting import access, periods
from reporting.models import ReportSettings, ReportVersion, WorkflowError
from reporting.months import Month, from_query
from reporting.report import issue, narrative
from reporting.report.compose import compose
from reporting.report.render_docx import to_docx
from reporting.report.render_html import to_html_fragment
from reporting.report.render_pdf import to_pdf
from reporting.report.unit_report import compose_unit

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INCLUDE_SUBMITTED = "gom-chua-duyet"
FIRST_MONTH = "tu"


def _reader(request):
    if not access.can_read_city(request.user):
        raise PermissionDenied("Chỉ PC06, lãnh đạo và quản trị hệ thống xem báo cáo tổng hợp.")


def _file(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _stored_file(field_file, filename, content_type):
    """An issued file streamed from the storage backend (local disk or a bucket)."""
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


def _first_month(query, period):
    """The first month of a multi-month report (``tu=YYYY-MM``), or None for the month alone."""
    month = from_query(query, FIRST_MONTH)
    if month is None:
        return None
    first = periods.period_or_404(month.year, month.month)
    if month > Month.of(period):
        raise Http404("Tháng bắt đầu phải trước tháng của báo cáo.")
    return None if first == period else first


def _draft(request, period):
    """(document, first month or None, include_submitted) of the draft the query asks for.

    ``tu`` starts a multi-month report; ``gom-chua-duyet`` adds the submitted, unapproved figures.
    """
    first = _first_month(request.GET, period)
    include_submitted = request.GET.get(INCLUDE_SUBMITTED) == "1"
    return compose(period, first=first, include_submitted=include_submitted), first, include_submitted


@login_required
def preview(request, year, month):
    _reader(request)
    return _preview(request, periods.period_or_404(year, month))


def _preview(request, period, *, refused=None):
    """The preview page; ``refused`` = (section key, typed text, message) puts a refused edit back in its box."""
    document, first, include_submitted = _draft(request, period)
    can_issue = access.can_review(request.user)
    sections = (narrative.editable_sections(document, narrative.overrides(first or period, period), first or period,
                                            period) if can_issue else [])
    for section in sections:
        if refused and section.key == refused[0]:
            section.text, section.error = refused[1], refused[2]
    versions = (ReportVersion.objects.filter(period=period, first_period=first)
                .select_related("finalised_by", "person_signed_by", "signed_by").defer("document", "outline"))
    return render(request, "report/consolidated.html", {
        "period": period, "document_html": to_html_fragment(document), "include_submitted": include_submitted,
        "first": first, "query": request.GET.urlencode(), "versions": versions, "sections": sections,
        "can_issue": can_issue, "may_issue": access.may_issue_reports(request.user), "today": timezone.localdate(),
        "suggested_number": issue.suggested_number(timezone.localdate().year), "settings": ReportSettings.for_schedule(period.schedule),
    }, status=400 if refused else 200)


@login_required
@require_POST
def edit_narrative(request, year, month):
    """PC06 rewrites one narrative section; an empty text puts the units' notes back."""
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 được sửa báo cáo tổng hợp.")
    period = periods.period_or_404(year, month)
    first = _first_month(request.GET, period)
    section, text = request.POST.get("section", ""), request.POST.get("text", "")
    try:
        version = int(request.POST.get("version", ""))
        stored = narrative.save(first or period, period, section, text, request.user, version=version)
    except ValueError:
        return _preview(request, period, refused=(section, text, "Phiên bản nội dung không hợp lệ; hãy tải lại trang."))
    except WorkflowError as error:
        return _preview(request, period, refused=(section, text, error.message))
    messages.success(request, "Đã lưu nội dung mục này." if stored else "Đã dùng lại nội dung báo cáo của các đơn vị.")
    return redirect(f"{reverse('report_preview', args=[year, month])}?{request.GET.urlencode()}#muc-{section}")


@login_required
def draft_file(request, year, month, kind):
    _reader(request)
    period = periods.period_or_404(year, month)
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
    period = periods.period_or_404(year, month)
    first = _first_month(request.GET, period)
    try:
        issue.finalise(period, request.user, first=first)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã hoàn tất nội dung báo cáo; bản này chờ người có thẩm quyền ký số.")
    return back_to_preview(period, first)


def back_to_preview(period, first):
    url = reverse("report_preview", args=[period.year, period.month])
    return redirect(f"{url}?{FIRST_MONTH}={first.year}-{first.month:02d}" if first else url)


@login_required
def version_file(request, pk, kind):
    _reader(request)
    version = get_object_or_404(ReportVersion.objects.select_related("period", "first_period"), pk=pk)
    name = f"bao-cao-de-an-06-{version.period.year}-{version.period.month:02d}"
    if version.first_period:
        name += f"-tu-{version.first_period.year}-{version.first_period.month:02d}"
    if version.number:
        name += f"-so-{version.number.replace('/', '-')}"
    if kind == "docx":
        return _stored_file(version.docx, f"{name}.docx", DOCX)
    if kind == "signed" and version.signed_pdf:
        return _stored_file(version.signed_pdf, f"{name}-da-ban-hanh.pdf", PDF)
    if kind == "person-signed" and version.person_signed_pdf:
        return _stored_file(version.person_signed_pdf, f"{name}-nguoi-co-tham-quyen-da-ky.pdf", PDF)
    if kind == "pdf":
        return _stored_file(version.pdf, f"{name}.pdf", PDF)
    raise Http404


@login_required
def unit_report_file(request, year, month, agency_pk, kind):
    """A unit's own monthly report (seed 004's layout), for anyone who may read that unit."""
    agency = access.agency_or_404(request.user, agency_pk)
    period = periods.period_or_404(year, month)
    name = f"bao-cao-de-an-06-{agency.code.lower()}-{period.year}-{period.month:02d}"
    if kind == "pdf":
        return _file(to_pdf(compose_unit(agency, period)), f"{name}.pdf", PDF)
    if kind == "docx":
        return _file(to_docx(compose_unit(agency, period)), f"{name}.docx", DOCX)
    raise Http404

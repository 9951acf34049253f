"""PC06 edits the report's outlines in the browser, the draft of a chosen month beside them.

Every page is PC06's (``access.can_review``). ``ky=YYYY-MM`` picks the month
the draft is composed for (by default the latest with approved figures);
``loai=range`` previews the quarter ending in it with the range outline, and
``loai=unit`` one unit's own report of the month (``don-vi=<pk>`` among the
month's reporting units; by default the first that reported). Every link and
form of the editor carries the three, so a save lands back on the same
preview. An outline of a kind the schedule lacks (a new city has none) is
created empty here, or imported from a file, then built item by item.
Changes go through ``outline_edit``, which refuses an edit made on a page
loaded before someone else's.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reporting import access, periods
from reporting.models import ReportingPeriod
from reporting.models.outline import ItemKind, OutlineItem, OutlineKind, ReportOutline
from reporting.months import Month, from_query
from reporting.report import outline_edit, outline_io
from reporting.report.compose import compose
from reporting.report.outline_forms import NewOutlineForm, OutlineFileForm, OutlineItemForm
from reporting.report.render_html import to_html_fragment
from reporting.report.unit_report import compose_unit

logger = logging.getLogger(__name__)
PREVIEW_FAILED = "Không dựng được bản xem trước với đề cương hiện tại; hãy sửa mục vừa đổi. Chi tiết: {error}"
NO_UNIT = "Tháng này chưa có đơn vị nào phải báo cáo (Quản trị › Đơn vị) nên chưa xem trước được báo cáo của đơn vị."
UNIT = "don-vi"
# What the preview's chooser calls each kind of report.
PREVIEW_KINDS = {OutlineKind.MONTH: "Báo cáo tháng", OutlineKind.RANGE: "Báo cáo quý (3 tháng đến tháng đã chọn)",
                 OutlineKind.UNIT: "Báo cáo tháng của một đơn vị"}


def _pc06_only(request):
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 được sửa đề cương báo cáo.")


def _outline_or_404(pk):
    return get_object_or_404(ReportOutline, pk=pk, schedule=periods.default_schedule())


def _item_or_404(pk):
    return get_object_or_404(OutlineItem.objects.select_related("outline", "parent"), pk=pk,
                             outline__schedule=periods.default_schedule())


def _revision(request):
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


# --- the month (and unit) previewed, carried by every link ------------------------------------------


def _view(request, kind=None):
    """(period, outline kind, unit or None) the query asks the draft for; ``kind`` when the page is about one.

    Without ``loai`` the month's report is previewed, or the first outline the schedule has if it has no monthly one.
    """
    month = from_query(request.GET, "ky")
    period = periods.period_or_404(month.year, month.month) if month else periods.latest_reported_period()
    asked = request.GET.get("loai")
    if not kind:
        kind = asked if asked in OutlineKind.values else _default_kind(period.schedule)
    return period, kind, _unit(request, period) if kind == OutlineKind.UNIT else None


def _default_kind(schedule):
    kinds = set(ReportOutline.objects.filter(schedule=schedule).values_list("kind", flat=True))
    return next((kind for kind in OutlineKind.values if kind in kinds), OutlineKind.MONTH)     # month first


def reporting_units(period):
    """The units whose own report can be previewed: the month's reporting units, in the catalog's order."""
    return period.expected_agencies().order_by("kind", "code")


def _unit(request, period):
    """The unit ``don-vi`` names among the month's reporting units; else the first that reported, else the first.

    A unit not reporting that month (chosen for another month, then the month changed) falls back likewise:
    the preview's title names the unit it shows.
    """
    units = reporting_units(period)
    chosen = request.GET.get(UNIT, "")
    found = units.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 19 else None
    return found or units.filter(submissions__period=period).first() or units.first()


def _query(period, kind, agency=None):
    query = {"ky": Month.of(period).slug}
    if kind and kind != OutlineKind.MONTH:
        query["loai"] = kind
    if agency:
        query[UNIT] = agency.pk
    return urlencode(query)


def _editor_url(request):
    """The editor on the month the request previews; read before any change, so a bad month changes nothing."""
    return f"{reverse('outline_editor')}?{_query(*_view(request))}"


def _preview(period, kind, agency):
    """The draft's HTML, or the reason it could not be composed: the editor stays usable to fix what broke it."""
    if kind == OutlineKind.UNIT and agency is None:
        return "", NO_UNIT
    try:
        if kind == OutlineKind.UNIT:
            return to_html_fragment(compose_unit(agency, period)), ""
        first = None
        if kind == OutlineKind.RANGE:
            start = Month.of(period).plus(-2)
            first = period.schedule.period_for(start.year, start.month)
        return to_html_fragment(compose(period, first=first)), ""
    except Exception as error:          # any failure of a draft PC06 is editing must not lock them out of the fix
        logger.exception("Outline preview failed for %s (%s)", period, kind)
        return "", PREVIEW_FAILED.format(error=error)


def _context(request, kind=None, **extra):
    period, kind, agency = _view(request, kind)
    schedule = period.schedule
    outlines = list(ReportOutline.objects.filter(schedule=schedule).order_by("kind"))
    document_html, preview_error = _preview(period, kind, agency)
    kinds = [outline.kind for outline in outlines]
    return {
        "period": period, "preview_kind": kind, "preview_unit": agency, "query": _query(period, kind, agency),
        "document_html": document_html, "preview_error": preview_error,
        "kinds": [(value, PREVIEW_KINDS[value]) for value in OutlineKind.values if value in kinds],
        "units": list(reporting_units(period)) if kind == OutlineKind.UNIT else [],
        "months": ReportingPeriod.objects.filter(schedule=schedule).order_by("-year", "-month"),
        "outlines": outlines, "new_outline": NewOutlineForm(missing=[k for k in OutlineKind.values if k not in kinds]),
        **extra,
    }



# --- the tree ---------------------------------------------------------------------------------------


@login_required
@require_GET
def editor(request):
    _pc06_only(request)
    context = _context(request)
    for outline in context["outlines"]:
        outline.tree = outline_edit.tree(outline)
    return render(request, "report/outline_editor.html", context)


@login_required
@require_POST
def move(request, pk, step):
    _pc06_only(request)
    item, back = _item_or_404(pk), _editor_url(request)
    try:
        moved = outline_edit.move(item, step, revision=_revision(request))
    except outline_edit.StaleOutline as stale:
        messages.error(request, f"{stale.message} Hãy xem lại đề cương rồi thử lại.")
    else:
        if not moved:
            messages.info(request, "Mục này đã ở đầu (hoặc cuối) các mục cùng cấp.")
    return redirect(f"{back}#muc-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    _pc06_only(request)
    item, back = _item_or_404(pk), _editor_url(request)
    if request.method == "POST":
        try:
            count = outline_edit.delete(item, revision=_revision(request))
        except outline_edit.StaleOutline as stale:
            messages.error(request, f"{stale.message} Hãy xem lại đề cương rồi thử lại.")
        else:
            messages.success(request, f"Đã xóa {count} mục khỏi đề cương.")
        return redirect(back)
    return render(request, "report/outline_delete.html", {
        "item": item, "count": outline_edit.descendant_count(item), "revision": item.outline.revision,
        "query": _query(*_view(request)),
    })


# --- one item's form --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request, pk):
    _pc06_only(request)
    item = _item_or_404(pk)
    return _item_form(request, item, title=f"Sửa mục: {item.get_kind_display()}")


@login_required
@require_http_methods(["GET", "POST"])
def add_child(request, pk):
    _pc06_only(request)
    parent = _item_or_404(pk)
    model = parent.children.order_by("order", "pk").first()
    item = OutlineItem(outline=parent.outline, parent=parent, kind=model.kind if model else ItemKind.TEXT,
                       numbering=model.numbering if model else "")
    return _item_form(request, item, title="Thêm mục con", place=parent)


@login_required
@require_http_methods(["GET", "POST"])
def add_after(request, pk):
    _pc06_only(request)
    before = _item_or_404(pk)
    item = OutlineItem(outline=before.outline, parent=before.parent, kind=before.kind, numbering=before.numbering)
    return _item_form(request, item, title="Thêm mục sau", place=before, after=before)


@login_required
@require_http_methods(["GET", "POST"])
def add_last(request, pk):
    _pc06_only(request)
    outline = _outline_or_404(pk)
    item = OutlineItem(outline=outline, kind=ItemKind.HEADING)
    return _item_form(request, item, title=f"Thêm mục cuối “{outline.name}”")


@login_required
@require_POST
def create(request):
    """A new, empty outline of a kind the schedule has none of; its items are then added one by one."""
    _pc06_only(request)
    period, _, _ = _view(request)
    schedule = periods.default_schedule()
    missing = [kind for kind in OutlineKind.values
               if not ReportOutline.objects.filter(schedule=schedule, kind=kind).exists()]
    form = NewOutlineForm(request.POST, missing=missing)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(_editor_url(request))
    outline, created = outline_edit.create(schedule, form.cleaned_data["kind"], form.cleaned_data["name"])
    if not created:         # another PC06 officer created it since this page was loaded
        messages.error(request, f"Lịch báo cáo đã có đề cương “{outline.name}” loại này; hãy sửa đề cương đó.")
        return redirect(_editor_url(request))
    messages.success(request, f"Đã tạo đề cương “{outline.name}”; thêm các mục bằng nút “Thêm mục cuối đề cương”.")
    agency = _unit(request, period) if outline.kind == OutlineKind.UNIT else None
    return redirect(f"{reverse('outline_editor')}?{_query(period, outline.kind, agency)}#de-cuong-{outline.kind}")


def _item_form(request, item, *, title, place=None, after=None):
    outline, back = item.outline, _editor_url(request)
    form = OutlineItemForm(request.POST or None, instance=item, outline=outline)
    status = 200
    if request.method == "POST" and form.is_valid() and "check" not in request.POST:
        try:
            saved = outline_edit.save_item(form, revision=form.cleaned_data["revision"], after=after)
        except outline_edit.StaleOutline as stale:
            form.add_error(None, f"{stale.message} Nội dung bạn nhập vẫn còn trong các ô; xem bản xem trước (theo "
                                 f"đề cương mới nhất) rồi bấm “Lưu” lần nữa nếu vẫn muốn lưu.")
            form.keep_for_resubmission(stale.revision)
            status = 409
        else:
            messages.success(request, "Đã lưu mục; bản xem trước đã theo đề cương mới.")
            return redirect(f"{back}#muc-{saved.pk}")
    # Previewed as it stands in the database: the month's draft, the quarter's for a range outline's item,
    # a unit's own report for a unit outline's.
    return render(request, "report/outline_item.html", _context(
        request, outline.kind, form=form, item=item, outline=outline, title=title, place=place), status=status)


# --- the outline as a file -----------------------------------------------------------------------


@login_required
@require_GET
def download(request, pk):
    _pc06_only(request)
    outline = _outline_or_404(pk)
    response = HttpResponse(outline_io.dumps(outline), content_type="application/json; charset=utf-8")
    filename = f"de-cuong-{outline.kind}-lan-sua-{outline.revision}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _pc06_only(request)
    form, back = OutlineFileForm(request.POST or None, request.FILES or None), _editor_url(request)
    problems, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            outline = outline_io.loads(periods.default_schedule(), form.cleaned_data["file"])
        except outline_io.OutlineFileError as error:
            problems, status = error.problems, 400
        else:
            messages.success(request, f"Đã nạp đề cương “{outline.name}”: {outline.items.count()} mục.")
            return redirect(back)
    return render(request, "report/outline_upload.html", {
        "form": form, "problems": problems, "query": _query(*_view(request))}, status=status)

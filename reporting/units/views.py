"""The agency catalog: the units a user may read, one unit's page, and the contact details it keeps up to date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from reporting import access
from reporting.choices import AgencyKind
from reporting.models import Agency
from reporting.units import accounts, selectors
from reporting.units.forms import AgencyContactForm


@login_required
def agency_list(request):
    kind = request.GET.get("loai", "")
    if kind and kind not in AgencyKind.values:
        kind = ""
    agencies = selectors.agencies_for(request.user, kind=kind)
    return render(request, "reporting/agency_list.html", {
        "agencies": agencies, "kinds": AgencyKind.choices, "kind": kind,
    })


@login_required
def agency_detail(request, pk):
    agency = selectors.agency_detail(request.user, pk)
    if agency is None:
        raise Http404("Không tìm thấy đơn vị.")
    can_edit = Agency.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(request, "reporting/agency_detail.html", {
        "agency": agency, "can_edit": can_edit,
        "predecessor_links": agency.predecessor_links.select_related("predecessor").order_by("predecessor__name"),
        "successor_links": agency.successor_links.select_related("successor").order_by("successor__name"),
        "can_move_accounts": access.can_move_accounts(request.user) and agency.valid_to is not None,
    })


@login_required
@require_POST
def move_accounts(request, pk):
    """PC06 moves a dissolved unit's accounts to the successor it picks, in one step."""
    if not access.can_move_accounts(request.user):
        raise PermissionDenied("Chỉ PC06 và quản trị hệ thống được chuyển tài khoản giữa các đơn vị.")
    agency = access.agency_or_404(request.user, pk)
    chosen = request.POST.get("successor", "")
    successor = agency.successors.filter(pk=chosen).first() if chosen.isdigit() else None
    try:
        moved = accounts.move_to_successor(agency, successor, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã chuyển {moved} tài khoản của {agency.name} sang {successor.name}.")
    return redirect("agency_detail", pk=agency.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk):
    # Not visible → 404 (do not reveal that it exists); visible but read-only → 403.
    if not Agency.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404("Không tìm thấy đơn vị.")
    agency = Agency.objects.editable_by(request.user).filter(pk=pk).first()
    if agency is None:
        raise PermissionDenied("Bạn chỉ được xem thông tin đơn vị này.")
    form = AgencyContactForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Đã lưu thông tin liên hệ của đơn vị.")
        return redirect("agency_detail", pk=agency.pk)
    return render(request, "reporting/agency_edit.html", {"agency": agency, "form": form})

"""The agency catalog: the units a user may read, one unit's page, and the contact details it keeps up to date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reporting.choices import AgencyKind
from reporting.models import Agency
from reporting.units import selectors
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
    return render(request, "reporting/agency_detail.html", {"agency": agency, "can_edit": can_edit})


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

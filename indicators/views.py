from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from .models import Indicator, Service, ServiceList


@login_required
def service_list(request):
    services = Service.objects.select_related("service_list").prefetch_related("reporter_agencies", "measures")
    lists = ServiceList.objects.annotate(known=Count("services"))
    return render(request, "catalogs/service_list.html", {
        "services": services,
        "service_lists": lists,
        "declared_total": sum(service_list.declared_count for service_list in lists),
    })


@login_required
def indicator_list(request):
    indicators = Indicator.objects.select_related("numerator", "denominator", "parent").prefetch_related("reporter_agencies")
    return render(request, "catalogs/indicator_list.html", {"indicators": indicators})

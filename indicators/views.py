from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from reporting import access

from .models import Indicator, Plan, PlanTask, PlanTaskUnit, Service, ServiceList


@login_required
def service_list(request):
    services = Service.objects.select_related("service_list").prefetch_related("reporter_agencies")
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


@login_required
def plan_list(request):
    return render(request, "catalogs/plan_list.html", {"plans": Plan.objects.annotate(printed=Count("tasks")),
                                                       "can_edit_catalogs": access.can_edit_catalogs(request.user)})


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    units = PlanTaskUnit.objects.select_related("agency")
    tasks = PlanTask.objects.filter(plan=plan).select_related("group").prefetch_related(Prefetch("units", queryset=units))
    return render(request, "catalogs/plan_detail.html", {
        "plan": plan,
        "targets": plan.targets.select_related("indicator"),
        "groups": plan.task_groups.annotate(printed=Count("tasks")),
        "tasks": tasks.order_by("group__order", "number"),
    })

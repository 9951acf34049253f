"""What the catalogs hold, against what the programme declares (for `catalog_summary`)."""

import datetime
from collections import Counter

from django.db.models import Count

from indicators.loaders import unresolved_unit_names
from indicators.models import Indicator, Plan, Service, ServiceList
from models_pilot.models import ModelProgramme
from reporting.catalog.loading import read_fixture
from reporting.choices import AgencyKind
from reporting.models import Agency
from reporting.units.names import NameMatcher


def _known_of(known, declared):
    return f"{known} known / {declared} declared"


def summary_lines(*, details=True):
    lines = []
    lines += _agency_lines(details)
    lines += _service_lines(details)
    lines += _indicator_lines(details)
    lines += _model_lines(details)
    for plan in Plan.objects.all():
        lines += _plan_lines(plan, details)
    return lines


def _agency_lines(details):
    counts = dict(Agency.objects.values_list("kind").annotate(n=Count("pk")))
    lines = [f"agencies.{kind.value}: {counts.get(kind.value, 0)}" for kind in AgencyKind]
    lines += _hierarchy_lines()
    if details:
        for agency in Agency.objects.exclude(kind=AgencyKind.WARD).select_related("parent"):
            validity = f", hiệu lực đến {agency.valid_to:%d/%m/%Y}" if agency.valid_to else ""
            lines.append(f"  {agency.code}: {agency.name} [{agency.get_kind_display()}{validity}]")
    return lines


def _hierarchy_lines():
    """The city's reporting units of one kind on one day, against the count the reorganising act declares.

    ``declared_totals.csv`` names each as ``kind@day``; the units' first words (Phường, Xã, Thị trấn,
    Đặc khu) give the breakdown the acts print.
    """
    lines = []
    for row in read_fixture("declared_totals.csv"):
        if row["catalog"] != "hierarchy":
            continue
        kind, day = row["code"].split("@")
        units = Agency.objects.active_on(datetime.date.fromisoformat(day)).filter(kind=kind, is_reporting_unit=True)
        names = Counter(_unit_type(name) for name in units.values_list("name", flat=True))
        breakdown = " + ".join(f"{count} {label}" for label, count in sorted(names.items(), key=lambda item: -item[1]))
        lines.append(f"hierarchy.{row['code']}: {_known_of(units.count(), row['declared_count'])} "
                     f"({breakdown}) — {row['name']}; nguồn: {row['source']}")
    return lines


def _unit_type(name):
    return next((prefix for prefix in UNIT_TYPES if name.startswith(prefix)), name.split()[0])


UNIT_TYPES = ["Phường", "Xã", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Thành phố"]


def _service_lines(details):
    lists = ServiceList.objects.annotate(known=Count("services"))
    declared = sum(service_list.declared_count for service_list in lists)
    lines = [f"services: {_known_of(Service.objects.count(), declared)}"]
    lines += [f"services.{service_list.code}: {_known_of(service_list.known, service_list.declared_count)}" for service_list in lists]
    lines.append(f"services.decision_not_stated: {Service.objects.filter(service_list__isnull=True).count()}")
    if details:
        lines += [f"  {service.code}: {service.name} [{', '.join(measure.label for measure in service.measures.all())}]"
                  for service in Service.objects.prefetch_related("measures")]
    return lines


def _indicator_lines(details):
    lines = [f"indicators: {Indicator.objects.count()}"]
    counts = dict(Indicator.objects.values_list("kind").annotate(n=Count("pk")))
    lines += [f"indicators.{kind}: {n}" for kind, n in sorted(counts.items())]
    if details:
        lines += [f"  {indicator.code}: {indicator.name} ({indicator.unit})" for indicator in Indicator.objects.all()]
    return lines


def _model_lines(details):
    lines = []
    for programme in ModelProgramme.objects.annotate(known=Count("models")):
        lines.append(f"pilot_models.{programme.code}: {_known_of(programme.known, programme.declared_count)}")
        if details:
            lines += [f"  {model.code}: {model.name}" for model in programme.models.all()]
    return lines


def _plan_lines(plan, details):
    key = f"plan[{plan.number}]"
    groups = list(plan.task_groups.annotate(printed=Count("tasks")))
    heading_total = sum(group.declared_task_count or 0 for group in groups)
    tasks = plan.tasks.select_related("group").order_by("group__order", "number")
    lines = [
        f"{key}.targets: {plan.targets.count()}",
        f"{key}.task_groups: {len(groups)}",
        f"{key}.tasks: {_known_of(tasks.count(), plan.declared_task_count)} (group headings add up to {heading_total})",
    ]
    matcher = NameMatcher(Agency.objects.all())
    unresolved = [(task, names) for task in tasks for names in [unresolved_unit_names(task, matcher)] if any(names.values())]
    lines.append(f"{key}.tasks_with_unresolved_units: {len(unresolved)}")
    without_lead = [task.number for task in tasks if not task.lead_text.strip()]
    lines.append(f"{key}.tasks_without_printed_lead: {len(without_lead)} ({', '.join(without_lead)})")
    if details:
        for target in plan.targets.select_related("indicator"):
            measured = f" ← {target.indicator.code}" if target.indicator else ""
            lines.append(f"  chỉ tiêu {target.code}: {target.value.normalize():f}{target.unit}{measured} — {target.text}")
        for group in groups:
            lines.append(f"  nhóm {group.number}: {group.printed} printed / {group.declared_task_count} in heading — {group.title}")
        for task, names in unresolved:
            printed = "; ".join(f"{role}: {', '.join(found)}" for role, found in names.items() if found)
            lines.append(f"  nhiệm vụ {task.number}: chưa khớp đơn vị — {printed}")
    return lines

"""Loading the services, indicators and plans from fixtures/ (see reporting.catalog.loading)."""

from decimal import Decimal

from reporting import stamps
from reporting.catalog.loading import (
    LoadCounts,
    agencies_by_code,
    parse_bool,
    parse_date,
    read_fixture,
    split_list,
    upsert,
)
from reporting.models import Agency
from reporting.units.names import NameMatcher

from .models import (
    Indicator,
    Measure,
    Plan,
    PlanTarget,
    PlanTask,
    PlanTaskGroup,
    PlanTaskUnit,
    Service,
    ServiceList,
    TaskRole,
    city_level_owners,
)


def _set_reporters(obj, row, created, update):
    if created or update:
        obj.reporter_agencies.set(agencies_by_code(split_list(row["reporters"])))


def load_service_lists(*, update=False):
    counts = LoadCounts()
    for row in read_fixture("declared_totals.csv"):
        if row["catalog"] == "service_list":
            values = {"name": row["name"], "declared_count": int(row["declared_count"]), "source": row["source"]}
            upsert(ServiceList, {"code": row["code"]}, values, update=update, counts=counts)
    return counts


def load_measures(*, update=False):
    """What services may report (measures.csv), in the file's order; a row may name a whole listed after it."""
    counts = LoadCounts()
    rows = read_fixture("measures.csv")
    loaded = {}
    for order, row in enumerate(rows, start=1):
        values = {
            "label": row["label"],
            "definition": row["definition"],
            "cumulative": parse_bool(row["cumulative"]),
            "source": row["source"],
            "order": order,
        }
        loaded[row["code"]], _ = upsert(Measure, {"code": row["code"]}, values, update=update, counts=counts)
    for row in rows:
        if row["part_of"] and row["part_of"] not in loaded:
            raise ValueError(f"measures.csv {row['code']}: part of “{row['part_of']}”, which the file does not list")
        measure, whole = loaded[row["code"]], loaded.get(row["part_of"])
        # As for an agency's parent: a whole is filled in when missing, replaced only on update.
        if measure.part_of_id is None and whole is not None or update and measure.part_of != whole:
            measure.part_of = whole
            measure.full_clean()
            measure.save(update_fields=["part_of"])
    return counts


def load_services(*, update=False):
    counts = LoadCounts()
    lists = {service_list.code: service_list for service_list in ServiceList.objects.all()}
    measures = {measure.code: measure for measure in Measure.objects.all()}
    rows = read_fixture("services.csv")
    check_service_lists(rows, lists)
    check_measures(rows, measures)
    check_owners(rows)
    for order, row in enumerate(rows, start=1):
        values = {
            "name": row["name"],
            "service_list": lists[row["service_list"]] if row["service_list"] else None,
            "is_bundle": parse_bool(row["is_bundle"]),
            "is_shared_total": bool(row["shared_total"].strip()),
            "sector": row["sector"],
            "count_unit": row["count_unit"],
            "portal_connection": row["portal_connection"],
            "reporter_kind": row["reporter_kind"],
            "aliases": "\n".join(split_list(row["aliases"])),
            "source": row["source"],
            "order": order,
        }
        service, created = upsert(Service, {"code": row["code"]}, values, update=update, counts=counts)
        _set_reporters(service, row, created, update)
        if created or update:
            service.measures.set([measures[code] for code in split_list(row["measures"])])
    return counts


def check_measures(rows, measures):
    """Every service reports at least one measure, each one of ``measures`` (code → Measure); ValueError before saving."""
    for row in rows:
        codes = split_list(row["measures"])
        unknown = [code for code in codes if code not in measures]
        if unknown:
            raise ValueError(f"services.csv {row['code']}: unknown measure code(s) {', '.join(unknown)}; "
                             f"measures.csv lists {', '.join(measures)}")
        if not codes:
            raise ValueError(f"services.csv {row['code']}: no measure; list its measure codes separated by |")


def check_owners(rows):
    """At the city level one unit reports a service, unless the row says, with a source, that each reports a part.

    ``shared_total`` holds that source (empty: one owner). Two city-level units on a row without it would be
    added into one city total, the same records twice (issue 18); a flag on a row with one unit says nothing.
    ValueError before anything is saved, naming the service and the units.
    """
    for row in rows:
        owners = city_level_owners(agencies_by_code(split_list(row["reporters"])))
        shared = bool(row["shared_total"].strip())
        if len(owners) > 1 and not shared:
            raise ValueError(
                f"services.csv {row['code']}: {len(owners)} city-level units report it "
                f"({', '.join(f'{agency.code} = {agency.name}' for agency in owners)}), so the city total would count "
                "its records once per unit; keep the one unit the sources name, or fill shared_total with the source "
                "saying each unit reports a part of one total")
        if shared and len(owners) < 2:
            raise ValueError(f"services.csv {row['code']}: shared_total is filled but only "
                             f"{len(owners)} city-level unit reports it; leave shared_total empty")


def check_service_lists(rows, lists):
    """A service is tagged with a decision's list only on a source naming that decision, and no list outgrows its total.

    Raises before anything is saved: ``services.csv`` names an unknown list (KeyError), a tagged row whose
    source does not name the decision, or more rows for a list than the decision declares (ValueError).
    """
    tagged = {}
    for row in rows:
        if not row["service_list"]:
            continue
        service_list = lists[row["service_list"]]
        if not service_list.is_named_in(row["source"]):
            raise ValueError(f"services.csv {row['code']}: tagged {service_list.code} but its source does not name "
                             f"{service_list.decision or service_list.name}")
        tagged.setdefault(service_list.code, []).append(row["code"])
    for code, services in tagged.items():
        if len(services) > lists[code].declared_count:
            raise ValueError(f"services.csv tags {len(services)} services with {code}, "
                             f"which declares {lists[code].declared_count}")


def load_indicators(*, update=False):
    counts = LoadCounts()
    rows = read_fixture("indicators.csv")
    by_code = {}
    for order, row in enumerate(rows, start=1):
        values = {
            "name": row["name"],
            "unit": row["unit"],
            "kind": row["kind"],
            "aggregation": row["aggregation"],
            "report_section": row["report_section"],
            "on_dashboard": parse_bool(row["on_dashboard"]),
            "reporter_kind": row["reporter_kind"],
            "source": row["source"],
            "order": order,
        }
        # A ratio's parts are set in the same save so the ratio constraint holds.
        for part in ("numerator", "denominator", "parent"):
            if row[part]:
                values[part] = by_code.get(row[part]) or Indicator.objects.get(code=row[part])
        indicator, created = upsert(Indicator, {"code": row["code"]}, values, update=update, counts=counts)
        _set_reporters(indicator, row, created, update)
        by_code[indicator.code] = indicator
    return counts


def load_plans(*, update=False):
    counts = LoadCounts()
    for row in read_fixture("plans.csv"):
        values = {
            "year": int(row["year"]),
            "issued_on": parse_date(row["issued_on"]),
            "title": row["title"],
            "issuer": row["issuer"],
            "declared_task_count": int(row["declared_task_count"]),
            "note": row["note"],
            "source": row["source"],
        }
        upsert(Plan, {"number": row["number"]}, values, update=update, counts=counts)
    plan = Plan.objects.get(number="1302/KH-UBND")
    _load_targets(plan, "plan_1302_2024_targets.csv", update, counts)
    _load_tasks(plan, "plan_1302_2024_groups.csv", "plan_1302_2024_tasks.csv", update, counts)
    return counts


def _load_targets(plan, filename, update, counts):
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for order, row in enumerate(read_fixture(filename), start=1):
        values = {
            "text": row["text"],
            "value": Decimal(row["value"]),
            "unit": row["unit"],
            "indicator": indicators[row["indicator"]] if row["indicator"] else None,
            "unmeasured_reason": row["unmeasured_reason"],
            "note": row["note"],
            "order": order,
        }
        upsert(PlanTarget, {"plan": plan, "code": row["code"]}, values, update=update, counts=counts)


def _load_tasks(plan, groups_file, tasks_file, update, counts):
    groups = {}
    for order, row in enumerate(read_fixture(groups_file), start=1):
        values = {
            "title": row["title_as_printed"].capitalize(),
            "declared_task_count": int(row["declared_task_count"]),
            "order": order,
        }
        groups[row["number"]], _ = upsert(PlanTaskGroup, {"plan": plan, "number": row["number"]}, values,
                                          update=update, counts=counts)
    matcher = NameMatcher(Agency.objects.all())
    for row in read_fixture(tasks_file):
        values = {
            "group": groups[row["group"]],
            "content": row["content"],
            "lead_text": row["lead"],
            "coordinating_text": row["coordinating"],
            "deadline_text": row["deadline"],
            "product": row["product"],
        }
        task, created = upsert(PlanTask, {"plan": plan, "number": row["number"]}, values, update=update, counts=counts)
        if created or update:
            assign_units(task, matcher)


def assign_units(task, matcher):
    """(Re)create the task's lead and coordinating units from its printed texts."""
    task.units.all().delete()
    for role, printed in ((TaskRole.LEAD, task.lead_text), (TaskRole.COORDINATING, task.coordinating_text)):
        match = matcher.match_list(printed)
        PlanTaskUnit.objects.bulk_create(
            [PlanTaskUnit(task=task, role=role, agency=agency, printed_name=agency.name) for agency in match.agencies]
            + [PlanTaskUnit(task=task, role=role, agency_kind=kind) for kind in match.kinds]
        )
    stamps.CATALOG.bump()     # bulk_create sends no post_save


def unresolved_unit_names(task, matcher):
    """Printed names of the task's units that match no agency or group, by role."""
    return {
        role: matcher.match_list(printed).unresolved
        for role, printed in ((TaskRole.LEAD, task.lead_text), (TaskRole.COORDINATING, task.coordinating_text))
    }

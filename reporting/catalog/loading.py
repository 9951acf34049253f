"""Loading catalog fixtures: shared helpers and the agency catalog.

Loading is idempotent: a row whose code exists is left alone unless
``update`` is asked, so PC06's corrections in the admin are never
overwritten by a routine re-run.
"""

import csv
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from reporting import stamps
from reporting.choices import AgencyKind
from reporting.models import Agency, ApprovalChain, ReminderRule, ReportOutline, ReportSettings, Share, Succession
from reporting.periods import default_schedule
from reporting.report import outline_io

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def read_fixture(name):
    with open(FIXTURES_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def split_list(value, separator="|"):
    return [item.strip() for item in (value or "").split(separator) if item.strip()]


def parse_date(value):
    return datetime.date.fromisoformat(value) if value else None


def parse_bool(value):
    return value.strip().lower() in {"yes", "true", "1"}


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list = field(default_factory=list)

    def __str__(self):
        return "; ".join([f"{self.created} mới, {self.updated} cập nhật, {self.unchanged} giữ nguyên", *self.notes])


def upsert(model, lookup, values, *, update, counts):
    """Create the row, or (with update) bring it in line with values. Returns (obj, created)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts.created += 1
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if update and changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj, False


def agencies_by_code(codes):
    found = {agency.code: agency for agency in Agency.objects.filter(code__in=codes)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise ValueError(f"Fixture names unknown agency codes: {', '.join(missing)}")
    return [found[code] for code in codes]


# The hierarchy in the order it changed: the city's bodies of 2024, the departments reorganised in 2025,
# the commune-level units that ended on 30/6/2025 and the 168 that began on 1/7/2025 (fixtures/README.md).
AGENCY_FILES = ["agencies.csv", "departments_2025.csv", "wards_2025_06.csv", "communes_2025.csv"]
SUCCESSION_FILES = ["successions_2025.csv"]
AGENCY_FIELDS = ["name", "short_name", "kind", "valid_from", "valid_to", "is_reporting_unit", "aliases", "source"]


def load_agencies(*, update=False):
    """Every agency of the fixtures in a few bulk queries (about 700 rows), then their parents and successions."""
    counts = LoadCounts()
    rows = [row for name in AGENCY_FILES for row in read_fixture(name)]
    existing = Agency.objects.in_bulk([row["code"] for row in rows], field_name="code")
    created, changed = [], []
    for row in rows:
        values = {
            "name": row["name"],
            "short_name": row["short_name"],
            "kind": row["kind"],
            "valid_from": parse_date(row["valid_from"]),
            "valid_to": parse_date(row["valid_to"]),
            "is_reporting_unit": parse_bool(row["is_reporting_unit"]),
            "aliases": "\n".join(split_list(row["aliases"])),
            "source": row["source"],
        }
        agency = existing.get(row["code"])
        if agency is None:
            created.append(Agency(code=row["code"], **values))
        elif update and any(getattr(agency, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(agency, name, value)
            changed.append(agency)
        else:
            counts.unchanged += 1
    Agency.objects.bulk_create(created, batch_size=500)
    Agency.objects.bulk_update(changed, AGENCY_FIELDS, batch_size=500)
    counts.created, counts.updated = len(created), len(changed)
    _set_parents(rows, update)
    counts.notes.append(f"{_load_successions(update)} quan hệ kế thừa mới")
    stamps.CATALOG.bump()     # bulk writes send no post_save
    return counts


def _set_parents(rows, update):
    """Parents second: a file need not list a parent before its children. A parent is filled in when missing."""
    by_code = Agency.objects.in_bulk([row["code"] for row in rows], field_name="code")
    moved = []
    for row in rows:
        agency, parent = by_code[row["code"]], by_code.get(row["parent"]) if row["parent"] else None
        if row["parent"] and parent is None:
            raise ValueError(f"Fixture names unknown parent code {row['parent']} for {row['code']}")
        if agency.parent_id is None and parent is not None or update and agency.parent_id != (parent and parent.pk):
            agency.parent = parent
            moved.append(agency)
    Agency.objects.bulk_update(moved, ["parent"], batch_size=500)


def _load_successions(update):
    """The successions of the fixtures; a pair already recorded keeps PC06's share and source unless ``update``."""
    rows = [row for name in SUCCESSION_FILES for row in read_fixture(name)]
    by_code = Agency.objects.in_bulk({row[side] for row in rows for side in ("successor", "predecessor")},
                                     field_name="code")
    missing = sorted({row[side] for row in rows for side in ("successor", "predecessor")} - by_code.keys())
    if missing:
        raise ValueError(f"Fixture names unknown agency codes in successions: {', '.join(missing)}")
    for row in rows:
        if row["share"] not in Share.values:
            raise ValueError(f"Succession {row['predecessor']} → {row['successor']}: share must be whole or part")
    stored = {(link.successor_id, link.predecessor_id): link for link in Succession.objects.filter(
        successor__in=[by_code[row["successor"]] for row in rows])}
    new, changed = [], []
    for row in rows:
        values = {"share": row["share"], "source": row["source"]}
        pair = (by_code[row["successor"]].pk, by_code[row["predecessor"]].pk)
        link = stored.get(pair)
        if link is None:
            new.append(Succession(successor_id=pair[0], predecessor_id=pair[1], **values))
        elif update and (link.share, link.source) != (values["share"], values["source"]):
            link.share, link.source = values["share"], values["source"]
            changed.append(link)
    Succession.objects.bulk_create(new, batch_size=500)
    Succession.objects.bulk_update(changed, ["share", "source"], batch_size=500)
    return len(new)


def load_reminder_rules(*, update=False):
    """The default reminder rules; PC06 edits them in the admin afterwards."""
    counts = LoadCounts()
    for row in read_fixture("reminder_rules.csv"):
        values = {
            "kind": row["kind"],
            "day_offset": int(row["day_offset"]),
            "time_of_day": datetime.time.fromisoformat(row["time_of_day"]),
            "channels": split_list(row["channels"]),
            "recipient_roles": split_list(row["recipient_roles"]),
        }
        upsert(ReminderRule, {"name": row["name"]}, values, update=update, counts=counts)
    return counts


def load_approval_chains(*, update=False):
    """Which kinds of unit have their head review the month before PC06 gets it (issue 18's defaults).

    A kind PC06 has set in the admin keeps PC06's choice unless ``update`` is asked; a kind with no row
    submits directly.
    """
    counts = LoadCounts()
    for row in read_fixture("approval_chains.csv"):
        if row["kind"] not in AgencyKind.values:
            raise ValueError(f"approval_chains.csv names an unknown kind of unit: {row['kind']}")
        upsert(ApprovalChain, {"kind": row["kind"]}, {"head_reviews": parse_bool(row["head_reviews"])},
               update=update, counts=counts)
    return counts


def report_settings_values():
    """The city's report settings as its fixture gives them; lists (one line each in the admin) joined by new lines."""
    defaults = json.loads((FIXTURES_DIR / "report_settings.json").read_text(encoding="utf-8"))
    return {name: "\n".join(value) if isinstance(value, list) else value
            for name, value in defaults.items() if not name.startswith("_")}


def load_report_settings(*, update=False):
    """The monthly report's header, legal bases, recipients and signature from the fixture; PC06 edits them after.

    Settings PC06 has begun to fill are left alone unless ``update`` is asked.
    """
    counts = LoadCounts()
    settings = ReportSettings.for_schedule(default_schedule())
    is_empty = not any(getattr(settings, name) for name in ReportSettings.REQUIRED)
    if not (is_empty or update):
        counts.unchanged += 1
        return counts
    for name, value in report_settings_values().items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    if is_empty:
        counts.created += 1
    else:
        counts.updated += 1
    return counts


OUTLINE_FIXTURES = ("outline_month.json", "outline_unit.json")


def load_outlines(*, update=False):
    """The city's report outlines from their fixtures (seed 000's and seed 004's sections and sentences).

    PC06 edits them after; an outline already there is left alone unless ``update`` is asked.
    """
    counts = LoadCounts()
    schedule = default_schedule()
    for name in OUTLINE_FIXTURES:
        data = json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))
        exists = ReportOutline.objects.filter(schedule=schedule, kind=data["kind"]).exists()
        if exists and not update:
            counts.unchanged += 1
            continue
        outline_io.load(schedule, data)
        if exists:
            counts.updated += 1
        else:
            counts.created += 1
    return counts

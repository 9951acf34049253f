"""An outline as a file: exported from one city's instance, imported into another's, kept with an issued version.

The file is JSON: the outline's name and kind, and its items as a tree
(``children``), each naming the catalog items it is about by their codes
(``"service": "DVC14"``), so it travels between databases. Importing
replaces every item of the schedule's outline of that kind in one
transaction, and checks each item as the admin would: a file with one bad
item changes nothing and says which item is wrong and why.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Indicator, Service, ServiceList
from reporting.models.outline import OutlineItem, OutlineKind, ReportOutline
from reporting.report import fill

FORMAT = "de-an-06-outline/1"
# Fields copied as they are; catalog references are written by code (REFERENCES).
PLAIN_FIELDS = ("kind", "numbering", "style", "hide_empty", "text", "numerator", "denominator", "precision", "keep_zeros",
                "no_data", "key", "topic", "unit_kinds", "gather")
REFERENCES = {"service": Service, "indicator": Indicator, "service_list": ServiceList}
DEFAULTS = {field: OutlineItem._meta.get_field(field).get_default() for field in PLAIN_FIELDS}


class OutlineFileError(Exception):
    """The file cannot be imported; ``problems`` are Vietnamese sentences naming each bad item."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def export(outline):
    """The outline as a JSON-ready dict (fields left at their default are omitted)."""
    items = list(outline.items.select_related(*REFERENCES).order_by("order", "pk"))
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def tree(parent_id):
        return [_item_data(item, tree(item.pk)) for item in children.get(parent_id, [])]

    return {"format": FORMAT, "name": outline.name, "kind": outline.kind, "revision": outline.revision,
            "items": tree(None)}


def _item_data(item, children):
    data = {field: getattr(item, field) for field in PLAIN_FIELDS if getattr(item, field) != DEFAULTS[field]}
    data["kind"] = item.kind
    data.update({name: getattr(item, name).code for name in REFERENCES if getattr(item, f"{name}_id")})
    if children:
        data["children"] = children
    return data


def dumps(outline):
    return json.dumps(export(outline), ensure_ascii=False, indent=1)


def load(schedule, data):
    """Replace the schedule's outline of ``data["kind"]`` with the file's; OutlineFileError, nothing changed, if bad."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("items"), list):
        raise OutlineFileError(["Tệp không phải đề cương báo cáo (thiếu “format”: “de-an-06-outline/1” hoặc “items”)."])
    kind = data.get("kind", OutlineKind.MONTH)
    if kind not in OutlineKind.values:
        raise OutlineFileError([f"Loại đề cương “{kind}” không có; dùng một trong: {', '.join(OutlineKind.values)}."])
    problems = []
    with transaction.atomic():
        outline, _ = ReportOutline.objects.update_or_create(
            schedule=schedule, kind=kind, defaults={"name": data.get("name") or "Đề cương"})
        outline.items.all().delete()
        _create(outline, None, data["items"], "", problems)
        if problems:
            transaction.set_rollback(True)
            raise OutlineFileError(problems)
        outline.touch()
    outline.refresh_from_db()
    return outline


def loads(schedule, text):
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise OutlineFileError([f"Tệp không đọc được như JSON: {error}."]) from error
    return load(schedule, data)


def _create(outline, parent, entries, path, problems):
    for order, entry in enumerate(entries, start=1):
        place = f"{path}{order}"
        if not isinstance(entry, dict):
            problems.append(f"Mục {place}: không phải một mục đề cương.")
            continue
        item = OutlineItem(outline=outline, parent=parent, order=order,
                           **{field: entry.get(field, DEFAULTS[field]) for field in PLAIN_FIELDS})
        for name, model in REFERENCES.items():
            code = entry.get(name)
            if code:
                found = model.objects.filter(code=code).first()
                if found is None:
                    problems.append(f"Mục {place}: không có {model._meta.verbose_name} mã “{code}”.")
                setattr(item, name, found)
        try:
            item.full_clean()
            pattern = fill.pattern_problems(item)
            if pattern:
                raise ValidationError(pattern)
        except ValidationError as error:
            problems += [f"Mục {place} ({item.get_kind_display()}): {message}" for message in error.messages]
            continue
        item.save()
        _create(outline, item, entry.get("children", []), f"{place}.", problems)

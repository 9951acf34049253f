"""PC06's edits of an outline in the browser: the tree it reads, and every change, each moving the revision on.

Each change runs in one transaction holding the outline's row and first
compares the revision the page was loaded at with the stored one: two
editors never silently overwrite each other, the second is told and keeps
what they typed. Orders among siblings are renumbered 1, 2, 3… on every
move or insertion, so a gap or a tie left by an import never makes a
move do nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction

from reporting.models.outline import OutlineItem, ReportOutline


class StaleOutline(Exception):
    """The outline was edited since the page was loaded; ``revision`` is the stored one."""

    def __init__(self, loaded, revision):
        super().__init__(f"revision {loaded} loaded, {revision} stored")
        self.loaded, self.revision = loaded, revision

    @property
    def message(self):
        if self.loaded is None:
            return "Trang không cho biết đề cương được mở ở lần sửa nào, nên chưa lưu gì."
        return (f"Đề cương vừa được sửa ở nơi khác (lần sửa {self.loaded} → {self.revision}) sau khi bạn mở "
                f"trang này, nên chưa lưu gì.")


@dataclass
class Node:
    """An item with its children, as the editor's tree shows it."""

    item: OutlineItem
    children: list = field(default_factory=list)
    first: bool = False
    last: bool = False


def tree(outline):
    """The outline's top-level Nodes in printed order, each with its children."""
    items = (outline.items.select_related("service", "indicator", "service_list")
             .order_by("order", "pk"))
    nodes = {item.pk: Node(item) for item in items}
    roots = []
    for node in nodes.values():
        (nodes[node.item.parent_id].children if node.item.parent_id else roots).append(node)
    for siblings in [roots, *(node.children for node in nodes.values())]:
        if siblings:
            siblings[0].first, siblings[-1].last = True, True
    return roots


def descendant_count(item):
    """How many items deleting ``item`` deletes with it (its children, theirs, …)."""
    parents = {}
    for pk, parent_id in item.outline.items.values_list("pk", "parent_id"):
        parents.setdefault(parent_id, []).append(pk)
    count, pending = 0, [item.pk]
    while pending:
        below = parents.get(pending.pop(), [])
        count += len(below)
        pending += below
    return count


def _locked(outline_id, loaded_revision):
    outline = ReportOutline.objects.select_for_update().get(pk=outline_id)
    if loaded_revision != outline.revision:
        raise StaleOutline(loaded_revision, outline.revision)
    return outline


def _siblings(outline_id, parent_id):
    return list(OutlineItem.objects.filter(outline_id=outline_id, parent_id=parent_id).order_by("order", "pk"))


def _renumber(siblings):
    for order, sibling in enumerate(siblings, start=1):
        sibling.order = order
    OutlineItem.objects.bulk_update([sibling for sibling in siblings if sibling.pk], ["order"])


def create(schedule, kind, name):
    """(outline, created): a new, empty outline of ``kind`` for ``schedule``, or the one someone made meanwhile."""
    return ReportOutline.objects.get_or_create(schedule=schedule, kind=kind, defaults={"name": name})


def save_item(form, *, revision, after=None):
    """Save a valid OutlineItemForm: an edit in place, a new item after ``after`` or last among its siblings.

    StaleOutline, nothing saved, if the outline moved past ``revision``.
    """
    with transaction.atomic():
        outline = _locked(form.instance.outline_id, revision)
        item = form.save(commit=False)
        if item.pk is None:
            siblings = _siblings(outline.pk, item.parent_id)
            after_pk = after.pk if after else None
            position = next((index + 1 for index, sibling in enumerate(siblings) if sibling.pk == after_pk),
                            len(siblings))
            siblings.insert(position, item)
            _renumber(siblings)
        item.save()
        outline.touch()
    return item


def move(item, step, *, revision):
    """Swap ``item`` with its sibling before (step -1) or after (step +1); False if it is already at that end."""
    with transaction.atomic():
        outline = _locked(item.outline_id, revision)
        siblings = _siblings(outline.pk, item.parent_id)
        index = next(index for index, sibling in enumerate(siblings) if sibling.pk == item.pk)
        other = index + step
        if not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        _renumber(siblings)
        outline.touch()
    return True


def delete(item, *, revision):
    """Delete ``item`` and everything under it (the parent link cascades); how many items went."""
    with transaction.atomic():
        outline = _locked(item.outline_id, revision)
        count = 1 + descendant_count(item)
        item.delete()
        _renumber(_siblings(outline.pk, item.parent_id))
        outline.touch()
    return count

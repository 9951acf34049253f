"""PC06's editing of the report's narrative slots (the outline's notes items) before it is finalised.

The composer fills each slot from the units' notes; PC06 rewrites it here
in its own words. The edit belongs to the report of that span of months,
is refused when someone else changed the section since the editor loaded it,
and is cleared (back to the units' notes) by saving an empty text.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from de_an_06.text import clean_text
from reporting.choices import AgencyKind
from reporting.models import OutlineItem, ReportNarrative, ReportOutline, WorkflowError
from reporting.models.outline import ItemKind
from reporting.report.document import Paragraph
from reporting.report.kinds import PLACEHOLDERS
from reporting.report.roles import ensure_pc06

MAX_LENGTH = 20_000


def overrides(first, period):
    """section key → ReportNarrative of the report of [first, period]."""
    edits = ReportNarrative.objects.filter(first_period=first, period=period).select_related("updated_by")
    return {edit.section: edit for edit in edits}


def save(first, period, section, text, user, *, version):
    """Store PC06's wording of ``section``; ``version`` is the one the editor loaded (0: none existed).

    Returns the stored ReportNarrative, or None when an empty text put the units' notes back.
    """
    ensure_pc06(user, "sửa")
    if section not in slots(first, period):
        raise WorkflowError("Mục này của báo cáo không sửa được.")
    try:
        text = clean_text(text)
    except ValidationError as error:
        raise WorkflowError(error.messages[0]) from None
    if len(text) > MAX_LENGTH:
        raise WorkflowError(f"Nội dung quá dài: tối đa {MAX_LENGTH:,} ký tự.".replace(",", "."))
    with transaction.atomic():
        current = (ReportNarrative.objects.select_for_update()
                   .filter(first_period=first, period=period, section=section).first())
        if (current.version if current else 0) != version:
            who = current.updated_by if current else None
            raise WorkflowError(
                f"{_name(who) if who else 'Một cán bộ khác'} vừa sửa mục này. Nội dung bạn nhập vẫn ở trong ô; "
                "hãy đối chiếu với bản mới rồi lưu lại.")
        if not text:
            if current:
                current.delete()
            return None
        if current:
            current.text, current.updated_by, current.version = text, user, current.version + 1
            current.save()
            return current
        try:
            with transaction.atomic():
                return ReportNarrative.objects.create(first_period=first, period=period, section=section, text=text,
                                                      updated_by=user)
        except IntegrityError as error:   # another editor created it between our read and our insert
            raise WorkflowError("Một cán bộ khác vừa sửa mục này; hãy tải lại trang rồi lưu lại.") from error


def slots(first, period):
    """key → label of the narrative slots PC06 may write in the report of [first, period], in outline order.

    The label is the slot's heading as the outline names it ("Khó khăn, vướng mắc"), with the kinds of units
    it gathers when it gathers only some ("Khó khăn, vướng mắc — Cấp xã"): two slots under one heading differ.
    """
    outline = ReportOutline.for_report(period.schedule, is_range=first != period)
    items = OutlineItem.objects.filter(outline=outline, kind=ItemKind.NOTES).select_related("parent").order_by("pk")
    return {item.key: _label(item) for item in items}


def _label(item):
    label = item.parent.text if item.parent_id else item.key
    kinds = [AgencyKind(kind).label for kind in item.kinds_of_units if kind in AgencyKind.values]
    return f"{label} — {', '.join(kinds)}" if kinds else label


def _name(user):
    return user.get_full_name() or user.username


@dataclass
class EditableSection:
    key: str
    label: str
    text: str                       # what the editor starts from: PC06's wording, else the units' notes
    edit: ReportNarrative | None    # PC06's stored wording, if any
    error: str = ""

    @property
    def version(self):
        return self.edit.version if self.edit else 0


def editable_sections(document, edits, first, period):
    """The narrative slots of a composed document, in the report's order, for PC06's editor.

    Each starts from PC06's own text as typed (its marks included), else from what the document prints there
    (without the numbers the outline puts before it).
    """
    lines = defaultdict(list)
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.source:
            lines[block.source].append(block.text)
    labels = slots(first, period)
    ordered = [key for key in dict.fromkeys(lines) if key in labels] + [key for key in labels if key not in lines]
    return [EditableSection(key, labels[key], edits[key].text if key in edits else "\n".join(_unnumbered(lines[key])),
                            edits.get(key)) for key in ordered]


def _unnumbered(texts):
    """The slot's paragraphs as PC06 would type them: without their printed numbers, nor a draft's placeholder."""
    texts = [re.sub(r"^(- |\d+\. |[a-zđ]\) )", "", text) for text in texts]
    return [text for text in texts if text not in PLACEHOLDERS]


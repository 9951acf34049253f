"""PC06's editing of the report's narrative sections (I, III.1, III.2, IV, V) before it is finalised.

The composer fills each section from the units' notes; PC06 rewrites it here
in its own words. The edit belongs to the report of that span of months,
is refused when someone else changed the section since the editor loaded it,
and is cleared (back to the units' notes) by saving an empty text.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from reporting.models import NarrativeSection, ReportNarrative, WorkflowError
from reporting.report.document import Paragraph
from reporting.report.roles import ensure_pc06

MAX_LENGTH = 20_000
NOT_REPORTED = "Các đơn vị chưa báo cáo nội dung này."


def overrides(first, period):
    """section key → ReportNarrative of the report of [first, period]."""
    edits = ReportNarrative.objects.filter(first_period=first, period=period).select_related("updated_by")
    return {edit.section: edit for edit in edits}


def save(first, period, section, text, user, *, version):
    """Store PC06's wording of ``section``; ``version`` is the one the editor loaded (0: none existed).

    Returns the stored ReportNarrative, or None when an empty text put the units' notes back.
    """
    ensure_pc06(user, "sửa")
    if section not in NarrativeSection.values:
        raise WorkflowError("Mục này của báo cáo không sửa được.")
    text = text.strip()
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


def editable_sections(document, edits):
    """The narrative sections of a composed document, in the report's order, for PC06's editor."""
    lines = defaultdict(list)
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.source and block.text != NOT_REPORTED:
            lines[block.source].append(block.text)
    return [EditableSection(key, label, "\n".join(lines[key]), edits.get(key)) for key, label in NarrativeSection.choices]

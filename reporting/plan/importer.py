"""A year's plan loaded from its task appendix in .xlsx: read, preview, confirm — all tasks or none.

The sheet is the printed appendix: a header row, then rows of
STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm.
A row whose STT is a Roman numeral (I, II, … VII) opens a task group, its
title in "Nội dung". The preview shows each task's deadline as understood
(or flagged) and every lead or coordinating unit name that matches no agency,
so that PC06 fixes the file (or the agency's aliases) before confirming.
A row with a problem (no number, no content, a task before any group, a
number twice, a formula) stops the file: nothing is stored.
"""

import re
from dataclasses import dataclass, field

import openpyxl
from django import forms
from django.db import transaction
from django.utils import timezone

from de_an_06.text import validate_text
from indicators.deadlines import DeadlineKind, parse_deadline
from indicators.loaders import assign_units
from indicators.models import Plan, PlanTask, PlanTaskGroup
from reporting.excel import workbooks
from reporting.models import Agency, ImportBatch, ImportKind, ImportStatus
from reporting.units.names import NameMatcher

COLUMNS = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]
FIELDS = ["number", "content", "lead", "coordinating", "deadline", "product"]
_ROMAN = re.compile(r"^(?=[IVXL])L?X{0,3}(IX|IV|V?I{0,3})$")


class PlanHeaderForm(forms.Form):
    """What the appendix does not say: the plan's number, year, title and issuer."""

    number = forms.CharField(label="Số kế hoạch", max_length=40, help_text="Ví dụ: 1302/KH-UBND",
                             validators=[validate_text])
    year = forms.IntegerField(label="Năm", min_value=2022, max_value=2100)
    title = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 2}), validators=[validate_text])
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200, initial="Ủy ban nhân dân Thành phố",
                             validators=[validate_text])
    file = forms.FileField(label="Tệp Excel phụ lục nhiệm vụ (.xlsx)")

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if Plan.objects.filter(number=number).exists():
            raise forms.ValidationError(f"Kế hoạch số {number} đã có trong danh mục; sửa nó trong trang quản trị.")
        return number

    def header(self):
        return {name: self.cleaned_data[name] for name in ("number", "year", "title", "issuer")}


@dataclass
class PlanDraft:
    groups: list = field(default_factory=list)      # {"number", "title", "row"}
    tasks: list = field(default_factory=list)       # {"group", "number", "content", "lead", …, "row"}
    problems: list = field(default_factory=list)    # workbooks.CellProblem
    rows_read: int = 0


def _text(value):
    return "" if value is None else workbooks.restore_text(value)


def read(upload):
    """The plan's groups and tasks as the sheet prints them, with every problem located by row and column."""
    sheet = workbooks.open_workbook(upload).worksheets[0]
    draft = PlanDraft()
    seen = {}
    for number, values in workbooks.rows_of(sheet, first_row=2, columns=len(COLUMNS)):
        values = (*values, *[None] * len(COLUMNS))[:len(COLUMNS)]
        # A formula is refused, as in every import: its cached result may not be what the sheet shows.
        formulas = [workbooks.formula_problem(sheet.title, number, column, COLUMNS[column - 1], formula)
                    for column, value in enumerate(values, start=1)
                    if (formula := workbooks.formula_text(value))]
        row = dict(zip(FIELDS, map(_text, values)))
        if not any(row.values()):
            continue
        draft.rows_read += 1
        problem = _row_problem(row, draft, seen)
        if formulas or problem:
            draft.problems += formulas or [workbooks.CellProblem(sheet.title, number, *problem)]
        elif _ROMAN.match(row["number"].upper()):
            draft.groups.append({"number": row["number"].upper(), "title": row["content"], "row": number})
        else:
            seen[row["number"]] = number
            draft.tasks.append({**row, "group": draft.groups[-1]["number"], "row": number})
    if not draft.tasks and not draft.problems:
        draft.problems.append(workbooks.CellProblem(sheet.title, 2, "", "Trang đầu không có nhiệm vụ nào."))
    return draft


def _row_problem(row, draft, seen):
    """(column, message) of the row's first problem, or None."""
    if not row["number"]:
        return COLUMNS[0], "Thiếu số thứ tự (số La Mã cho dòng tên nhóm, số cho nhiệm vụ)."
    if not row["content"]:
        return COLUMNS[1], "Thiếu nội dung."
    if _ROMAN.match(row["number"].upper()):
        return None
    if not draft.groups:
        return COLUMNS[0], "Nhiệm vụ đứng trước mọi dòng tên nhóm (I, II, …)."
    if row["number"] in seen:
        return COLUMNS[0], f"Số thứ tự {row['number']} đã có ở dòng {seen[row['number']]}."
    return None


@dataclass
class TaskReview:
    """One task as the preview shows it: how its deadline was read and which unit names matched nothing."""

    task: dict
    deadline_kind: str
    due_date: object
    unmatched_lead: list
    unmatched_coordinating: list
    has_lead: bool

    @property
    def deadline_label(self):
        return DeadlineKind(self.deadline_kind).label


def review(draft, matcher=None):
    matcher = matcher or NameMatcher(Agency.objects.all())
    reviews = []
    for task in draft.tasks:
        deadline = parse_deadline(task["deadline"])
        lead, coordinating = matcher.match_list(task["lead"]), matcher.match_list(task["coordinating"])
        reviews.append(TaskReview(task, deadline.kind, deadline.due_date, lead.unresolved, coordinating.unresolved,
                                  bool(lead.agencies or lead.kinds)))
    return reviews


def stage(draft, header, *, user, upload):
    """Keep the read plan until its uploader confirms; ``header`` = number, year, title, issuer (the form's)."""
    batch = ImportBatch(kind=ImportKind.PLAN, file_name=upload.name[:255], file_size=upload.size,
                        rows_read=draft.rows_read, created_by=user,
                        changes={"plan": header, "groups": draft.groups, "tasks": draft.tasks})
    batch.file_sha256 = workbooks.sha256_of(upload)
    batch.save()
    return batch


def draft_of(batch):
    return PlanDraft(groups=batch.changes["groups"], tasks=batch.changes["tasks"], rows_read=batch.rows_read)


def apply(batch):
    """Create the plan, its groups and tasks with their units, in one transaction; the new Plan."""
    header = batch.changes["plan"]
    matcher = NameMatcher(Agency.objects.all())
    with transaction.atomic():
        plan = Plan.objects.create(number=header["number"], year=header["year"], title=header["title"],
                                   issuer=header["issuer"], declared_task_count=len(batch.changes["tasks"]),
                                   source=f"Nhập từ tệp “{batch.file_name}”")
        groups = {group["number"]: PlanTaskGroup.objects.create(plan=plan, number=group["number"], order=order,
                                                                title=group["title"])
                  for order, group in enumerate(batch.changes["groups"], start=1)}
        for task in batch.changes["tasks"]:
            created = PlanTask.objects.create(
                plan=plan, group=groups[task["group"]], number=task["number"], content=task["content"],
                lead_text=task["lead"], coordinating_text=task["coordinating"], deadline_text=task["deadline"],
                product=task["product"])
            assign_units(created, matcher)
        batch.status, batch.finished_at = ImportStatus.APPLIED, timezone.now()
        batch.note = f"Đã tạo Kế hoạch {plan.number}: {len(groups)} nhóm, {len(batch.changes['tasks'])} nhiệm vụ."
        batch.save(update_fields=["status", "finished_at", "note"])
    return plan


def empty_workbook():
    """The template: the appendix's columns and one example group and task, to be replaced."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục nhiệm vụ"
    workbooks.header_row(sheet, 1, COLUMNS, [8, 70, 30, 30, 22, 22])
    for column, value in enumerate(["I", "Nhóm nhiệm vụ (tên như văn bản)"], start=1):
        workbooks.text_cell(sheet, 2, column, value)
    for column, value in enumerate(["1", "Nội dung nhiệm vụ như văn bản", "Công an Thành phố", "UBND các quận, huyện",
                                    "Quý II/2024", "Kế hoạch"], start=1):
        workbooks.text_cell(sheet, 3, column, value)
    return book

"""One unit's own monthly BÁO CÁO, as a department writes it (seed 004), with its appendix table of services.

The unit prints it from its month's figures whatever their status (a draft
says so), so it can check the report before submitting and keep the signed
paper copy. Its words are the schedule's unit outline (``OutlineKind.UNIT``,
data like the city's); its scope is the unit's sheet (``sheets.build``): only
the services, indicators, models and tasks the unit reports are printed, and
a section with nothing under it is left out where the outline says so.
"""

from decimal import Decimal

from indicators.models import Indicator, PlanTask, Service
from reporting import cells
from reporting.choices import AgencyKind, CellMark, Progress, Role, SubmissionStatus
from reporting.figures import consolidation
from reporting.models import ReportOutline, ReportSettings, Submission
from reporting.models.outline import ItemKind
from reporting.report import fill, spans
from reporting.report.compose import NO_OUTLINE, walk
from reporting.report.document import Document, HeaderBlock, Paragraph, Run, SignatureBlock
from reporting.submissions import sheets, store

# A ward or district report is issued by its own People's Committee; a department under the city's.
SELF_GOVERNED = {AgencyKind.DISTRICT, AgencyKind.WARD}


def compose_unit(agency, period, *, number="", issued_on=None):
    """The Document of ``agency``'s report for ``period``."""
    settings = ReportSettings.for_schedule(period.schedule)
    submission = Submission.objects.filter(agency=agency, period=period).first()
    values = store.values_of(submission)
    figures = spans.MonthOverMonth(_numbers(values), _numbers(store.previous_values(agency, period)),
                                   spans.previous_month_label(period))
    rows = {section.slug: section.rows for section in sheets.build(agency, period).sections}
    context = fill.Context(
        period=period, figures=figures, statuses=(), placeholders=False, edits={},
        words={**spans.words(period, period), "unit_name": agency.name, "unit_subject": settings.unit_subject},
        legal_bases=settings.unit_legal_basis_list,
        load_notes=lambda: {key: [(agency, value.text)] for key, value in values.items()
                            if cells.is_note(key) and value.text.strip()},
        services=_in_sheet_order(Service.objects.prefetch_related("measures"), rows["dich-vu-cong"]),
        indicators=_in_sheet_order(Indicator.objects.select_related("numerator", "denominator"), rows["chi-so"]),
        progress={ItemKind.MODELS_LED: [_progress(row, values) for row in rows["mo-hinh"]],
                  ItemKind.TASKS_LED: _tasks(rows["nhiem-vu"], values, period)},
        texts={key: value.text for key, value in values.items() if value.text},
    )
    outline = ReportOutline.for_unit(period.schedule)
    return Document(
        header=HeaderBlock(issuer=_issuer(agency, settings), number=f"Số: {number or '      '}/BC-{agency.code}",
                           place_date=spans.place_date(settings.place, issued_on)),
        blocks=walk(outline, context) if outline else [Paragraph([Run(NO_OUTLINE)])],
        signature=_signature(agency, settings),
        draft_notice=_status_notice(submission),
        appendix=context.appendix,
        issuing_body=agency.name,
    )


def _numbers(values):
    """The unit's figures as the city's are shaped: "không phát sinh" is its zero, "chưa có số liệu" no figure."""
    numbers = {key: value.number for key, value in values.items() if value.number is not None}
    numbers.update((key, Decimal(0)) for key, value in values.items() if value.mark == CellMark.NONE)
    coverage = {key: consolidation.Coverage(numbers=int(value.number is not None), none=int(value.mark == CellMark.NONE),
                                            unknown=int(value.mark == CellMark.UNKNOWN))
                for key, value in values.items() if value.number is not None or value.mark}
    return consolidation.Figures(numbers, coverage)


def _in_sheet_order(queryset, rows):
    by_code = {item.code: item for item in queryset.filter(code__in=[row.code for row in rows])}
    return [by_code[row.code] for row in rows if row.code in by_code]


def _issuer(agency, settings):
    authority = ["ỦY BAN NHÂN DÂN"] if agency.kind in SELF_GOVERNED else settings.unit_authority
    return [*authority, agency.name.upper()]


def _signature(agency, settings):
    """Over the signature what PC06 set for the unit's kind (else its head's own title); under it, the head."""
    head = agency.users.filter(role=Role.HEAD, is_active=True).order_by("pk").first()
    by_kind = settings.unit_signatures.filter(agency_kind=agency.kind).first()
    above = by_kind.lines if by_kind else [(head.title if head and head.title else "Thủ trưởng đơn vị").upper()]
    return SignatureBlock(settings.unit_recipient_list, above, [head.get_full_name()] if head else [])


def _status_notice(submission):
    if submission is None:
        return "DỰ THẢO — đơn vị chưa nhập số liệu kỳ này."
    if submission.status != SubmissionStatus.APPROVED:
        return f"DỰ THẢO — báo cáo của đơn vị đang ở trạng thái “{submission.get_status_display()}”, chưa được PC06 duyệt."
    return ""


def _progress(row, values, late=""):
    """A model's or task's placeholders: {name}, {status} ("đang triển khai"), {result}, {late}."""
    status, result = values.get(row.cells[0].key), values.get(row.cells[1].key)
    label = Progress(status.text).label if status and status.text in Progress.values else "Chưa báo cáo"
    return {"name": row.label, "status": label.lower(), "result": (result.text.strip().rstrip(".") if result else None)
            or None, "late": late or None}


def _tasks(rows, values, period):
    """The unit's tasks; {late} is "hạn 30/06/2024" for one due before the month closed and not reported done."""
    tasks = PlanTask.objects.in_bulk([cells.task_pk(row.cells[0].key) for row in rows])
    found = []
    for row in rows:
        task = tasks[cells.task_pk(row.cells[0].key)]
        status = values.get(row.cells[0].key)
        overdue = task.due_date and task.due_date < period.window_end and not (status and status.text == Progress.DONE)
        found.append(_progress(row, values, f"hạn {task.due_date:%d/%m/%Y}" if overdue else ""))
    return found

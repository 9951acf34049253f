"""One unit's own monthly BÁO CÁO, as a department writes it (seed 004), with its appendix table of services.

The unit prints it from its month's figures whatever their status (a draft
says so), so it can check the report before submitting and keep the signed
paper copy. The sections follow the unit's sheet (``sheets.build``): only
what the unit reports appears; the sentences are the consolidated report's
(``compose``), so a figure reads the same in both.
"""

from indicators.models import Indicator, MeasureSet, PlanTask, Service
from reporting import cells
from reporting.choices import AgencyKind, Progress, Role, SubmissionStatus
from reporting.figures import consolidation
from reporting.formatting import format_number, format_percent
from reporting.models import ReportSettings, Submission
from reporting.report.compose import (
    MonthOverMonth,
    day_text,
    indicator_line,
    place_date,
    previous_month_label,
    service_sentence,
)
from reporting.report.document import Document, HeaderBlock, Paragraph, SignatureBlock, Style, Table, italic, runs
from reporting.submissions import sheets, store

# A ward or district report is issued by its own People's Committee; a department under the city's.
SELF_GOVERNED = {AgencyKind.DISTRICT, AgencyKind.WARD}
# The unit's notes (``cells.NOTE_TOPICS``) as its report heads them.
NARRATIVE_SECTIONS = [
    (cells.DIRECTION.key, "Công tác chỉ đạo, triển khai các nhiệm vụ của Đề án 06"),
    (cells.STRENGTHS.key, "Ưu điểm"),
    (cells.SHORTCOMINGS.key, "Tồn tại, hạn chế"),
    (cells.DIFFICULTIES.key, "Khó khăn, vướng mắc và kiến nghị, đề xuất"),
    (cells.NEXT_TASKS.key, "Nhiệm vụ trọng tâm tháng tiếp theo"),
]
APPENDIX_HEADER = ["STT", "Dịch vụ công trực tuyến", "Tiếp nhận", "Trực tuyến", "Tỷ lệ trực tuyến",
                   "Đã giải quyết", "Đúng hạn", "Tỷ lệ đúng hạn"]


def compose_unit(agency, period, *, number="", issued_on=None):
    """The Document of ``agency``'s report for ``period``."""
    settings = ReportSettings.for_schedule(period.schedule)
    submission = Submission.objects.filter(agency=agency, period=period).first()
    values = store.values_of(submission)
    figures = MonthOverMonth(_numbers(values), _numbers(store.previous_values(agency, period)),
                             previous_month_label(period))
    sheet = sheets.build(agency, period)
    rows = {section.slug: section.rows for section in sheet.sections}
    services = _in_sheet_order(Service.objects.all(), rows["dich-vu-cong"])
    parts = [
        (NARRATIVE_SECTIONS[0][1], _note(values, NARRATIVE_SECTIONS[0][0])),
        ("Kết quả tiếp nhận, giải quyết hồ sơ dịch vụ công trực tuyến", _services(services, figures)),
        ("Kết quả thực hiện các chỉ tiêu", _indicators(rows["chi-so"], figures)),
        ("Kết quả triển khai các mô hình điểm", [_progress(row, values) for row in rows["mo-hinh"]]),
        (f"Nhiệm vụ theo Kế hoạch năm {period.year} đơn vị chủ trì", _tasks(rows["nhiem-vu"], values, period)),
        *[(title, _note(values, key)) for key, title in NARRATIVE_SECTIONS[1:]],
    ]
    blocks = [
        Paragraph(runs(f"BÁO CÁO THÁNG {period.month:02d}/{period.year}"), Style.TITLE),
        Paragraph(runs(f"{settings.unit_subject} tại {agency.name}".strip()), Style.SUBTITLE),
        Paragraph(runs(f"(Từ ngày {day_text(period.window_start)} đến ngày {day_text(period.window_end)})"),
                  Style.CENTERED),
        *[Paragraph(runs(basis)) for basis in settings.unit_legal_basis_list],
        Paragraph(runs(f"{agency.name} báo cáo các nội dung như sau:")),
    ]
    number_of_section = 0
    for title, paragraphs in parts:
        if paragraphs:
            number_of_section += 1
            blocks += [Paragraph(runs(f"{number_of_section}. {title}:"), Style.SUBHEADING), *paragraphs]
    return Document(
        header=HeaderBlock(issuer=_issuer(agency, settings), number=f"Số: {number or '      '}/BC-{agency.code}",
                           place_date=place_date(settings.place, issued_on)),
        blocks=blocks,
        signature=_signature(agency, settings),
        draft_notice=_status_notice(submission),
        appendix=_appendix(services, figures, period) if services else [],
        issuing_body=agency.name,
    )


def _numbers(values):
    return consolidation.Figures({key: value.number for key, value in values.items() if value.number is not None})


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


def _note(values, key):
    value = values.get(key)
    text = value.text if value else ""
    return [Paragraph(runs(line.strip())) for line in text.splitlines() if line.strip()]


def _services(services, figures):
    sentences = [sentence for sentence in (service_sentence(service, figures) for service in services) if sentence]
    if not sentences:
        return []
    parts = []
    for number, sentence in enumerate(sentences, start=1):
        parts += [f"({number}) ", *sentence, "; " if number < len(sentences) else " "]
    return [Paragraph(runs(*parts, italic("(Phụ lục đính kèm)"), "."))]


def _indicators(rows, figures):
    indicators = _in_sheet_order(Indicator.objects.select_related("numerator", "denominator"), rows)
    return [line for line in (indicator_line(indicator, figures) for indicator in indicators) if line]


def _progress(row, values, late=""):
    """"- Mô hình …: đang triển khai. <result>" with, for an overdue task, its lateness in italics."""
    status, result = values.get(row.cells[0].key), values.get(row.cells[1].key)
    label = Progress(status.text).label if status and status.text in Progress.values else "Chưa báo cáo"
    text = f"- {row.label}: {label.lower()}"
    if result and result.text.strip():
        text += f". {result.text.strip().rstrip('.')}"
    return Paragraph(runs(text, *([" ", italic(late)] if late else []), "."))


def _tasks(rows, values, period):
    tasks = PlanTask.objects.in_bulk([cells.task_pk(row.cells[0].key) for row in rows])
    paragraphs = []
    for row in rows:
        task = tasks[cells.task_pk(row.cells[0].key)]
        status = values.get(row.cells[0].key)
        overdue = task.due_date and task.due_date < period.window_end and not (status and status.text == Progress.DONE)
        late = f"(chậm tiến độ, hạn {task.due_date:%d/%m/%Y})" if overdue else ""
        paragraphs.append(_progress(row, values, late))
    return paragraphs


def _appendix(services, figures, period):
    table = Table(APPENDIX_HEADER, [], numeric={0, 2, 3, 4, 5, 6, 7}, widths=[5, 35, 11, 11, 10, 11, 11, 10])
    for number, service in enumerate(services, start=1):
        table.rows.append([str(number), service.name, *_appendix_figures(service, figures)])
    return [
        Paragraph(runs(f"Phụ lục: Tình hình triển khai dịch vụ công trực tuyến (Tháng {period.month}/{period.year})"),
                  Style.SUBTITLE),
        Paragraph(runs(f"Từ {period.window_start:%d/%m/%Y} đến {period.window_end:%d/%m/%Y}"), Style.CENTERED),
        table,
    ]


def _appendix_figures(service, figures):
    def get(measure):
        return figures.get(cells.service_key(service.code, measure))

    if service.measures == MeasureSet.COUNT:
        return [format_number(get(cells.COUNT)), "", "", "", "", ""]
    received, online = get(cells.RECEIVED), get(cells.ONLINE)
    resolved, on_time = get(cells.RESOLVED), get(cells.ON_TIME)
    return [format_number(received), format_number(online),
            format_percent(online, received) if online is not None else "",
            format_number(resolved), format_number(on_time),
            format_percent(on_time, resolved) if on_time is not None else ""]

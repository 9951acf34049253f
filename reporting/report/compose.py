"""The consolidated BÁO CÁO of a period, composed from approved data into the document model.

The layout is the administrative one of the city's monthly report (seed 000):
header, title, legal bases, then I. direction, II. results (services, cashless
payments, pilot models, digital citizens, data cleaning, communication),
III. assessment (with every overdue plan task listed), IV. difficulties,
V. next tasks, recipients and signature. Numbers come from
``reporting.figures.consolidation``; words around them from the units' notes and the
report settings, so another city is configured by data alone.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from indicators.models import Indicator, IndicatorKind, MeasureSet, Service
from models_pilot.models import ModelProgramme
from reporting import cells
from reporting.cells import indicator_key, service_key
from reporting.choices import APPROVED_STATUSES, REPORTED_STATUSES
from reporting.figures import consolidation, plan_progress
from reporting.formatting import format_number, format_percent
from reporting.models import DataValue, ReportingPeriod, ReportSettings, Submission
from reporting.months import Month
from reporting.report.document import (
    Document,
    Footnote,
    HeaderBlock,
    Paragraph,
    Run,
    SignatureBlock,
    Style,
    bold,
    italic,
    runs,
)
from reporting.report.narrative import NOT_REPORTED, overrides

# The results sections of the monthly report and the indicators' ``report_section`` that fill them.
RESULT_SECTIONS = [
    ("II.3", "3. Thực hiện thanh toán, chi trả không dùng tiền mặt"),
    ("II.5", "5. Về phát triển công dân số"),
    ("II.6", "6. Về kết nối, chia sẻ dữ liệu giữa Cơ sở dữ liệu quốc gia về dân cư với các Cơ sở dữ liệu khác, "
             "xác thực, làm sạch dữ liệu"),
    ("II.7", "7. Công tác tuyên truyền"),
]
NO_DATA = "Chưa có số liệu được duyệt trong kỳ."


def compose(period, *, first=None, include_submitted=False, number="", issued_on=None):
    """The Document of the consolidated report ending with ``period`` (a draft unless ``number`` is given).

    With ``first`` (an earlier period of the same schedule) it covers the months
    from ``first`` to ``period``: a quarter, six months, a year or any range.
    Figures fold over the months by ``reporting.figures.consolidation``'s rules; the
    narrative, the pilot models and the overdue tasks are those of the last month.
    A monthly report also says how each count moved since the month before.
    """
    settings = ReportSettings.for_schedule(period.schedule)
    statuses = REPORTED_STATUSES if include_submitted else APPROVED_STATUSES
    periods = _months(first or period, period)
    figures = consolidation.figures(periods, include_submitted=include_submitted)
    # A range has no "previous month" to compare with; its figures are the range's alone.
    figures = with_previous_month(figures, period, include_submitted) if len(periods) == 1 else MonthOverMonth(figures)
    # An issued version (it has its number) never prints the draft's placeholder for a section nobody wrote.
    notes = _Notes(_notes(period, statuses), overrides(periods[0], period), placeholder=not number)
    span = range_label(periods[0], periods[-1])
    due_next = _tasks_due_next(period, statuses)
    blocks = [
        *_opening(settings, periods[0], periods[-1], span),
        Paragraph(runs("I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO"), Style.HEADING),
        *notes.section(cells.DIRECTION.key),
        Paragraph(runs("II. KẾT QUẢ CÁC MẶT CÔNG TÁC VÀ TIỆN ÍCH ĐẠT ĐƯỢC"), Style.HEADING),
        Paragraph(runs("1. Về nhóm tiện ích giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến"),
                  Style.SUBHEADING),
        *_services(figures),
        *_indicator_section("II.3", figures),
        Paragraph(runs("4. Về triển khai mô hình điểm"), Style.SUBHEADING),
        *_pilot_models(period, statuses),
        *[block for section, _ in RESULT_SECTIONS[1:] for block in _indicator_section(section, figures)],
        Paragraph(runs("III. NHẬN XÉT, ĐÁNH GIÁ"), Style.HEADING),
        Paragraph(runs("1. Ưu điểm"), Style.SUBHEADING),
        *notes.section(cells.STRENGTHS.key),
        Paragraph(runs("2. Tồn tại"), Style.SUBHEADING),
        *notes.section(cells.SHORTCOMINGS.key, empty=False),
        *_overdue_tasks(period, statuses),
        Paragraph(runs("IV. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT"), Style.HEADING),
        *notes.section(cells.DIFFICULTIES.key),
        Paragraph(runs(f"V. NHIỆM VỤ TRỌNG TÂM {NEXT_SPAN[span_kind(periods[0], periods[-1])].upper()}"), Style.HEADING),
        *notes.section(cells.NEXT_TASKS.key, empty=not due_next),
        *due_next,
        Paragraph(runs(f"Trên đây là báo cáo kết quả triển khai thực hiện Đề án 06 {settings.area} {span}.")),
    ]
    return Document(
        header=HeaderBlock(issuer=settings.issuer, number=f"Số: {number or '      '}{settings.number_suffix}",
                           place_date=place_date(settings.place, issued_on)),
        blocks=blocks,
        signature=SignatureBlock(settings.recipient_list, settings.signature_lines_above,
                                 settings.signature_lines_below),
        # An issued version has its number; anything else is a draft, and says how much of the city it holds.
        draft_notice="" if number else _coverage_notice(periods, include_submitted),
        issuing_body=settings.reporting_body,
    )


def _coverage_notice(periods, include_submitted):
    """"DỰ THẢO — tổng hợp từ 52/57 đơn vị đã được PC06 duyệt." of the month's expected units; a range by month."""
    statuses = REPORTED_STATUSES if include_submitted else APPROVED_STATUSES
    counted = Counter(Submission.objects.filter(period__in=periods, status__in=statuses)
                      .values_list("period_id", flat=True))
    counted_as = "đã nộp, kể cả báo cáo chưa được PC06 duyệt" if include_submitted else "đã được PC06 duyệt"
    expected = ReportingPeriod.expected_counts(periods)
    shares = [f"{format_number(counted[period.pk])}/{format_number(expected[period.pk])}" for period in periods]
    if len(periods) == 1:
        return f"DỰ THẢO — tổng hợp từ {shares[0]} đơn vị {counted_as}."
    months = "; ".join(f"tháng {period.month}/{period.year}: {share}" for period, share in zip(periods, shares))
    return f"DỰ THẢO — tổng hợp từ các đơn vị {counted_as} ({months})."


def place_date(place, day):
    if day is None:
        return f"{place}, ngày      tháng      năm {timezone.localdate().year}"
    return f"{place}, ngày {day.day:02d} tháng {day.month} năm {day.year}"


def _months(first, last):
    """The periods from ``first`` to ``last``, created from the schedule where missing."""
    if (first.year, first.month) > (last.year, last.month):
        raise ValueError("Tháng bắt đầu phải trước tháng kết thúc.")
    return last.schedule.periods_between((first.year, first.month), (last.year, last.month))


QUARTERS = {(1, 3): "I", (4, 6): "II", (7, 9): "III", (10, 12): "IV"}
# What section V plans for after each kind of span.
NEXT_SPAN = {"month": "tháng tiếp theo", "quarter": "quý tiếp theo", "half": "6 tháng cuối năm",
             "year": "năm tiếp theo", "range": "thời gian tới"}


def span_kind(first, last):
    """What a report covers: a "month", a "quarter", the first "half" of a year, a "year", or another "range"."""
    if first == last:
        return "month"
    months = (first.month, last.month) if first.year == last.year else None
    if months == (1, 12):
        return "year"
    if months == (1, 6):
        return "half"
    return "quarter" if months in QUARTERS else "range"


def range_label(first, last):
    """"tháng 4 năm 2024", "quý I năm 2024", "6 tháng đầu năm 2024", "năm 2024" or "từ tháng 2/2024 đến tháng 5/2024"."""
    kind = span_kind(first, last)
    if kind == "quarter":
        return f"quý {QUARTERS[first.month, last.month]} năm {last.year}"
    if kind == "range":
        return f"từ tháng {first.month}/{first.year} đến tháng {last.month}/{last.year}"
    return {"month": f"tháng {last.month} năm {last.year}", "half": f"6 tháng đầu năm {last.year}",
            "year": f"năm {last.year}"}[kind]


def _opening(settings, first, last, span):
    return [
        Paragraph(runs("BÁO CÁO"), Style.TITLE),
        Paragraph(runs(f"{settings.subject} {span}"), Style.SUBTITLE),
        Paragraph(runs(f"(Từ ngày {day_text(first.window_start)} đến ngày {day_text(last.window_end)})"), Style.CENTERED),
        *[Paragraph(runs(basis)) for basis in settings.legal_basis_list],
        Paragraph(runs(f"{settings.reporting_body} báo cáo kết quả triển khai thực hiện Đề án 06 {settings.area} "
                       f"{_within(span)} như sau:")),
    ]


def _within(span):
    # "trong tháng 4 năm 2024", "trong quý I năm 2024"; a range already says "từ … đến …".
    return span if span.startswith("từ ") else f"trong {span}"


def day_text(date):
    """15/3/2024: the way the report writes a date in running text."""
    return f"{date.day:02d}/{date.month}/{date.year}" if date.day < 10 else f"{date.day}/{date.month}/{date.year}"


# --- the units' notes ----------------------------------------------------------


def _notes(period, statuses):
    """key → [(unit name, text)] of the notes of the counted submissions, units in code order."""
    values = (
        DataValue.objects.filter(cells.notes_q(), submission__period=period, submission__status__in=statuses)
        .exclude(text="").select_related("submission__agency").order_by("submission__agency__code")
    )
    notes = defaultdict(list)
    for value in values:
        agency = value.submission.agency
        notes[value.key].append((agency.short_name or agency.name, value.text))
    return notes


@dataclass
class _Notes:
    by_unit: dict     # key → [(unit name, text)]
    edits: dict       # key → ReportNarrative: PC06's own wording replaces the units' notes
    placeholder: bool = True   # a draft says which sections nobody wrote; the issued text leaves them empty

    def section(self, key, *, empty=True):
        """The paragraphs of a narrative section; ``source`` names it for PC06's editor."""
        if key in self.edits:
            return [Paragraph(runs(line), source=key) for line in self.edits[key].paragraphs]
        found = self.by_unit.get(key, [])
        if not found and empty and self.placeholder:
            return [Paragraph(runs(NOT_REPORTED), source=key)]
        return [Paragraph(runs(f"- {unit}: {text}"), source=key) for unit, text in found]



# --- II.1 services -------------------------------------------------------------------


def _services(figures):
    """"- 11 dịch vụ công trực tuyến thuộc nhiệm vụ của CATP: (1) Đăng ký thường trú 3.600/3.832 hồ sơ, đạt 93,95%; …"."""
    groups = defaultdict(list)
    services = Service.objects.filter(is_active=True).prefetch_related("reporter_agencies").order_by("order", "code")
    for service in services:
        sentence = service_sentence(service, figures)
        if sentence:
            owners = [agency.short_name or agency.code for agency in service.reporter_agencies.all()]
            groups[", ".join(owners) or service.get_reporter_kind_display()].append(sentence)
    if not groups:
        return [Paragraph(runs(NO_DATA))]
    paragraphs = []
    for owner, sentences in groups.items():
        parts = [f"- {format_number(len(sentences)):0>2} dịch vụ công trực tuyến thuộc nhiệm vụ của {owner}: "]
        for number, sentence in enumerate(sentences, start=1):
            parts += [f"({number}) ", *sentence, "; " if number < len(sentences) else "."]
        paragraphs.append(Paragraph(runs(*parts)))
    return paragraphs


def service_sentence(service, figures):
    if service.measures == MeasureSet.COUNT:
        key = service_key(service.code, cells.COUNT)
        count = figures.get(key)
        if count is None:
            return None
        return [f"{service.name} ", bold(format_number(count)),
                f" {service.count_unit}{figures.change(key, service.count_unit)}"]
    online = figures.get(service_key(service.code, cells.ONLINE))
    received = figures.get(service_key(service.code, cells.RECEIVED))
    if online is None or not received:      # nothing received: "0/0 hồ sơ" says nothing
        return None
    share = format_percent(online, received)
    return [f"{service.name} ", bold(f"{format_number(online)}/{format_number(received)}"),
            f" {service.count_unit}" + (f", đạt {share}" if share else "")]


# --- indicators by report section ----------------------------------------------------


def _indicator_section(section, figures):
    heading = dict(RESULT_SECTIONS)[section]
    indicators = (Indicator.objects.filter(is_active=True, report_section__startswith=section)
                  .select_related("numerator", "denominator").order_by("report_section", "order", "code"))
    lines = [line for line in (indicator_line(indicator, figures) for indicator in indicators) if line]
    return [Paragraph(runs(heading), Style.SUBHEADING), *(lines or [Paragraph(runs(NO_DATA))])]


def indicator_line(indicator, figures):
    if indicator.kind == IndicatorKind.RATIO:
        numerator = figures.get(indicator_key(indicator.numerator.code))
        denominator = figures.get(indicator_key(indicator.denominator.code))
        if numerator is None or not denominator:
            return None
        # The denominator is the indicator's own definition, never a guess: e.g. 408 of the 409 facilities.
        return Paragraph(runs(f"- {indicator.name}: ", bold(f"{format_number(numerator)}/{format_number(denominator)}"),
                              f", đạt {format_percent(numerator, denominator)}."))
    key = indicator_key(indicator.code)
    value = figures.get(key)
    if value is None:
        return None
    return Paragraph(runs(f"- {indicator.name}: ", bold(format_number(value)),
                          f" {indicator.unit}{figures.change(key, indicator.unit)}."))


# --- month over month ---------------------------------------------------------------------


@dataclass
class MonthOverMonth:
    """This month's figures, and how a count moved since the previous month: "(giảm 246 hồ sơ so với tháng 02)"."""

    current: consolidation.Figures
    previous: consolidation.Figures | None = None
    previous_label: str = ""

    def get(self, key):
        return self.current.get(key)

    def change(self, key, unit):
        before = self.previous.get(key) if self.previous else None
        now = self.current.get(key)
        if before is None or now is None:
            return ""
        if now == before:
            return f" (không đổi so với {self.previous_label})"
        direction = "tăng" if now > before else "giảm"
        return f" ({direction} {format_number(abs(now - before))} {unit} so với {self.previous_label})".replace("  ", " ")


def with_previous_month(figures, period, include_submitted):
    before = Month.of(period).previous()
    previous = ReportingPeriod.objects.filter(schedule=period.schedule, year=before.year, month=before.month).first()
    if previous is None:
        return MonthOverMonth(figures)
    return MonthOverMonth(figures, consolidation.figures([previous], include_submitted=include_submitted),
                          previous_month_label(period))


def previous_month_label(period):
    """"tháng 02" as the units write it; across a new year the year is needed too ("tháng 12/2023")."""
    before = Month.of(period).previous()
    return f"tháng {before.month:02d}" if before.year == period.year else f"tháng {before.month:02d}/{before.year}"


# --- II.4 pilot models ------------------------------------------------------------------


def _pilot_models(period, statuses):
    """"triển khai có hiệu quả 19/35 mô hình¹": per programme, the models reported under way or done, in a footnote."""
    effective, reported = defaultdict(list), set()
    for model in plan_progress.model_statuses(period, statuses=statuses):
        if model.progress is not None:
            reported.add(model.programme_id)
        if model.progress in plan_progress.EFFECTIVE:
            effective[model.programme_id].append(model)
    # A programme none of whose models any unit reported on is not "0/35": nothing is known of it.
    programmes = ModelProgramme.objects.filter(pk__in=reported).order_by("code")
    return [_programme_sentence(programme, effective[programme.pk]) for programme in programmes] or \
        [Paragraph(runs(NO_DATA))]


def _programme_sentence(programme, effective):
    listing = "; ".join(f"({number}) {model.name}" for number, model in enumerate(effective, start=1))
    return Paragraph(runs(
        "Phối hợp các đơn vị, sở, ngành triển khai có hiệu quả ",
        bold(f"{format_number(len(effective))}/{format_number(programme.declared_count)}"),
        Run(" mô hình", footnote=Footnote(listing) if listing else None),
        f" ({programme.name}).",
    ))


# --- III.2 overdue plan tasks -------------------------------------------------------------


def _overdue_tasks(period, statuses):
    """Every task of the year's plan due before the period ended and not reported done by its lead units."""
    return [Paragraph(runs(f"- Nhiệm vụ {task.number}: {task.content} ",
                           italic(f"(chậm tiến độ theo Kế hoạch {task.plan.number}, hạn "
                                      f"{task.due_date:%d/%m/%Y})"), "."))
            for task in plan_progress.overdue_tasks(period, statuses=statuses)]


def _tasks_due_next(period, statuses):
    """The plan's tasks falling due in the coming month, not yet done: PC06 carries them into V."""
    return [Paragraph(runs(f"- Nhiệm vụ {task.number}: {task.content} ",
                           italic(f"(đến hạn {task.due_date:%d/%m/%Y} theo Kế hoạch {task.plan.number})"), "."))
            for task in plan_progress.tasks_due_next(period, statuses=statuses)]

"""The consolidated BÁO CÁO of a period: the schedule's outline, filled from approved data, as a document model.

What the report says, in which order and under which numbers is the outline
(``reporting.models.outline``), data PC06 edits; this module walks it, numbers
what each item prints (I, 1, 1.1, a), "-") and wraps it in the header and the
signature block of the report settings. Numbers come from
``reporting.figures.consolidation``; each item's words from its pattern
(``reporting.report.kinds``), so another city is configured by data alone.
"""

from collections import Counter, defaultdict

from reporting import cells
from reporting.choices import APPROVED_STATUSES, REPORTED_STATUSES
from reporting.figures import consolidation
from reporting.formatting import format_number
from reporting.models import DataValue, ReportingPeriod, ReportSettings, Submission
from reporting.models.outline import ItemKind, Numbering, OutlineItem, ReportOutline
from reporting.report import fill, kinds, spans
from reporting.report.document import Document, HeaderBlock, Paragraph, Run, SignatureBlock
from reporting.report.narrative import overrides

NO_OUTLINE = "Chưa có đề cương báo cáo cho lịch báo cáo này: PC06 nạp hoặc soạn đề cương tại trang “Sửa đề cương”."
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
LETTERS = "abcdđeghiklmnopqrstuvxy"


def compose(period, *, first=None, include_submitted=False, number="", issued_on=None, final=False):
    """The Document of the consolidated report ending with ``period``: a draft unless ``final`` or ``number``.

    A final document without a number is the one the signer signs: the records office numbers and dates it
    afterwards, in the fields its PDF leaves for them (``HeaderBlock.awaiting_issue``).

    With ``first`` (an earlier period of the same schedule) it covers the months
    from ``first`` to ``period``: a quarter, six months, a year or any range.
    Figures fold over the months by ``reporting.figures.consolidation``'s rules; the
    narrative, the pilot models and the overdue tasks are those of the last month.
    A monthly report also says how each count moved since the month before.
    """
    settings = ReportSettings.for_schedule(period.schedule)
    periods = _months(first or period, period)
    figures = consolidation.figures(periods, include_submitted=include_submitted)
    # A range has no "previous month" to compare with; its figures are the range's alone.
    figures = (spans.with_previous_month(figures, period, include_submitted) if len(periods) == 1
               else spans.MonthOverMonth(figures))
    statuses = REPORTED_STATUSES if include_submitted else APPROVED_STATUSES
    final = final or bool(number)
    context = fill.Context(
        period=period, figures=figures, statuses=statuses,
        words={**settings_words(settings), **spans.words(periods[0], periods[-1])},
        legal_bases=settings.legal_basis_list, edits=overrides(periods[0], period), placeholders=not final,
        load_notes=lambda: city_notes(period, statuses))
    outline = ReportOutline.for_report(period.schedule, is_range=len(periods) > 1)
    return Document(
        header=HeaderBlock(issuer=settings.issuer, number=f"Số: {number or '      '}{settings.number_suffix}",
                           place_date=spans.place_date(settings.place, issued_on),
                           awaiting_issue=final and not number, place=settings.place,
                           number_suffix=settings.number_suffix),
        blocks=walk(outline, context) if outline else [Paragraph([Run(NO_OUTLINE)])],
        signature=SignatureBlock(settings.recipient_list, settings.signature_lines_above,
                                 settings.signature_lines_below),
        # A final document (signed, then numbered) says nothing of drafts; a draft says how much of the city it holds.
        draft_notice="" if final else _coverage_notice(periods, include_submitted),
        appendix=context.appendix,
        issuing_body=settings.reporting_body,
    )


def settings_words(settings):
    return {"subject": settings.subject, "reporting_body": settings.reporting_body, "area": settings.area}


def city_notes(period, statuses):
    """note key → [(agency, text)] of the counted submissions' notes, units in code order."""
    values = (DataValue.objects.filter(cells.notes_q(), submission__period=period, submission__status__in=statuses)
              .exclude(text="").select_related("submission__agency").order_by("submission__agency__code"))
    notes = defaultdict(list)
    for value in values:
        notes[value.key].append((value.submission.agency, value.text))
    return notes


def walk(outline, context):
    """Every item's blocks in the outline's order, each numbered by its numbering style among its siblings.

    An appendix item's children go to ``context.appendix``, printed after the signature, and so does
    the note naming the services left out because nothing happened in them.
    """
    items = (OutlineItem.objects.filter(outline=outline)
             .select_related("service", "indicator__numerator", "indicator__denominator", "service_list", "parent")
             .prefetch_related("service__measures").order_by("order", "pk"))
    children = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    blocks = _blocks(children, None, "", 0, context)
    if context.omitted:
        context.appendix.append(kinds.omitted_note(context))
    return blocks


def _blocks(children, parent_id, parent_number, depth, context):
    blocks, counters = [], Counter()
    for item in children[parent_id]:
        if item.kind == ItemKind.APPENDIX:
            context.appendix += _blocks(children, item.pk, "", 0, context)
            continue
        if item.kind == ItemKind.LIST:
            printed = kinds.enumeration(item, context, depth, children[item.pk])
        else:
            printed = kinds.PRINT[item.kind](item, context, depth)
        numbered, number = [], parent_number
        for position, block in enumerate(printed, start=counters[item.numbering] + 1):
            if item.numbering and isinstance(block, Paragraph):
                number = _number(item.numbering, position, parent_number)
                block.runs.insert(0, Run(_label(item.numbering, number)))
            numbered.append(block)
        below = [] if item.kind == ItemKind.LIST else _blocks(children, item.pk, number, depth + 1, context)
        if item.hide_empty and not below:
            continue        # a section with nothing under it is left out, and its number goes to the next one
        counters[item.numbering] += len([block for block in numbered if isinstance(block, Paragraph)])
        blocks += numbered + below
    return blocks


def _number(numbering, count, parent_number):
    if numbering == Numbering.ROMAN:
        return ROMAN[count - 1] if count <= len(ROMAN) else str(count)
    if numbering == Numbering.NESTED and parent_number and not parent_number.isalpha():
        return f"{parent_number}.{count}"
    if numbering == Numbering.LETTER:
        return LETTERS[(count - 1) % len(LETTERS)]
    return str(count)


def _label(numbering, number):
    """How a number prints before its paragraph: "II. ", "1.1. ", "a) ", "- "."""
    if numbering == Numbering.DASH:
        return "- "
    if numbering == Numbering.LETTER:
        return f"{number}) "
    return f"{number}. "


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


def _months(first, last):
    """The periods from ``first`` to ``last``, created from the schedule where missing."""
    if (first.year, first.month) > (last.year, last.month):
        raise ValueError("Tháng bắt đầu phải trước tháng kết thúc.")
    return last.schedule.periods_between((first.year, first.month), (last.year, last.month))

"""What each kind of outline item prints: one function per kind, item and context in, paragraphs out.

``compose`` walks the outline and numbers what comes back. Every word comes
from the item's pattern (``fill.sentence``); a function here only decides
what the pattern is filled with — one service, each service of the scope, a
group's totals, the units' notes, the plan's tasks — and what prints when
there is nothing (the item's ``no_data``, or nothing).

A service every unit asked marked "không phát sinh" did not happen this month:
an item about it prints its ``no_data`` if the outline gives one, otherwise it
is left out and named in the note after the appendix. A service no unit gave a
number for says "chưa có số liệu", never "0/0".
"""

import re
from collections import defaultdict
from decimal import Decimal

from models_pilot.models import ModelProgramme
from reporting import cells
from reporting.choices import CellMark
from reporting.figures import plan_progress
from reporting.figures.consolidation import least_covered
from reporting.models.outline import Gather, ItemKind
from reporting.report import sentences
from reporting.report.document import Footnote, Paragraph, Run, Style, Table
from reporting.report.fill import (NO_DATA, NOTHING_HAPPENED, asks_only_its_measures, indicator_names, no_data_runs,
                                   sentence, service_names, service_state)
from reporting.report.sentences import FOOTNOTE, Figure

# A draft says which narrative slot nobody wrote yet; the issued text leaves it empty.
NOT_REPORTED = "Các đơn vị chưa báo cáo nội dung này."
PC06_TO_WRITE = "PC06 viết nội dung mục này."
PLACEHOLDERS = {NOT_REPORTED, PC06_TO_WRITE}
# A table column "Header|{pattern}" is numeric (right-aligned) when its pattern is one figure or ratio.
NUMERIC_COLUMN = re.compile(r"\{[A-Za-z_][A-Za-z0-9_./]*(:\d{1,2})?\}")
TEXT_NAMES = {"{name}", "{unit}", "{note}", "{portal}"}


def paragraph(runs, style=Style.BODY, source=None):
    return Paragraph(list(runs), style, source)


def heading(item, context, depth):
    runs = sentence(item, context, {})
    return [paragraph(runs or [Run(item.text)], Style.HEADING if depth == 0 else Style.SUBHEADING)]


def text(item, context, depth):
    runs = sentence(item, context, {})
    return [paragraph(runs, item.style or Style.BODY)] if runs else _no_data(item)


def legal_bases(item, context, depth):
    return [paragraph([Run(basis)]) for basis in context.legal_bases]


def figure(item, context, depth):
    runs = _figure_runs(item, context)
    return [paragraph(runs)] if runs else _no_data(item)


def _figure_runs(item, context):
    if item.service_id:
        state = service_state(item.service, context)
        if state == NOTHING_HAPPENED:
            if not item.no_data:
                context.omit(item.service)
            return None
        if state == NO_DATA:
            return no_data_runs(item.service)
        return sentence(item, context, service_names(item.service, context))
    if item.indicator_id:
        return sentence(item, context, indicator_names(item.indicator, context))
    return sentence(item, context, {})


def enumeration(item, context, depth, children):
    """"11 dịch vụ công … : (1) …; (2) … ." — the printed children, numbered in one paragraph."""
    return _enumerated(item, context, [_figure_runs(child, context) or _no_data_runs(child) for child in children])


def each_service(item, context, depth):
    """The item's pattern for each service of the scope that has its figures, numbered in one paragraph."""
    return _enumerated(item, context, [_each_service_runs(item, context, service)
                                       for service in context.scope_services], intro=False)


def _each_service_runs(item, context, service):
    if not asks_only_its_measures(item, service, context):
        return None         # another item of the outline speaks of this service
    state = service_state(service, context)
    if state == NOTHING_HAPPENED:
        context.omit(service)
        return None
    if state == NO_DATA:
        return no_data_runs(service)
    return sentence(item, context, service_names(service, context))


def _enumerated(item, context, sentences_runs, *, intro=True):
    printed = [runs for runs in sentences_runs if runs]
    if not printed:
        return _no_data(item)
    runs = (sentence(item, context, {"count": Figure(Decimal(len(printed)))}) or []) if intro else []
    for number, child_runs in enumerate(printed, start=1):
        runs += [Run(f"({number}) "), *child_runs, Run("; " if number < len(printed) else ".")]
    return [paragraph(runs)]


def each_indicator(item, context, depth):
    """The item's pattern for each indicator of the scope that has its figures, a paragraph each."""
    printed = [sentence(item, context, indicator_names(indicator, context)) for indicator in context.scope_indicators]
    return [paragraph(runs) for runs in printed if runs] or _no_data(item)


def services_table(item, context, depth):
    """A table of the scope's services (seed 004's appendix): a column per line "Header|{pattern}" of the text.

    A column's pattern may give alternatives, the first that has its figures printing: "{received} || {count}".
    """
    columns = [(header.strip(), [part.strip() for part in patterns.split("||")])
               for header, _, patterns in (line.partition("|") for line in item.text.splitlines() if line.strip())]
    rows = []
    for service in context.scope_services:
        if service_state(service, context) == NOTHING_HAPPENED:
            context.omit(service)
            continue
        names = {**service_names(service, context), "number": str(len(rows) + 1)}
        rows.append([_first_filled(item, context, names, alternatives, service) for _, alternatives in columns])
    if not rows:
        return _no_data(item)
    numeric = {index for index, (_, alternatives) in enumerate(columns)
               if all(NUMERIC_COLUMN.fullmatch(part) and part not in TEXT_NAMES for part in alternatives)}
    return [Table([header for header, _ in columns], rows, numeric=numeric)]


def _first_filled(item, context, names, alternatives, service):
    for pattern in alternatives:
        runs = sentence(item, context, names, pattern)
        if runs:
            return "".join(run.text for run in runs)
    # A measure the service reports that no unit gave says so; one it does not report stays empty.
    measures = {measure.code for measure in service.measures.all()}
    asked = {name for pattern in alternatives for token in sentences.placeholders(pattern)
             for name in token.split("/") if name in measures}
    coverages = [context.coverage_of(cells.service_key(service.code, name)) for name in asked]
    if any(coverage and coverage.nobody_reported for coverage in coverages):
        return "Chưa có số liệu"
    return ""


def group_total(item, context, depth):
    services = [service for service in context.scope_services
                if not item.service_list_id or service.service_list_id == item.service_list_id]
    totals, reporting, coverages = defaultdict(Decimal), set(), defaultdict(list)
    for service in services:
        happened = service_state(service, context) != NOTHING_HAPPENED
        for measure in service.measures.all():
            key = cells.service_key(service.code, measure.code)
            value = context.figures.get(key)
            coverages[measure.code].append(context.coverage_of(key))
            if value is not None:
                totals[measure.code] += value
                if happened:         # a service where nothing happened is not one the units carried out
                    reporting.add(service.code)
    if not reporting:
        return _no_data(item)
    group = item.service_list
    names = {code: Figure(total, coverage=least_covered(coverages[code])) for code, total in totals.items()}
    names.update(declared=Figure(Decimal(group.declared_count if group else len(services))),
                 count=Figure(Decimal(len(reporting))), name=group.name if group else "")
    runs = sentence(item, context, names)
    return [paragraph(runs)] if runs else _no_data(item)


def pilot_models(item, context, depth):
    """Per programme: the models reported under way or done, against its declared count; the list as a footnote."""
    effective, reported = defaultdict(list), set()
    for model in plan_progress.model_statuses(context.period, statuses=context.statuses):
        if model.progress is not None:
            reported.add(model.programme_id)
        if model.progress in plan_progress.EFFECTIVE:
            effective[model.programme_id].append(model)
    # A programme none of whose models any unit reported on is not "0/35": nothing is known of it.
    paragraphs = []
    for programme in ModelProgramme.objects.filter(pk__in=reported).order_by("code"):
        models = effective[programme.pk]
        listing = "; ".join(f"({number}) {model.name}" for number, model in enumerate(models, start=1))
        runs = sentence(item, context, {
            "effective": Figure(Decimal(len(models))), "declared": Figure(Decimal(programme.declared_count)),
            "programme": programme.name, "footnote": FOOTNOTE,
            "_footnote": Footnote(listing) if listing else None})
        if runs:
            paragraphs.append(paragraph(runs))
    return paragraphs or _no_data(item)


def led(item, context, depth):
    """The models or tasks the unit leads, a paragraph each: "- Mô hình …: đang triển khai. <kết quả>"."""
    printed = [sentence(item, context, names) for names in context.progress.get(item.kind, [])]
    return [paragraph(runs) for runs in printed if runs] or _no_data(item)


def overdue_tasks(item, context, depth):
    return _tasks(item, context, plan_progress.overdue_tasks(context.period, statuses=context.statuses))


def tasks_due_next(item, context, depth):
    return _tasks(item, context, plan_progress.tasks_due_next(context.period, statuses=context.statuses))


def _tasks(item, context, tasks):
    paragraphs = [sentence(item, context, {"number": task.number, "content": task.content, "plan": task.plan.number,
                                           "due": f"{task.due_date:%d/%m/%Y}"}) for task in tasks]
    return [paragraph(runs) for runs in paragraphs if runs] or _no_data(item)


def notes(item, context, depth):
    """PC06's wording of the slot, else the units' notes on its topic, quoted or gathered in an appendix."""
    edit = context.edits.get(item.key)
    if edit:       # PC06's own text: a paragraph a line, with its bold, italic and footnotes
        return [paragraph(sentences.markup(line), source=item.key) for line in edit.paragraphs]
    found = [(agency, note) for agency, note in context.notes.get(cells.note_key(item.topic), [])
             if not item.kinds_of_units or agency.kind in item.kinds_of_units] if item.topic else []
    if found and item.gather == Gather.APPENDIX:
        return _to_appendix(item, context, found)
    if found and item.gather == Gather.QUOTE:    # a paragraph a line, as the unit typed it
        quoted = [sentence(item, context, {"unit": agency.short_name or agency.name, "note": line.strip()})
                  for agency, note in found for line in note.splitlines() if line.strip()]
        return [paragraph(runs, source=item.key) for runs in quoted if runs]
    if item.no_data:
        return [paragraph([Run(item.no_data)], source=item.key)]
    if not context.placeholders or item.gather == Gather.APPENDIX:   # an empty appendix says nothing, even in a draft
        return []
    return [paragraph([Run(NOT_REPORTED if item.topic else PC06_TO_WRITE)], source=item.key)]


def _to_appendix(item, context, found):
    """The notes as a table after the signature, titled by the slot's heading; the body prints the item's text."""
    title = item.parent.text if item.parent_id else ""
    context.appendix_count += 1
    context.appendix += [
        paragraph([Run(f"Phụ lục {context.appendix_count}. {title}".rstrip(". "))], Style.SUBHEADING),
        Table(["STT", "Đơn vị", "Nội dung"],
              [[str(number), agency.short_name or agency.name, note] for number, (agency, note) in enumerate(found, 1)],
              numeric={0}, widths=[1, 4, 12]),
    ]
    runs = sentence(item, context, {"count": Figure(Decimal(len(found))), "unit": "", "note": ""}) if item.text else None
    return [paragraph(runs, source=item.key)] if runs else []


def omitted_note(context):
    """After the appendix: the services left out because nothing happened, so a reader knows they were not forgotten."""
    listing = "; ".join(f"({number}) {name}" for number, name in enumerate(context.omitted, start=1))
    return paragraph([Run(f"Ghi chú: {len(context.omitted)} dịch vụ công không phát sinh hồ sơ "
                          f"{context.words.get('within_span', '')} (báo cáo ghi “{CellMark.NONE.label}”) "
                          f"nên không nêu trong báo cáo: {listing}.".replace("  ", " "), italic=True)])


def _no_data(item):
    runs = _no_data_runs(item)
    return [paragraph(runs)] if runs else []


def _no_data_runs(item):
    return [Run(item.no_data)] if item.no_data else None


PRINT = {
    ItemKind.HEADING: heading,
    ItemKind.TEXT: text,
    ItemKind.LEGAL_BASES: legal_bases,
    ItemKind.FIGURE: figure,
    ItemKind.EACH_SERVICE: each_service,
    ItemKind.EACH_INDICATOR: each_indicator,
    ItemKind.SERVICES_TABLE: services_table,
    ItemKind.GROUP_TOTAL: group_total,
    ItemKind.MODELS: pilot_models,
    ItemKind.MODELS_LED: led,
    ItemKind.TASKS_LED: led,
    ItemKind.OVERDUE_TASKS: overdue_tasks,
    ItemKind.TASKS_DUE_NEXT: tasks_due_next,
    ItemKind.NOTES: notes,
}

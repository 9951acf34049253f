"""Filling an outline item's text: the values of its placeholders, and what each kind of item may ask.

``kinds`` prints each kind of item; this module resolves its pattern
(``reporting.report.sentences``) against what the report knows: the names the
item's kind gives (a service's measures, a task's number…), the report's words
(its span, the settings' wording), and any catalog figure by its code. A
``Context`` is what one report reads — the city's or one unit's.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from indicators.models import Indicator, IndicatorKind, Measure, Service
from reporting import cells
from reporting.choices import CellMark
from reporting.figures.consolidation import least_covered
from reporting.formatting import format_number
from reporting.models.outline import ItemKind
from reporting.report import sentences
from reporting.report.document import Run
from reporting.report.sentences import Figure, Missing

RATIO, CHANGE, COVERAGE = "ratio", "change", "coverage"
FIGURE_NAMES = {RATIO, CHANGE, COVERAGE}
# What a service is this month when its units gave no number: nothing happened, or nobody knows yet.
NOTHING_HAPPENED, NO_DATA = CellMark.NONE, CellMark.UNKNOWN
TASK_NAMES = {"number", "content", "plan", "due"}
KIND_NAMES = {
    ItemKind.LIST: {"count"},
    ItemKind.GROUP_TOTAL: {"declared", "count", "name", RATIO, CHANGE},
    ItemKind.MODELS: {"effective", "declared", "programme", "footnote"},
    ItemKind.OVERDUE_TASKS: TASK_NAMES,
    ItemKind.TASKS_DUE_NEXT: TASK_NAMES,
    ItemKind.NOTES: {"unit", "note", "count"},
    ItemKind.EACH_INDICATOR: {"name", "unit", "value", "part", "whole", RATIO, CHANGE},
    ItemKind.MODELS_LED: {"name", "status", "result", "late"},
    ItemKind.TASKS_LED: {"name", "status", "result", "late"},
}
# Every service's measures (filled by code) can be asked by these kinds, beside what KIND_NAMES gives.
SERVICE_KINDS = {ItemKind.EACH_SERVICE: {"name", "unit", "note", "portal", RATIO, CHANGE},
                 ItemKind.SERVICES_TABLE: {"number", "name", "unit", "note", "portal"}}


def names_of(item):
    """The placeholders ``item`` can fill: the report's words, and what its kind and its subject give."""
    names = set(sentences.GLOBAL_WORDS) | KIND_NAMES.get(item.kind, set())
    if item.kind in (ItemKind.GROUP_TOTAL, *SERVICE_KINDS):
        names |= set(Measure.objects.values_list("code", flat=True)) | SERVICE_KINDS.get(item.kind, set())
    if item.kind == ItemKind.FIGURE:
        names |= FIGURE_NAMES
        if item.service_id:
            names |= {"name", "unit", *item.service.measures.values_list("code", flat=True)}
        if item.indicator_id:
            names |= {"name", "unit"} | ({"part", "whole"} if item.indicator.kind == IndicatorKind.RATIO else {"value"})
    return names


def is_catalog_reference(name):
    """"CCCD_RECORDS" (an indicator) or "DVC14.resolved" (a measure a service reports)."""
    code, _, measure = name.partition(".")
    if measure:
        return Service.objects.filter(code=code, measures__code=measure).exists()
    return Indicator.objects.filter(code=name).exclude(kind=IndicatorKind.RATIO).exists()


def pattern_problems(item):
    """Why ``item``'s text cannot be filled (Vietnamese sentences), or []: unknown names, unbalanced marks."""
    problems = []
    text = item.text or ""
    if len(re.findall(r"\*\*", text)) % 2:
        problems.append("Dấu ** (chữ đậm) phải đi thành cặp.")
    if text.count("[[") != text.count("]]"):
        problems.append("Dấu [[ … ]] (phần in khi có số liệu) phải đi thành cặp.")
    malformed = [token for token in sentences.MARK.findall(text)
                 if token.startswith("{") and not sentences.PLACEHOLDER.fullmatch(token)]
    if malformed:
        problems.append(f"Chỗ điền viết sai: {', '.join(malformed)}.")
    known = names_of(item)

    def is_known(name):
        return name in known or is_catalog_reference(name)

    unknown = [name for name in sentences.placeholders(text) if not all(is_known(part) for part in name.split("/"))]
    if unknown:
        problems.append(f"Mục này không có chỗ điền {', '.join('{' + name + '}' for name in unknown)}; "
                        f"dùng được: {', '.join('{' + name + '}' for name in sorted(known))}.")
    for name in ("numerator", "denominator"):
        token = getattr(item, name)
        if token and not is_known(token):
            problems.append(f"Tỷ lệ: không có số liệu “{token}” cho mục này.")
    return problems


@dataclass
class Context:
    """What every item of one report reads: its months, its figures, its words, and its scope's catalogs.

    The scope is the city (every active service and indicator, every unit's notes) or one unit (its sheet's
    rows, its own notes and texts, the models and tasks it leads: ``progress``).
    """

    period: object            # the report's last ReportingPeriod
    figures: object           # spans.MonthOverMonth
    statuses: tuple
    words: dict               # GLOBAL_WORDS' values for this report
    legal_bases: list
    edits: dict               # item key → ReportNarrative (PC06's own wording)
    placeholders: bool        # a city draft says which narrative slot is still empty; the issued text does not
    load_notes: object        # () → {note key: [(agency, text)]}, called once if an item asks
    services: list = None     # the scope's services, in order (None: every active one)
    indicators: list = None   # likewise
    # The unit's rows for MODELS_LED and TASKS_LED: item kind → [{name, status, result, late}].
    progress: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)        # the unit's text cells by key (a service's "Khó khăn")
    appendix: list = field(default_factory=list)
    appendix_count: int = 0
    # The services left out because every unit asked said "không phát sinh"; the appendix's note names them.
    omitted: list = field(default_factory=list)

    def figure(self, key, unit=""):
        value = self.figures.get(key)
        return None if value is None else Figure(value, unit, key)

    def coverage_of(self, key):
        return self.figures.coverage_of(key)

    def omit(self, service):
        if service.name not in self.omitted:
            self.omitted.append(service.name)

    @cached_property
    def measure_codes(self):
        return set(Measure.objects.values_list("code", flat=True))

    def text(self, key):
        return self.texts.get(key) or None

    def reference(self, name):
        """The figure a catalog reference names ("CCCD_RECORDS", "DVC14.resolved"), None when unreported."""
        code, _, measure = name.partition(".")
        if measure:
            return self.figure(cells.service_key(code, measure), self._service_units.get(code, ""))
        return self.figure(cells.indicator_key(name), self._indicator_units.get(name, ""))

    @cached_property
    def _service_units(self):
        return dict(Service.objects.values_list("code", "count_unit"))

    @cached_property
    def _indicator_units(self):
        return dict(Indicator.objects.values_list("code", "unit"))

    @cached_property
    def notes(self):
        return self.load_notes()

    @cached_property
    def scope_services(self):
        if self.services is not None:
            return self.services
        return list(Service.objects.filter(is_active=True).prefetch_related("measures").order_by("order", "code"))

    @cached_property
    def scope_indicators(self):
        if self.indicators is not None:
            return self.indicators
        return list(Indicator.objects.filter(is_active=True).select_related("numerator", "denominator")
                    .order_by("report_section", "order", "code"))


def sentence(item, context, names, pattern=None):
    """The runs of ``pattern`` (the item's text) with ``names``, then the report's words, then catalog figures.

    None when a figure it needs is missing (``sentences.Missing``).
    """
    pattern = item.text if pattern is None else pattern

    used = []       # the figures the sentence prints, for the units they were added over

    def lookup(name):
        if name in names:
            value = names[name]
        elif name in context.words:
            value = context.words[name]
        else:
            value = context.reference(name)
        if isinstance(value, Figure):
            used.append(value)
        return value

    def ratio(numerator, denominator):
        return sentences.percent(_figure_value(lookup(numerator)), _figure_value(lookup(denominator)),
                                 item.precision, item.keep_zeros)

    def has_value(name):
        try:
            return all(lookup(part) not in (None, "") for part in name.split("/") if part not in FIGURE_NAMES)
        except Missing:
            return False

    pattern = sentences.without_empty_options(pattern, has_value)
    wanted = sentences.placeholders(pattern)
    try:
        filled = {name: lookup(name) for name in wanted if name not in FIGURE_NAMES and "/" not in name}
        for name in wanted:
            if name == RATIO:
                filled[name] = ratio(*_ratio_tokens(item, names))
            elif "/" in name:
                filled[name] = ratio(*name.split("/", 1))
            elif name == CHANGE:
                first = next((value for value in filled.values() if isinstance(value, Figure) and value.key), None)
                filled[name] = context.figures.change(first.key, first.unit) if first else ""
        phrase = coverage_phrase(least_covered(
            figure.coverage or (context.coverage_of(figure.key) if figure.key else None) for figure in used))
        if COVERAGE in wanted:
            filled[COVERAGE] = phrase
        runs = sentences.render(pattern, filled.get, footnote=names.get("_footnote"))
        return runs if COVERAGE in wanted or not phrase else _ending_with(runs, phrase)
    except Missing:
        return None


def coverage_phrase(coverage):
    """" (số liệu của 140/168 đơn vị; 28 đơn vị chưa có số liệu)" when some units asked gave no figure, else ''."""
    if coverage is None or coverage.complete or not coverage.reported:
        return ""
    return (f" (số liệu của {format_number(coverage.reported)}/{format_number(coverage.expected)} đơn vị; "
            f"{format_number(coverage.unknown)} đơn vị {CellMark.UNKNOWN.label.lower()})")


def _ending_with(runs, phrase):
    """``runs`` with ``phrase`` before the sentence's closing full stop, or at its end."""
    last = runs[-1] if runs else None
    if last is None or not last.text.endswith(".") or last.footnote:
        return [*runs, Run(phrase)]
    head = Run(last.text[:-1], last.bold, last.italic)
    return [*runs[:-1], *([head] if head.text else []), Run(f"{phrase}.")]


def service_state(service, context):
    """NOTHING_HAPPENED when every unit asked said "không phát sinh" for every measure; NO_DATA when no unit
    gave a number and some gave none; None otherwise (the service's figures print)."""
    found = [context.coverage_of(cells.service_key(service.code, measure.code)) for measure in service.measures.all()]
    found = [coverage for coverage in found if coverage is not None]
    if not found:
        return None
    if all(coverage.nothing_happened for coverage in found):
        return NOTHING_HAPPENED
    if not any(coverage.numbers for coverage in found) and any(coverage.unknown for coverage in found):
        return NO_DATA
    return None


def no_data_runs(service):
    """"Đăng ký thường trú: chưa có số liệu": never "0/0 hồ sơ" for a service nobody reported."""
    return [Run(f"{service.name}: {CellMark.UNKNOWN.label.lower()}")]


def asks_only_its_measures(item, service, context, pattern=None):
    """Whether every measure ``item``'s pattern needs (outside ``[[…]]``) is one ``service`` reports."""
    pattern = sentences.without_empty_options(item.text if pattern is None else pattern, lambda name: False)
    asked = {part for name in sentences.placeholders(pattern) for part in name.split("/")} & context.measure_codes
    return asked <= {measure.code for measure in service.measures.all()}


def service_names(service, context):
    """A service's placeholders: name and unit, portal connection, its measures' figures, the unit's remark on it."""
    names = {"name": service.name, "unit": service.count_unit, "portal": service.portal_connection or None,
             "note": context.text(cells.service_note_key(service.code))}
    for measure in service.measures.all():
        names[measure.code] = context.figure(cells.service_key(service.code, measure.code), service.count_unit)
    return names


def indicator_names(indicator, context):
    names = {"name": indicator.name, "unit": indicator.unit}
    if indicator.kind == IndicatorKind.RATIO:
        names["part"] = context.figure(cells.indicator_key(indicator.numerator.code), indicator.numerator.unit)
        names["whole"] = context.figure(cells.indicator_key(indicator.denominator.code), indicator.denominator.unit)
    else:
        names["value"] = context.figure(cells.indicator_key(indicator.code), indicator.unit)
    return names


def _figure_value(value):
    return value.value if isinstance(value, Figure) else None


def _ratio_tokens(item, names):
    """(numerator, denominator) names of ``{ratio}``: the item's, else its subject's natural pair."""
    if item.numerator and item.denominator:
        return item.numerator, item.denominator
    if "part" in names:
        return "part", "whole"
    return cells.ONLINE, cells.RECEIVED

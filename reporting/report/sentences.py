"""The grammar of an outline item's text: words PC06 writes, with figures filled in.

A pattern is text with three marks:

- ``{name}`` fills a placeholder: a word ("{name}", "{span}"), a figure
  ("{received}", "{CCCD_RECORDS}", "{DVC14.resolved}") printed as documents
  print numbers (7.856.474; ``{count:02}`` pads to two digits, "05"), a
  ratio of two figures ("{resolved/to_resolve}": 96,2%, at the item's
  precision; "{ratio}" is the item's own), or how the sentence's first
  figure moved since the month before ("{change}");
- ``**…**`` prints bold (the figures of a Vietnamese report are bold);
- ``*…*`` prints italic;
- ``[[…]]`` is printed only when every placeholder in it has a value
  ("{name}: {status}.[[ {result}.]]");
- ``[^…]`` is a footnote on the text before it.

PC06's own narrative is written with the same marks but no placeholders
(``markup``): a brace it types is a brace.

A figure that some units could not give ("chưa có số liệu") says over how
many units it was added: ``{coverage}``, appended at the sentence's end where
the pattern does not place it.

A sentence whose figure is missing (nothing approved, or a ratio over zero)
is not printed: the item's ``no_data`` text replaces it, or nothing does.
``pattern_problems`` names, in Vietnamese, what a pattern asks that its
item cannot give, so PC06's mistake is refused when saved, not when printed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from reporting.formatting import format_number, format_percent
from reporting.report.document import Footnote, Run

NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[a-z0-9_]+)?"
PLACEHOLDER = re.compile(rf"\{{({NAME}(?:/{NAME})?)(?::(\d{{1,2}}))?\}}")
FOOTNOTE_MARK = r"\[\^[^\]]*\]"
MARK = re.compile(rf"\*\*|\*|{FOOTNOTE_MARK}|\{{[^{{}}]*\}}")
TEXT_MARK = re.compile(rf"\*\*|\*|{FOOTNOTE_MARK}")
OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)

# Words every item may use: the report's span and the settings' wording.
GLOBAL_WORDS = {
    "span": "kỳ báo cáo: “tháng 4 năm 2024”, “quý I năm 2024”",
    "SPAN": "như {span}, chữ in hoa",
    "within_span": "“trong tháng 4 năm 2024”; một khoảng tháng: “từ tháng 2/2024 đến tháng 5/2024”",
    "next_span": "kỳ tiếp theo: “tháng tiếp theo”, “quý tiếp theo”, “năm tiếp theo”",
    "NEXT_SPAN": "như {next_span}, chữ in hoa",
    "month": "tháng cuối của kỳ: “04/2024”",
    "window_start": "ngày đầu kỳ số liệu (15/3/2024)",
    "window_end": "ngày cuối kỳ số liệu (14/4/2024)",
    "subject": "trích yếu (cài đặt báo cáo)",
    "reporting_body": "cơ quan báo cáo (cài đặt báo cáo)",
    "area": "địa bàn (cài đặt báo cáo)",
    "unit_name": "tên đơn vị (báo cáo của đơn vị)",
    "unit_subject": "trích yếu báo cáo của đơn vị (cài đặt báo cáo)",
    "coverage": "khi có đơn vị chưa có số liệu: “ (số liệu của 140/168 đơn vị; 28 đơn vị chưa có số liệu)”; "
                "mẫu câu không ghi thì tự thêm cuối câu",
}


class Missing(Exception):
    """A figure the sentence needs has no approved value: the sentence is not printed."""


@dataclass(frozen=True)
class Figure:
    """A number to print; ``unit`` is what its month-over-month change counts in, ``key`` the cell it sums."""

    value: Decimal
    unit: str = ""
    key: str = ""
    coverage: object = None   # consolidation.Coverage of a figure with no key of its own (a group's total)


FOOTNOTE = object()   # "{footnote}": the item's footnote is attached to the text just before it


def render(pattern, resolve, *, footnote=None, marks=MARK):
    """The runs of ``pattern`` with ``resolve(name) → str | Figure | FOOTNOTE`` filling each placeholder.

    Raises Missing when a placeholder has no value (``resolve`` raising it, or returning None).
    """
    runs, bold, italic, buffer = [], False, False, []

    def flush(attach=None):
        text = "".join(buffer)
        buffer.clear()
        if text or attach:
            runs.append(Run(text, bold=bold, italic=italic, footnote=attach))

    position = 0
    for mark in marks.finditer(pattern):
        buffer.append(pattern[position:mark.start()])
        position = mark.end()
        token = mark.group()
        if token == "**":
            flush()
            bold = not bold
        elif token == "*":
            flush()
            italic = not italic
        elif token.startswith("[^"):
            flush(attach=Footnote(token[2:-1].strip()))
        else:
            name, width = _placeholder(token)
            value = resolve(name)
            if value is None:
                raise Missing(name)
            if value is FOOTNOTE:
                flush(attach=footnote)
            else:
                buffer.append(_text(value, width))
    buffer.append(pattern[position:])
    flush()
    return [run for run in runs if run.text or run.footnote]


def markup(text):
    """PC06's text as runs: bold, italic and footnotes; a text whose marks do not pair prints as typed."""
    if len(re.findall(r"\*\*", text)) % 2 or len(re.findall(r"(?<!\*)\*(?!\*)", text)) % 2:
        return [Run(text)]
    return render(text, lambda name: None, marks=TEXT_MARK)


def without_empty_options(pattern, has_value):
    """``pattern`` with each ``[[…]]`` kept (unbracketed) where ``has_value(name)`` for all its names, else dropped."""
    def keep(match):
        return match.group(1) if all(has_value(name) for name in placeholders(match.group(1))) else ""
    return OPTIONAL.sub(keep, pattern)


def placeholders(pattern):
    """The names a pattern fills, in order ("{count:02}" gives "count")."""
    return [_placeholder(token)[0] for token in MARK.findall(pattern) if token.startswith("{")]


def _placeholder(token):
    match = PLACEHOLDER.fullmatch(token)
    if not match:
        return token.strip("{}"), None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def _text(value, width):
    if isinstance(value, Figure):
        text = format_number(value.value)
        return text.zfill(width) if width and value.value >= 0 else text
    return str(value)


def percent(numerator, denominator, precision, keep_zeros):
    """"93,95%" / "52%" ("52,00%" with ``keep_zeros``); Missing over a zero or missing denominator."""
    if numerator is None or not denominator:
        raise Missing("ratio")
    if keep_zeros:
        return f"{format_number(Decimal(numerator) * 100 / Decimal(denominator), precision)}%"
    return format_percent(numerator, denominator, precision)


"""What a reported value must satisfy, in one place for every way values arrive.

``clean_cell`` turns what was typed or read for one cell into its value, or
refuses it: the entry form's fields, the unit's Excel template and PC06's
history workbook all call it, so the same input gets the same value, and a
number refused in the browser is refused in a spreadsheet with the same
Vietnamese words. ``bound_problems`` (a service's part above its whole) and
``decrease_problem`` (a running total going down) judge cells together,
from the values ``clean_cell`` gave.
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from de_an_06.text import clean_text
from reporting.choices import CellMark, Progress
from reporting.formatting import NumberFormatError, format_number, parse_number
from reporting.models import DataValue
from reporting.submissions.sheets import CellKind

MAX_TEXT = 4000   # characters of a note, a result or a document reference
# The largest count stored exactly on every database we run on: the column keeps max_digits − decimal_places
# (16) digits before the point, but SQLite keeps a decimal as a double, whole numbers exact to 2^53 (16 digits,
# 9.007.199.254.740.992); 15 digits are exact on both.
_NUMBER_FIELD = DataValue._meta.get_field("number")
MAX_NUMBER = min(Decimal(10) ** (_NUMBER_FIELD.max_digits - _NUMBER_FIELD.decimal_places), Decimal(10) ** 15) - 1


def clean_cell(cell, raw):
    """The value of ``cell`` (a ``sheets.Cell``) from ``raw``; ValidationError with the Vietnamese reason.

    ``raw`` is what the browser posted, or what a spreadsheet cell held once
    the workbook's own encoding is undone (``workbooks.read_value``): text, a
    number, a date, or None when empty. A count gives a Decimal (None when
    blank), a status a ``Progress`` value ("" when blank), a text the text
    without surrounding blanks. A value it gave is cleaned to itself.
    """
    if cell.kind == CellKind.COUNT:
        return parse_count(raw)
    if cell.kind == CellKind.CHOICE:
        return parse_progress(raw)
    return parse_text(raw)


def parse_count(raw):
    """A non-negative whole number from what was typed ('7.856.474', '35', 35); None when blank.

    The one bound every path shares (the form, the template, the history
    workbook): at most MAX_NUMBER, which every database stores exactly.
    """
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal, type(None))):
        # A spreadsheet's TRUE, a date…
        raise ValidationError(f"“{str(raw)[:60]}” không phải là số.")
    if isinstance(raw, (int, Decimal)):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(str(raw))   # as Excel shows it: 0.1, not 0.1000000000000000055…
    else:
        try:
            number = parse_number(raw)
        except NumberFormatError as error:
            raise ValidationError(str(error)) from error
    if number is None:
        return None
    if number.is_nan():
        raise ValidationError(f"“{str(raw)[:60]}” không phải là số.")
    if number < 0:
        raise ValidationError("Số liệu không được âm.")
    if number > MAX_NUMBER:   # infinity too: 1E400 in a spreadsheet cell
        raise ValidationError(f"Số quá lớn (tối đa {format_number(MAX_NUMBER)}).")
    if number != number.to_integral_value():
        raise ValidationError("Nhập số nguyên (số lượng không có phần thập phân).")
    return Decimal(int(number))


def parse_progress(raw):
    """A Progress value from its code or its Vietnamese label (as the template's drop-down shows it)."""
    text = str(raw or "").strip()
    if not text:
        return ""
    for value, label in Progress.choices:
        if text.casefold() in (value.casefold(), label.casefold()):
            return value
    allowed = ", ".join(f"“{label}”" for label in Progress.labels)
    raise ValidationError(f"“{text}” không phải tình trạng hợp lệ; chọn một trong: {allowed}.")


def parse_text(raw):
    """A note as typed, in NFC without surrounding blanks ("" when blank); at most MAX_TEXT characters."""
    text = clean_text(raw)
    if len(text) > MAX_TEXT:
        raise ValidationError(f"Nội dung dài {len(text)} ký tự, tối đa {MAX_TEXT}.")
    return text


def _folded(text):
    """Lower case, without diacritics or repeated blanks: "Không  phát sinh", "KHONG PHAT SINH" read alike."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


# What a spreadsheet cell may hold instead of a number, as people write it (KPS is the forms' abbreviation).
_MARK_WORDS = {_folded(label): mark for mark, label in CellMark.choices} | {"kps": CellMark.NONE}


def parse_mark(raw):
    """The CellMark a number cell's text names ("Không phát sinh", "KPS", "chưa có số liệu"), or ""."""
    if not isinstance(raw, str):
        return ""
    return _MARK_WORDS.get(_folded(raw), "")


def mark_conflict(mark, *, whole_row=False):
    """Why a cell marked ``mark`` may not hold a number: the two say different things, and neither wins silently."""
    label = CellMark(mark).label
    if whole_row:
        return (f"Ô đã đánh dấu “{label}” (cả dịch vụ) thì để trống số; muốn nhập số thì chọn “Nhập từng ô” "
                "ở dòng dịch vụ.")
    return f"Ô đã đánh dấu “{label}” thì để trống số; muốn nhập số thì chọn “Có số liệu”."


def judged_number(number, mark):
    """What a cell counts for in ``bound_problems``: "Không phát sinh" is a true zero, "Chưa có số liệu" unknown."""
    return Decimal(0) if mark == CellMark.NONE else number


@dataclass(frozen=True)
class BoundProblem:
    """A service part exceeding its whole: ``key`` (online, on time…) is larger than ``whole_key``."""

    key: str
    whole_key: str
    message: str        # said at the part
    whole_message: str  # said at the whole, when only the whole was just typed


def bound_problems(numbers, bounds):
    """Every part that exceeds its whole (online > received, resolved > to resolve…).

    ``numbers`` maps cell keys to Decimal or None; ``bounds`` are the ``sheets.Bound`` of the
    sheet the numbers belong to (``Sheet.bounds``), so a pair is judged only where the
    service reports both measures. A part or whole left blank is not judged.
    """
    problems = []
    for bound in bounds:
        part, whole = numbers.get(bound.part), numbers.get(bound.whole)
        if part is not None and whole is not None and part > whole:
            problems.append(BoundProblem(
                bound.part, bound.whole,
                f"Không được lớn hơn số {bound.whole_label.lower()} ({format_number(whole)}).",
                f"Không được nhỏ hơn số {bound.part_label.lower()} đã có ({format_number(part)}).",
            ))
    return problems


def decrease_problem(new, before):
    """Why a cumulative counter may not go down from last month without a reason, or ''."""
    if new is None or before is None or new >= before:
        return ""
    return (f"Số lũy kế không được giảm so với tháng trước ({format_number(before)}); "
            "ghi lý do nếu số liệu đã được rà soát, điều chỉnh.")

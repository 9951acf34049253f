"""Reading a plan's printed deadline ("Quý II/2024", "Thực hiện thường xuyên").

The printed text stays the truth; this only derives a due date from it. A
text that matches no known form is reported as UNPARSED rather than guessed,
so PC06 sees it and fixes it.
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.db import models


class DeadlineKind(models.TextChoices):
    DATE = "date", "Có hạn cụ thể"
    RECURRING = "recurring", "Thực hiện thường xuyên"
    NO_DATE = "no_date", "Theo tiến độ (không có ngày)"
    EMPTY = "empty", "Văn bản không ghi"
    UNPARSED = "unparsed", "Chưa hiểu được, cần kiểm tra"


@dataclass(frozen=True)
class ParsedDeadline:
    kind: str
    due_date: datetime.date | None = None
    recurring: bool = False


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:/|\s+năm\s+)(\d{4})"
_MONTHS = re.compile(r"^(?:trong\s+)?tháng\s+(\d{1,2})(?:\s+và\s+tháng\s+(\d{1,2}))?" + _YEAR + r"$")
_QUARTER = re.compile(r"^(?:trong\s+)?quý\s+(i{1,3}|iv|[1-4])" + _YEAR + r"$")
_YEAR_ONLY = re.compile(r"^(?:trong\s+)?năm\s+(\d{4})$")
_RECURRING = re.compile(r"^(?:thực hiện\s+)?thường xuyên$")
# "Theo tiến độ quy định", "Theo tiến độ, yêu cầu tại Quyết định số 766/QĐ-TTg",
# "theo tiến độ triển khai của Trung ương": a schedule set elsewhere, no date here.
_BY_SCHEDULE = re.compile(r"^theo tiến độ\b")


def _normalise(text):
    text = unicodedata.normalize("NFC", text or "").lower()
    return re.sub(r"\s+", " ", text).strip(" .;")


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _parse_date_part(text):
    """Due date of one clause without 'thường xuyên', or None if not a date form."""
    if match := _MONTHS.match(text):
        first, second, year = match.groups()
        month = int(second or first)  # "tháng 06 và tháng 12/2024": done when the last one is
        return _month_end(int(year), month) if 1 <= month <= 12 and 1 <= int(first) <= 12 else None
    if match := _QUARTER.match(text):
        quarter, year = match.groups()
        number = _ROMAN.get(quarter) or int(quarter)
        return _month_end(int(year), number * 3)
    if match := _YEAR_ONLY.match(text):
        return datetime.date(int(match.group(1)), 12, 31)
    return None


def parse_deadline(printed):
    text = _normalise(printed)
    if not text:
        return ParsedDeadline(DeadlineKind.EMPTY)
    if _RECURRING.match(text):
        return ParsedDeadline(DeadlineKind.RECURRING, recurring=True)
    if _BY_SCHEDULE.match(text):
        return ParsedDeadline(DeadlineKind.NO_DATE)
    date_part, _, rest = text.partition(" và ")
    # "Trong năm 2024 và thực hiện thường xuyên" / "... và theo tiến độ triển khai của Trung ương"
    if rest and not rest.startswith("tháng"):
        due = _parse_date_part(date_part)
        if due and (_RECURRING.match(rest) or _BY_SCHEDULE.match(rest)):
            return ParsedDeadline(DeadlineKind.DATE, due, recurring=bool(_RECURRING.match(rest)))
        return ParsedDeadline(DeadlineKind.UNPARSED)
    due = _parse_date_part(text)
    return ParsedDeadline(DeadlineKind.DATE, due) if due else ParsedDeadline(DeadlineKind.UNPARSED)

"""Calendar months: the one value every page, report and export counts in.

A reporting period is one month of a schedule, but much of the product reasons
about months that have no period yet (a range's first month, the month before,
a trend window), so month arithmetic lives here and nowhere else. Pages name a
month in their query as ``YYYY-MM`` (``?ky=``, ``?tu=``, ``?den=``); every view
parses it through ``from_query`` and a bad value is answered the same way
everywhere, by ``BadMonthMiddleware``: 400 with the Vietnamese message.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpResponseBadRequest

MAX_MONTHS = 36                         # three years: enough for any comparison, small enough to stay light
_PATTERN = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(ValueError):
    """A refused month or range in a query; the message is for the user, in Vietnamese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, dated):
        """The month of anything with ``year`` and ``month`` (a period, a date)."""
        return cls(dated.year, dated.month)

    @classmethod
    def of_index(cls, index):
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def parse(cls, text, name):
        match = _PATTERN.fullmatch(text.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise BadMonth(f"Tham số “{name}” = “{text}” không đúng dạng năm-tháng, ví dụ 2024-01.")
        return cls(int(match[1]), int(match[2]))

    @property
    def index(self):
        """Months since the year 0: differences of indexes count months."""
        return self.year * 12 + self.month - 1

    def plus(self, months):
        return Month.of_index(self.index + months)

    def previous(self):
        return self.plus(-1)

    def next(self):
        return self.plus(1)

    def through(self, last):
        """This month and every month up to ``last``, inclusive."""
        return [Month.of_index(index) for index in range(self.index, last.index + 1)]

    @property
    def label(self):
        return f"Tháng {self.month}/{self.year}"

    @property
    def short_label(self):
        return f"{self.month}/{self.year}"

    @property
    def slug(self):
        """As a query names it: 2024-04."""
        return f"{self.year}-{self.month:02d}"


def from_query(query, name):
    """The month a query names under ``name``, or None when it names none; BadMonth if malformed."""
    text = query.get(name, "")
    return Month.parse(text, name) if text else None


def month_range(start_text, end_text, *, current):
    """The months from ``tu`` to ``den`` inclusive; by default the 12 months up to ``current()``.

    A missing ``tu`` means the 12 months up to ``den``, so a link may name only its last month.
    ``current`` is called only when ``den`` is missing: finding the current period may create it.
    """
    end = Month.parse(end_text, "den") if end_text else current()
    start = Month.parse(start_text, "tu") if start_text else end.plus(-11)
    if start > end:
        raise BadMonth(f"Tháng bắt đầu ({start.slug}) phải trước hoặc trùng tháng kết thúc ({end.slug}).")
    count = end.index - start.index + 1
    if count > MAX_MONTHS:
        raise BadMonth(f"Chỉ xuất được tối đa {MAX_MONTHS} tháng một lần; khoảng đã chọn có {count} tháng.")
    return start.through(end)


def within(period_path, first, last):
    """A Q keeping rows whose period (reached through ``period_path``) lies from ``first`` to ``last``."""
    prefix = f"{period_path}__" if period_path else ""
    after_start = Q(**{f"{prefix}year__gt": first.year}) | Q(**{f"{prefix}year": first.year, f"{prefix}month__gte": first.month})
    before_end = Q(**{f"{prefix}year__lt": last.year}) | Q(**{f"{prefix}year": last.year, f"{prefix}month__lte": last.month})
    return after_start & before_end


class BadMonthMiddleware:
    """Answers a BadMonth raised by any view: 400, the message as plain text (it quotes what was typed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadMonth):
            return HttpResponseBadRequest(exception.message, content_type="text/plain; charset=utf-8")
        return None

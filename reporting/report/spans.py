"""The report's time words: what span it covers, its dates, and how a figure moved since the month before.

Vietnamese administrative usage, not any city's wording: "tháng 4 năm 2024",
"quý I năm 2024", "6 tháng đầu năm 2024"; dates as "15/3/2024"; "(giảm 246 hồ
sơ so với tháng 02)". An outline's patterns reach them as ``{span}``,
``{next_span}``, ``{window_start}`` and ``{change}``.
"""

from dataclasses import dataclass

from django.utils import timezone

from reporting.figures import consolidation
from reporting.formatting import format_number
from reporting.models import ReportingPeriod
from reporting.months import Month

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


def words(first, last):
    """The outline's time placeholders for the report of the periods ``first`` to ``last``."""
    span = range_label(first, last)
    next_span = NEXT_SPAN[span_kind(first, last)]
    return {
        "span": span, "SPAN": span.upper(),
        # "trong tháng 4 năm 2024"; a range already says "từ … đến …".
        "within_span": span if span.startswith("từ ") else f"trong {span}",
        "next_span": next_span, "NEXT_SPAN": next_span.upper(), "month": f"{last.month:02d}/{last.year}",
        "window_start": day_text(first.window_start), "window_end": day_text(last.window_end),
    }


def day_text(date):
    """15/3/2024: the way the report writes a date in running text (05/3/2024 before the 10th)."""
    return f"{date.day:02d}/{date.month}/{date.year}" if date.day < 10 else f"{date.day}/{date.month}/{date.year}"


def place_date(place, day):
    if day is None:
        return f"{place}, ngày      tháng      năm {timezone.localdate().year}"
    return f"{place}, {date_phrase(day)}"


def date_phrase(day):
    """Decree 30's date of a document: "ngày 05 tháng 12 năm 2026", "ngày 19 tháng 02 năm 2025".

    A day under 10 and the months 1 and 2 take a leading zero (Phụ lục I, the place and date).
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass
class MonthOverMonth:
    """This month's figures, and how a count moved since the previous month: "(giảm 246 hồ sơ so với tháng 02)"."""

    current: consolidation.Figures
    previous: consolidation.Figures | None = None
    previous_label: str = ""

    def get(self, key):
        return self.current.get(key)

    def coverage_of(self, key):
        return self.current.coverage_of(key)

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

"""Line charts drawn on the server as inline SVG: no script, no CDN, Vietnamese numbers on the axis.

``{% line_chart kpi %}`` draws a KPI's monthly series; months without a value
break the line rather than pretend a zero. Each point carries its month and
value as a tooltip, and the page prints the same series as a table.
"""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from reporting.figures.targets import format_value

register = template.Library()

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 58, 8, 10, 22


def _scale(values, unit):
    """The axis's ends. A share runs from 0 to 100 %: cut to its own range, one month's 93 % against 94 %
    looks like a collapse. Nothing the dashboard counts is negative, so no axis goes below 0."""
    low, high = min(values), max(values)
    if unit == "%":
        return Decimal(0), max(high, Decimal(100))    # above 100 only if the data are (a part above its whole)
    if low == high:
        low, high = max(low - 1, Decimal(0)), high + 1
    return low, high


@register.simple_tag
def line_chart(kpi):
    known = [point.value for point in kpi.series if point.value is not None]
    if not known:
        return mark_safe('<p class="muted">Chưa có số liệu trong các tháng này.</p>')  # a constant: nothing to escape
    low, high = _scale(known, kpi.unit)
    count = max(len(kpi.series) - 1, 1)

    def x(index):
        return LEFT + (WIDTH - LEFT - RIGHT) * index / count

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * float((high - value) / (high - low))

    segments, pen_down, dots = [], False, []
    for index, point in enumerate(kpi.series):
        if point.value is None:
            pen_down = False
            continue
        segments.append(f"{'L' if pen_down else 'M'}{x(index):.1f},{y(point.value):.1f}")
        pen_down = True
        dots.append((f"{x(index):.1f}", f"{y(point.value):.1f}", f"{point.label}: {format_value(point.value, kpi.unit)}"))
    first, last = kpi.series[0].label, kpi.series[-1].label
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}: từ {first} đến {last}">'
        '<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}"/>'
        '<line class="axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>'
        '<text class="tick" x="{tick_x}" y="{top_text}" text-anchor="end">{high}</text>'
        '<text class="tick" x="{tick_x}" y="{base}" text-anchor="end">{low}</text>'
        '<text class="tick" x="{left}" y="{months_y}" text-anchor="start">{first}</text>'
        '<text class="tick" x="{right}" y="{months_y}" text-anchor="end">{last}</text>'
        '<path class="line" d="{path}"/>{dots}</svg>',
        w=WIDTH, h=HEIGHT, months_y=HEIGHT - 6, label=kpi.label, first=first, last=last, left=LEFT, top=TOP, base=HEIGHT - BOTTOM,
        right=WIDTH - RIGHT, tick_x=LEFT - 4, top_text=TOP + 4,
        high=format_value(high, kpi.unit), low=format_value(low, kpi.unit), path=" ".join(segments),
        dots=format_html_join("", '<circle class="dot" cx="{}" cy="{}" r="2.5"><title>{}</title></circle>', dots),
    )

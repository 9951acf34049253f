"""Line charts drawn on the server as inline SVG: no script, no CDN, Vietnamese numbers on the axis.

``{% line_chart kpi %}`` draws a KPI's monthly series; months without a value
break the line rather than pretend a zero. Each point carries its month and
value as a tooltip, and the page prints the same series as a table.
``{% sparkline kpi %}`` is the same series in a word's space, with the target as
a dashed line, for the targets on the leaders' first screen. Every axis starts at 0.
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
    """The axis's ends: always from 0. A share runs to 100 %: cut to its own range, one month's 93 % against
    94 % looks like a collapse, and a count's axis cut above 0 makes a 5 % rise look like a doubling. Nothing
    the dashboard counts is negative, so no axis goes below 0."""
    high = max(values)
    if unit == "%":
        return Decimal(0), max(high, Decimal(100))    # above 100 only if the data are (a part above its whole)
    return Decimal(0), high if high > 0 else Decimal(1)


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

    segments, drawn = _path(kpi.series, x, y)
    dots = [(cx, cy, f"{point.label}: {format_value(point.value, kpi.unit)}") for point, cx, cy in drawn]
    first, last = kpi.series[0].label, kpi.series[-1].label
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}: từ {first} đến {last}" '
        'data-axis-min="{axis_min}">'
        '<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}"/>'
        '<line class="axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>'
        '<text class="tick" x="{tick_x}" y="{top_text}" text-anchor="end">{high}</text>'
        '<text class="tick" x="{tick_x}" y="{base}" text-anchor="end">{low}</text>'
        '<text class="tick" x="{left}" y="{months_y}" text-anchor="start">{first}</text>'
        '<text class="tick" x="{right}" y="{months_y}" text-anchor="end">{last}</text>'
        '<path class="line" d="{path}"/>{dots}</svg>',
        w=WIDTH, h=HEIGHT, months_y=HEIGHT - 6, label=kpi.label, first=first, last=last, left=LEFT, top=TOP, base=HEIGHT - BOTTOM,
        right=WIDTH - RIGHT, tick_x=LEFT - 4, top_text=TOP + 4, axis_min=f"{low:f}",
        high=format_value(high, kpi.unit), low=format_value(low, kpi.unit), path=" ".join(segments),
        dots=format_html_join("", '<circle class="dot" cx="{}" cy="{}" r="2.5"><title>{}</title></circle>', dots),
    )


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 44, 3


@register.simple_tag
def sparkline(kpi):
    """The KPI's months as a small line from 0, its target dashed, its last month a dot; a label says it in words."""
    known = [point for point in kpi.series if point.value is not None]
    if len(known) < 2:
        return mark_safe('<span class="muted spark-none">Chưa đủ tháng để vẽ xu hướng</span>')  # a constant
    values = [point.value for point in known] + ([kpi.target] if kpi.target is not None else [])
    low, high = _scale(values, kpi.unit)
    count = max(len(kpi.series) - 1, 1)

    def x(index):
        return SPARK_PAD + (SPARK_WIDTH - 2 * SPARK_PAD) * index / count

    def y(value):
        return SPARK_PAD + (SPARK_HEIGHT - 2 * SPARK_PAD) * float((high - value) / (high - low))

    segments, drawn = _path(kpi.series, x, y)
    last_dot = drawn[-1][1:]
    target = ""
    if kpi.target is not None:
        target = format_html('<line class="target" x1="{}" y1="{y}" x2="{}" y2="{y}"/>', SPARK_PAD,
                             SPARK_WIDTH - SPARK_PAD, y=f"{y(kpi.target):.1f}")
    words = (f"Xu hướng {kpi.label}: {known[0].label} {format_value(known[0].value, kpi.unit)}, "
             f"{known[-1].label} {format_value(known[-1].value, kpi.unit)}")
    if kpi.target is not None:
        words += f"; chỉ tiêu {format_value(kpi.target, kpi.unit)}"
    return format_html(
        '<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{words}" '
        'data-axis-min="{axis_min}"><line class="base" x1="{pad}" y1="{base}" x2="{right}" y2="{base}"/>{target}'
        '<path class="line" d="{path}"/><circle class="dot" cx="{cx}" cy="{cy}" r="2.5"/></svg>',
        w=SPARK_WIDTH, h=SPARK_HEIGHT, words=words, axis_min=f"{low:f}", pad=SPARK_PAD, right=SPARK_WIDTH - SPARK_PAD,
        base=f"{y(low):.1f}", target=target, path=" ".join(segments), cx=last_dot[0], cy=last_dot[1],
    )


def _path(series, x, y):
    """An SVG path's segments through the months with a value, lifted over a month without one; and each drawn
    (point, cx, cy)."""
    segments, drawn, pen_down = [], [], False
    for index, point in enumerate(series):
        if point.value is None:
            pen_down = False
            continue
        cx, cy = f"{x(index):.1f}", f"{y(point.value):.1f}"
        segments.append(f"{'L' if pen_down else 'M'}{cx},{cy}")
        drawn.append((point, cx, cy))
        pen_down = True
    return segments, drawn

"""The dashboard's long lists written by Python: the grid's cells and the folded list of late units.

At the country's scale the page holds 600 grid cells and hundreds of late units, each a handful of
variables the template engine looks up through the context stack: a third of the page's render. These
tags write what the template wrote, character for character, escaping every value as it did.
"""

from django import template
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

from reporting.templatetags.vn import so

register = template.Library()


@register.simple_tag
def grid_cells(row):
    """The ``<td>`` of each month of a row of the units × months grid (``reporting.dashboard.grid``)."""
    return mark_safe("".join(
        f'<td class="grid-cell grid-{escape(cell.state)}" title="{escape(cell.description)}">{escape(cell.abbreviation)}'
        + (f"<small>{escape(so(count))}</small>" if (count := cell.count) else "") + "</td>"
        for cell in row.cells))


@register.simple_tag
def late_items(units, scope_query):
    """The ``<li>`` of each late unit (``reporting.dashboard.summary.LateUnit``) of the folded list."""
    return mark_safe("".join(
        f'<li><a href="?{escape(scope_query)}&amp;don-vi={unit.pk}">{escape(unit.name)}</a> '
        f'<span class="badge {"standing-behind" if unit.missing else "standing-at_risk"}">{escape(unit.status)}</span>'
        + (f' <span class="muted">{escape(unit.parent)}</span>' if unit.parent else "") + "</li>"
        for unit in units))

"""The dashboard's long lists written by Python: the units table's rows, the grid's cells, the folded list of
late units.

At the country's scale the page holds 50 unit rows, 600 grid cells and hundreds of late units, each a handful
of variables the template engine looks up through the context stack: half of the page's render. These tags
write what the template wrote, character for character, escaping every value as it did.
"""

from django import template
from django.templatetags.l10n import unlocalize
from django.urls import reverse
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

from reporting.templatetags.vn import so

register = template.Library()


@register.simple_tag
def unit_row(row, board, scope_query):
    """The ``<tr>`` of a row of the units table (``reporting.dashboard.units.UnitRow``): the chosen unit's own
    row is pinned and not a link; a leaf links to its submission, another unit to its drill-down."""
    pinned = bool(board.node) and row.pk == board.node[0]
    drill = f"?{escape(scope_query)}&amp;don-vi={row.pk}"
    name = escape(row.name) if pinned else f'<a href="{drill}" data-testid="drill">{escape(row.name)}</a>'
    if row.is_leaf:
        detail = (f'<a href="{escape(reverse("entry", args=[board.last[0], board.last[1], row.pk]))}" '
                  'data-testid="open-submission">Xem báo cáo</a>')
    else:
        detail = "" if pinned else f'<a href="{drill}">Chi tiết</a>'
    online = "" if row.online_rate is None else unlocalize(row.online_rate)
    on_time = "" if row.on_time_rate is None else unlocalize(row.on_time_rate)
    return mark_safe(
        f'<tr data-testid="unit-row"{" data-pinned" if pinned else ""}>\n'
        f'      <td>{name}</td>\n'
        f'      <td>{escape(row.kind)}</td><td class="num" data-value="{escape(unlocalize(row.submitted_rate))}">'
        f'{so(row.submitted)}/{so(row.expected)}</td>\n'
        f'      <td class="num" data-value="{escape(online)}">{escape(row.online_text or "—")}</td>'
        f'<td class="num" data-value="{escape(on_time)}">{escape(row.on_time_text or "—")}</td>\n'
        f'      <td>{detail}</td>\n'
        f'    </tr>')


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

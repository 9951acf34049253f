"""The entry sheet's number cells, written by Python rather than by an ``{% include %}`` per cell.

An include pushes a context, finds its template and renders a dozen nodes, each variable looked up
through the context stack, for every one of a department's hundred cells: issue 20 measured the
sheet's templates at a quarter of the entry page's CPU. ``entry_cell`` writes the markup the
included template wrote, character for character (tests/submissions/test_entry_cell.py renders
that template beside it), escaping every value as the template engine did (``conditional_escape``),
in the way ``reporting.submissions.widgets`` writes the inputs.

``entry_sections`` writes the sheet's sections (templates/reporting/_entry_sections.html), or what the
view found of them in the cache (``reporting.submissions.sections``): an officer opens the same
unchanged page again and again, and its form and sections were most of the page's CPU.
"""

from django import template
from django.template.loader import get_template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

from reporting.submissions import sections
from reporting.templatetags.vn import so

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_sections(context):
    """The sheet's sections with their inputs: ``sections_html`` when the view found them in the cache, else
    rendered, and cached under ``sections_key`` when the view gives one (an opened page, not one posted back)."""
    html = context.get("sections_html")
    if html is None:
        html = get_template("reporting/_entry_sections.html").template.render(context)
        if context.get("sections_key"):
            sections.keep(context["sections_key"], str(html))
    return mark_safe(html)


@register.simple_tag
def entry_cell(c, row_label):
    """The ``<td>`` of one number cell (a ``selectors.EntryCell``) in the row named ``row_label``.

    Its label (for screen readers only when the row's name says it all), the input, the mark
    beside it, the errors of both, why a valid value was held back, and last month's value.
    """
    field_id = escape(c.field.auto_id)
    errors, mark = c.field.errors, c.mark
    classes = "num cell" + (" has-error" if errors else "") + (" marked" if mark is not None and mark.value() else "")
    previous = c.previous
    data_prev = escape(unlocalize(previous.number)) if previous is not None and previous.number is not None else ""
    if c.name == c.cell.label:
        label = f'<label for="{field_id}" class="sr-only">{escape(c.cell.label)}</label>\n  '
    else:
        label = (f'<label for="{field_id}" class="cell-label"><span class="sr-only">{escape(row_label)} — </span>'
                 f'{escape(c.cell.label)}</label>')
    marking = (f'<label for="{escape(mark.auto_id)}" class="sr-only">{escape(c.name)} — đánh dấu</label>{escape(mark)}'
               if mark is not None else "")
    field_errors = _error_list(errors, f' id="{field_id}_error"')
    mark_errors = _error_list(mark.errors, "") if mark is not None else ""
    held = f'<div class="held" id="{field_id}_held">{escape(c.held)}</div>' if c.held else ""
    last_month = ""
    if c.has_previous:
        said = (escape(c.previous_mark.lower()) if c.previous_mark
                else f'{escape(so(previous.number))} <span class="diff"></span>')
        last_month = f'<div class="previous muted" id="{field_id}_prev">tháng trước {said}</div>'
    return mark_safe(
        f'<td class="{classes}" data-prev="{data_prev}">\n'
        f'  {label}\n'
        f'  {c.widget()}\n'
        f'  {marking}\n'
        f'  {field_errors}\n'
        f'  {mark_errors}\n'
        f'  {held}\n'
        f'  {last_month}\n'
        f'</td>\n'
    )


def _error_list(errors, id_attribute):
    if not errors:
        return ""
    return f'<ul class="errorlist"{id_attribute}>{"".join(f"<li>{escape(error)}</li>" for error in errors)}</ul>'

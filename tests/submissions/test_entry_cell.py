"""The entry sheet's number cells, written by Python (issue 20), are what the template included per cell wrote."""

from decimal import Decimal

import pytest
from django.template import engines

from reporting.choices import CellMark
from reporting.submissions import selectors
from reporting.submissions.forms import EntryForm
from reporting.submissions.store import CellValue
from reporting.templatetags.entry_sheet import entry_cell

from .helpers import april_sheet, form_data

pytestmark = pytest.mark.django_db

# templates/reporting/_entry_cell.html as it was, included once per cell.
FORMER_TEMPLATE = """\
{% load l10n vn %}<td class="num cell{% if c.field.errors %} has-error{% endif %}{% if c.mark.value %} marked{% endif %}" data-prev="{% if c.previous.number is not None %}{{ c.previous.number|unlocalize }}{% endif %}">
  {% if c.name == c.cell.label %}<label for="{{ c.field.auto_id }}" class="sr-only">{{ c.cell.label }}</label>
  {% else %}<label for="{{ c.field.auto_id }}" class="cell-label"><span class="sr-only">{{ line.row.label }} — </span>{{ c.cell.label }}</label>{% endif %}
  {{ c.widget }}
  {% if c.mark %}<label for="{{ c.mark.auto_id }}" class="sr-only">{{ c.name }} — đánh dấu</label>{{ c.mark }}{% endif %}
  {% if c.field.errors %}<ul class="errorlist" id="{{ c.field.auto_id }}_error">{% for error in c.field.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
  {% if c.mark.errors %}<ul class="errorlist">{% for error in c.mark.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
  {% if c.held %}<div class="held" id="{{ c.field.auto_id }}_held">{{ c.held }}</div>{% endif %}
  {% if c.has_previous %}<div class="previous muted" id="{{ c.field.auto_id }}_prev">tháng trước {% if c.previous_mark %}{{ c.previous_mark|lower }}{% else %}{{ c.previous.number|so }} <span class="diff"></span>{% endif %}</div>{% endif %}
</td>
"""

PREVIOUS = {"dvc.DVC22.received": CellValue(number=Decimal(1000)), "dvc.DVC22.online": CellValue(number=Decimal("7.50")),
            "ind.NEWS_PRESS": CellValue(mark=CellMark.NONE), "ind.EID_ACTIVATED": CellValue(number=Decimal(7_000_000))}
STORED = {"dvc.DVC24.count": CellValue(mark=CellMark.UNKNOWN), "ind.NEWS_PRESS": CellValue(number=Decimal(12))}


def number_cells(sheet, form):
    for block in selectors.entry_layout(sheet, form, PREVIOUS):
        for line in block["rows"]:
            for c in line.get("slots") or line["cells"]:
                if c is not None and c.mark is not None:       # the number cells, which the template wrote
                    yield line, c


@pytest.mark.parametrize("typed", [
    None,                                                               # the stored month, unbound
    {"dvc__DVC22__online": "1.300", "dvc__DVC24__count": "-3",          # errors, a mark and a held whole
     "ind__NEWS_PRESS": '<b>"12"</b>', "ind__EID_ACTIVATED__mark": "unknown", "dvc__DVC22__on_time": "1.201",
     "dvc__DVC22__resolved__mark": "?"},
])
def test_each_number_cell_is_the_former_templates_markup(city, month, typed):
    sheet = april_sheet(city, month)
    form = EntryForm(sheet, values=STORED, previous=PREVIOUS, version=1,
                     data=form_data(month, version=1, **typed) if typed else None)
    if typed:
        assert not form.is_valid()
        form.saveable_values(STORED)          # names the valid cells held back with the refused ones
    former = engines["django"].from_string(FORMER_TEMPLATE)
    cells = list(number_cells(sheet, form))
    assert len(cells) == 7
    for line, c in cells:
        assert entry_cell(c, line["row"].label) == former.render({"c": c, "line": line}), c.cell.key
    # Every branch of the template was taken.
    written = "".join(entry_cell(c, line["row"].label) for line, c in cells)
    assert 'data-prev="7.50"' in written and "tháng trước 1.000 " in written
    assert "tháng trước không phát sinh" in written
    if typed:
        assert 'class="num cell has-error"' in written and 'class="held"' in written and "marked" in written
        assert '<ul class="errorlist"><li>' in written          # the mark's own error
        assert "&lt;b&gt;&quot;12&quot;&lt;/b&gt;" in written and "<b>" not in written
    else:
        assert 'class="num cell marked"' in written and 'class="cell-label"' in written

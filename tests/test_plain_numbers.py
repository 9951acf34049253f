"""Years, ids, versions and months in links and form values are written plainly, never "2.024" or "1.000".

The app prints numbers the Vietnamese way (USE_THOUSAND_SEPARATOR), so any of
them written raw into a URL or a form value breaks the request it makes. Every
page a role opens is scanned, with a unit id and a submission version above
a thousand; only the number boxes of the entry sheet hold Vietnamese numbers.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from indicators.models import Plan
from reporting.choices import AgencyKind
from reporting.models import Agency, Submission
from reporting.models.outline import OutlineItem, ReportOutline
from reporting.periods import default_schedule

from . import conftest
from .report.helpers import report, service_cells

pytestmark = pytest.mark.django_db
GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3})+(?![\d,])")


class Attributes(HTMLParser):
    """Every (tag, attribute, value) a machine reads back: links, form targets and values."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "action", "value"):
            if attributes.get(name) and not (name == "value" and "count" in (attributes.get("class") or "")):
                self.found.append((tag, name, attributes[name]))


def grouped_numbers(html):
    parser = Attributes()
    parser.feed(html)
    return [found for found in parser.found if GROUPED.search(found[2])]


def test_no_page_writes_a_grouped_number_into_a_link_or_a_form_value(client, city, month, people,
                                                                    catalogs_over_test_rows):
    ward = Agency.objects.create(id=7616, code="Q01-TDI", name="Phường Tân Định", kind=AgencyKind.WARD,
                                 parent=city["q1"])
    for number in (1, 2, 3):
        report("CATP", default_schedule().period_for(2024, number), service_cells(), compiler=people["compiler"])
    submission = Submission.objects.create(period=month["april"], agency=ward)
    Submission.objects.filter(pk=submission.pk).update(version=1204)
    plan = Plan.objects.filter(year=2024).first()
    ReportOutline.objects.update(revision=1204)
    pages = [
        reverse("home"), reverse("board", args=[2024, 4]), reverse("plan_list"), reverse("plan_board", args=[plan.pk]),
        reverse("report_preview", args=[2024, 3]) + "?tu=2024-01", reverse("dashboard", args=[2024, 3]) + "?tu=2024-01",
        reverse("dashboard", args=[2024, 4]) + f"?don-vi={ward.pk}", reverse("entry", args=[2024, 4, ward.pk]),
        reverse("agency_list"), reverse("agency_detail", args=[ward.pk]), reverse("notifications"),
        reverse("outline_editor") + "?ky=2024-03", reverse("outline_item_edit", args=[OutlineItem.objects.first().pk]),
        reverse("outline_item_delete", args=[OutlineItem.objects.first().pk]),
    ]
    client.login(username="compiler", password=conftest.PASSWORD)
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = grouped_numbers(response.content.decode())
    assert found == dict.fromkeys(pages, [])
    assert f"Kế hoạch {plan.number} ({plan.year})" in client.get(reverse("plan_list")).content.decode()


def test_the_scan_finds_a_grouped_year_in_a_link():
    assert grouped_numbers('<a href="?tu=2.024-01">Xem</a><input class="count" value="7.856.474">') == [
        ("a", "href", "?tu=2.024-01")]

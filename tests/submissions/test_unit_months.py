"""A unit's months: every month it reports, returned and overdue first, and previous/next on the entry page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.submissions import workflow

from .. import conftest
from .helpers import fill_april

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def months_shown(page):
    return re.findall(r'data-month="(\d{4}-\d{2})"', page)


def test_the_list_puts_the_returned_month_first_then_overdue_then_newest(officer, city, month, people):
    april = fill_april(people["ward_officer"], city, month)
    on_time = timezone.make_aware(datetime.datetime(2024, 4, 12, 9))
    workflow.submit(april, people["ward_officer"], version=april.version, now=on_time)
    workflow.return_to_unit(april, people["compiler"], version=april.version, comment="Thiếu số liệu khai sinh.")
    page = officer.get(reverse("unit_months", args=[city["ben_nghe"].pk])).content.decode()
    shown = months_shown(page)
    # Bến Nghé reported until June 2025 (dissolved on 30/6/2025): the 24 months up to then.
    assert len(shown) == 24 and set(shown) == {f"{year}-{m:02d}" for year, m in
                                               [(2023, m) for m in range(7, 13)] + [(2024, m) for m in range(1, 13)]
                                               + [(2025, m) for m in range(1, 7)]}
    assert shown[:3] == ["2024-04", "2025-06", "2025-05"]
    assert "Bị trả lại" in page and "(quá hạn)" in page
    assert "Phường Bến Nghé đã kết thúc hoạt động từ ngày 01/07/2025" in page
    earlier = officer.get(reverse("unit_months", args=[city["ben_nghe"].pk]), {"den": "2023-06"}).content.decode()
    assert months_shown(earlier)[0] == "2023-06" and len(months_shown(earlier)) == 18   # from January 2022
    assert 'data-testid="earlier-months"' not in earlier


def test_the_entry_page_links_the_months_before_and_after(officer, city, month):
    page = officer.get(reverse("entry", args=[2024, 4, city["ben_nghe"].pk])).content.decode()
    assert f'href="{reverse("entry", args=[2024, 3, city["ben_nghe"].pk])}" rel="prev"' in page
    assert f'href="{reverse("entry", args=[2024, 5, city["ben_nghe"].pk])}" rel="next"' in page
    last = officer.get(reverse("entry", args=[2025, 6, city["ben_nghe"].pk])).content.decode()
    assert 'rel="next"' not in last          # the ward's last month: July 2025 is its successor's

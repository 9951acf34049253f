"""PC06's board a page at a time: the worst first, the month's counts on top, nothing left out unsaid.

Issue 20 measured the board of the whole country (3 347 units) at 1,15 MB. A page holds ``PAGE_SIZE`` units;
the chips and the pager's links keep every filter, and a unit on a later page is announced, never lost.
"""

import datetime
import gzip
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.choices import AgencyKind, SubmissionStatus
from reporting.models import Agency, ReminderClaim, Submission
from reporting.operations import city_generator
from reporting.periods import default_schedule
from reporting.reminders import dispatch
from reporting.submissions.review_board import NEEDS_FIRST, PAGE_SIZE

from .. import conftest
from .test_board import BOARD_QUERIES, statuses

pytestmark = pytest.mark.django_db
WARDS = 120     # more than two pages of the test city


def at(day, hour):
    return timezone.make_aware(datetime.datetime(2024, 4, day, hour))


# Every status a unit can be in, in turn: ward n of the test city has STATUS_CYCLE[n % 6] (None: nothing).
STATUS_CYCLE = [
    dict(status=SubmissionStatus.RETURNED, first_submitted_at=at(14, 8), submitted_at=at(14, 8)),
    None,
    dict(status=SubmissionStatus.DRAFT),
    dict(status=SubmissionStatus.SUBMITTED, is_late=True, first_submitted_at=at(17, 9), submitted_at=at(17, 9)),
    dict(status=SubmissionStatus.SUBMITTED, first_submitted_at=at(12, 9), submitted_at=at(12, 9)),
    dict(status=SubmissionStatus.APPROVED, first_submitted_at=at(13, 9), submitted_at=at(13, 9)),
]


@pytest.fixture
def many_wards(city, month, people):
    """WARDS more wards of Quận 1 (codes Q01-X000…), each in the status of its turn, and reminded once."""
    wards = Agency.objects.bulk_create([
        Agency(code=f"Q01-X{n:03d}", name=f"Phường thử {n}", kind=AgencyKind.WARD, parent=city["q1"])
        for n in range(WARDS)])
    Submission.objects.bulk_create([Submission(period=month["april"], agency=ward, **STATUS_CYCLE[n % 6])
                                    for n, ward in enumerate(wards) if STATUS_CYCLE[n % 6]])
    rule = dispatch.manual_rules()[0]
    ReminderClaim.objects.bulk_create([ReminderClaim(rule=rule, period=month["april"], target=ward.code,
                                                     occasion="nhac-tay-1", subject="Nhắc", body="Nhắc")
                                       for ward in wards])
    return wards


def get(client, url, **query):
    return client.get(url, query).content.decode()


def as_compiler(client):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def next_page(html):
    """The href of the page's own "next page" link, or None on the last page."""
    found = re.search(r'<a href="([^"]+)" rel="next" data-testid="next-page">([^<]+)</a>', html)
    return unescape(found.group(1)) if found else None


def every_page(client, html):
    """Unit code → status over this page and the ones after it, following the pager's links."""
    seen, pages = {}, 0
    while True:
        rows = statuses(html)
        assert not set(rows) & set(seen), "a unit shown twice"
        assert len(rows) <= PAGE_SIZE
        seen.update(rows)
        pages += 1
        link = next_page(html)
        if link is None:
            return seen, pages
        html = client.get(link).content.decode()


def board_url():
    return reverse("board", args=[2024, 4])


# --- pages ---------------------------------------------------------------------------------------------------

def test_a_page_holds_the_worst_first_and_says_how_many_units_are_left(client, many_wards):
    html = get(as_compiler(client), board_url())
    rows = statuses(html)
    assert len(rows) == PAGE_SIZE
    ranks = [NEEDS_FIRST[status] for status in rows.values()]
    assert ranks == sorted(ranks) and rows[next(iter(rows))] == "returned"
    total = 7 + WARDS
    assert f'Đơn vị <strong>1–{PAGE_SIZE}</strong> trong {total} · trang 1/3' in html
    assert f"Còn {total - PAGE_SIZE} đơn vị nữa — trang 2/3 →" in html
    assert "Tất cả: 127" in html and "Bị trả lại: 20" in html     # the month's counts, not the page's
    seen, pages = every_page(client, html)
    assert pages == 3
    assert set(seen) == {"CATP", "STP", "Q01", "Q03", "Q01-BNG", "Q01-BTH", "Q03-VTS"} | {
        ward.code for ward in many_wards}


def test_the_pager_keeps_the_filters_and_the_order_and_goes_back(client, many_wards, city):
    html = get(as_compiler(client), board_url(), loai="ward", quan=city["q1"].pk, **{"sap-xep": "don-vi"})
    chosen = f"loai=ward&quan={city['q1'].pk}"
    assert next_page(html) == f"/tong-hop/2024/4/?{chosen}&sap-xep=don-vi&trang=2"
    second = client.get(next_page(html)).content.decode()
    back = re.search(r'<a href="([^"]+)" rel="prev" data-testid="previous-page">← Trang trước \(1/3\)</a>', second)
    assert unescape(back.group(1)) == f"/tong-hop/2024/4/?{chosen}&sap-xep=don-vi"
    # The chips go back to page 1 of their status; the reminder comes back to this very page.
    links = {unescape(link) for link in re.findall(r'(?:href|action)="([^"]+)"', second)}
    assert f"/tong-hop/2024/4/?{chosen}&trang-thai=late&sap-xep=don-vi" in links
    assert f"/tong-hop/2024/4/nhac/?{chosen}&sap-xep=don-vi&trang=2" in links


def test_a_status_chip_reaches_every_unit_in_that_status_over_the_pages(client, many_wards):
    html = get(as_compiler(client), board_url())
    chip = re.search(r'<a class="chip status-not_started" href="([^"]+)"', html).group(1)
    seen, pages = every_page(client, client.get(unescape(chip)).content.decode())
    expected = {"CATP", "STP", "Q03", "Q03-VTS", "Q01", "Q01-BNG", "Q01-BTH"} | {
        ward.code for n, ward in enumerate(many_wards) if STATUS_CYCLE[n % 6] is None}
    assert set(seen) == expected and set(seen.values()) == {"not_started"}
    assert pages == 1


@pytest.mark.parametrize("page, shown", [("9", "3/3"), ("0", "1/3"), ("hai", "1/3")])
def test_a_page_out_of_range_shows_the_nearest(client, many_wards, page, shown):
    html = get(as_compiler(client), board_url(), trang=page)
    assert f"trang {shown}" in html


def test_a_board_of_one_page_has_no_pager(client, city, people, month):
    html = get(as_compiler(client), board_url())
    assert 'data-testid="board-pager"' not in html
    assert "Đơn vị <strong>1–7</strong> trong 7</p>" in html


@pytest.mark.parametrize("query", [{}, {"sap-xep": "thu-tu"}, {"sap-xep": "nop-muon"}, {"sap-xep": "don-vi"},
                                   {"trang-thai": "late", "trang": "2"}, {"loai": "ward", "trang": "3"}])
def test_the_board_costs_the_same_queries_whatever_the_units(client, many_wards, django_assert_max_num_queries,
                                                             query):
    as_compiler(client)
    # Sorting Vietnamese names reads the filtered units' names first, then the page.
    with django_assert_max_num_queries(BOARD_QUERIES + (query.get("sap-xep") == "don-vi")):
        html = get(client, board_url(), **query)
    assert statuses(html)
    assert html.count('data-testid="last-reminded"><span') == sum(code.startswith("Q01-X") for code in statuses(html))


# --- a generated city ----------------------------------------------------------------------------------------

GENERATED_WARDS = 300
PAGE_BYTES = 64 * 1024       # a page of 50 units is 45 KB; the whole board of these units, 300 KB


@pytest.fixture
def generated():
    """The catalogs' 2024 city with GENERATED_WARDS generated wards; the wards of April in turn in every status."""
    compiler = city_generator.load_city(wards=GENERATED_WARDS)
    april = default_schedule().period_for(2024, 4)
    wards = list(april.expected_agencies().filter(kind=AgencyKind.WARD).order_by("code"))
    Submission.objects.bulk_create([Submission(period=april, agency=ward, **STATUS_CYCLE[n % 6])
                                    for n, ward in enumerate(wards) if STATUS_CYCLE[n % 6]])
    compiler.set_password(conftest.PASSWORD)
    compiler.save()
    return {"compiler": compiler, "april": april, "wards": wards}


def test_on_a_generated_city_the_page_stays_small_and_each_filter_finds_exactly_its_units(
        client, generated, django_assert_max_num_queries):
    april, wards = generated["april"], generated["wards"]
    units = april.expected_agencies().count()
    assert units > GENERATED_WARDS
    client.login(username=generated["compiler"].username, password=conftest.PASSWORD)
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(board_url())
    assert len(response.content) < PAGE_BYTES, len(response.content)
    assert len(gzip.compress(response.content)) < 8 * 1024
    html = response.content.decode()
    assert len(statuses(html)) == PAGE_SIZE and f"trong {units} · trang 1/{-(-units // PAGE_SIZE)}" in html

    returned = {ward.code for n, ward in enumerate(wards) if n % 6 == 0}
    seen, _ = every_page(client, get(client, board_url(), **{"trang-thai": "returned"}))
    assert set(seen) == returned

    district = wards[0].parent
    seen, pages = every_page(client, get(client, board_url(), quan=district.pk))
    assert set(seen) == {district.code} | {ward.code for ward in wards if ward.parent_id == district.pk}
    assert pages == 1
    late_in_district = {ward.code for n, ward in enumerate(wards) if n % 6 == 3 and ward.parent_id == district.pk}
    seen, _ = every_page(client, get(client, board_url(), quan=district.pk, **{"trang-thai": "late"}))
    assert set(seen) == late_in_district

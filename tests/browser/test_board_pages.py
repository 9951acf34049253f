"""PC06 reads a board longer than a page, on a phone and on a desktop: a status chip, then the next page."""

import re

import pytest
from playwright.sync_api import expect

from reporting.choices import AgencyKind, SubmissionStatus
from reporting.models import Agency, Submission

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


@pytest.fixture
def crowded(city, people, month):
    """70 more wards of Quận 1: 10 returned, 10 awaiting review, 50 not started (57 with the city's own)."""
    wards = Agency.objects.bulk_create([
        Agency(code=f"Q01-X{n:03d}", name=f"Phường thử {n}", kind=AgencyKind.WARD, parent=city["q1"])
        for n in range(70)])
    Submission.objects.bulk_create([
        Submission(period=month["april"], agency=ward,
                   status=SubmissionStatus.RETURNED if n % 7 == 0 else SubmissionStatus.SUBMITTED)
        for n, ward in enumerate(wards) if n % 7 in (0, 1)])


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def badges(page):
    return page.get_by_test_id("board-table").locator("tbody tr .badge").all_inner_texts()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pc06_filters_by_a_chip_then_reads_the_next_page(page, people, crowded, viewport):
    page.set_viewport_size(viewport)
    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    expect(page.get_by_test_id("board-range")).to_have_text(
        "Đơn vị 1–50 trong 77 · trang 1/2 · còn 27 đơn vị ở các trang sau")
    assert badges(page)[:10] == ["Bị trả lại"] * 10        # what needs something comes first
    assert document_width(page) <= viewport["width"], f"the board is {document_width(page)} px wide"

    chip = page.get_by_test_id("status-chips").get_by_role("link", name="Chưa nhập: 57")
    chip.click()
    expect(chip).to_have_attribute("aria-current", "true")
    expect(page.get_by_test_id("board-table").locator("tbody tr")).to_have_count(50)
    assert set(badges(page)) == {"Chưa nhập"}
    first_page = set(page.get_by_test_id("board-table").locator("tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.agency)"))

    page.get_by_test_id("board-pager").get_by_role("link", name="Còn 7 đơn vị nữa — trang 2/2").click()
    expect(page).to_have_url(re.compile(r"trang-thai=not_started&trang=2$"))
    rows = page.get_by_test_id("board-table").locator("tbody tr")
    expect(rows).to_have_count(7)
    assert set(badges(page)) == {"Chưa nhập"}
    second_page = set(rows.evaluate_all("rows => rows.map(row => row.dataset.agency)"))
    assert not first_page & second_page
    expect(page.get_by_test_id("status-chips").get_by_role("link", name="Chưa nhập: 57")).to_have_attribute(
        "aria-current", "true")
    expect(page.get_by_test_id("board-range")).to_have_text("Đơn vị 51–57 trong 57 · trang 2/2")
    expect(page.get_by_test_id("board-pager").get_by_role("link", name="← Trang trước (1/2)")).to_be_visible()
    assert document_width(page) <= viewport["width"]
    screenshot(page, f"board-page-2-{viewport['width']}")

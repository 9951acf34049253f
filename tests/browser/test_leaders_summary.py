"""A leader opens the dashboard on a phone and on a desktop and, within four screens, reads where the plan's
targets stand (in colour and in words), who is late, and what moved; then prints the one-page summary."""

import pypdfium2
import pytest
from playwright.sync_api import expect

from reporting.choices import Role
from reporting.figures.targets import Standing

from .. import conftest
from .conftest import ARTIFACTS, log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
# The border colour of a target's card, by standing (static/css/dashboard.css).
COLOURS = {Standing.BEHIND: "rgb(164, 0, 0)", Standing.AT_RISK: "rgb(154, 82, 0)",
           Standing.ON_TRACK: "rgb(31, 95, 168)", Standing.REACHED: "rgb(45, 106, 45)",
           Standing.NO_DATA: "rgb(91, 107, 124)"}
ANSWERS = ("targets-summary", "late-units", "movers")


def bottom(page, test_id):
    box = page.get_by_test_id(test_id).bounding_box()
    return box["y"] + box["height"]


def assert_the_three_answers_within_four_screens(page, height):
    for answer in ANSWERS:
        expect(page.get_by_test_id(answer)).to_be_visible()
        assert bottom(page, answer) < 4 * height, answer
    assert page.get_by_test_id("late-list").bounding_box()["y"] < 4 * height


def assert_targets_show_their_standing_in_colour_and_words(page):
    cards = page.locator("[data-testid^='target-card-']")
    assert cards.count() >= 1
    for index in range(cards.count()):
        card = cards.nth(index)
        standing = card.get_attribute("data-standing")
        assert card.evaluate("card => getComputedStyle(card).borderLeftColor") == COLOURS[standing]
        badge = card.get_by_test_id("standing")
        expect(badge).to_have_text(Standing(standing).label)                  # the words, not colour alone
        assert badge.evaluate("badge => getComputedStyle(badge).backgroundColor") != "rgba(0, 0, 0, 0)"
    expect(page.get_by_test_id("target-card-4")).to_contain_text("điểm %")     # target, actual and gap


def assert_axes_start_at_zero(page):
    for chart in page.locator("svg.spark, svg.chart").all():
        assert chart.get_attribute("data-axis-min") == "0"
    for chart in page.locator("svg.chart").all():
        low = chart.locator("text.tick").nth(1).text_content()
        assert low in ("0", "0%"), low


def test_on_a_phone_the_three_answers_come_first_and_the_page_is_about_four_screens(page, generated_city):
    page.set_viewport_size(PHONE)
    log_in(page, conftest.make_user("lanh_dao", Role.LEADER))
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("tháng 4/2024")
    assert_the_three_answers_within_four_screens(page, PHONE["height"])
    assert_targets_show_their_standing_in_colour_and_words(page)
    expect(page.get_by_test_id("late-count")).to_have_text("4")                # one ward missing, three late
    expect(page.get_by_test_id("late-list")).to_contain_text("Phường thử nghiệm 2")
    expect(page.get_by_test_id("move").first).to_contain_text("(3/2024 → 4/2024)")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * PHONE["height"], f"{height / PHONE['height']:.1f} screens"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "leaders-summary-phone")

    # The rest is folded: a tap opens it, with the reasons the targets are not measured.
    page.get_by_text("chỉ tiêu chưa đo được — vì sao").click()
    expect(page.get_by_test_id("unmeasured-3")).to_contain_text("KCB_FACILITIES_RATE")
    page.get_by_test_id("kpis").locator("> summary").click()
    assert_axes_start_at_zero(page)
    late = page.get_by_test_id("late-unit").first
    late.click()
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text("Toàn thành phố ›")


def test_on_a_desktop_the_answers_sit_side_by_side_and_the_tables_sort(page, generated_city):
    page.set_viewport_size(DESKTOP)
    log_in(page, conftest.make_user("lanh_dao", Role.LEADER))
    assert_the_three_answers_within_four_screens(page, DESKTOP["height"])
    assert all(bottom(page, answer) < DESKTOP["height"] for answer in ANSWERS)     # the first screen, in fact
    assert_targets_show_their_standing_in_colour_and_words(page)
    assert_axes_start_at_zero(page)
    expect(page.get_by_test_id("units-grid")).to_be_visible()                  # opened on a wide screen
    expect(page.get_by_test_id("grid-legend")).to_contain_text("Thiếu")
    missing = page.get_by_test_id("units-grid").locator("td.grid-missing").first
    expect(missing).to_have_text("T1")
    assert missing.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(249, 214, 213)"

    table = page.get_by_test_id("units-table")
    first_rows = table.locator("tbody tr td:first-child")
    assert first_rows.first.text_content().strip() == "Huyện Cần Giờ"        # the district of the missing ward
    header = table.locator("th", has=page.get_by_role("button", name="Đơn vị"))
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = [name.strip() for name in first_rows.all_text_contents()]
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert [name.strip() for name in first_rows.all_text_contents()] == ascending[::-1]
    assert ascending[0].startswith("Ban") or ascending[0] < ascending[-1]
    screenshot(page, "leaders-summary-desktop")


def test_the_steering_committees_summary_prints_on_one_a4_page(page, generated_city):
    log_in(page, conftest.make_user("lanh_dao", Role.LEADER))
    page.get_by_test_id("dashboard-print").click()
    expect(page.get_by_test_id("print-summary")).to_contain_text("TÓM TẮT PHỤC VỤ HỌP BAN CHỈ ĐẠO")
    expect(page.get_by_role("button", name="In trang này")).to_be_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)                         # A4 in points
    screenshot(page, "leaders-summary-print")
    document[0].render(scale=1.5).to_pil().save(ARTIFACTS / "leaders-summary-print-pdf.png")   # the sheet itself

"""A leader opens the dashboard, drills down from the city to a district to a ward, and reads its submission."""

import pytest
from playwright.sync_api import expect

from reporting.choices import Role
from reporting.models import Agency

from .. import conftest
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_leader_drills_down_from_the_city_to_a_wards_submission(page, generated_city):
    leader = conftest.make_user("lanh_dao", Role.LEADER)
    ward = Agency.objects.select_related("parent").get(code="BENCH-P001")
    log_in(page, leader)
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("tháng 4/2024")
    expect(page.get_by_test_id("missing-count")).to_have_text("1")
    page.get_by_text("Danh sách 1 đơn vị chưa nộp").click()
    expect(page.get_by_test_id("missing-units")).to_contain_text("Phường thử nghiệm 2")
    expect(page.get_by_test_id("kpi").first).to_contain_text("%")
    expect(page.get_by_test_id("target-4")).to_contain_text("điểm %")
    expect(page.locator("svg.chart").first).to_be_visible()
    screenshot(page, "dashboard-city")

    page.get_by_test_id("units").get_by_role("link", name=ward.parent.name, exact=True).click()
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text(f"Toàn thành phố › {ward.parent.name}")
    screenshot(page, "dashboard-district")

    page.get_by_test_id("units").get_by_role("link", name=ward.name, exact=True).click()
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text(f"› {ward.parent.name} › {ward.name}")
    expect(page.get_by_test_id("unit-row")).to_have_count(1)
    screenshot(page, "dashboard-ward")

    page.get_by_test_id("open-submission").click()
    page.wait_for_url(f"**/bao-cao/2024/4/don-vi/{ward.pk}/")
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)     # read-only for a leader
    expect(page.get_by_role("button", name="Duyệt báo cáo")).to_have_count(0)
    screenshot(page, "dashboard-ward-submission")


def test_on_a_phone_the_dashboard_fits_the_screen_and_its_tables_scroll_in_their_own_box(page, generated_city):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, conftest.make_user("lanh_dao", Role.LEADER))
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("tháng 4/2024")
    page.locator("details.section > summary").evaluate_all("parts => parts.forEach(part => part.click())")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == 390
    chart = page.locator("svg.chart").first.bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 390
    table = page.get_by_test_id("targets").locator(".table-scroll")
    assert table.evaluate("box => box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX == 'auto'")
    screenshot(page, "dashboard-phone")

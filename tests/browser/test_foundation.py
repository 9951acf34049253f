"""What each role sees in a real browser: own scope only, and the Vietnamese admin for PC06."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_ward_officer_sees_only_own_ward_and_cannot_reach_another_by_url(page, city, people):
    log_in(page, people["ward_officer"])
    expect(page.get_by_test_id("current-user")).to_contain_text("Cán bộ nhập liệu")
    # Units land on their own unit's current month; this ward was dissolved on 30/6/2025, so it is told so.
    expect(page.get_by_test_id("entry-status")).to_contain_text("Phường Bến Nghé")
    expect(page.get_by_test_id("not-reporting")).to_contain_text("đã kết thúc hoạt động từ ngày 01/07/2025")

    page.get_by_role("link", name="Đơn vị", exact=True).click()
    table = page.get_by_test_id("agency-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Phường Bến Nghé")
    expect(table).not_to_contain_text("Phường Bến Thành")
    screenshot(page, "ward-officer-agencies")

    # Editing the URL to a sibling ward's id must not even reveal that the ward exists.
    response = page.goto(f"/don-vi/{city['ben_thanh'].pk}/")
    assert response.status == 404
    expect(page.get_by_test_id("error-page")).to_contain_text("Không tìm thấy trang")
    expect(page.locator("body")).not_to_contain_text("Bến Thành")
    expect(page.get_by_role("link", name="Quản trị danh mục")).to_have_count(0)


def test_district_officer_reads_its_wards_but_cannot_edit_them(page, city, people):
    log_in(page, people["district_officer"])
    page.goto("/don-vi/?loai=ward")
    table = page.get_by_test_id("agency-table")
    expect(table).to_contain_text("Phường Bến Nghé")
    expect(table).to_contain_text("Phường Bến Thành")
    expect(table).not_to_contain_text("Võ Thị Sáu")

    response = page.goto(f"/don-vi/{city['ben_nghe'].pk}/sua/")
    assert response.status == 403
    expect(page.get_by_test_id("error-page")).to_contain_text("không có quyền")


def test_compiler_edits_a_catalog_in_the_vietnamese_admin(page, catalogs, city, people):
    log_in(page, people["compiler"])
    page.get_by_role("navigation").get_by_role("link", name="Quản trị danh mục").click()
    expect(page).to_have_title(re.compile("Đề án 06"))
    expect(page.locator("#content")).to_contain_text("Dịch vụ công")
    screenshot(page, "compiler-admin-index")

    page.goto("/quan-tri/indicators/service/?q=DVC01")
    page.locator("#result_list tbody a").first.click()
    name = page.get_by_label("Tên")
    name.fill(name.input_value() + " (đã rà soát)")
    page.get_by_role("button", name="Lưu lại", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")
    screenshot(page, "compiler-service-saved")

    from indicators.models import Service

    assert Service.objects.get(code="DVC01").name.endswith("(đã rà soát)")

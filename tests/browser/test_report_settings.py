"""A city whose report settings are empty is told what to set, and prints no other city's text until it does."""

import pytest
from playwright.sync_api import expect

from reporting.models import ReportVersion

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

def test_pc06_of_a_new_city_sets_the_header_from_the_notice_then_issues(page, city, month, people, month_outline):
    log_in(page, people["compiler"])
    page.goto("/bao-cao-tong-hop/2024/4/")
    notice = page.get_by_test_id("settings-missing")
    expect(notice).to_contain_text("cơ quan ban hành")
    expect(notice).to_contain_text("dưới chữ ký")
    expect(page.get_by_test_id("report-preview")).not_to_contain_text("Hồ Chí Minh")
    page.get_by_role("button", name="Hoàn tất để trình ký").click()
    expect(page.locator(".messages")).to_contain_text("Chưa hoàn tất được: cài đặt báo cáo còn thiếu")
    assert not ReportVersion.objects.exists()

    page.get_by_test_id("settings-missing").get_by_role("link", name="Quản trị › Cài đặt báo cáo").click()
    page.get_by_label("Cơ quan ban hành").fill("ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM\nBAN CHỈ ĐẠO ĐỀ ÁN 06")
    page.get_by_label("Địa danh").fill("Thử Nghiệm")
    page.get_by_label("Trích yếu (trước").fill("Kết quả thực hiện Đề án 06 trên địa bàn tỉnh")
    page.get_by_label("Cơ quan báo cáo").fill("Ban Chỉ đạo Đề án 06 tỉnh")
    page.get_by_label("Địa bàn").fill("trên địa bàn tỉnh")
    page.get_by_label("Trên chữ ký").fill("TM. BAN CHỈ ĐẠO\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN")
    page.get_by_label("Dưới chữ ký").fill("Nguyễn Thị B")
    page.get_by_role("button", name="Lưu lại", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")

    page.goto("/bao-cao-tong-hop/2024/4/")
    expect(page.get_by_test_id("settings-missing")).to_have_count(0)
    preview = page.get_by_test_id("report-preview")
    expect(preview).to_contain_text("TỈNH THỬ NGHIỆM")
    expect(preview).to_contain_text("PHÓ TRƯỞNG BAN")
    page.get_by_role("button", name="Hoàn tất để trình ký").click()
    expect(page.locator(".messages")).to_contain_text("Đã hoàn tất nội dung báo cáo")
    screenshot(page, "report-settings-set")
    assert "Hồ Chí Minh" not in str(ReportVersion.objects.get().document)

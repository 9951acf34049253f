"""Today's city as its users meet it: a dissolved ward's officer, a past month from the list, a reopened report."""

import datetime

import pytest
from playwright.sync_api import expect

from reporting.choices import AgencyKind
from reporting.models import Agency, Share, Succession

from ..submissions.helpers import april_reported
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


@pytest.fixture
def saigon(city):
    ward = Agency.objects.create(code="XA26740", name="Phường Sài Gòn", kind=AgencyKind.WARD, parent=city["root"],
                                 valid_from=datetime.date(2025, 7, 1))
    Succession.objects.create(successor=ward, predecessor=city["ben_nghe"], share=Share.WHOLE)
    return ward


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_officer_of_an_abolished_ward_is_told_where_to_report_and_reaches_a_past_month(page, city, people, month,
                                                                                           saigon, viewport):
    page.set_viewport_size(viewport)
    log_in(page, people["ward_officer"])      # lands on the current month: December 2026
    notice = page.get_by_test_id("not-reporting")
    expect(notice).to_contain_text("Phường Bến Nghé đã kết thúc hoạt động từ ngày 01/07/2025")
    expect(notice).to_contain_text("Địa bàn của đơn vị nay do Phường Sài Gòn báo cáo")
    expect(page.locator("#entry-form")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"abolished-ward-{viewport['width']}")

    page.get_by_role("link", name="Các tháng báo cáo").click()
    page.get_by_role("link", name="Mở tháng 4/2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo Tháng 4/2024 · Phường Bến Nghé")
    expect(page.locator("#entry-form")).to_be_visible()
    page.get_by_role("link", name="← Tháng 3/2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo Tháng 3/2024 · Phường Bến Nghé")


def test_pc06_moves_the_accounts_and_the_officer_then_reports_for_the_new_ward(page, city, people, month, saigon):
    log_in(page, people["compiler"])
    page.goto(f"/don-vi/{city['ben_nghe'].pk}/")
    expect(page.get_by_test_id("succession")).to_contain_text("Phường Sài Gòn")
    page.get_by_label("Chuyển tất cả tài khoản đang hoạt động của đơn vị sang").select_option(label="Phường Sài Gòn")
    page.get_by_role("button", name="Chuyển tài khoản").click()
    expect(page.locator(".messages")).to_contain_text("Đã chuyển 2 tài khoản của Phường Bến Nghé sang Phường Sài Gòn.")
    log_out(page)
    log_in(page, people["ward_officer"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo Tháng 12/2026 · Phường Sài Gòn")
    expect(page.locator("#entry-form")).to_be_visible()


def test_a_reopened_on_time_report_resubmitted_late_still_counts_on_time(page, city, people, month):
    april_reported(city, month, people)     # Bến Nghé submitted on 15/04/2024 and was approved
    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    page.locator('tr[data-agency="Q01-BNG"]').get_by_role("link", name="Mở báo cáo").click()
    page.get_by_label("Lý do mở lại").fill("Sở Tư pháp đề nghị điều chỉnh số khai sinh.")
    page.get_by_role("button", name="Mở lại báo cáo đã duyệt").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Bị trả lại")
    log_out(page)

    log_in(page, people["ward_officer"])
    page.get_by_role("link", name="Các tháng báo cáo").click()
    page.get_by_role("link", name="Mở tháng 4/2024").click()
    page.locator('[name="dvc.DVC24.count"]').fill("36")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã nộp báo cáo Tháng 4/2024")
    expect(page.locator(".messages")).not_to_contain_text("muộn")
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã nộp đúng hạn")
    log_out(page)

    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    row = page.locator('tr[data-agency="Q01-BNG"]')
    expect(row).to_contain_text("Đã nộp đúng hạn")
    expect(row.get_by_test_id("submitted-times")).to_contain_text("08:00 15/04/2024")
    expect(row.get_by_test_id("submitted-times")).to_contain_text("nộp lại")
    log_out(page)

    log_in(page, people["leader"])
    page.goto("/dieu-hanh/2024/4/")
    expect(page.get_by_test_id("on-time")).to_have_text("1")   # Bến Nghé; Quận 1 was late
    expect(page.get_by_test_id("late")).to_have_text("1")

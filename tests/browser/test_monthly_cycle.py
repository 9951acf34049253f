"""The month as people live it: a ward fills and submits, PC06 returns, the ward fixes, PC06 approves."""

import pytest
from playwright.sync_api import expect

from reporting.choices import SubmissionStatus
from reporting.models import DataValue, Submission

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


def fill(page, key, value):
    page.locator(f'[name="{key}"]').fill(value)


def test_ward_submits_pc06_returns_ward_fixes_pc06_approves(page, city, people, month):
    entry_path = f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/"
    log_in(page, people["ward_officer"])
    page.goto(entry_path)
    expect(page.get_by_test_id("submission-status")).to_have_text("Chưa nhập")

    fill(page, "dvc.DVC22.received", "1.250")
    fill(page, "dvc.DVC22.online", "1.100")
    expect(page.get_by_test_id("ratio-DVC22")).to_have_text("88%")  # computed as they type
    fill(page, "dvc.DVC22.resolved", "1.200")
    fill(page, "dvc.DVC22.on_time", "1.300")  # more on time than resolved: refused
    fill(page, "dvc.DVC24.count", "35")
    fill(page, "ind.EID_ACTIVATED", "7.856.474")
    fill(page, "ind.NEWS_PRESS", "12")
    page.locator('[name="mh.MH02.status"]').select_option(label="Đang triển khai")
    page.locator(f'[name="nv.{month["task"].pk}.status"]').select_option(label="Đã hoàn thành")
    page.locator('[name="note.difficulties"]').fill("Thiếu máy quét CCCD ở bộ phận một cửa.")
    page.get_by_role("button", name="Nộp báo cáo").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator("td.has-error")).to_contain_text("Không được lớn hơn số đã giải quyết (1.200).")
    expect(page.locator('[name="ind.EID_ACTIVATED"]')).to_have_value("7.856.474")  # typed values kept
    fill(page, "dvc.DVC22.on_time", "1.180")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã nộp báo cáo Tháng 4/2024")
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã nộp muộn")
    screenshot(page, "entry-submitted")
    log_out(page)

    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    expect(page.get_by_test_id("completeness")).to_have_text("14,29%")  # 1 of 7 expected units
    screenshot(page, "review-board")
    page.locator('tr[data-agency="Q01-BNG"]').get_by_role("link", name="Mở báo cáo").click()
    page.get_by_label("Nội dung cần đơn vị sửa").fill("Số kết hôn chưa khớp sổ hộ tịch, đề nghị kiểm tra.")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    # It was the only report awaiting review: PC06 is back on the board (reporting/submissions/queue.py).
    expect(page.locator(".messages")).to_contain_text("Đã xử lý hết báo cáo chờ duyệt")
    expect(page.locator('tr[data-agency="Q01-BNG"]')).to_contain_text("Bị trả lại")
    log_out(page)

    log_in(page, people["ward_officer"])
    page.goto(entry_path)
    expect(page.get_by_test_id("review-comment")).to_contain_text("Số kết hôn chưa khớp sổ hộ tịch")
    fill(page, "dvc.DVC24.count", "36")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã nộp muộn")
    log_out(page)

    log_in(page, people["compiler"])
    page.goto(entry_path)
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã xử lý hết báo cáo chờ duyệt")
    page.locator('tr[data-agency="Q01-BNG"]').get_by_role("link", name="Mở báo cáo").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã duyệt")
    expect(page.get_by_test_id("read-only")).to_contain_text("đã được duyệt")
    screenshot(page, "entry-approved")

    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_test_id("value-history")).to_contain_text("Đăng ký kết hôn · Số lượng")
    expect(page.get_by_test_id("status-history").locator("tbody tr")).to_have_count(4)

    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.APPROVED
    assert DataValue.objects.get(key="dvc.DVC24.count").number == 36

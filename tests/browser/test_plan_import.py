"""PC06 loads the 2024 plan from its appendix, reads the unmatched unit names, confirms, and follows it on the board."""

import pytest
from playwright.sync_api import expect

from reporting.catalog.loading import load_agencies

from ..indicators.helpers import HEADER, appendix_workbook
from .conftest import ARTIFACTS, log_in, screenshot

pytestmark = pytest.mark.browser


def test_pc06_loads_the_plan_from_excel_and_opens_its_board(page, people):
    load_agencies()
    workbook = appendix_workbook()
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "phu-luc-1302.xlsx"
    path.write_bytes(workbook.read())
    log_in(page, people["compiler"])
    page.goto("/ke-hoach/")
    page.get_by_test_id("plan-upload-link").click()
    page.get_by_label("Số kế hoạch").fill(HEADER["number"])
    page.get_by_label("Năm").fill(str(HEADER["year"]))
    page.get_by_label("Trích yếu").fill(HEADER["title"])
    page.get_by_label("Tệp Excel phụ lục nhiệm vụ (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_test_id("plan-summary")).to_contain_text("47 nhiệm vụ trong 7 nhóm")
    expect(page.get_by_test_id("unmatched-names")).to_be_visible()
    screenshot(page, "plan-import-preview")
    page.get_by_role("button", name="Xác nhận nạp kế hoạch").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo Kế hoạch 1302/KH-UBND: 7 nhóm, 47 nhiệm vụ.")
    page.get_by_test_id("plan-board-link").click()
    expect(page.get_by_test_id("plan-board-title")).to_contain_text("Tiến độ Kế hoạch 1302/KH-UBND · Tháng 12/2024")
    expect(page.get_by_test_id("task-table").locator("tr.overdue").first).to_be_visible()
    screenshot(page, "plan-board")

"""PC06 opens a quarter's report from the month's page, rewrites a section, has it signed and issues it, with the
page's own forms.

Its forms once posted "?tu=2.024-01" (the year went through the thousands
separator) and got a 404 while every test that posted a hand-built URL passed.
"""

import pytest
from playwright.sync_api import expect

from reporting.models import ReportVersion
from reporting.periods import default_schedule

from ..report.helpers import BLOCK_SIGNER, pdf_text, report, service_cells
from .conftest import log_in, open_narrative, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
DIFFICULTIES = "Quý I: cần bổ sung máy quét tại bộ phận một cửa."


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pc06_issues_a_quarter_from_its_own_page(page, people, catalogs, keys, viewport):
    compiler = people["compiler"]
    compiler.records_office = True       # PC06's văn thư here: it finalises, has it signed and issues it
    compiler.save(update_fields=["records_office"])
    for month in (1, 2, 3):
        report("CATP", default_schedule().period_for(2024, month), service_cells(), compiler=compiler)
    page.set_viewport_size(viewport)
    log_in(page, compiler)
    page.goto("/bao-cao-tong-hop/2024/3/")

    page.get_by_label("Báo cáo nhiều tháng").fill("2024-01")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_have_text("Báo cáo tổng hợp tháng 1/2024 – tháng 3/2024")
    expect(page.get_by_label("Báo cáo nhiều tháng")).to_have_value("2024-01")
    page.get_by_role("button", name="Xem").click()      # the page's own value, posted back unchanged
    expect(page.locator("h1")).to_have_text("Báo cáo tổng hợp tháng 1/2024 – tháng 3/2024")

    open_narrative(page, "note.difficulties", "Khó khăn, vướng mắc")
    page.get_by_test_id("narrative-note.difficulties").fill(DIFFICULTIES)
    page.locator("details[open]").get_by_role("button", name="Lưu nội dung mục này").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nội dung mục này.")
    expect(page.locator("h1")).to_have_text("Báo cáo tổng hợp tháng 1/2024 – tháng 3/2024")
    expect(page.get_by_test_id("report-preview")).to_contain_text(DIFFICULTIES)

    page.get_by_role("button", name="Hoàn tất để trình ký").click()
    expect(page.locator(".messages")).to_contain_text("Đã hoàn tất nội dung báo cáo")
    expect(page.get_by_test_id("report-versions")).to_contain_text("Chưa có số")
    page.get_by_role("button", name="Ký số (thiết bị ký số)").click()
    expect(page.locator(".messages")).to_contain_text(f"{BLOCK_SIGNER} đã ký số báo cáo")
    expect(page.locator("h1")).to_have_text("Báo cáo tổng hợp tháng 1/2024 – tháng 3/2024")
    page.get_by_label("Số văn bản").fill("88")
    page.get_by_role("button", name="Cấp số và ban hành").click()
    expect(page.locator(".messages")).to_contain_text("Đã ban hành báo cáo số 88")
    expect(page.get_by_test_id("report-versions")).to_contain_text("Số 88/BC-BCĐ")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF đã ban hành").click()
    assert "Số: 88/BC-BCĐ" in pdf_text(download.value.path().read_bytes())
    screenshot(page, f"range-report-issued-{viewport['width']}")

    version = ReportVersion.objects.get()
    assert (version.first_period.year, version.first_period.month) == (2024, 1)
    assert (version.period.year, version.period.month) == (2024, 3)

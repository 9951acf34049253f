"""PC06 reshapes the report from its own page: renames a section, adds a figure sentence, reorders, and reads the draft.

Every step is the page's own link or button, and every check is what the
draft beside the tree prints: the outline is data, so the only proof that an
edit took is the report it composes.
"""

import re

import pytest
from playwright.sync_api import expect

from reporting.periods import default_schedule

from ..report.helpers import report, service_cells
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
RENAMED = "Công tác thông tin, tuyên truyền"
SENTENCE = "Hồ sơ {name} nộp trực tuyến: **{online}** hồ sơ"


def row(page, text):
    """The tree's row of the item whose text is exactly ``text``."""
    return page.get_by_test_id("outline-item").filter(
        has=page.locator(".pattern", has_text=re.compile(rf"^{re.escape(text)}$")))


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pc06_edits_the_outline_and_reads_each_change_in_the_draft(page, people, catalogs, viewport):
    compiler = people["compiler"]
    report("CATP", default_schedule().period_for(2024, 4), service_cells(), compiler=compiler)
    page.set_viewport_size(viewport)
    log_in(page, compiler)
    page.goto("/bao-cao-tong-hop/2024/4/")
    page.get_by_role("link", name="Sửa đề cương").click()

    expect(page.locator("h1")).to_have_text("Đề cương báo cáo tổng hợp")
    preview = page.get_by_test_id("report-preview")
    expect(page.get_by_label("Xem trước tháng")).to_have_value("2024-04")
    expect(preview).to_contain_text("7. Công tác tuyên truyền")
    assert_no_sideways_scroll(page)

    # Rename a heading.
    row(page, "Công tác tuyên truyền").get_by_role("link", name="Sửa", exact=True).click()
    page.get_by_label("Nội dung", exact=True).fill(RENAMED)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu mục")
    expect(preview).to_contain_text(f"7. {RENAMED}")
    expect(preview).not_to_contain_text("Công tác tuyên truyền")

    # Add a figure sentence under it: first with a placeholder it cannot fill, then with the service's measure.
    row(page, RENAMED).get_by_role("link", name="Thêm mục con").click()
    expect(page.get_by_label("Loại", exact=True)).to_be_visible()     # the new item's page, loaded
    assert_no_sideways_scroll(page)
    page.get_by_label("Loại", exact=True).select_option(label="Câu số liệu")
    page.get_by_label("Đánh số").select_option(label="Gạch đầu dòng (-)")
    page.get_by_label("Dịch vụ công", exact=True).select_option(label="DVC01 — Đăng ký thường trú")
    page.get_by_label("Nội dung", exact=True).fill("Hồ sơ {name}: **{khong_co}**")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_test_id("errors-text")).to_contain_text("Mục này không có chỗ điền {khong_co}")
    expect(page.get_by_label("Nội dung", exact=True)).to_have_value("Hồ sơ {name}: **{khong_co}**")
    expect(page.get_by_test_id("placeholders")).to_contain_text("{online}")
    assert_no_sideways_scroll(page)
    screenshot(page, f"outline-item-refused-{viewport['width']}")
    page.get_by_label("Nội dung", exact=True).fill(SENTENCE)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu mục")
    expect(preview).to_contain_text("- Hồ sơ Đăng ký thường trú nộp trực tuyến: 3.600 hồ sơ")
    expect(preview.locator("strong", has_text="3.600").first).to_be_visible()

    # Move the renamed heading up one place: the draft renumbers it.
    row(page, RENAMED).get_by_role("button", name="Lên").click()
    expect(preview).to_contain_text(f"6. {RENAMED}")
    expect(preview).to_contain_text("7. Về kết nối, chia sẻ dữ liệu")
    assert_no_sideways_scroll(page)
    screenshot(page, f"outline-editor-{viewport['width']}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pc06_renames_a_unit_report_heading_and_reads_it_in_the_units_preview(page, people, catalogs, viewport):
    compiler = people["compiler"]
    strengths = "Tiếp nhận hồ sơ trực tuyến ổn định."
    report("STP", default_schedule().period_for(2024, 4), {"note.strengths": strengths}, approve=False,
           compiler=compiler)
    page.set_viewport_size(viewport)
    log_in(page, compiler)
    page.goto("/bao-cao-tong-hop/2024/4/")
    page.get_by_role("link", name="Sửa đề cương").click()

    expect(page.get_by_test_id("outline-unit")).to_contain_text("Báo cáo tháng của đơn vị")
    page.get_by_label("Loại báo cáo").select_option(label="Báo cáo tháng của một đơn vị")
    page.get_by_role("button", name="Xem", exact=True).click()
    # The unit that reported this month comes first; any other of the month's units can be chosen.
    expect(page.get_by_label("Đơn vị", exact=True)).to_have_value(str(people["dept_officer"].agency_id))
    preview = page.get_by_test_id("report-preview")
    expect(page.locator("#ban-xem-truoc h2")).to_have_text("Bản xem trước: báo cáo tháng 4/2024 của Sở Tư pháp")
    expect(preview).to_contain_text("SỞ TƯ PHÁP")
    expect(preview).to_contain_text(strengths)
    assert_no_sideways_scroll(page)

    row(page, "Ưu điểm:").get_by_role("link", name="Sửa", exact=True).click()
    expect(page.get_by_test_id("report-preview")).to_contain_text("SỞ TƯ PHÁP")      # the item's page previews it too
    page.get_by_label("Nội dung", exact=True).fill("Ưu điểm nổi bật trong tháng:")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu mục")
    expect(page.get_by_label("Đơn vị", exact=True)).to_have_value(str(people["dept_officer"].agency_id))
    expect(preview).to_contain_text("Ưu điểm nổi bật trong tháng:")
    expect(preview).to_contain_text(strengths)
    assert_no_sideways_scroll(page)
    screenshot(page, f"outline-editor-unit-{viewport['width']}")

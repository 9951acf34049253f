"""A ward's officer fills the month on a phone: nothing scrolls sideways, every box says what it is, errors are found.

On a desktop the same page keeps its grid under the measures' headers. Typing is not lost by leaving the page
unwarned, and the irreversible submission is confirmed first.
"""

import pytest
from playwright.sync_api import expect

from reporting.choices import SubmissionStatus
from reporting.models import Submission

from .conftest import accept_dialog, log_in, screenshot

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
BIRTH, MARRIAGE = "Đăng ký khai sinh", "Đăng ký kết hôn"
EID, NEWS = "Tài khoản định danh điện tử đã kích hoạt", "Tin đăng trên báo"
DIFFICULTIES = "IV. Khó khăn, vướng mắc và đề xuất, kiến nghị"
MEASURES = [
    ("Tiếp nhận", "Tổng số hồ sơ tiếp nhận trong kỳ, gồm cả trực tuyến và trực tiếp."),
    ("Trực tuyến", "Số hồ sơ tiếp nhận trực tuyến (qua Cổng Dịch vụ công) trong kỳ; là một phần của số tiếp nhận."),
    ("Đã giải quyết", "Số hồ sơ đã giải quyết xong trong kỳ, đúng hạn và quá hạn."),
    ("Đúng hạn", "Số hồ sơ đã giải quyết đúng hạn trong kỳ; là một phần của số đã giải quyết."),
    ("Số lượng", "Số hồ sơ (hoặc trường hợp) trong kỳ, khi dịch vụ chỉ báo cáo một số lượng."),
]
LONG_JUNK = "Sốliệuchưacó-đơnvịđangtổnghợplạitừsổhộtịchđiệntửcủaphường-" * 3


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page, viewport):
    width = document_width(page)
    assert width <= viewport["width"], f"the document is {width} px wide on a {viewport['width']} px screen"


def broken_references(page):
    """Every aria-describedby id that names no element of the page."""
    return page.evaluate("""() => [...document.querySelectorAll("[aria-describedby]")].flatMap(element =>
        element.getAttribute("aria-describedby").split(/\\s+/).filter(id => id && !document.getElementById(id))
            .map(id => element.name + " → " + id))""")


def wait_until(page, condition, seconds=5):
    """A dialog is answered in Python while the page runs on: wait for the answer to be recorded."""
    for _ in range(seconds * 10):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("no dialog appeared")


def open_april(page, officer):
    """From the officer's landing page (the ward was dissolved since) to its April 2024, by the page's links."""
    log_in(page, officer)
    page.get_by_role("link", name="Các tháng báo cáo").click()
    page.get_by_role("link", name="Mở tháng 4/2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo Tháng 4/2024 · Phường Bến Nghé")


def fill_month(page, month, on_time):
    page.get_by_label(f"{BIRTH} — Tiếp nhận", exact=True).fill("1.250")
    page.get_by_label(f"{BIRTH} — Trực tuyến", exact=True).fill("1.100")
    expect(page.get_by_test_id("ratio-DVC22")).to_have_text("88%")
    page.get_by_label(f"{BIRTH} — Đã giải quyết", exact=True).fill("1.200")
    page.get_by_label(f"{BIRTH} — Đúng hạn", exact=True).fill(on_time)
    page.get_by_label(f"{MARRIAGE} — Số lượng", exact=True).fill("35")
    page.get_by_label(EID, exact=True).fill("7.856.474")
    page.get_by_label(NEWS, exact=True).fill("12")
    page.get_by_label("Mô hình công dân số — Tình trạng", exact=True).select_option(label="Đang triển khai")
    page.get_by_label(f"Nhiệm vụ 30: {month['task'].content} — Tình trạng").select_option(label="Đã hoàn thành")


def test_an_officer_fills_the_month_on_a_phone_without_ever_scrolling_sideways(page, city, people, month):
    page.set_viewport_size(PHONE)
    open_april(page, people["ward_officer"])
    assert_fits(page, PHONE)

    # The menu is one button, not the first screen; it opens and closes.
    menu = page.get_by_role("navigation", name="Menu chính")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link")).to_have_text([                                # what an officer can use
        "Báo cáo tháng", "Các tháng của đơn vị", "Tổng hợp", "Đơn vị", "Kế hoạch", "Xác minh chữ ký số"])
    assert_fits(page, PHONE)
    page.get_by_role("button", name="Menu").click()
    expect(menu).to_be_hidden()

    # The rules first; each service a card whose boxes carry their measure's name; the measures defined.
    expect(page.get_by_test_id("entry-rules")).to_contain_text("7.856.474")
    expect(page.locator("table.entry thead").first).to_be_hidden()
    expect(page.locator('label[for="id_dvc.DVC22.on_time"]')).to_be_visible()
    expect(page.locator('label[for="id_dvc.DVC22.on_time"]')).to_have_text(f"{BIRTH} — Đúng hạn")
    definitions = page.get_by_test_id("definitions")
    expect(definitions).to_be_visible()
    received_defined = definitions.locator("div", has=page.get_by_role("term").get_by_text("Tiếp nhận", exact=True))
    expect(received_defined.get_by_role("definition")).to_have_text(
        "Tổng số hồ sơ tiếp nhận trong kỳ, gồm cả trực tuyến và trực tiếp.")
    received = page.get_by_label(f"{BIRTH} — Tiếp nhận", exact=True)
    online = page.get_by_label(f"{BIRTH} — Trực tuyến", exact=True)
    assert received.bounding_box()["x"] + received.bounding_box()["width"] <= PHONE["width"]
    assert online.bounding_box()["x"] + online.bounding_box()["width"] <= PHONE["width"]

    # Only the sections the unit reports: the ward coordinates no task, so there is no such section.
    bar = page.get_by_role("navigation", name="Các phần của báo cáo")
    expect(bar.get_by_role("link")).to_have_text([
        "Dịch vụ công thiết yếu (2)", "Chỉ số hằng tháng (2)", "Mô hình điểm đơn vị chủ trì (1)",
        "Nhiệm vụ kế hoạch năm 2024 đơn vị chủ trì (1)", "Thuyết minh cho báo cáo (không bắt buộc)", "Lưu, nộp"])
    expect(page.locator("#phoi-hop")).to_have_count(0)

    # The narrative notes are optional and folded; each section is reached from the bar, which stays on top.
    notes = page.get_by_label(DIFFICULTIES)
    expect(notes).to_be_hidden()
    for link in bar.get_by_role("link").all():
        link.click()
        section = page.locator(link.get_attribute("href"))
        expect(section).to_be_in_viewport()
        stuck, top = bar.bounding_box(), section.bounding_box()["y"]
        assert 0 <= stuck["y"] < 10 and stuck["y"] + stuck["height"] <= top + 1, "the bar hides the section"
        assert_fits(page, PHONE)
    expect(notes).to_be_visible()          # the bar's link opened the folded part
    screenshot(page, "entry-phone-sections")

    fill_month(page, month, on_time="1.300")                     # more on time than resolved
    page.get_by_label(MARRIAGE + " — Số lượng", exact=True).fill(LONG_JUNK)  # and a long word that is no number
    notes.fill("Thiếu máy quét CCCD ở bộ phận một cửa.")
    assert_fits(page, PHONE)
    page.get_by_role("button", name="Lưu nháp").click()

    # The list of what to fix has the focus; each line leads to its box.
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([f"{BIRTH} — Đúng hạn", f"{MARRIAGE} — Số lượng"])
    expect(summary).to_contain_text("Không được lớn hơn số đã giải quyết (1.200).")
    assert_fits(page, PHONE)
    assert broken_references(page) == []
    on_time = page.get_by_label(f"{BIRTH} — Đúng hạn", exact=True)
    expect(on_time).to_have_attribute("aria-invalid", "true")
    expect(on_time).to_have_accessible_description("Không được lớn hơn số đã giải quyết (1.200).")
    expect(page.get_by_label(EID, exact=True)).to_have_value("7.856.474")     # typed values kept
    expect(notes).to_be_visible()                                             # what was typed stays unfolded
    screenshot(page, "entry-phone-errors")

    summary.get_by_role("link", name=f"{BIRTH} — Đúng hạn").click()
    expect(on_time).to_be_focused()
    on_time.fill("1.180")
    summary.get_by_role("link", name=f"{MARRIAGE} — Số lượng").click()
    page.get_by_label(f"{MARRIAGE} — Số lượng", exact=True).fill("35")
    page.get_by_role("button", name="Nộp báo cáo").click()          # confirmed (see the last test)
    expect(page.locator(".messages")).to_contain_text("Đã nộp báo cáo Tháng 4/2024")
    assert_fits(page, PHONE)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_on_a_desktop_the_page_keeps_its_grid_and_an_error_does_not_widen_it(page, city, people, month):
    page.set_viewport_size(DESKTOP)
    open_april(page, people["ward_officer"])
    assert_fits(page, DESKTOP)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()               # the menu is open on a desktop
    expect(page.get_by_role("navigation", name="Menu chính")).to_be_visible()

    # The first Tab offers to skip the header; taking it lands in the page's content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main > .main-content")).to_be_focused()
    headers = page.locator("table.entry.services thead th")
    expect(headers).to_have_count(7)
    expect(headers.first).to_have_text("Dịch vụ công")
    expect(headers.last).to_have_text("Tỷ lệ trực tuyến")
    for header, (label, definition) in zip(headers.all()[1:-1], MEASURES, strict=True):
        expect(header).to_be_visible()
        expect(header).to_contain_text(label)
        expect(header.locator(".measure-help")).to_have_text(definition)     # a line under each header
    expect(page.get_by_test_id("definitions")).to_be_hidden()      # the headers define the measures here
    # One line per service: its boxes side by side under their headers.
    boxes = [page.get_by_label(f"{BIRTH} — {measure}", exact=True)
             for measure in ("Tiếp nhận", "Trực tuyến", "Đúng hạn")]
    assert len({round(box.bounding_box()["y"]) for box in boxes}) == 1
    header = page.get_by_test_id("measure-on_time").bounding_box()
    box = boxes[-1].bounding_box()
    assert header["x"] <= box["x"] and box["x"] + box["width"] <= header["x"] + header["width"]

    fill_month(page, month, on_time="1.300")
    page.get_by_label(MARRIAGE + " — Số lượng", exact=True).fill(LONG_JUNK)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    assert_fits(page, DESKTOP)
    assert page.locator("table.entry.services").bounding_box()["width"] <= DESKTOP["width"]
    assert broken_references(page) == []
    screenshot(page, "entry-desktop-errors")


def test_leaving_with_unsaved_typing_warns_but_saving_does_not(page, city, people, month):
    page.set_viewport_size(PHONE)
    open_april(page, people["ward_officer"])
    page.remove_listener("dialog", accept_dialog)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()
    page.on("dialog", stay)

    page.get_by_role("link", name="Các tháng báo cáo").click()       # nothing typed: leaves unasked
    expect(page).to_have_url(f"/bao-cao/don-vi/{city['ben_nghe'].pk}/cac-thang/")
    page.go_back()
    field = page.get_by_label(f"{MARRIAGE} — Số lượng", exact=True)
    field.click()
    page.keyboard.type("35")
    page.get_by_role("link", name="Các tháng báo cáo").click()
    wait_until(page, lambda: dialogs)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo Tháng 4/2024 · Phường Bến Nghé")
    expect(field).to_have_value("35")                                 # stayed, the typing still there

    page.get_by_role("button", name="Lưu nháp").click()               # saving is not leaving
    expect(page.locator(".messages")).to_contain_text("Đã lưu nháp")
    page.get_by_role("link", name="Các tháng báo cáo").click()
    expect(page).to_have_url(f"/bao-cao/don-vi/{city['ben_nghe'].pk}/cac-thang/")
    assert dialogs == ["beforeunload"]


def test_submitting_asks_first_and_cancelling_keeps_the_month_unsubmitted(page, city, people, month):
    page.set_viewport_size(PHONE)
    open_april(page, people["ward_officer"])
    page.remove_listener("dialog", accept_dialog)
    asked = []

    def cancel(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()
    page.on("dialog", cancel)

    fill_month(page, month, on_time="1.180")
    page.get_by_role("button", name="Nộp báo cáo").click()
    wait_until(page, lambda: asked)
    assert [kind for kind, _ in asked] == ["confirm"]
    assert "PC06" in asked[0][1] and "khóa" in asked[0][1] and "Tháng 4/2024" in asked[0][1]
    expect(page.get_by_test_id("submission-status")).to_have_text("Chưa nhập")
    expect(page.get_by_label(EID, exact=True)).to_have_value("7.856.474")
    assert not Submission.objects.exists()

    page.remove_listener("dialog", cancel)
    page.on("dialog", accept_dialog)
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã nộp muộn")
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED

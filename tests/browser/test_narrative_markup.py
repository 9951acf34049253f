"""PC06 formats a narrative section with the editor's own buttons; the draft prints bold, italic and a footnote."""

import pytest
from playwright.sync_api import expect

from reporting.periods import default_schedule

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def select(area, words):
    """Select ``words`` in the textarea as a mouse drag would."""
    area.evaluate("(el, words) => { const at = el.value.indexOf(words); el.setSelectionRange(at, at + words.length); }",
                  words)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_pc06_makes_words_bold_and_adds_a_footnote_with_the_toolbar(page, people, catalogs, viewport):
    page.set_viewport_size(viewport)
    default_schedule().period_for(2024, 4)
    log_in(page, people["compiler"])
    page.goto("/bao-cao-tong-hop/2024/4/")
    section = page.locator("details", has=page.get_by_test_id("narrative-note.direction"))
    section.locator("summary").click()
    area = page.get_by_test_id("narrative-note.direction")
    area.fill("Sở Y tế trình mô hình Hồ sơ sức khỏe điện tử tại 408/409 cơ sở.")
    select(area, "408/409")
    section.get_by_role("button", name="Chữ đậm").click()
    select(area, "Hồ sơ sức khỏe điện tử")
    section.get_by_role("button", name="Chữ nghiêng").click()
    area.evaluate("el => el.setSelectionRange(el.value.indexOf(' cơ sở.') + 6, el.value.indexOf(' cơ sở.') + 6)")
    section.get_by_role("button", name="Chú thích cuối trang").click()
    area.press_sequentially("Tờ trình số 2922/TTr-SYT")
    expect(area).to_have_value("Sở Y tế trình mô hình *Hồ sơ sức khỏe điện tử* tại **408/409** cơ sở"
                               "[^Tờ trình số 2922/TTr-SYT].")
    section.get_by_role("button", name="Lưu nội dung mục này").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nội dung mục này.")

    preview = page.get_by_test_id("report-preview")
    expect(preview.locator("strong", has_text="408/409")).to_be_visible()
    expect(preview.locator("em", has_text="Hồ sơ sức khỏe điện tử")).to_be_visible()
    expect(preview).to_contain_text("Tờ trình số 2922/TTr-SYT")
    expect(preview).not_to_contain_text("**")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"narrative-markup-{viewport['width']}")

"""On a phone an officer marks a whole service "Không phát sinh", mistypes one box, saves a draft: the rest stays."""

import pytest
from playwright.sync_api import expect

from reporting.choices import CellMark
from reporting.models import DataValue

from .conftest import log_in, screenshot
from .test_entry_phone import BIRTH, EID, MARRIAGE, NEWS, PHONE, assert_fits, broken_references

pytestmark = pytest.mark.browser
BIRTH_MEASURES = ["Tiếp nhận", "Trực tuyến", "Đã giải quyết", "Đúng hạn"]


def test_an_officer_marks_a_service_and_keeps_the_good_cells_of_a_draft_with_a_mistake(page, city, people, month):
    page.set_viewport_size(PHONE)
    log_in(page, people["ward_officer"])
    page.goto(f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/")
    expect(page.get_by_test_id("entry-rules")).to_contain_text("Không phát sinh")

    # Something typed in a box, then the whole service marked: the boxes empty, grey and stay out of the post.
    received = page.get_by_label(f"{BIRTH} — Tiếp nhận", exact=True)
    received.fill("5")
    page.get_by_label(f"{BIRTH} — Cả dịch vụ trong tháng").select_option(label="Không phát sinh")
    for measure in BIRTH_MEASURES:
        expect(page.get_by_label(f"{BIRTH} — {measure}", exact=True)).to_be_disabled()
        expect(page.get_by_label(f"{BIRTH} — {measure} — đánh dấu")).to_have_value(CellMark.NONE)
    expect(received).to_have_value("")
    assert_fits(page, PHONE)

    page.get_by_label(f"{MARRIAGE} — Số lượng", exact=True).fill("35")
    page.get_by_label(EID, exact=True).fill("7.856.474")
    page.get_by_label(NEWS, exact=True).fill("12abc")
    screenshot(page, "entry-phone-marks")
    page.get_by_role("button", name="Lưu nháp").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([NEWS])
    expect(page.get_by_test_id("partial-save")).to_contain_text("Đã lưu 6 ô hợp lệ.")
    expect(page.get_by_label(NEWS, exact=True)).to_have_value("12abc")
    assert_fits(page, PHONE)
    assert broken_references(page) == []

    # Opened again (a reload would post the form again): what was saved, as the server has it.
    page.goto(page.url)
    expect(page.get_by_label(f"{BIRTH} — Cả dịch vụ trong tháng")).to_have_value(CellMark.NONE)
    for measure in BIRTH_MEASURES:
        expect(page.get_by_label(f"{BIRTH} — {measure}", exact=True)).to_be_disabled()
    expect(page.get_by_label(f"{MARRIAGE} — Số lượng", exact=True)).to_have_value("35")
    expect(page.get_by_label(EID, exact=True)).to_have_value("7.856.474")
    expect(page.get_by_label(NEWS, exact=True)).to_have_value("")
    assert_fits(page, PHONE)
    stored = {value.key: value.mark or value.number for value in DataValue.objects.all()}
    assert stored == {"dvc.DVC22.received": CellMark.NONE, "dvc.DVC22.online": CellMark.NONE,
                      "dvc.DVC22.resolved": CellMark.NONE, "dvc.DVC22.on_time": CellMark.NONE,
                      "dvc.DVC24.count": 35, "ind.EID_ACTIVATED": 7_856_474}

    # Choosing "Nhập từng ô" again gives the boxes back.
    page.get_by_label(f"{BIRTH} — Cả dịch vụ trong tháng").select_option(label="Nhập từng ô")
    expect(received).to_be_enabled()
    expect(page.get_by_label(f"{BIRTH} — Tiếp nhận — đánh dấu")).to_have_value("")

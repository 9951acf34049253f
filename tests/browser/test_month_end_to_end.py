"""Issue 18's whole month on a phone (390×844): the ward's officer, its head, PC06, the report and the dashboard.

Bến Nghé's officer fills April, marks a service "Không phát sinh", mistypes one box and finds the rest saved,
then sends the month to the head, who submits it. Bến Thành's head has submitted already, with one figure
"Chưa có số liệu". PC06 approves both from the top of each month's page, landing on the next unit. The city
report leaves out the service nobody had and says whose figures it holds; the dashboard counts the unknown
figure as missing, not as zero. Every page fits the phone and axe-core finds nothing serious on it.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reporting.choices import AgencyKind, CellMark, SubmissionStatus
from reporting.models import ApprovalChain, Submission
from reporting.periods import default_schedule
from reporting.report import outline_io
from reporting.submissions import store, workflow
from reporting.submissions.store import CellValue

from .conftest import log_in, screenshot
from .test_accessibility import axe_page, serious  # noqa: F401 (a fixture: a page that may run axe-core)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
BIRTH, MARRIAGE = "Đăng ký khai sinh", "Đăng ký kết hôn"
EID, NEWS = "Tài khoản định danh điện tử đã kích hoạt", "Tin đăng trên báo"


def assert_fits_and_is_accessible(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the document is {width} px wide on a {PHONE['width']} px screen"
    assert serious(page) == [], name
    screenshot(page, f"month-end-to-end-{name}")


def log_out(page):
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


@pytest.fixture
def outline(month):
    """The test city's month outline: both ward services, each a figure sentence (its words are data)."""
    items = [
        {"kind": "text", "style": "title", "text": "BÁO CÁO"},
        {"kind": "heading", "numbering": "roman", "text": "KẾT QUẢ", "children": [
            {"kind": "figure", "numbering": "dash", "service": "DVC22",
             "text": "{name}: tiếp nhận {received} {unit}, đúng hạn {on_time}/{resolved} {unit}"},
            {"kind": "figure", "numbering": "dash", "service": "DVC24", "text": "{name}: {count} {unit}"}]},
    ]
    return outline_io.load(default_schedule(), {"format": outline_io.FORMAT, "name": "Báo cáo tháng", "kind": "month",
                                                "items": items})


@pytest.fixture
def ben_thanh_submitted(city, people, month):
    """Bến Thành's head submitted April: no marriage either, and on-time births not known yet."""
    head = people["ward_head"].__class__.objects.create(username="head_ben_thanh", role="head", agency=city["ben_thanh"])
    submission = store.save_values(agency=city["ben_thanh"], period=month["april"], user=head, version=0, values={
        "dvc.DVC22.received": CellValue(number=Decimal(400)), "dvc.DVC22.online": CellValue(number=Decimal(300)),
        "dvc.DVC22.resolved": CellValue(number=Decimal(380)), "dvc.DVC22.on_time": CellValue(mark=CellMark.UNKNOWN),
        "dvc.DVC24.count": CellValue(mark=CellMark.NONE)})
    workflow.submit(submission, head, version=submission.version)


def test_a_wards_month_from_the_officers_phone_to_the_city_report(axe_page, city, people, month, outline,
                                                                   ben_thanh_submitted, eager_tasks):
    page = axe_page
    ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=True)
    page.set_viewport_size(PHONE)

    # --- the officer: a whole service "Không phát sinh", one mistyped box, the rest saved ----------------------
    entry_path = f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/"
    log_in(page, people["ward_officer"])
    page.goto(entry_path)           # a past month: the officer's own page of it, as the unit's months list links it
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tháng 4/2024 · Phường Bến Nghé")
    for measure, value in (("Tiếp nhận", "1.250"), ("Trực tuyến", "1.100"), ("Đã giải quyết", "1.200"),
                           ("Đúng hạn", "1.180")):
        page.get_by_label(f"{BIRTH} — {measure}", exact=True).fill(value)
    page.get_by_label(f"{MARRIAGE} — Cả dịch vụ trong tháng").select_option(label="Không phát sinh")
    page.get_by_label(EID, exact=True).fill("7.856.474")
    page.get_by_label(NEWS, exact=True).fill("12abc")
    page.get_by_label("Mô hình công dân số — Tình trạng", exact=True).select_option(label="Đang triển khai")
    page.get_by_label(f"Nhiệm vụ 30: {month['task'].content} — Tình trạng").select_option(label="Đã hoàn thành")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_test_id("error-summary").get_by_role("link")).to_have_text([NEWS])
    expect(page.get_by_test_id("partial-save")).to_contain_text("Đã lưu")
    assert_fits_and_is_accessible(page, "officer-with-a-mistake")
    april = Submission.objects.get(agency=city["ben_nghe"], period=month["april"])
    assert store.values_of(april)["dvc.DVC22.received"].number == 1250
    assert store.values_of(april)["dvc.DVC24.count"].mark == CellMark.NONE
    assert "ind.NEWS_PRESS" not in store.values_of(april)

    page.get_by_label(NEWS, exact=True).fill("12")
    page.get_by_role("button", name="Gửi lãnh đạo đơn vị duyệt").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    log_out(page)

    # --- the head: the changes at the top, then "Nộp PC06" -----------------------------------------------------
    log_in(page, people["ward_head"])
    page.goto(entry_path)
    review = page.get_by_test_id("head-review")
    expect(review).to_contain_text(f"{BIRTH} · Tiếp nhận")
    assert_fits_and_is_accessible(page, "head-review")
    review.get_by_role("button", name="Nộp PC06").click()
    expect(page.get_by_test_id("submission-status")).to_contain_text("Đã nộp")
    log_out(page)

    # --- PC06: the queue from the board, approved from the top, on to the next unit --------------------------
    log_in(page, people["compiler"])           # PC06 lands on the board of the month under way
    page.get_by_role("link", name="4/2024", exact=True).click()
    page.wait_for_url("**/tong-hop/2024/4/")    # a click no longer waits for the page it opens
    assert_fits_and_is_accessible(page, "board")
    page.get_by_test_id("status-chips").get_by_role("link", name="Đã nộp muộn").click()
    page.get_by_test_id("board-table").locator("tbody tr").first.get_by_role("link", name="Mở báo cáo").click()
    panel = page.get_by_test_id("review-actions")
    expect(panel).to_be_in_viewport()
    expect(panel.get_by_test_id("queue-position")).to_have_text("Chờ duyệt: 1/2")
    first = page.get_by_role("heading", level=1).inner_text()
    panel.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.get_by_test_id("review-actions").get_by_test_id("queue-position")).to_have_text("Chờ duyệt: 1/1")
    assert page.get_by_role("heading", level=1).inner_text() != first      # the next unit's month
    page.get_by_test_id("review-actions").get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã xử lý hết báo cáo chờ duyệt")
    assert set(Submission.objects.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}

    # --- the report: the service nobody had is left out, the figure says whose numbers it holds -------------
    page.get_by_test_id("report-link").click()
    preview = page.get_by_test_id("report-preview")
    expect(preview).to_contain_text("tiếp nhận 1.650 hồ sơ")
    expect(preview).to_contain_text("số liệu của 1/2 đơn vị; 1 đơn vị chưa có số liệu")
    expect(preview).not_to_contain_text(f"{MARRIAGE}:")
    expect(preview).not_to_contain_text("0/0")
    assert_fits_and_is_accessible(page, "report")

    # --- the dashboard: the unknown figure is missing, not zero ----------------------------------------------
    page.goto("/dieu-hanh/2024/4/")
    page.get_by_test_id("kpis").locator("> summary").click()      # folded below the leaders' summary on a phone
    coverage = page.get_by_test_id("kpi-coverage")
    expect(coverage.first).to_be_visible()
    assert any("1/2 đơn vị có số liệu" in text for text in coverage.all_inner_texts()), coverage.all_inner_texts()
    assert_fits_and_is_accessible(page, "dashboard")

"""Issue 18 on a phone: the ward's officer sends the month to the head, who reads what changed since last month,
returns it with a comment, then submits it to PC06 once the officer has sent it again."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reporting.choices import AgencyKind, CellMark, SubmissionStatus
from reporting.models import ApprovalChain, StatusChange, Submission
from reporting.submissions import store
from reporting.submissions.store import CellValue

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
COMMENT = "Số đăng ký kết hôn tăng từ không lên 35, đề nghị kiểm tra lại sổ hộ tịch."


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the document is {width} px wide on a {PHONE['width']} px screen"


def log_out(page):
    # On a phone the account's buttons are folded behind "Menu" with the rest of the header.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


def fill(page, label, value):
    page.get_by_label(label, exact=True).fill(value)


@pytest.fixture
def march(city, people, month):
    """Bến Nghé's March: nothing married (Không phát sinh), fewer received and resolved than in April."""
    store.save_values(agency=city["ben_nghe"], period=month["march"], user=people["ward_officer"], version=0, values={
        "dvc.DVC22.received": CellValue(number=Decimal(1000)), "dvc.DVC22.online": CellValue(number=Decimal(900)),
        "dvc.DVC22.resolved": CellValue(number=Decimal(1000)), "dvc.DVC22.on_time": CellValue(number=Decimal(990)),
        "dvc.DVC24.count": CellValue(mark=CellMark.NONE), "ind.EID_ACTIVATED": CellValue(number=Decimal(7_800_000))})


def test_officer_sends_head_returns_officer_fixes_head_submits(page, city, people, month, march, reminder_rules,
                                                               eager_tasks):
    ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=True)
    entry_path = f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/"
    page.set_viewport_size(PHONE)

    log_in(page, people["ward_officer"])
    page.goto(entry_path)
    expect(page.get_by_test_id("send-explanation")).to_contain_text(
        "được đánh dấu “Không phát sinh” / “Chưa có số liệu”")
    fill(page, "Đăng ký khai sinh — Tiếp nhận", "1.250")
    fill(page, "Đăng ký khai sinh — Trực tuyến", "1.100")
    fill(page, "Đăng ký khai sinh — Đã giải quyết", "1.200")
    fill(page, "Đăng ký khai sinh — Đúng hạn", "1.180")
    fill(page, "Đăng ký kết hôn — Số lượng", "35")
    fill(page, "Tài khoản định danh điện tử đã kích hoạt", "7.856.474")
    fill(page, "Tin đăng trên báo", "12")
    page.get_by_label("Mô hình công dân số — Tình trạng", exact=True).select_option(label="Đang triển khai")
    page.get_by_label(f"Nhiệm vụ 30: {month['task'].content} — Tình trạng").select_option(label="Đã hoàn thành")
    expect(page.get_by_role("button", name="Nộp báo cáo")).to_have_count(0)
    page.get_by_role("button", name="Gửi lãnh đạo đơn vị duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo Tháng 4/2024 để lãnh đạo đơn vị duyệt")
    expect(page.get_by_test_id("submission-status")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    expect(page.get_by_test_id("read-only")).to_have_text(
        "Báo cáo đang chờ lãnh đạo đơn vị duyệt; chỉ sửa được khi lãnh đạo trả lại.")
    log_out(page)

    # The head reads the changes first, at the top of the page, biggest relative change first.
    log_in(page, people["ward_head"])
    page.goto(entry_path)
    review = page.get_by_test_id("head-review")
    expect(review).to_be_visible()
    assert review.bounding_box()["y"] < page.get_by_role("heading", level=1).bounding_box()["y"]
    rows = review.locator("tbody tr")
    expect(rows.first).to_contain_text("Đăng ký kết hôn · Số lượng")
    expect(rows.first).to_contain_text("Không phát sinh")
    expect(rows.first.get_by_test_id("change-difference")).to_have_text("Chênh lệch+35")
    expect(rows.nth(1)).to_contain_text("Đăng ký khai sinh · Tiếp nhận")
    expect(rows.nth(1).get_by_test_id("change-difference")).to_contain_text("+250 (+25%)")
    expect(rows.last).to_contain_text("Tin đăng trên báo")
    expect(rows.last.get_by_test_id("change-difference")).to_contain_text("mới")
    assert_fits(page)
    screenshot(page, "head-review-phone")
    review.get_by_label("Nội dung cần cán bộ nhập liệu sửa").fill(COMMENT)
    review.get_by_role("button", name="Trả lại cán bộ nhập liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã trả lại báo cáo cho cán bộ nhập liệu.")
    expect(page.get_by_test_id("submission-status")).to_have_text("Đang nhập")
    assert_fits(page)
    log_out(page)

    # The officer is told, reads the head's comment on the month, corrects and sends again.
    log_in(page, people["ward_officer"])
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.goto(entry_path)
    expect(page.get_by_test_id("head-comment")).to_contain_text(COMMENT)
    fill(page, "Đăng ký kết hôn — Số lượng", "3")
    page.get_by_role("button", name="Gửi lãnh đạo đơn vị duyệt").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    log_out(page)

    log_in(page, people["ward_head"])
    page.goto(entry_path)
    corrected = page.get_by_test_id("head-review").locator("tbody tr").first
    expect(corrected).to_contain_text("Đăng ký kết hôn · Số lượng")
    expect(corrected.get_by_test_id("change-difference")).to_have_text("Chênh lệch+3")
    assert_fits(page)
    page.get_by_role("button", name="Nộp PC06").click()      # its question is answered yes (conftest)
    expect(page.locator(".messages")).to_contain_text("Đã nộp báo cáo cho PC06")
    expect(page.get_by_test_id("submission-status")).to_contain_text("Đã nộp")
    expect(page.get_by_test_id("head-review")).to_have_count(0)
    assert_fits(page)

    submission = Submission.objects.get(period=month["april"])
    assert (submission.status, submission.submitted_by) == (SubmissionStatus.SUBMITTED, people["ward_head"])
    assert list(StatusChange.objects.order_by("pk").values_list("to_status", flat=True)) == [
        "prepared", "draft", "prepared", "submitted"]


def test_the_heads_submit_asks_first_and_cancelling_keeps_the_month(page, city, people, month, march):
    from .conftest import accept_dialog

    ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=True)
    submission = store.save_values(agency=city["ben_nghe"], period=month["april"], user=people["ward_officer"],
                                   version=0, values={"dvc.DVC24.count": CellValue(number=Decimal(35))})
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.PREPARED)
    page.set_viewport_size(PHONE)
    log_in(page, people["ward_head"])
    page.goto(f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/")
    page.remove_listener("dialog", accept_dialog)
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Nộp PC06").click()
    page.wait_for_timeout(500)
    assert len(questions) == 1 and questions[0].startswith("Nộp báo cáo Tháng 4/2024 của Phường Bến Nghé cho PC06?")
    assert Submission.objects.get(period=month["april"]).status == SubmissionStatus.PREPARED

"""PC06 works through the month's queue from the board, on a phone and on a desktop, and reminds the units behind."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.choices import SubmissionStatus
from reporting.models import Submission
from reporting.submissions import workflow

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def submit(agency, people, month, day, hour):
    submission = Submission.objects.create(period=month["april"], agency=agency)
    workflow.submit(submission, people["compiler"], version=0,
                    now=timezone.make_aware(datetime.datetime(2024, 4, day, hour)))


@pytest.fixture
def waiting(city, people, month):
    """Sở Tư pháp and Bến Thành submitted on time, Võ Thị Sáu late; the other units have not submitted."""
    submit(city["dept"], people, month, 14, 9)
    submit(city["ben_thanh"], people, month, 15, 8)
    submit(city["vo_thi_sau"], people, month, 17, 10)


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pc06_filters_the_board_approves_from_the_top_and_lands_on_the_next_unit(page, city, people, waiting, viewport):
    page.set_viewport_size(viewport)
    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    assert document_width(page) <= viewport["width"], f"the board is {document_width(page)} px wide"

    page.get_by_test_id("status-chips").get_by_role("link", name="Đã nộp đúng hạn").click()
    expect(page.get_by_test_id("status-chips").get_by_role("link", name="Đã nộp đúng hạn")).to_have_attribute(
        "aria-current", "true")
    rows = page.get_by_test_id("board-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Sở Tư pháp")
    expect(rows.nth(1)).to_contain_text("Phường Bến Thành")
    assert document_width(page) <= viewport["width"]
    screenshot(page, f"board-on-time-{viewport['width']}")

    rows.nth(0).get_by_role("link", name="Mở báo cáo").click()
    panel = page.get_by_test_id("review-actions")
    expect(panel.get_by_test_id("queue-position")).to_have_text("Chờ duyệt: 1/3")
    expect(panel.get_by_role("link", name="Đơn vị tiếp theo →")).to_be_visible()
    expect(panel).to_be_in_viewport()                   # the decision is the first thing on the page
    panel.get_by_role("button", name="Duyệt báo cáo").click()

    page.wait_for_url(f"**/bao-cao/2024/4/don-vi/{city['ben_thanh'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo Tháng 4/2024 · Phường Bến Thành")
    expect(page.locator(".messages")).to_contain_text("Sở Tư pháp — Đã duyệt báo cáo. Tiếp theo: Phường Bến Thành.")
    expect(page.get_by_test_id("queue-position")).to_have_text("Chờ duyệt: 1/2")
    assert Submission.objects.get(agency=city["dept"]).status == SubmissionStatus.APPROVED
    screenshot(page, f"review-next-unit-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pc06_reminds_the_units_behind_and_sees_when(page, city, people, waiting, viewport):
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))      # conftest's handler answers yes
    page.set_viewport_size(viewport)
    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    row = page.locator('tr[data-agency="Q01-BNG"]')                           # not started; two accounts
    expect(row.get_by_test_id("last-reminded")).to_have_text("")

    page.get_by_role("button", name="Nhắc các đơn vị chưa nộp").click()
    expect(page.locator(".messages")).to_contain_text("Đã nhắc")
    assert questions and questions[0].startswith("Gửi nhắc ngay tới mọi đơn vị chưa nộp báo cáo tháng 4/2024?")
    expect(row.get_by_test_id("last-reminded")).to_have_text(re.compile(r"^Nhắc lần cuối: \d\d:\d\d \d\d/\d\d/\d{4}$"))
    expect(page.locator('tr[data-agency="STP"]').get_by_test_id("last-reminded")).to_have_text("")   # it submitted
    assert document_width(page) <= viewport["width"]
    screenshot(page, f"board-reminded-{viewport['width']}")

    page.get_by_role("button", name="Nhắc các đơn vị chưa nộp").click()      # a second press: nobody nagged twice
    expect(page.locator(".messages")).to_contain_text("vừa được nhắc trong 10 phút qua nên không nhắc lại")


def test_answering_no_to_the_question_sends_nothing(page, people, waiting):
    from reporting.models import ReminderClaim

    from .conftest import accept_dialog

    page.remove_listener("dialog", accept_dialog)
    page.on("dialog", lambda dialog: dialog.dismiss())
    log_in(page, people["compiler"])
    page.goto("/tong-hop/2024/4/")
    page.get_by_role("button", name="Nhắc các đơn vị chưa nộp").click()
    page.wait_for_timeout(500)                  # long enough for a form that was sent after all to come back
    expect(page.locator(".messages")).to_have_count(0)
    assert not ReminderClaim.objects.exists()

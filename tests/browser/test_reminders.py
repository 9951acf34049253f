"""A ward officer who has not submitted sees the reminder behind the bell and follows it to the month's entry page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from reporting.periods import default_schedule
from reporting.tasks import run_reminders

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_officer_opens_the_reminder_from_the_bell(page, city, people, reminder_rules, eager_tasks):
    default_schedule().period_for(2024, 4)
    run_reminders(datetime.datetime(2024, 4, 13, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).isoformat())
    log_in(page, people["ward_officer"])
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("bell").click()
    notices = page.get_by_test_id("notifications")
    expect(notices).to_contain_text("Nhắc hạn (còn 2 ngày): báo cáo Đề án 06 tháng 4/2024 của Phường Bến Nghé")
    expect(notices).to_contain_text("Hạn nộp báo cáo tháng 4/2024 là ngày 15/04/2024")
    screenshot(page, "reminder-bell")
    notices.get_by_role("button", name="Nhắc hạn (còn 2 ngày)").click()
    page.wait_for_url(f"**/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

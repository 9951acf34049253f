"""Which reminders are due, on a controlled clock around the April 2024 deadline (15/4, Asia/Ho_Chi_Minh)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from reporting.choices import PeriodStatus, SubmissionStatus
from reporting.models import ReminderRule, RuleKind, Submission
from reporting.periods import default_schedule
from reporting.reminders.planner import PC06_TARGET, due_messages

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Units of the test city with accounts: Bến Nghé (officer, head), Quận 1 (officer), Sở Tư pháp (officer).
UNITS_WITH_PEOPLE = {"Q01-BNG", "Q01", "STP"}


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def april(people):
    return default_schedule().period_for(2024, 4)


def due(now, period):
    """(rule name, target) of what is due at ``now`` for ``period``."""
    return {(message.rule.name, message.target) for message in due_messages(now) if message.period == period}


def reminders(rule_name):
    return {(rule_name, unit) for unit in UNITS_WITH_PEOPLE}


def test_five_days_before_at_eight_local_time_not_a_minute_earlier(april):
    assert due(at(2024, 4, 10, 7, 59), april) == set()
    assert due(at(2024, 4, 10, 8, 0), april) == reminders("Nhắc trước hạn 5 ngày")
    # 08:00 in the city is 01:00 UTC: the clock's zone is never the server's.
    utc = datetime.datetime(2024, 4, 10, 0, 59, tzinfo=datetime.UTC)
    assert due(utc, april) == set()


def test_the_evening_of_day_14_is_quiet_and_the_morning_of_day_15_reminds(april):
    assert due(at(2024, 4, 14, 23, 30), april) == set()      # the 2-day reminder's day has passed
    assert due(at(2024, 4, 15, 7, 29), april) == set()
    assert due(at(2024, 4, 15, 7, 30), april) == reminders("Nhắc sáng ngày hạn nộp")
    assert due(at(2024, 4, 15, 23, 59), april) == reminders("Nhắc sáng ngày hạn nộp")


def test_after_the_deadline_the_head_and_pc06_are_told_daily(april, people):
    assert due(at(2024, 4, 16, 7, 59), april) == set()
    messages = [m for m in due_messages(at(2024, 4, 16, 8, 0)) if m.period == april]
    assert {m.target for m in messages} == {"Q01-BNG", PC06_TARGET}         # the only unit with a head, and PC06
    ward = next(m for m in messages if m.target == "Q01-BNG")
    assert [user.username for user in ward.recipients] == ["ward_head"]
    digest = next(m for m in messages if m.target == PC06_TARGET)
    assert [user.username for user in digest.recipients] == ["compiler"]
    assert "- Phường Bến Nghé" in digest.body and "- Sở Tư pháp" in digest.body
    assert "Quá hạn 1 ngày" in digest.subject
    next_day = [m for m in due_messages(at(2024, 4, 17, 9, 0)) if m.period == april]
    assert {m.occasion for m in next_day} == {"2024-04-17"} and "Quá hạn 2 ngày" in next_day[0].subject
    # Before 08:00 the day's escalation is still yesterday's occasion: never two in one day.
    assert {m.occasion for m in due_messages(at(2024, 4, 17, 7, 0)) if m.period == april} == {"2024-04-16"}


def test_escalation_stops_after_the_rules_repeat_days(april):
    ReminderRule.objects.filter(kind=RuleKind.ESCALATION).update(repeat_days=3)
    assert due(at(2024, 4, 18, 9, 0), april)
    assert due(at(2024, 4, 19, 9, 0), april) == set()


def test_units_that_submitted_or_were_approved_are_not_reminded(april, city, people):
    for agency, status in ((city["ben_nghe"], SubmissionStatus.SUBMITTED), (city["dept"], SubmissionStatus.APPROVED)):
        Submission.objects.create(period=april, agency=agency, status=status)
    Submission.objects.create(period=april, agency=city["q1"], status=SubmissionStatus.RETURNED)
    assert due(at(2024, 4, 10, 9, 0), april) == {("Nhắc trước hạn 5 ngày", "Q01")}   # returned: still owes it


def test_units_not_valid_in_the_period_are_not_reminded(people):
    # The districts and wards of the test city ended on 30/6/2025; Sở Tư pháp goes on.
    august = default_schedule().period_for(2025, 8)
    assert due(at(2025, 8, 10, 9, 0), august) == {("Nhắc trước hạn 5 ngày", "STP")}


def test_a_closed_period_reminds_nobody(april):
    april.status = PeriodStatus.CLOSED
    april.save()
    assert due(at(2024, 4, 10, 9, 0), april) == set()
    assert due(at(2024, 4, 16, 9, 0), april) == set()


def test_a_changed_deadline_moves_the_reminders_across_the_month_end(april):
    april.deadline = datetime.date(2024, 5, 2)
    april.save()
    assert due(at(2024, 4, 10, 9, 0), april) == set()                       # the old day-15 schedule is gone
    assert due(at(2024, 4, 27, 8, 0), april) == reminders("Nhắc trước hạn 5 ngày")   # 5 days before 2/5
    assert due(at(2024, 4, 30, 8, 0), april) == reminders("Nhắc trước hạn 2 ngày")
    assert due(at(2024, 5, 2, 7, 30), april) == reminders("Nhắc sáng ngày hạn nộp")
    assert {name for name, _ in due(at(2024, 5, 3, 8, 0), april)} == {"Báo quá hạn hằng ngày"}


def test_a_deadline_on_the_last_day_of_february(people):
    february = default_schedule().period_for(2024, 2)
    february.deadline = datetime.date(2024, 2, 29)
    february.save()
    assert due(at(2024, 2, 27, 8, 0), february) == reminders("Nhắc trước hạn 2 ngày")
    assert due(at(2024, 3, 1, 8, 0), february) == {("Báo quá hạn hằng ngày", "Q01-BNG"),
                                                   ("Báo quá hạn hằng ngày", PC06_TARGET)}


def test_a_missed_run_sends_within_the_day_not_a_day_late(april):
    assert due(at(2024, 4, 11, 7, 59), april) == reminders("Nhắc trước hạn 5 ngày")   # the server was down at 08:00
    assert due(at(2024, 4, 11, 8, 0), april) == set()


def test_pc06_edits_the_rules_as_data(april):
    ReminderRule.objects.filter(kind=RuleKind.BEFORE_DEADLINE).update(is_active=False)
    ReminderRule.objects.create(name="Nhắc trước 1 ngày lúc 14 giờ", kind=RuleKind.BEFORE_DEADLINE, day_offset=-1,
                                time_of_day=datetime.time(14, 0), recipient_roles=["head"])
    assert due(at(2024, 4, 14, 13, 59), april) == set()
    assert due(at(2024, 4, 14, 14, 0), april) == {("Nhắc trước 1 ngày lúc 14 giờ", "Q01-BNG")}   # heads only

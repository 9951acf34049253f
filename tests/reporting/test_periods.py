import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reporting.choices import BoardStatus
from reporting.models import ReportingPeriod, ReportingSchedule, Submission
from reporting.periods import current_period, default_schedule
from reporting.submissions import workflow

from .. import conftest
from ..submissions.helpers import fill_april

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    return ReportingSchedule.objects.create(name="Báo cáo tháng")


def test_default_window_is_15th_to_14th_and_deadline_15th(schedule):
    period = schedule.period_for(2024, 4)
    assert (period.window_start, period.window_end) == (datetime.date(2024, 3, 15), datetime.date(2024, 4, 14))
    assert period.deadline == datetime.date(2024, 4, 15)
    assert period.label == "Tháng 4/2024"


def test_january_window_starts_in_previous_december(schedule):
    period = schedule.period_for(2025, 1)
    assert period.window_start == datetime.date(2024, 12, 15)


def test_schedule_days_are_settings(schedule):
    schedule.window_start_day, schedule.deadline_day = 11, 12  # Sở Tư pháp used 11/02 → 10/3
    assert schedule.window_for(2024, 3) == (datetime.date(2024, 2, 11), datetime.date(2024, 3, 10))
    assert schedule.deadline_for(2024, 3) == datetime.date(2024, 3, 12)


def test_one_period_per_month(schedule):
    first = schedule.period_for(2024, 4)
    assert schedule.period_for(2024, 4) == first
    duplicate = ReportingPeriod(schedule=schedule, year=2024, month=4, window_start=first.window_start,
                                window_end=first.window_end, deadline=first.deadline)
    with pytest.raises(ValidationError, match="Kỳ báo cáo của tháng này đã có."):
        duplicate.full_clean()


def test_window_must_not_end_before_it_starts(schedule):
    period = ReportingPeriod(schedule=schedule, year=2024, month=5, window_start=datetime.date(2024, 5, 14),
                             window_end=datetime.date(2024, 4, 15), deadline=datetime.date(2024, 5, 15))
    with pytest.raises(ValidationError, match="Ngày cuối kỳ số liệu phải sau ngày đầu kỳ."):
        period.full_clean()


@pytest.mark.parametrize("today, expected", [
    (datetime.date(2024, 4, 1), (2024, 4)),
    (datetime.date(2024, 4, 15), (2024, 4)),  # deadline day: still this month's report
    (datetime.date(2024, 4, 16), (2024, 5)),
    (datetime.date(2024, 12, 20), (2025, 1)),
])
def test_current_period_is_the_next_deadline(today, expected):
    period = current_period(today)
    assert (period.year, period.month) == expected


def test_expected_agencies_follow_the_hierarchy_of_that_month(city, schedule):
    april_2024 = schedule.period_for(2024, 4)
    january_2026 = schedule.period_for(2026, 1)
    assert "Q01-BNG" in set(april_2024.expected_agencies().values_list("code", flat=True))
    assert set(january_2026.expected_agencies().values_list("code", flat=True)) == {"CATP", "STP"}


# --- every month on demand, never typed by hand ------------------------------------------------------


def test_a_month_nobody_opened_exists_on_demand_with_its_computed_dates(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    assert not ReportingPeriod.objects.filter(year=2024, month=6).exists()
    page = client.get(reverse("board", args=[2024, 6]))
    assert page.status_code == 200
    june = ReportingPeriod.objects.get(year=2024, month=6)
    assert (june.window_start, june.window_end, june.deadline) == (
        datetime.date(2024, 5, 15), datetime.date(2024, 6, 14), datetime.date(2024, 6, 15))


@pytest.mark.parametrize("year, month, reason", [
    (2099, 3, "Chưa đến kỳ báo cáo tháng 3/2099"),
    (2021, 12, "Lịch báo cáo áp dụng từ tháng 1/2022; tháng 12/2021 không có kỳ báo cáo."),
])
def test_a_month_outside_the_schedule_is_a_404_that_says_why(client, people, year, month, reason):
    client.login(username="compiler", password=conftest.PASSWORD)
    page = client.get(reverse("board", args=[year, month]))
    assert page.status_code == 404
    assert reason in page.content.decode()
    assert not ReportingPeriod.objects.filter(year=year, month=month).exists()


def dated(schedule, month, start, end, deadline):
    return ReportingPeriod(schedule=schedule, year=2024, month=month, window_start=start, window_end=end,
                           deadline=deadline)


@pytest.mark.parametrize("start, end, deadline, field, message", [
    # The admin once accepted May 2024 with a year-long window and a 2030 deadline.
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), datetime.date(2030, 5, 15), "window_end",
     "Kỳ số liệu dài 366 ngày; một kỳ báo cáo tháng không quá 35 ngày."),
    (datetime.date(2024, 4, 15), datetime.date(2024, 5, 14), datetime.date(2030, 5, 15), "deadline",
     "Hạn nộp cách ngày cuối kỳ số liệu 2192 ngày; tối đa 31 ngày."),
    (datetime.date(2024, 4, 15), datetime.date(2024, 5, 14), datetime.date(2024, 5, 14), "deadline",
     "Hạn nộp phải sau ngày cuối kỳ số liệu."),
    (datetime.date(2024, 8, 15), datetime.date(2024, 9, 14), datetime.date(2024, 9, 15), "window_end",
     "Kỳ số liệu của tháng 5/2024 phải kết thúc trong tháng 4/2024 hoặc 5/2024."),
    (datetime.date(2024, 4, 10), datetime.date(2024, 5, 14), datetime.date(2024, 5, 15), "window_start",
     "Kỳ số liệu trùng với kỳ Tháng 4/2024 (15/03/2024 – 14/04/2024)."),
])
def test_no_period_is_saved_with_an_inconsistent_window(schedule, start, end, deadline, field, message):
    schedule.period_for(2024, 4)
    may = dated(schedule, 5, start, end, deadline)
    with pytest.raises(ValidationError) as refused:
        may.full_clean()
    assert message in refused.value.message_dict[field]


def test_the_database_refuses_a_deadline_inside_the_window(schedule):
    with pytest.raises(IntegrityError), transaction.atomic():
        dated(schedule, 5, datetime.date(2024, 4, 15), datetime.date(2024, 5, 14), datetime.date(2024, 5, 1)).save()


def test_once_units_reported_the_window_stays_and_the_deadline_only_extends(city, month, people):
    april = month["april"]
    Submission.objects.create(period=april, agency=city["ben_nghe"])
    april.window_start = datetime.date(2024, 3, 20)
    with pytest.raises(ValidationError, match="Đã có 1 báo cáo của kỳ này theo kỳ số liệu 15/03/2024 – 14/04/2024"):
        april.full_clean()
    april.refresh_from_db()
    april.deadline = datetime.date(2024, 4, 20)     # gia hạn
    april.full_clean()
    april.save()
    april.deadline = datetime.date(2024, 4, 17)
    with pytest.raises(ValidationError, match="hạn nộp chỉ được gia hạn"):
        april.full_clean()


def test_the_admin_adds_a_period_by_its_month_alone(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    form = client.get(reverse("admin:reporting_reportingperiod_add")).content.decode()
    assert 'name="month"' in form and 'name="window_start"' not in form and 'name="deadline"' not in form
    period = ReportingPeriod(schedule=default_schedule(), year=2024, month=2)
    period.full_clean()         # what the admin form runs: the dates come from the schedule
    assert (period.window_start, period.window_end, period.deadline) == (
        datetime.date(2024, 1, 15), datetime.date(2024, 2, 14), datetime.date(2024, 2, 15))


# --- timeliness is the first submission's ------------------------------------------------------------


def test_a_reopened_report_resubmitted_after_the_deadline_stays_on_time(client, city, month, people):
    april = month["april"]
    on_time = timezone.make_aware(datetime.datetime.combine(april.deadline, datetime.time(9)))
    report = fill_april(people["ward_officer"], city, month)
    workflow.submit(report, people["ward_head"], version=report.version, now=on_time)
    workflow.approve(report, people["compiler"], version=report.version)
    workflow.reopen(report, people["compiler"], version=report.version, reason="Sửa số liệu khai sinh.")
    later = on_time + datetime.timedelta(days=9)
    workflow.submit(report, people["ward_head"], version=report.version, now=later)
    report.refresh_from_db()
    assert (report.is_late, report.first_submitted_at, report.submitted_at) == (False, on_time, later)
    assert report.board_status == BoardStatus.ON_TIME
    client.login(username="compiler", password=conftest.PASSWORD)
    board = re.sub(r"<[^>]+>", "", client.get(reverse("board", args=[2024, 4])).content.decode())  # as it reads
    assert "Nộp lần đầu: 09:00 15/04/2024" in board and "nộp lại lần cuối 09:00 24/04/2024" in board

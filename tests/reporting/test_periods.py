import datetime

import pytest
from django.core.exceptions import ValidationError

from reporting.models import ReportingPeriod, ReportingSchedule
from reporting.periods import current_period

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

"""Where a plan target stands: reached, on track, at risk or behind its straight path to the deadline (plain values)."""

from decimal import Decimal

import pytest

from reporting.figures.targets import Standing, path_value, standing, worst_first, TargetRow
from reporting.months import Month

DECEMBER = Month(2024, 12)
APRIL = Month(2024, 4)


def judge(value, target=50, unit="%", month=APRIL, history=()):
    return standing(value=None if value is None else Decimal(value), target=Decimal(target), unit=unit, month=month,
                    deadline=DECEMBER, history=[(point, Decimal(number)) for point, number in history])


def test_the_path_runs_straight_from_the_start_of_the_year_to_the_target_at_the_deadline():
    start = (Month(2023, 12), Decimal(20))
    assert path_value(start, Decimal(50), Month(2024, 4), DECEMBER) == Decimal(30)      # 4 of 12 months: a third
    assert path_value(start, Decimal(50), DECEMBER, DECEMBER) == Decimal(50)
    assert path_value(start, Decimal(50), Month(2023, 12), DECEMBER) == Decimal(20)


@pytest.mark.parametrize("value, expected", [
    ("30", Standing.ON_TRACK),      # on the path (20 % in December, 50 % by the next December: 30 % in April)
    ("31.5", Standing.ON_TRACK),
    ("25", Standing.AT_RISK),       # 5 points below the path: the margin, still at risk
    ("24.99", Standing.BEHIND),     # further below
    ("50", Standing.REACHED),
    ("63", Standing.REACHED),
    (None, Standing.NO_DATA),
])
def test_a_share_is_judged_against_its_path_with_a_margin_of_five_points(value, expected):
    found, path = judge(value, history=[(Month(2023, 12), 20), (Month(2024, 3), 27)])
    assert found == expected
    if expected in (Standing.ON_TRACK, Standing.AT_RISK, Standing.BEHIND):
        assert path == Decimal(30)


def test_the_path_starts_at_the_earliest_month_known_from_december_before():
    # Nothing known before March: the path runs from March's 34 % to 50 % in December (9 months).
    found, path = judge("35", history=[(Month(2023, 6), 5), (Month(2024, 3), 34)])
    assert path == Decimal(34) + Decimal(16) / 9 and found == Standing.AT_RISK
    assert judge("36", history=[(Month(2024, 3), 34)])[0] == Standing.ON_TRACK


def test_a_count_has_a_margin_of_five_percent_of_its_target():
    history = [(Month(2023, 12), 0)]
    # Target 1.200 by December: the path is at 400 in April; 5 % of the target is 60.
    assert judge("400", target=1200, unit="hồ sơ", history=history)[0] == Standing.ON_TRACK
    assert judge("340", target=1200, unit="hồ sơ", history=history)[0] == Standing.AT_RISK
    assert judge("339", target=1200, unit="hồ sơ", history=history)[0] == Standing.BEHIND


def test_without_an_earlier_month_the_target_itself_is_the_yardstick():
    assert judge("46") == (Standing.AT_RISK, Decimal(50))
    assert judge("34.19") == (Standing.BEHIND, Decimal(50))


def test_at_the_deadline_a_target_not_reached_is_behind_whatever_its_path():
    assert judge("49.9", month=DECEMBER, history=[(Month(2023, 12), 49)])[0] == Standing.BEHIND
    assert judge("50", month=DECEMBER)[0] == Standing.REACHED


def test_targets_are_listed_worst_first_and_those_nothing_measures_last():
    rows = [TargetRow(code, "", None, standing) for code, standing in [
        ("1", Standing.NOT_MEASURED), ("2", Standing.REACHED), ("3", Standing.BEHIND), ("4", Standing.ON_TRACK),
        ("5", Standing.NO_DATA), ("6", Standing.AT_RISK), ("7", Standing.BEHIND)]]
    assert [row.code for row in worst_first(rows)] == ["3", "7", "6", "5", "4", "2", "1"]
    assert [standing.label for standing in Standing] == [
        "Chậm", "Có nguy cơ", "Chưa có số liệu", "Đúng tiến độ", "Đã đạt", "Chưa đo được"]

from datetime import date

import pytest

from indicators.deadlines import DeadlineKind, parse_deadline


@pytest.mark.parametrize("printed, kind, due, recurring", [
    ("Tháng 3/2024", DeadlineKind.DATE, date(2024, 3, 31), False),
    ("Tháng 6/2024", DeadlineKind.DATE, date(2024, 6, 30), False),
    ("Quý II/2024", DeadlineKind.DATE, date(2024, 6, 30), False),
    ("Quý III/2024", DeadlineKind.DATE, date(2024, 9, 30), False),
    ("Trong Quý I/2024", DeadlineKind.DATE, date(2024, 3, 31), False),
    ("Trong quý II năm 2024", DeadlineKind.DATE, date(2024, 6, 30), False),
    ("Trong năm 2024", DeadlineKind.DATE, date(2024, 12, 31), False),
    ("Tháng 06 và tháng 12/2024", DeadlineKind.DATE, date(2024, 12, 31), False),
    ("Trong tháng 02 năm 2024", DeadlineKind.DATE, date(2024, 2, 29), False),
    ("Trong tháng 4 năm 2024", DeadlineKind.DATE, date(2024, 4, 30), False),
    ("Quý II/2023", DeadlineKind.DATE, date(2023, 6, 30), False),
    ("Trong quý II năm 2024 và thực hiện thường xuyên", DeadlineKind.DATE, date(2024, 6, 30), True),
    ("Trong năm 2024 và theo tiến độ triển khai của Trung ương", DeadlineKind.DATE, date(2024, 12, 31), False),
    ("Thực hiện thường xuyên", DeadlineKind.RECURRING, None, True),
    ("thường xuyên", DeadlineKind.RECURRING, None, True),
    ("Theo tiến độ quy định", DeadlineKind.NO_DATE, None, False),
    ("Theo tiến độ, yêu cầu tại Quyết định số 766/QĐ-TTg", DeadlineKind.NO_DATE, None, False),
    ("", DeadlineKind.EMPTY, None, False),
])
def test_printed_deadlines(printed, kind, due, recurring):
    parsed = parse_deadline(printed)
    assert (parsed.kind, parsed.due_date, parsed.recurring) == (kind, due, recurring)


@pytest.mark.parametrize("printed", [
    "Tháng 13/2024",
    "Quý V/2024",
    "Sớm nhất có thể",
    "Trước Tết",
    "Trong năm 2024 và khi có yêu cầu",
    "Tháng 3",
])
def test_unknown_forms_are_flagged_not_guessed(printed):
    parsed = parse_deadline(printed)
    assert parsed.kind == DeadlineKind.UNPARSED and parsed.due_date is None


def test_every_deadline_of_plan_1302_is_understood(catalogs):
    from indicators.models import PlanTask

    assert not PlanTask.objects.filter(deadline_kind=DeadlineKind.UNPARSED).exists()
    recurring = PlanTask.objects.filter(deadline_kind=DeadlineKind.RECURRING).order_by("number")
    assert list(recurring.values_list("number", flat=True)) == ["21", "22", "23", "27", "29", "30", "49"]
    assert list(PlanTask.objects.filter(deadline_kind=DeadlineKind.NO_DATE).values_list("number", flat=True)) == ["01", "19"]

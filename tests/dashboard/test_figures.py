"""The dashboard's figures are the consolidated report's, on generated months of the real catalogs."""

import re

import pytest

from indicators.models import PlanTask
from reporting.choices import Progress
from reporting.dashboard import overview
from reporting.figures import consolidation
from reporting.formatting import format_number, format_percent
from reporting.models import DataValue, Submission
from reporting.operations import city_generator
from reporting.report.compose import compose
from reporting.report.document import plain_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    """The real catalogs, 3 generated wards, approved months of March and April 2024 for every unit."""
    history = city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 3), months=2)
    # Two tasks due by then that their lead units report still under way: both are overdue in April.
    late_tasks = PlanTask.objects.filter(due_date__lt=history.periods[-1].window_end).order_by("due_date")[:2]
    DataValue.objects.filter(key__in=[f"nv.{task.pk}.status" for task in late_tasks]).update(
        text=Progress.IN_PROGRESS)
    return dict(zip(("march", "april"), history.periods))


def assert_same_figures(board, text):
    featured = board.kpis[2:]
    assert featured, "the real catalog flags indicators for the dashboard"
    for kpi in featured:      # the report's sentences are the outline's: the same numbers, in its own words
        numbers = kpi.parts.split("/") if kpi.unit == "%" else [format_number(kpi.value)]
        assert all(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d]|\.\d)", text) for number in numbers), kpi.label
    for programme in board.programmes:
        assert f"hiệu quả {programme.effective}/{programme.declared} mô hình" in text
    shortcomings = text.split("2. Tồn tại")[1].split("IV. KHÓ KHĂN")[0]
    assert [task.number for task in board.overdue] == re.findall(r"- Nhiệm vụ (\S+):", shortcomings)
    assert board.overdue


def test_a_month_on_the_dashboard_says_what_the_report_says(generated):
    board = overview.build((2024, 4), (2024, 4))
    assert_same_figures(board, plain_text(compose(generated["april"])))
    figures = consolidation.figures([generated["april"]])
    online = sum(value for key, value in figures.values.items() if key.endswith(".online"))
    received = sum(value for key, value in figures.values.items() if key.endswith(".received"))
    assert board.kpis[0].parts == f"{format_number(online)}/{format_number(received)}"
    assert board.kpis[0].text == format_percent(online, received)


def test_a_range_on_the_dashboard_says_what_the_range_report_says(generated):
    board = overview.build((2024, 3), (2024, 4))
    assert_same_figures(board, plain_text(compose(generated["april"], first=generated["march"])))
    # Flows add up over the two months, running totals take April's value.
    march, april = board.kpis[0].series[-2:]
    assert (march.label, april.label) == ("3/2024", "4/2024")


def test_the_units_table_adds_up_to_the_city(generated):
    board = overview.build((2024, 4), (2024, 4))
    received = sum(row.totals.get("received", 0) for row in board.rows)
    figures = consolidation.figures([generated["april"]])
    assert received == sum(value for key, value in figures.values.items() if key.endswith(".received"))
    assert sum(row.expected for row in board.rows) == board.expected == Submission.objects.filter(
        period=generated["april"]).count()


def test_a_change_of_what_an_indicator_counts_changes_how_its_months_fold(generated):
    """The indicators' kinds are cached; an edit in the admin must reach the next consolidation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.models import Indicator, IndicatorKind

    months = [generated["march"], generated["april"]]
    reported = {key.removeprefix("ind.") for key in consolidation.figures(months).values if key.startswith("ind.")}
    flow = Indicator.objects.filter(kind=IndicatorKind.FLOW, code__in=reported).order_by("code").first()
    key = f"ind.{flow.code}"
    monthly = {period: consolidation.figures([period]).get(key) for period in months}
    assert all(monthly.values())
    assert consolidation.figures(months).get(key) == sum(monthly.values())       # a flow adds up
    with CaptureQueriesContext(connection) as queries:
        consolidation.figures(months)
    assert len(queries) == 1                                                   # the kinds came from the cache
    flow.kind = IndicatorKind.CUMULATIVE
    flow.save()
    assert consolidation.figures(months).get(key) == monthly[generated["april"]]   # a running total: April's

"""A range of months folds a service's measures by what they count: flows add up, a running total to date does not."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Measure, Service
from reporting.choices import SubmissionStatus
from reporting.figures import consolidation, totals
from reporting.models import DataValue, Submission
from reporting.periods import default_schedule

from .. import conftest

pytestmark = pytest.mark.django_db

# Bến Nghé's first quarter of births registered (DVC22, given a running total as DVC12 reports one):
# month → (records received in the month, received to date).
QUARTER = {1: (10, 100), 2: (30, 130), 3: (30, 160)}


@pytest.fixture
def quarter(city, month):
    births = Service.objects.get(code="DVC22")
    births.measures.add(*conftest.measures("received_to_date"))
    schedule = default_schedule()
    periods = []
    for number, (received, to_date) in QUARTER.items():
        period = schedule.period_for(2024, number)
        submission = Submission.objects.create(period=period, agency=city["ben_nghe"], status=SubmissionStatus.APPROVED)
        DataValue.objects.create(submission=submission, key="dvc.DVC22.received", number=received)
        DataValue.objects.create(submission=submission, key="dvc.DVC22.received_to_date", number=to_date)
        totals.count([submission.pk])      # approved here without the workflow, which would add it up
        periods.append(period)
    return periods


def test_a_quarter_takes_the_last_month_of_a_running_total_and_adds_up_a_flow(quarter):
    figures = consolidation.figures(quarter)
    assert figures.get("dvc.DVC22.received_to_date") == Decimal(160)     # March's total to date, not 390
    assert figures.get("dvc.DVC22.received") == Decimal(70)              # the three months' records


def test_making_a_measure_cumulative_changes_how_its_months_fold(quarter, django_capture_on_commit_callbacks):
    """What a range takes the last month of is cached; an edit of a measure in the admin reaches the next range."""
    assert consolidation.figures(quarter).get("dvc.DVC22.received") == Decimal(70)
    with CaptureQueriesContext(connection) as queries:
        consolidation.figures(quarter)
    assert len(queries) == 1                                               # the codes came from the cache
    with django_capture_on_commit_callbacks(execute=True):
        received = Measure.objects.get(code="received")
        received.cumulative = True
        received.save()
    assert consolidation.figures(quarter).get("dvc.DVC22.received") == Decimal(30)   # March's

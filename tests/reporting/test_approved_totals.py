"""The kept totals of approved months are what adding the approved cells up gives, whatever happened to them.

Each test compares what consolidation reads from the totals with the same figures added up live from the
cells (``include_submitted``, which reads the cells, on months where every report is approved) and with a
bare SQL sum: approving, reopening, approving again, two approvals at once.
"""

import io
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from reporting.choices import SubmissionStatus
from reporting.figures import consolidation, totals
from reporting.models import CityTotal, DataValue, Submission, UnitTotal
from reporting.models.organisation import lineage_ids
from reporting.operations import city_generator
from reporting.submissions import workflow
from tests.submissions.helpers import fill_april

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    """3 generated wards and the city's other units, every one approved in March and April 2024."""
    return city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 3), months=2).periods


def sql_sums(period):
    """key → SUM(number) of the month's approved cells, one hand-written query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.key, SUM(v.number) FROM {DataValue._meta.db_table} v JOIN {Submission._meta.db_table} s "
            "ON s.id = v.submission_id WHERE s.period_id = %s AND s.status = %s AND v.number IS NOT NULL "
            "GROUP BY v.key", [period.pk, SubmissionStatus.APPROVED])
        return {key: Decimal(str(total)) for key, total in cursor.fetchall()}


def live_and_kept(function, *args, **kwargs):
    return function(*args, include_submitted=True, **kwargs), function(*args, **kwargs)


def test_the_kept_totals_of_a_generated_city_are_the_cells_added_up(generated):
    march, april = generated
    assert CityTotal.objects.filter(period=april).exists()
    live, kept = live_and_kept(consolidation.figures, generated)
    assert kept.values == live.values and kept.coverage == live.coverage
    numbers = {key: total for key, total in consolidation.figures([april]).values.items()
               if consolidation.figures([april]).coverage_of(key).numbers}
    assert numbers == sql_sums(april)
    keys = sorted({key for key in live.values if key.startswith("ind.")})
    live_series, kept_series = live_and_kept(consolidation.series, generated, keys)
    assert kept_series == live_series and kept_series.coverage == live_series.coverage
    assert any(key.startswith("dvc.*.") for key in kept_series)
    # A unit's kept row carries its submission's month and unit, by which the dashboard reads it.
    assert UnitTotal.objects.filter(period=april).count() == UnitTotal.objects.filter(submission__period=april).count() > 0
    assert not UnitTotal.objects.exclude(period=F("submission__period"), agency=F("submission__agency")).exists()


def test_a_group_of_units_adds_its_own_rows(generated):
    march, april = generated
    wards = list(Submission.objects.filter(period=april, agency__kind="ward").values_list("agency", flat=True))
    scope = lineage_ids(wards[:2])
    live, kept = live_and_kept(consolidation.series, generated, [], agencies=scope)
    assert kept == live and kept.coverage == live.coverage and kept
    every_unit = list(Submission.objects.filter(period=april).values_list("agency", flat=True))
    live_units, kept_units = live_and_kept(consolidation.service_totals_by_unit, [march, april], agencies=every_unit)
    assert kept_units == live_units and len(kept_units) > 3


def test_reopening_takes_a_month_back_and_approving_it_again_counts_it_once(city, month, people):
    april = month["april"]
    report = fill_april(people["ward_officer"], city, month)
    workflow.submit(report, people["ward_head"], version=report.version)
    assert not CityTotal.objects.exists()                        # submitted is not approved
    workflow.approve(report, people["compiler"], version=report.version)
    assert consolidation.figures([april]).get("ind.EID_ACTIVATED") == Decimal(7_856_474)
    assert consolidation.figures([april]).get("dvc.DVC22.online") == Decimal(1100)
    workflow.reopen(report, people["compiler"], version=report.version, reason="Sửa số liệu.")
    assert not UnitTotal.objects.exists() and not CityTotal.objects.exists()     # no unit counts any more
    assert consolidation.figures([april]).values == {}
    workflow.submit(report, people["ward_head"], version=report.version)
    workflow.approve(report, people["compiler"], version=report.version)
    assert consolidation.figures([april]).get("ind.EID_ACTIVATED") == Decimal(7_856_474)
    kept = list(CityTotal.objects.order_by("key").values_list("key", "total", "numbers", "none", "unknown"))
    totals.rebuild()
    assert list(CityTotal.objects.order_by("key").values_list("key", "total", "numbers", "none", "unknown")) == kept


def test_a_reopened_unit_leaves_the_others_in_the_citys_row(generated):
    march, april = generated
    submission = Submission.objects.filter(period=april, agency__kind="ward").first()
    before = consolidation.figures([april])
    own = dict(submission.values.filter(number__isnull=False).values_list("key", "number"))
    compiler = Submission.objects.filter(period=april).first().submitted_by
    workflow.reopen(submission, compiler, version=submission.version, reason="Kiểm tra lại.")
    after = consolidation.figures([april])
    key = next(key for key in sorted(own) if own[key])
    assert after.get(key) == before.get(key) - own[key]
    assert after.coverage_of(key).numbers == before.coverage_of(key).numbers - 1
    live = consolidation.figures([april], include_submitted=True)   # the reopened month is not submitted
    assert after.values == live.values
    assert not UnitTotal.objects.filter(submission=submission).exists()
    shares = consolidation.series([april], [])
    assert shares == consolidation.series([april], [], include_submitted=True) and shares


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_both_count(city, month, people, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL: SQLite khóa cả tệp nên không có hai lần ghi đồng thời")
    reports = [fill_april(people["ward_officer"], city, month)]
    other = Submission.objects.create(period=month["april"], agency=city["ben_thanh"])
    DataValue.objects.create(submission=other, key="ind.EID_ACTIVATED", number=100)
    reports.append(other)
    for report in reports:
        workflow.submit(report, people["compiler"], version=report.version)
    barrier = threading.Barrier(2, timeout=10)
    count = totals.count

    def count_together(submission_ids):
        barrier.wait()
        return count(submission_ids)

    monkeypatch.setattr(totals, "count", count_together)
    errors = []

    def approve(report):
        try:
            workflow.approve(report, people["compiler"], version=report.version)
        except Exception as error:          # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(report,)) for report in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    city_row = CityTotal.objects.get(period=month["april"], key="ind.EID_ACTIVATED")
    assert (city_row.total, city_row.numbers) == (Decimal(7_856_574), 2)


def test_rebuild_totals_computes_them_again_after_a_repair_by_sql(generated):
    march, april = generated
    CityTotal.objects.filter(period=april).update(total=0, numbers=0)     # as a faulty restore would leave them
    UnitTotal.objects.filter(submission__period=april).delete()
    assert consolidation.figures([april]).values != consolidation.figures([april], include_submitted=True).values
    out = io.StringIO()
    call_command("rebuild_totals", stdout=out)
    assert "Đã tính lại" in out.getvalue()
    live, kept = live_and_kept(consolidation.figures, generated)
    assert kept.values == live.values and kept.coverage == live.coverage
    assert consolidation.series([april], []) == consolidation.series([april], [], include_submitted=True)

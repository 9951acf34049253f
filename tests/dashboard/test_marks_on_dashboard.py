""""Chưa có số liệu" is not 0 on the dashboard: shares are over the units that reported, and say how many."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reporting.choices import CellMark
from reporting.dashboard import overview
from reporting.models import DataValue, Submission
from reporting.submissions import workflow

from .. import conftest
from ..submissions.helpers import april_reported
from .test_pages import APRIL, DASHBOARD_QUERIES

pytestmark = pytest.mark.django_db
SHARE_MEASURES = ("received", "online", "resolved", "on_time")


@pytest.fixture
def reported(city, month, people):
    return april_reported(city, month, people)


def approved_with(agency, month, people, cells):
    """``agency``'s April approved with ``cells``: key → a number or a CellMark."""
    submission = Submission.objects.create(period=month["april"], agency=agency)
    for key, value in cells.items():
        marked = isinstance(value, CellMark)
        DataValue.objects.create(submission=submission, key=key, number=None if marked else value,
                                 mark=value if marked else "")
    deadline = timezone.make_aware(datetime.datetime.combine(month["april"].deadline, datetime.time(8)))
    workflow.submit(submission, people["compiler"], version=submission.version, now=deadline)
    workflow.approve(submission, people["compiler"], version=submission.version)
    cache.clear()
    return submission


def online_kpi():
    return overview.build((2024, 4), (2024, 4)).kpis[0]


def test_a_unit_that_marked_every_cell_unknown_is_counted_as_missing(reported, city, month, people):
    approved_with(city["vo_thi_sau"], month, people,
                  {f"dvc.DVC22.{measure}": CellMark.UNKNOWN for measure in SHARE_MEASURES})
    kpi = online_kpi()
    assert (kpi.text, kpi.parts) == ("88%", "1.100/1.250")          # Bến Nghé's alone, not diluted by a zero
    assert kpi.coverage_text == "trên 1/2 đơn vị có số liệu"
    row = next(row for row in overview.build((2024, 4), (2024, 4), node_pk=city["q3"].pk).rows
               if row.pk == city["vo_thi_sau"].pk)
    assert row.online_text == ""                                  # the table prints "—", never "0/0 (0%)"


def test_a_share_counts_a_part_only_beside_its_whole_from_the_same_unit(reported, city, month, people):
    approved_with(city["vo_thi_sau"], month, people, {
        "dvc.DVC22.online": 500, "dvc.DVC22.received": CellMark.UNKNOWN,
        "dvc.DVC23.online": CellMark.NONE, "dvc.DVC23.received": CellMark.NONE})
    kpi = online_kpi()
    assert (kpi.text, kpi.parts) == ("88%", "1.100/1.250")          # 500 online of an unknown whole: left out
    assert kpi.coverage_text == "trên 2/2 đơn vị có số liệu"      # "không phát sinh" is reported: a true zero


def test_a_figure_nobody_reported_says_so_instead_of_zero(city, month, people):
    approved_with(city["ben_nghe"], month, people,
                  {f"dvc.DVC22.{measure}": CellMark.UNKNOWN for measure in SHARE_MEASURES})
    kpi = online_kpi()
    assert kpi.value is None and kpi.text == "Chưa có số liệu" and kpi.coverage_text == "trên 0/1 đơn vị có số liệu"
    approved_with(city["vo_thi_sau"], month, people,
                  {f"dvc.DVC22.{measure}": CellMark.NONE for measure in SHARE_MEASURES})
    assert online_kpi().coverage_text == "trên 1/2 đơn vị có số liệu"


def test_the_page_says_over_how_many_units_in_the_same_number_of_queries(client, reported, city, month, people,
                                                                       django_assert_max_num_queries):
    approved_with(city["vo_thi_sau"], month, people,
                  {f"dvc.DVC22.{measure}": CellMark.UNKNOWN for measure in SHARE_MEASURES})
    client.login(username="leader", password=conftest.PASSWORD)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        html = client.get(APRIL).content.decode()
    assert 'data-testid="kpi-coverage">trên 1/2 đơn vị có số liệu<' in html
    assert "0/0" not in html

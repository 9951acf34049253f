"""A unit formed by the 1/7/2025 reorganisation continues the figures of the units it was formed from."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from indicators.models import Indicator
from reporting.choices import AgencyKind, Role
from reporting.dashboard import overview
from reporting.models import Agency, DataValue, Share, Succession, User
from reporting.periods import default_schedule
from reporting.submissions import store, workflow
from reporting.submissions.store import CellValue

from .. import conftest

pytestmark = pytest.mark.django_db
JULY_1 = datetime.date(2025, 7, 1)
NEWS = "ind.NEWS_PRESS"


@pytest.fixture
def merged(city, month, people):
    """Phường Sài Gòn, formed on 1/7/2025 from the whole of Bến Nghé and parts of Bến Thành and Võ Thị Sáu."""
    saigon = Agency.objects.create(code="XA26740", name="Phường Sài Gòn", kind=AgencyKind.WARD, parent=city["root"],
                                   valid_from=JULY_1)
    for old, share in (("ben_nghe", Share.WHOLE), ("ben_thanh", Share.PART), ("vo_thi_sau", Share.PART)):
        Succession.objects.create(successor=saigon, predecessor=city[old], share=share)
    Indicator.objects.filter(code="NEWS_PRESS").update(reporter_kind=AgencyKind.WARD, on_dashboard=True)
    schedule = default_schedule()
    june, july = schedule.period_for(2025, 6), schedule.period_for(2025, 7)
    for unit, number in (("ben_nghe", 12), ("ben_thanh", 7), ("vo_thi_sau", 5)):
        approved(city[unit], june, {NEWS: number, "dvc.DVC22.received": number * 10}, people)
    approved(saigon, july, {NEWS: 30, "dvc.DVC22.received": 300}, people)
    return {"saigon": saigon, "june": june, "july": july}


def approved(agency, period, numbers, people):
    values = {key: CellValue(number=Decimal(number)) for key, number in numbers.items()}
    submission = store.save_values(agency=agency, period=period, user=people["compiler"], values=values, version=0)
    on_time = datetime.datetime(period.year, period.month, 10, 9, tzinfo=datetime.timezone.utc)
    workflow.submit(submission, people["compiler"], version=submission.version, now=on_time)
    workflow.approve(submission, people["compiler"], version=submission.version)


def june_sums(agencies, period):
    """The predecessors' June figures, summed by the database."""
    rows = (DataValue.objects.filter(submission__agency__in=agencies, submission__period=period)
            .values("key").annotate(total=Sum("number")).order_by())
    return {row["key"]: row["total"] for row in rows}


def test_the_first_month_compares_with_the_predecessors_sum(city, merged):
    predecessors = [city["ben_nghe"], city["ben_thanh"], city["vo_thi_sau"]]
    before = store.previous_values(merged["saigon"], merged["july"])
    assert {key: value.number for key, value in before.items()} == june_sums(predecessors, merged["june"])
    assert before[NEWS].number == 24
    # August is the ward's own second month: it compares with its own July.
    august = default_schedule().period_for(2025, 8)
    assert store.previous_values(merged["saigon"], august)[NEWS].number == 30
    # The entry page reads the same in its one query for both months.
    assert store.values_with_previous(merged["saigon"], merged["july"], None) == ({}, before)
    assert store.values_with_previous(merged["saigon"], august, None)[1][NEWS].number == 30


def test_the_entry_pages_one_query_keeps_the_month_and_the_month_before_apart(merged, people):
    august = default_schedule().period_for(2025, 8)
    values = {NEWS: CellValue(number=Decimal(31))}
    submission = store.save_values(agency=merged["saigon"], period=august, user=people["compiler"], values=values,
                                   version=0)
    assert store.values_with_previous(merged["saigon"], august, submission) == (
        values, store.previous_values(merged["saigon"], august))
    # A page that read the month before its first save: the saved cells are neither its nor July's.
    assert store.values_with_previous(merged["saigon"], august, None)[0] == {}
    assert store.values_with_previous(merged["saigon"], august, None)[1][NEWS].number == 30


def series(board, name):
    kpi = next(kpi for kpi in board.kpis if kpi.label == name)
    return {point.label: point.value for point in kpi.series}


def test_the_ward_and_the_city_trend_run_across_july_2025(city, merged):
    name = "Tin đăng trên báo"
    predecessors = [city["ben_nghe"], city["ben_thanh"], city["vo_thi_sau"]]
    june = june_sums(predecessors, merged["june"])[NEWS]
    ward = series(overview.build((2025, 7), (2025, 7), node_pk=merged["saigon"].pk), name)
    assert (ward["6/2025"], ward["7/2025"]) == (june, 30)
    city_trend = series(overview.build((2025, 7), (2025, 7)), name)
    every_june_unit = DataValue.objects.filter(submission__period=merged["june"], key=NEWS).aggregate(total=Sum("number"))
    assert (city_trend["6/2025"], city_trend["7/2025"]) == (every_june_unit["total"], 30)


def test_a_dissolved_unit_is_not_asked_for_a_later_month_and_its_officer_is_told_who_reports(client, city, merged,
                                                                                              people):
    july = merged["july"]
    expected = set(july.expected_agencies().values_list("code", flat=True))
    assert "XA26740" in expected and not expected & {"Q01-BNG", "Q01-BTH", "Q01"}
    client.login(username="ward_officer", password=conftest.PASSWORD)
    page = client.get(reverse("entry", args=[2025, 7, city["ben_nghe"].pk])).content.decode()
    assert ("Phường Bến Nghé đã kết thúc hoạt động từ ngày 01/07/2025. Địa bàn của đơn vị nay do Phường Sài Gòn "
            "báo cáo.") in page
    assert 'id="entry-form"' not in page
    page = client.get(reverse("entry", args=[2025, 7, city["ben_thanh"].pk]))
    assert page.status_code == 404      # another ward: out of the officer's scope


def test_pc06_moves_the_accounts_of_a_dissolved_ward_to_its_successor(client, city, merged, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    detail = client.get(reverse("agency_detail", args=[city["ben_nghe"].pk])).content.decode()
    assert "Phường Sài Gòn" in detail and 'data-testid="move-accounts"' in detail
    response = client.post(reverse("move_accounts", args=[city["ben_nghe"].pk]),
                           {"successor": merged["saigon"].pk}, follow=True)
    assert "Đã chuyển 2 tài khoản của Phường Bến Nghé sang Phường Sài Gòn." in response.content.decode()
    assert set(User.objects.filter(agency=merged["saigon"]).values_list("role", flat=True)) == {Role.OFFICER, Role.HEAD}
    # A unit that was not dissolved has nothing to move, and nobody else may move accounts.
    refused = client.post(reverse("move_accounts", args=[merged["saigon"].pk]), {"successor": city["dept"].pk},
                          follow=True).content.decode()
    assert "vẫn đang hoạt động" in refused
    client.login(username="ward_head", password=conftest.PASSWORD)
    assert client.post(reverse("move_accounts", args=[city["ben_nghe"].pk]),
                       {"successor": merged["saigon"].pk}).status_code == 403

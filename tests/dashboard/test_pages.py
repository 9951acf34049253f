"""The dashboard pages: who may open them, completeness, drill-down, caching, queries, Excel."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from reporting.choices import AgencyKind
from reporting.dashboard import overview, views
from reporting.figures import targets
from reporting.models import Agency, Submission
from reporting.periods import default_schedule
from reporting.submissions import workflow
from reporting.templatetags.charts import line_chart

from .. import conftest
from ..submissions.helpers import april_reported

pytestmark = pytest.mark.django_db
APRIL = reverse("dashboard", args=[2024, 4])


@pytest.fixture
def reported(city, month, people):
    return april_reported(city, month, people)


def open_as(client, username, url=APRIL, **query):
    client.login(username=username, password=conftest.PASSWORD)
    return client.get(url, query)


def test_a_leader_lands_on_the_latest_month_past_its_deadline(client, reported):
    client.login(username="leader", password=conftest.PASSWORD)
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("dashboard_home")
    default_schedule().period_for(2024, 5)      # past its deadline, but nothing approved in it yet
    assert client.get(reverse("dashboard_home"))["Location"] == APRIL
    picked = client.get(reverse("dashboard_home"), {"ky": "2024-03", "thang": "24", "tu": ""})
    assert picked["Location"] == reverse("dashboard", args=[2024, 3]) + "?thang=24"


@pytest.mark.parametrize("username, status", [("leader", 200), ("compiler", 200), ("admin", 200),
                                              ("ward_officer", 403), ("district_officer", 403), ("dept_officer", 403)])
def test_only_leaders_pc06_and_administrators_open_it(client, reported, username, status):
    assert open_as(client, username).status_code == status
    assert client.get(reverse("dashboard_xlsx", args=[2024, 4])).status_code == status


def test_a_leader_changes_nothing(client, reported, city):
    open_as(client, "leader")
    assert client.post(APRIL).status_code == 405
    entry = reverse("entry", args=[2024, 4, city["ben_thanh"].pk])
    page = client.get(entry)
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b"<main>")[1]
    assert client.post(entry, {"version": 0}).status_code == 403
    review = reverse("review", args=[reported.pk, "reopen"])
    assert client.post(review, {"version": reported.version, "reason": "x"}).status_code in (403, 404)
    assert Submission.objects.get(pk=reported.pk).status == "approved"


def test_completeness_counts_each_kind_and_lists_the_missing_units(client, reported):
    html = open_as(client, "leader").content.decode()
    assert 'data-testid="submitted">2/7</strong> đơn vị đã nộp (28,57%)' in html
    assert 'data-testid="on-time">1<' in html and 'data-testid="late">1<' in html
    assert 'data-testid="missing-count">5<' in html
    board = overview.get((2024, 4), (2024, 4))
    wards = next(kind for kind in board.kinds if kind.kind == AgencyKind.WARD)
    assert (wards.expected, wards.on_time, wards.late, wards.missing) == (3, 1, 0, 2)
    assert {unit.name: unit.status for unit in board.missing} == {
        "Công an Thành phố": "Chưa nhập", "Sở Tư pháp": "Chưa nhập", "Quận 3": "Chưa nhập",
        "Phường Bến Thành": "Đang nhập", "Phường Võ Thị Sáu": "Chưa nhập"}


def test_drill_down_from_the_city_to_a_district_to_a_ward_to_its_submission(client, reported, city):
    html = open_as(client, "leader").content.decode()
    assert f'href="?&amp;don-vi={city["q1"].pk}" data-testid="drill">Quận 1</a>' in html
    district = open_as(client, "leader", **{"don-vi": city["q1"].pk}).content.decode()
    assert "Toàn thành phố</a>" in district and "› <strong>Quận 1</strong>" in district
    assert "Phường Bến Nghé" in district and "Phường Võ Thị Sáu" not in district
    assert "1.100/1.250 (88%)" in district        # Bến Nghé's online records: the ward's row and Quận 1's
    # Ids are written plainly in links, never grouped like numbers ("7.616").
    Agency.objects.create(pk=7616, code="Q01-BIG", name="Phường có mã số lớn", kind=AgencyKind.WARD, parent=city["q1"])
    cache.clear()
    assert 'don-vi=7616"' in open_as(client, "leader", **{"don-vi": city["q1"].pk}).content.decode()
    ward = open_as(client, "leader", **{"don-vi": city["ben_nghe"].pk}).content.decode()
    assert f'<a href="?&amp;don-vi={city["q1"].pk}">Quận 1</a>' in ward
    submission = reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    assert f'href="{submission}" data-testid="open-submission"' in ward
    assert client.get(submission).status_code == 200


def test_a_unit_outside_the_period_or_a_bad_query_is_refused_in_vietnamese(client, reported):
    assert open_as(client, "leader", **{"don-vi": 999999}).status_code == 404
    bad = open_as(client, "leader", tu="2024-13")
    assert bad.status_code == 400 and "không đúng dạng năm-tháng" in bad.content.decode()
    assert "12, 24 hoặc 36" in open_as(client, "leader", thang="7").content.decode()
    assert open_as(client, "leader", tu="2024-05").status_code == 400
    assert open_as(client, "leader", url=reverse("dashboard", args=[2031, 1])).status_code == 404


def test_the_page_is_cached_until_a_submission_changes_status(client, reported, people, city, month,
                                                              django_capture_on_commit_callbacks):
    first = overview.get((2024, 4), (2024, 4))
    assert overview.get((2024, 4), (2024, 4)).built_at == first.built_at
    late = Submission.objects.get(agency=city["q1"], period=month["april"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(late, people["compiler"], version=late.version)
    again = overview.get((2024, 4), (2024, 4))
    assert again.built_at > first.built_at


@pytest.mark.parametrize("extra_wards", [0, 40])
def test_a_page_runs_a_fixed_number_of_queries_whatever_the_number_of_units(client, reported, city, month,
                                                                       django_assert_max_num_queries, extra_wards):
    for number in range(extra_wards):
        ward = Agency.objects.create(code=f"Q01-X{number}", name=f"Phường {number}", kind=AgencyKind.WARD,
                                     parent=city["q1"])
        Submission.objects.create(period=month["april"], agency=ward)
    client.login(username="leader", password=conftest.PASSWORD)
    for query in ({}, {"don-vi": city["q1"].pk}, {"tu": "2024-03", "thang": "36"}):
        cache.clear()
        client.login(username="leader", password=conftest.PASSWORD)
        with django_assert_max_num_queries(DASHBOARD_QUERIES):
            assert client.get(APRIL, query).status_code == 200
        with django_assert_max_num_queries(CACHED_QUERIES):
            assert client.get(APRIL, query).status_code == 200


# user, bell, periods, units, targets, indicators, series, unit totals, models and their cells, tasks, the grid's
# submissions and its expected units; with a unit chosen, its ancestors (the breadcrumbs) and its predecessors
# too (one query, one more per generation of predecessors it has)
DASHBOARD_QUERIES = 15
CACHED_QUERIES = 2       # user and bell


def test_a_district_of_many_wards_lists_its_worst_first_and_every_one_on_request(client, reported, city, month,
                                                                                  monkeypatch):
    monkeypatch.setattr(views, "SHOWN_UNITS", 3)
    for number in range(6):
        Agency.objects.create(code=f"Q01-X{number}", name=f"Phường thêm {number}", kind=AgencyKind.WARD,
                              parent=city["q1"])
    page = open_as(client, "leader", don_vi_query(city["q1"])).content.decode()
    table = page.split('data-testid="units-table"')[1].split("</table>")[0]
    grid = page.split('data-testid="units-grid"')[1].split("</table>")[0]
    assert table.count('data-testid="unit-row"') == 3 and grid.count('<th scope="row"') == 3
    assert "3 đơn vị kém nhất trong 9" in page      # Quận 1, its two wards and six more
    every = re.search(r'href="([^"]+)" data-testid="every-unit"', page).group(1).replace("&amp;", "&")
    whole = client.get(APRIL + every).content.decode()
    assert whole.split('data-testid="units-table"')[1].count('data-testid="unit-row"') == 9
    assert 'data-testid="every-unit"' not in whole and "Phường thêm 5" in whole


def don_vi_query(agency):
    return f"{APRIL}?don-vi={agency.pk}"


def test_the_excel_export_holds_the_page(client, reported):
    response = open_as(client, "leader", url=reverse("dashboard_xlsx", args=[2024, 4]))
    assert response["Content-Disposition"].endswith('dieu-hanh-de-an-06-2024-04.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ số chính", "Chỉ tiêu kế hoạch", "Tình hình nộp", "Đơn vị", "Xếp hạng",
                               "Xu hướng", "Mô hình điểm", "Nhiệm vụ chậm"]
    kpis = {row[0]: row[1:] for row in book["Chỉ số chính"].iter_rows(min_row=2, values_only=True)}
    assert kpis["Hồ sơ dịch vụ công thiết yếu nộp trực tuyến"] == (88, "%", "1.100/1.250",
                                                                  "trên 1/1 đơn vị có số liệu")
    submitted = list(book["Tình hình nộp"].iter_rows(min_row=2, values_only=True))
    assert ("Tổng", 7, 2, 1, 1, 5) in submitted
    assert ("Phường Bến Thành", "Cấp xã (phường, xã, thị trấn)", "Quận 1", "Đang nhập") in [
        row[:4] for row in submitted]


def test_a_chart_is_svg_with_vietnamese_numbers_and_breaks_where_a_month_is_missing():
    kpi = targets.Kpi("Tài khoản", "tài khoản", Decimal(4317962), series=[
        targets.Point("2/2024", Decimal(4000000)), targets.Point("3/2024", None),
        targets.Point("4/2024", Decimal(4317962))])
    svg = line_chart(kpi)
    assert svg.startswith("<svg") and "4.317.962" in svg and "4.000.000" in svg
    path = svg.split('d="')[1].split('"')[0]
    assert path.count("M") == 2 and "L" not in path      # the missing month breaks the line
    assert "<title>3/2024" not in svg and "<title>4/2024: 4.317.962</title>" in svg


def ticks(svg):
    """The value axis's two labels, top then bottom."""
    return [text.split(">")[1].split("<")[0] for text in svg.split('<text class="tick"')[1:3]]


@pytest.mark.parametrize("values, unit, expected", [
    ([Decimal("93.95"), Decimal("94.20")], "%", ["100%", "0%"]),          # a share: the whole scale, never cut
    ([Decimal("100.63")], "%", ["100,63%", "0%"]),
    ([Decimal(0)], "hồ sơ", ["1", "0"]),                                  # one month of zero: no −1 below it
    ([Decimal(4000000), Decimal(4317962)], "tài khoản", ["4.317.962", "0"]),   # a count too: a 8 % rise stays one
])
def test_a_charts_axis_starts_at_zero_and_never_goes_negative(values, unit, expected):
    kpi = targets.Kpi("x", unit, values[-1], series=[targets.Point(f"{month}/2024", value)
                                                       for month, value in enumerate(values, start=1)])
    assert ticks(line_chart(kpi)) == expected


@pytest.mark.parametrize("value, target, unit, gap, reached", [
    (Decimal("34.19"), Decimal(50), "%", "−15,81 điểm %", False),
    (Decimal("80"), Decimal(80), "%", "±0 điểm %", True),
    (Decimal("1200"), Decimal(1000), "hồ sơ", "+200 hồ sơ", True),
])
def test_a_target_gap_reads_the_vietnamese_way(value, target, unit, gap, reached):
    kpi = targets.Kpi("x", unit, value, target=target)
    assert (kpi.gap, kpi.reached) == (gap, reached)

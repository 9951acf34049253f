"""The leaders' first screen: who is late, what moved since last month, the units worst first, who reported each
month, and the one-page summary for the steering committee's meeting — in a fixed number of queries."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from reporting.choices import AgencyKind, Progress
from reporting.dashboard import overview
from reporting.dashboard.grid import State
from reporting.figures.targets import Standing
from reporting.models import Agency, DataValue, Submission
from reporting.operations import city_generator
from reporting.submissions import workflow

from .. import conftest
from ..submissions.helpers import april_reported, save

pytestmark = pytest.mark.django_db
APRIL = reverse("dashboard", args=[2024, 4])
PRINT = reverse("dashboard_print", args=[2024, 4])
DECEMBER_PRINT = reverse("dashboard_print", args=[2024, 12])


@pytest.fixture
def reported(city, month, people):
    """April as ``april_reported`` leaves it, and Bến Nghé's March approved on time with other figures."""
    march = save(people["ward_officer"], city, month, {
        "dvc.DVC22.received": 1000, "dvc.DVC22.online": 800, "dvc.DVC22.resolved": 900, "dvc.DVC22.on_time": 850,
        "ind.EID_ACTIVATED": 7000000, "ind.NEWS_PRESS": 20}, period="march")
    deadline = timezone.make_aware(datetime.datetime.combine(month["march"].deadline, datetime.time(8)))
    workflow.submit(march, people["ward_officer"], version=march.version, now=deadline)
    workflow.approve(march, people["compiler"], version=march.version)
    Indicator.objects.filter(code__in=["EID_ACTIVATED", "NEWS_PRESS"]).update(on_dashboard=True)
    return april_reported(city, month, people)


def open_as_leader(client, url=APRIL, **query):
    client.login(username="leader", password=conftest.PASSWORD)
    return client.get(url, query).content.decode()


def order_in(html, names):
    return sorted(names, key=html.index)


def test_who_is_late_lists_the_units_that_have_not_reported_then_those_that_reported_late(client, reported):
    board = overview.build((2024, 4), (2024, 4))
    assert [(unit.name, unit.status) for unit in board.late_units] == [
        ("Công an Thành phố", "Chưa nhập"), ("Phường Võ Thị Sáu", "Chưa nhập"), ("Quận 3", "Chưa nhập"),
        ("Sở Tư pháp", "Chưa nhập"), ("Phường Bến Thành", "Đang nhập"), ("Quận 1", "Nộp muộn")]
    html = open_as_leader(client)
    late = html.split('data-testid="late-units"')[1].split("</section>")[0]
    assert 'data-testid="late-count">6</strong>/7 đơn vị' in late
    assert "chưa nộp <strong>5</strong> · nộp muộn <strong>1</strong>" in late
    assert late.count('data-testid="late-unit"') == 5 and "Xem thêm 1 đơn vị" in late   # the sixth is folded
    quan_1 = Agency.objects.get(code="Q01")
    assert f'href="?&amp;don-vi={quan_1.pk}">Quận 1</a>' in late


def test_what_moved_is_the_biggest_changes_from_march_to_april_relative_to_march(reported):
    moves = overview.build((2024, 4), (2024, 4)).movers
    assert [(move.label, move.text) for move in moves] == [
        ("Tin đăng trên báo", "giảm 8 tin (−40%)"),
        ("Tài khoản định danh điện tử đã kích hoạt", "tăng 856.474 tài khoản (+12,24%)"),
        ("Hồ sơ dịch vụ công thiết yếu nộp trực tuyến", "tăng 8 điểm % (80% → 88%)"),
        ("Hồ sơ dịch vụ công thiết yếu giải quyết đúng hạn", "tăng 3,89 điểm % (94,44% → 98,33%)"),
    ]
    assert [move.months for move in moves][0] == ("3/2024", "4/2024")


def test_the_units_table_lists_the_worst_first(client, reported):
    html = open_as_leader(client)
    table = html.split('data-testid="units-table"')[1].split("</table>")[0]
    names = ["Công an Thành phố", "Quận 3", "Sở Tư pháp", "Quận 1"]
    assert order_in(table, names) == names        # none reported, by name; then Quận 1's 2/3
    assert 'data-sort="number"><button type="button">Đã nộp</button>' in table
    district = open_as_leader(client, **{"don-vi": Agency.objects.get(code="Q01").pk})
    table = district.split('data-testid="units-table"')[1].split("</table>")[0]
    # The chosen unit stays on top, its wards follow worst first: Bến Thành's draft before Bến Nghé's report.
    assert order_in(table, ["Quận 1", "Phường Bến Thành", "Phường Bến Nghé"]) == [
        "Quận 1", "Phường Bến Thành", "Phường Bến Nghé"]
    assert "data-pinned" in table.split("Phường Bến Thành")[0]


def test_the_grid_shows_each_rows_units_reporting_each_month_with_words_and_colours(client, reported):
    grid = overview.build((2024, 4), (2024, 4)).grid
    assert grid.months == ["3/24", "4/24"]
    cells = {row.name: [(cell.state, cell.abbreviation, cell.count) for cell in row.cells] for row in grid.rows}
    assert cells == {
        "Quận 3": [(State.MISSING, "T", 2), (State.MISSING, "T", 2)],
        "Quận 1": [(State.MISSING, "T", 2), (State.MISSING, "T", 1)],       # Bến Nghé in March; and Quận 1, late, in April
        "Công an Thành phố": [(State.MISSING, "T", 1), (State.MISSING, "T", 1)],
        "Sở Tư pháp": [(State.MISSING, "T", 1), (State.MISSING, "T", 1)],
    }
    assert [row.name for row in grid.rows] == ["Quận 3", "Quận 1", "Công an Thành phố", "Sở Tư pháp"]
    quan_1 = next(row for row in grid.rows if row.name == "Quận 1")
    assert quan_1.cells[1].description == "4/2024: 2/3 đơn vị đã nộp, 1 nộp muộn"
    html = open_as_leader(client)
    section = html.split('data-testid="grid-section"')[1].split("</details>")[0]
    assert '<td class="grid-cell grid-missing" title="4/2024: 2/3 đơn vị đã nộp, 1 nộp muộn">T<small>1</small></td>' in section
    assert all(meaning in section for _, _, meaning in State.LEGEND)
    ward = open_as_leader(client, **{"don-vi": Agency.objects.get(code="Q01").pk})
    rows = ward.split('data-testid="units-grid"')[1].split("</table>")[0]
    assert order_in(rows, ["Quận 1", "Phường Bến Thành", "Phường Bến Nghé"])[0] == "Quận 1"   # the chosen unit first


def test_a_months_grid_cell_is_late_when_all_reported_and_one_was_late(city, month, people, reported):
    for agency in ("ben_thanh",):
        submission = Submission.objects.get(agency=city[agency], period=month["april"])
        deadline = timezone.make_aware(datetime.datetime.combine(month["april"].deadline, datetime.time(8)))
        workflow.submit(submission, people["compiler"], version=submission.version, now=deadline)
    quan_1 = next(row for row in overview.build((2024, 4), (2024, 4)).grid.rows if row.name == "Quận 1")
    assert (quan_1.cells[1].state, quan_1.cells[1].abbreviation, quan_1.cells[1].count) == (State.LATE, "M", 1)


@pytest.mark.parametrize("extra_wards", [0, 40])
def test_the_page_runs_the_same_queries_whatever_the_number_of_units(client, reported, city, month, extra_wards,
                                                                     django_assert_num_queries):
    for number in range(extra_wards):
        ward = Agency.objects.create(code=f"Q01-X{number}", name=f"Phường {number}", kind=AgencyKind.WARD,
                                     parent=city["q1"])
        Submission.objects.create(period=month["april"], agency=ward)
    client.login(username="leader", password=conftest.PASSWORD)
    cache.clear()
    # the session, the user, the bell; periods, units, targets, indicators, series, unit totals, models and their
    # cells, tasks; the grid's submissions by (month, row) and its expected units by row
    with django_assert_num_queries(14):
        html = client.get(APRIL).content.decode()
    assert f'data-testid="late-count">{6 + extra_wards}<' in html
    with django_assert_num_queries(2):      # cached: the user and the bell
        client.get(APRIL)
    with django_assert_num_queries(2):      # the printed page reads the same cached dashboard: the user, the bell
        client.get(PRINT)


@pytest.fixture
def generated(transactional_db):
    """The real catalogs, 40 generated wards, November–December 2024 approved; 30 wards have not reported
    December, and every task due by then is still under way (overdue): the longest the printed page gets."""
    history = city_generator.generate_history(city_generator.load_city(wards=40), first=(2024, 11), months=2)
    conftest.unreported(history.periods[-1], kind=AgencyKind.WARD, code__gt="BENCH-P010")
    DataValue.objects.filter(key__startswith="nv.", key__endswith=".status").update(text=Progress.IN_PROGRESS)
    conftest.make_user("lanh_dao", "leader")
    return history


def pdf_pages(html):
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("css/dashboard-print.css"))
    return len(HTML(string=html, base_url=".").render(stylesheets=[stylesheet]).pages)


def test_the_printed_summary_is_one_a4_page_even_with_many_units_late(client, generated):
    client.login(username="lanh_dao", password=conftest.PASSWORD)
    response = client.get(DECEMBER_PRINT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "TÓM TẮT PHỤC VỤ HỌP BAN CHỈ ĐẠO" in html and 'href="/static/css/dashboard-print.css"' in html
    assert "Chưa nộp (30):" in html and "và 18 đơn vị khác" in html          # twelve named, the rest counted
    # Target 4 at its deadline and not reached: behind.
    assert f'<span class="status standing-{Standing.BEHIND}">Chậm</span>' in html
    assert "14 chỉ tiêu chưa đo được" in html
    overdue = overview.get((2024, 12), (2024, 12)).overdue
    assert len(overdue) >= 12 and f"và {len(overdue) - 8} nhiệm vụ khác" in html       # eight named
    assert pdf_pages(html) == 1
    dashboard = client.get(reverse("dashboard", args=[2024, 12])).content.decode()
    assert dashboard.count(f'href="{DECEMBER_PRINT}"') == 1                       # the dashboard links to it


def test_only_leaders_pc06_and_administrators_print_it(client, reported):
    for username, status in (("leader", 200), ("compiler", 200), ("ward_officer", 403)):
        client.login(username=username, password=conftest.PASSWORD)
        assert client.get(PRINT).status_code == status
    assert client.get(PRINT, {"thang": "7"}).status_code in (400, 403)
    client.login(username="leader", password=conftest.PASSWORD)
    assert client.get(PRINT, {"thang": "7"}).status_code == 400


def test_a_sparkline_starts_at_zero_draws_the_target_and_says_the_trend_in_words():
    from decimal import Decimal

    from reporting.figures import targets
    from reporting.months import Month
    from reporting.templatetags.charts import sparkline

    points = [targets.Point(f"{month}/2024", value, Month(2024, month))
              for month, value in ((2, Decimal("30.5")), (3, None), (4, Decimal("34.19")))]
    svg = sparkline(targets.Kpi("Chi trả không dùng tiền mặt", "%", Decimal("34.19"), series=points,
                                target=Decimal(50)))
    assert svg.startswith('<svg class="spark"') and 'data-axis-min="0"' in svg
    assert 'aria-label="Xu hướng Chi trả không dùng tiền mặt: 2/2024 30,5%, 4/2024 34,19%; chỉ tiêu 50%"' in svg
    assert '<line class="target"' in svg
    path = svg.split('d="')[1].split('"')[0]
    assert path.count("M") == 2 and "L" not in path                  # the missing month breaks the line
    one_month = targets.Kpi("x", "%", Decimal(1), series=points[-1:])
    assert "Chưa đủ tháng để vẽ xu hướng" in sparkline(one_month)

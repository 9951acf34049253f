"""The plan board on the real 2024 plan: overdue tasks first, as reported by the lead units, filtered by lead unit."""

import re

import pytest
from django.urls import reverse

from indicators.models import Plan, PlanTask
from reporting.choices import Progress, Role
from reporting.figures import plan_progress, targets
from reporting.models import Agency
from reporting.periods import default_schedule

from .. import conftest
from ..report.helpers import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def april(catalogs):
    return default_schedule().period_for(2024, 4)


@pytest.fixture
def pc06(catalogs):
    return conftest.make_user("pc06.board", Role.COMPILER, Agency.objects.get(code="PC06"))


def plan():
    return Plan.objects.get(number="1302/KH-UBND")


def test_overdue_tasks_come_first_and_a_task_reported_done_is_not_overdue(april, pc06):
    lines = plan_progress.task_board(plan(), april)
    assert len(lines) == 47
    overdue = [line for line in lines if line.overdue]
    assert overdue and lines[:len(overdue)] == overdue
    assert all(line.task.due_date < april.window_end for line in overdue)
    done = overdue[0].task
    lead = done.units.filter(role="lead").exclude(agency=None).first().agency
    report(lead.code, april, {f"nv.{done.pk}.status": Progress.DONE,
                              f"nv.{done.pk}.product": "Kế hoạch số 125/KH-STP ngày 02/4/2024"}, compiler=pc06)
    line = next(line for line in plan_progress.task_board(plan(), april) if line.task == done)
    assert (line.overdue, line.progress_label) == (False, "Đã hoàn thành")
    assert (lead.name, "Sản phẩm", "Kế hoạch số 125/KH-STP ngày 02/4/2024") in line.reports


def test_filtering_by_lead_unit_keeps_the_tasks_it_leads_by_name_or_by_kind(april):
    catp = Agency.objects.get(code="CATP")
    numbers = {line.task.number for line in plan_progress.task_board(plan(), april, lead=catp)}
    by_name = set(PlanTask.objects.filter(units__role="lead", units__agency=catp).values_list("number", flat=True))
    assert "01" in numbers and by_name <= numbers
    district = Agency.objects.filter(kind="district").first()
    district_numbers = {line.task.number for line in plan_progress.task_board(plan(), april, lead=district)}
    assert "03" in district_numbers and "01" not in district_numbers      # task 03: "UBND các quận, huyện"


def test_the_board_page_is_for_pc06_and_leaders_with_the_target_table(client, april, pc06, people):
    url = reverse("plan_board", args=[plan().pk])
    client.login(username="ward_officer", password=conftest.PASSWORD)
    assert client.get(url).status_code == 403
    client.login(username="pc06.board", password=conftest.PASSWORD)
    html = client.get(url, {"ky": "2024-04"}).content.decode()
    assert "Tiến độ Kế hoạch 1302/KH-UBND · Tháng 4/2024" in html
    rows = re.findall(r'<tr data-task="[^"]+"( class="overdue")?>', html)
    assert len(rows) == 47 and rows[0] and not rows[-1]
    assert rows == sorted(rows, reverse=True)       # every overdue row before every other one
    assert "Chưa có chỉ số đo" in html and "Tối thiểu 50% trong tổng số đối tượng" in html
    catp = Agency.objects.get(code="CATP")
    filtered = client.get(url, {"ky": "2024-04", "chu-tri": catp.pk}).content.decode()
    assert f"do {catp.name} chủ trì" in filtered
    assert client.get(url, {"ky": "2024-13"}).status_code == 400
    # Without a month: the latest month past its deadline, but a past year's plan as it stood at its year's end.
    assert "Tiến độ Kế hoạch 1302/KH-UBND · Tháng 4/2024" in client.get(url).content.decode()
    default_schedule().period_for(2025, 1)
    assert "Tiến độ Kế hoạch 1302/KH-UBND · Tháng 12/2024" in client.get(url).content.decode()


def test_the_board_reads_in_a_fixed_number_of_queries(april, django_assert_num_queries):
    the_plan = plan()
    with django_assert_num_queries(3):      # tasks with their progress, their units, the units' notes
        plan_progress.task_board(the_plan, april)


def test_a_target_shows_its_actual_value_from_the_approved_figures(april, pc06):
    report("SLDTBXH", april, {"ind.ASXH_PAID_VIA_ACCOUNT": 53020, "ind.ASXH_BENEFICIARIES": 155052}, compiler=pc06)
    target = next(row for row in targets.plan_targets(plan(), april) if row.code == "4")
    assert (target.kpi.text, target.kpi.gap, target.kpi.reached) == ("34,19%", "−15,81 điểm %", False)

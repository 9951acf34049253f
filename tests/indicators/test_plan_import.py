"""PC06 loads the 2024 plan from its task appendix in .xlsx: preview with the unmatched names, then confirm."""

import io

import openpyxl
import pytest
from django.urls import reverse

from indicators.deadlines import DeadlineKind
from indicators.models import Plan, PlanTask, PlanTaskUnit
from reporting.catalog.loading import load_agencies, read_fixture
from reporting.models import Agency, ImportBatch
from reporting.units.names import NameMatcher

from .. import conftest
from .helpers import HEADER, appendix_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def pc06(people):
    load_agencies()
    return people["compiler"]


def upload(client, workbook, **header):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client.post(reverse("plan_upload"), {**HEADER, **header, "file": workbook})


def test_the_2024_appendix_loads_47_tasks_in_7_groups_after_a_preview_of_unmatched_names(client, pc06):
    response = upload(client, appendix_workbook())
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("plan_import_preview", args=[batch.pk])
    assert not Plan.objects.exists()                             # nothing before the confirmation
    preview = client.get(response["Location"]).content.decode()
    assert "<strong>47</strong> nhiệm vụ trong <strong>7</strong> nhóm" in preview
    matcher = NameMatcher(Agency.objects.all())
    unmatched = {name for task in read_fixture("plan_1302_2024_tasks.csv")
                 for name in matcher.match_list(task["lead"]).unresolved + matcher.match_list(task["coordinating"]).unresolved}
    assert unmatched, "the seed names units no catalog holds (e.g. central bodies are loaded, but not every one)"
    for name in unmatched:
        assert name in preview
    done = client.post(reverse("plan_import_confirm", args=[batch.pk]))
    plan = Plan.objects.get(number="1302/KH-UBND")
    assert done["Location"] == reverse("plan_detail", args=[plan.pk])
    assert (plan.tasks.count(), plan.task_groups.count()) == (47, 7)
    assert not plan.tasks.filter(deadline_kind=DeadlineKind.UNPARSED).exists()
    assert PlanTaskUnit.objects.filter(task__plan=plan, task__number="01", role="lead",
                                       agency__code="CATP").exists()      # printed "Công an thành phố"
    assert PlanTask.objects.get(plan=plan, number="40").due_date.isoformat() == "2024-04-30"
    assert client.post(reverse("plan_import_confirm", args=[batch.pk])).status_code == 302
    assert Plan.objects.count() == 1                               # confirming twice creates nothing more


def test_a_file_with_problems_is_refused_by_row_and_column_and_nothing_is_kept(client, pc06):
    def break_rows(rows):
        rows.insert(0, ["1", "Nhiệm vụ trước nhóm", "Công an Thành phố", "", "Quý II/2024", ""])
        rows[3][1] = ""                                            # a task with no content
        rows.append([rows[2][0], "Trùng số", "", "", "", ""])      # a number twice
        rows[6][4] = "=B7"                                         # a formula instead of the printed deadline

    response = upload(client, appendix_workbook(break_rows))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nhiệm vụ đứng trước mọi dòng tên nhóm" in html and "Thiếu nội dung." in html and "đã có ở dòng" in html
    assert "Ô E8 chứa công thức “=B7”" in html
    assert '<td class="num">2</td><td>STT</td>' in html and '<td class="num">5</td><td>Nội dung nhiệm vụ</td>' in html
    assert not ImportBatch.objects.exists() and not Plan.objects.exists()


def test_an_existing_plan_number_is_refused(client, pc06):
    Plan.objects.create(number="1302/KH-UBND", year=2024, title="x", issuer="x", declared_task_count=1)
    response = upload(client, appendix_workbook())
    assert response.status_code == 400 and "đã có trong danh mục" in response.content.decode()


def test_only_pc06_loads_a_plan_and_only_its_uploader_sees_the_preview(client, pc06, people):
    upload(client, appendix_workbook())
    batch = ImportBatch.objects.get()
    client.login(username="ward_officer", password=conftest.PASSWORD)
    assert client.get(reverse("plan_upload")).status_code == 403
    conftest.make_user("pc06.other", "compiler", Agency.objects.get(code="PC06"))
    client.login(username="pc06.other", password=conftest.PASSWORD)
    assert client.get(reverse("plan_import_preview", args=[batch.pk])).status_code == 404
    assert client.get(reverse("import_preview", args=[batch.pk])).status_code == 404    # not a values import
    template = client.get(reverse("plan_template"))
    assert openpyxl.load_workbook(io.BytesIO(template.content)).active["A1"].value == "STT"

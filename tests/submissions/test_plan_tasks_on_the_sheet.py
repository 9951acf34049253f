"""Plan tasks on a unit's sheet: the lead unit reports status, product and note; a coordinating unit adds a note."""

import pytest

from indicators.models import PlanTask, PlanTaskUnit, TaskRole
from reporting.choices import AgencyKind
from reporting.submissions import sheets

pytestmark = pytest.mark.django_db


def rows(sheet, slug):
    section = next(section for section in sheet.sections if section.slug == slug)
    return {row.code: [(cell.key, cell.kind, cell.required) for cell in row.cells] for row in section.rows}


@pytest.fixture
def coordinated(month, city):
    """Task 31 led by Sở Tư pháp, coordinated by the wards (by kind) and by Bến Nghé by name."""
    task = PlanTask.objects.create(plan=month["task"].plan, group=month["task"].group, number="31",
                                   content="Làm sạch dữ liệu hộ tịch", lead_text="Sở Tư pháp",
                                   coordinating_text="UBND các phường", deadline_text="Quý II/2024")
    PlanTaskUnit.objects.create(task=task, role=TaskRole.LEAD, agency=city["dept"])
    PlanTaskUnit.objects.create(task=task, role=TaskRole.COORDINATING, agency_kind=AgencyKind.WARD)
    PlanTaskUnit.objects.create(task=task, role=TaskRole.COORDINATING, agency=city["ben_nghe"])
    # Task 30 (every ward leads it) also names the wards as coordinating: leading wins.
    PlanTaskUnit.objects.create(task=month["task"], role=TaskRole.COORDINATING, agency_kind=AgencyKind.WARD)
    return task


def test_the_lead_unit_reports_status_product_and_note(month, city, coordinated):
    sheet = sheets.build(city["dept"], month["april"])
    assert rows(sheet, "nhiem-vu") == {"31": [
        (f"nv.{coordinated.pk}.status", sheets.CellKind.CHOICE, True),
        (f"nv.{coordinated.pk}.product", sheets.CellKind.TEXT, False),
        (f"nv.{coordinated.pk}.note", sheets.CellKind.TEXT, False),
    ]}
    assert rows(sheet, "phoi-hop") == {}


def test_a_coordinating_unit_adds_a_note_once_and_never_on_a_task_it_leads(month, city, coordinated):
    sheet = sheets.build(city["ben_nghe"], month["april"])
    assert rows(sheet, "phoi-hop") == {"31": [(f"nv.{coordinated.pk}.coordination", sheets.CellKind.TEXT, False)]}
    assert set(rows(sheet, "nhiem-vu")) == {"30"}
    assert f"nv.{coordinated.pk}.coordination" in {cell.key for cell in sheets.catalog(2024).cells}

"""A cached dashboard is stale as soon as what it shows changes, by any path, and never outlives its classes."""

import dataclasses

import pytest

from models_pilot.models import ModelProgramme
from reporting import stamps
from reporting.choices import SubmissionStatus
from reporting.dashboard import overview
from reporting.models import Submission
from reporting.submissions import workflow

from ..submissions.helpers import april_reported

pytestmark = pytest.mark.django_db
APRIL = (2024, 4)


@pytest.fixture
def reported(city, month, people):
    return april_reported(city, month, people)


def test_an_imported_history_approved_in_bulk_makes_the_dashboard_stale(reported, city, month, people,
                                                                        django_capture_on_commit_callbacks):
    first = overview.get(APRIL, APRIL)
    late = Submission.objects.get(agency=city["q1"], period=month["april"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve_imported_history([late], people["compiler"], file_name="lich-su.xlsx")
    late.refresh_from_db()
    assert late.status == SubmissionStatus.APPROVED
    assert late.status_changes.get(to_status=SubmissionStatus.APPROVED).comment == "Số liệu lịch sử nhập từ tệp “lich-su.xlsx”."
    assert overview.get(APRIL, APRIL).built_at > first.built_at


def test_an_edit_of_a_pilot_programme_makes_the_dashboard_stale(reported, django_capture_on_commit_callbacks):
    first = overview.get(APRIL, APRIL)
    with django_capture_on_commit_callbacks(execute=True):
        ModelProgramme.objects.create(code="KH-THU", name="Chương trình thử", declared_count=3)
    assert overview.get(APRIL, APRIL).built_at > first.built_at


def test_a_cache_key_changes_when_a_cached_class_moves_or_changes_shape():
    @dataclasses.dataclass
    class Kpi:
        label: str

    @dataclasses.dataclass
    class Reshaped:
        label: str
        target: int

    Reshaped.__qualname__ = Kpi.__qualname__
    moved = dataclasses.make_dataclass("Kpi", ["label"])
    moved.__module__ = "reporting.figures.elsewhere"
    tags = {stamps.shape_of(Kpi), stamps.shape_of(Reshaped), stamps.shape_of(moved)}
    assert len(tags) == 3
    assert stamps.shape_of(Kpi) == stamps.shape_of(Kpi)
    key = stamps.cache_key("dashboard", 2024, 4, stamps=[stamps.FIGURES], shape=stamps.shape_of(Kpi))
    assert key.startswith(f"dashboard:{stamps.shape_of(Kpi)}:") and key.endswith(":2024:4")

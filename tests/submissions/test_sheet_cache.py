"""A unit's sheet is read from the cache, and every kind of catalog edit makes the next read see the edit."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Measure, PlanTask, PlanTaskUnit, Service, TaskRole
from models_pilot.models import PilotModel
from reporting.choices import AgencyKind
from reporting.models import Agency, Share, Succession
from reporting.periods import default_schedule
from reporting.submissions import sheets

from ..conftest import measures

pytestmark = pytest.mark.django_db


def keys(agency, period):
    return {cell.key for cell in sheets.build(agency, period).cells}


def test_a_sheet_built_once_is_read_from_the_cache_without_a_query(month, city):
    built = keys(city["ben_nghe"], month["april"])
    with CaptureQueriesContext(connection) as queries:
        assert keys(city["ben_nghe"], month["april"]) == built
        assert keys(city["ben_nghe"], month["march"]) == built        # the same year, the same sheet
    assert len(queries) == 0


def test_units_no_catalog_names_share_their_kinds_sheet_built_once(month, city):
    built = keys(city["ben_thanh"], month["april"])
    with CaptureQueriesContext(connection) as queries:
        assert keys(city["vo_thi_sau"], month["april"]) == built
    assert len(queries) == 0


def test_a_unit_a_catalog_names_has_its_own_sheet_and_so_has_its_heir(month, city, django_capture_on_commit_callbacks):
    ward, april = city["ben_nghe"], month["april"]
    keys(city["vo_thi_sau"], april)                   # the kind's sheet, already cached
    indicator = Indicator.objects.create(code="VNEID_LEVEL2", name="Tài khoản mức 2", unit="tài khoản", kind="flow",
                                         order=3)
    with django_capture_on_commit_callbacks(execute=True):
        indicator.reporter_agencies.add(ward)
        heir = Agency.objects.create(code="P-SGN", name="Phường Sài Gòn", kind=AgencyKind.WARD,
                                     valid_from=datetime.date(2025, 7, 1))
        Succession.objects.create(successor=heir, predecessor=ward, share=Share.WHOLE)
    july = default_schedule().period_for(2025, 7)
    assert "ind.VNEID_LEVEL2" in keys(ward, april)
    assert "ind.VNEID_LEVEL2" not in keys(city["vo_thi_sau"], april)
    assert "ind.VNEID_LEVEL2" in keys(heir, july)
    assert "ind.VNEID_LEVEL2" not in keys(city["vo_thi_sau"], july)


def test_each_unit_and_year_has_its_own_sheet(month, city):
    assert "ind.EID_ACTIVATED" in keys(city["ben_nghe"], month["april"])
    assert "ind.EID_ACTIVATED" not in keys(city["dept"], month["april"])


@pytest.mark.parametrize("edit", [
    "new service", "service measures a new figure", "service handed to another kind", "indicator given to the ward",
    "model lead changed", "task given to the ward", "task removed",
])
def test_every_catalog_edit_is_on_the_next_sheet(month, city, edit, django_capture_on_commit_callbacks):
    ward, april = city["ben_nghe"], month["april"]
    indicator = Indicator.objects.create(code="VNEID_LEVEL2", name="Tài khoản mức 2", unit="tài khoản", kind="flow",
                                         order=3)
    before = keys(ward, april)
    with django_capture_on_commit_callbacks(execute=True):
        if edit == "new service":
            service = Service.objects.create(code="DVC30", name="Cấp bản sao trích lục", reporter_kind=AgencyKind.WARD,
                                             order=3)
            service.measures.set(measures("received"))      # a many-to-many change, as the admin saves it
            added, removed = {"dvc.DVC30.received"}, set()
        elif edit == "service measures a new figure":
            Service.objects.get(code="DVC22").measures.add(*measures("to_resolve"))
            added, removed = {"dvc.DVC22.to_resolve"}, set()

        elif edit == "service handed to another kind":
            Service.objects.filter(code="DVC24").update(reporter_kind=AgencyKind.DEPARTMENT)
            Service.objects.get(code="DVC24").save()        # the admin saves the object: its signal is what counts
            added, removed = set(), {"dvc.DVC24.count"}
        elif edit == "indicator given to the ward":
            indicator.reporter_agencies.add(ward)       # a many-to-many change: no post_save
            added, removed = {"ind.VNEID_LEVEL2"}, set()
        elif edit == "model lead changed":
            model = PilotModel.objects.get(code="MH02")
            model.lead_agency = city["dept"]
            model.save()
            added, removed = set(), {"mh.MH02.status"}
        elif edit == "task given to the ward":
            task = PlanTask.objects.create(plan=month["task"].plan, group=month["task"].group, number="31",
                                           content="Làm sạch dữ liệu", lead_text="UBND phường", deadline_text="Quý II")
            PlanTaskUnit.objects.create(task=task, role=TaskRole.LEAD, agency=ward)
            added, removed = {f"nv.{task.pk}.status"}, set()
        else:
            key = f"nv.{month['task'].pk}.status"
            month["task"].delete()
            added, removed = set(), {key}
    after = keys(ward, april)
    assert added <= after and not added & before
    assert removed <= before and not removed & after


def test_an_edit_of_a_measure_is_on_the_next_sheet(month, city, django_capture_on_commit_callbacks):
    """A measure's label heads its cells, and its whole bounds them: the admin's edit of either reaches the sheet."""
    ward, april = city["ben_nghe"], month["april"]
    assert sheets.build(ward, april).cell("dvc.DVC22.resolved").label == "Đã giải quyết"
    with django_capture_on_commit_callbacks(execute=True):
        resolved = Measure.objects.get(code="resolved")
        resolved.label, resolved.part_of = "Đã giải quyết xong", Measure.objects.get(code="received")
        resolved.save()
    sheet = sheets.build(ward, april)
    assert sheet.cell("dvc.DVC22.resolved").label == "Đã giải quyết xong"
    assert ("dvc.DVC22.resolved", "dvc.DVC22.received") in {(bound.part, bound.whole) for bound in sheet.bounds}


def test_a_sheet_built_while_a_catalog_edit_was_uncommitted_is_not_kept(month, city, django_capture_on_commit_callbacks):
    """The stamp moves again on commit: what another request cached in between, from the old catalog, is orphaned."""
    ward, april = city["ben_nghe"], month["april"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Service.objects.create(code="DVC30", name="Cấp bản sao trích lục", reporter_kind=AgencyKind.WARD,
                               order=3).measures.set(measures("received"))
    stale = sheets._build(ward, april)
    stale.sections[0].rows.pop()        # the sheet another request would have built before the commit
    cache.set(sheets.cache_key(ward, april), stale)
    assert "dvc.DVC30.received" not in keys(ward, april)
    for callback in callbacks:
        callback()
    assert "dvc.DVC30.received" in keys(ward, april)

"""load_catalogs: real rows from fixtures/, declared totals beside them, idempotent."""

import csv
import io
import shutil
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.forms.models import model_to_dict

from indicators.models import (
    Indicator,
    Plan,
    PlanTask,
    PlanTaskUnit,
    Service,
    ServiceList,
    TaskRole,
)
from models_pilot.models import ModelProgramme, PilotModel
from reporting.choices import AgencyKind
from reporting.models import Agency, ReminderRule

pytestmark = pytest.mark.django_db


def snapshot():
    """Every catalog row as plain data, to compare two loads."""
    models = [Agency, ServiceList, Service, Indicator, ModelProgramme, PilotModel, Plan, PlanTask, PlanTaskUnit,
              ReminderRule]
    return {model.__name__: sorted(map(str, (model_to_dict(obj) for obj in model.objects.all()))) for model in models}


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_agencies_are_the_hcmc_units_the_sources_name(catalogs):
    kinds = {kind: Agency.objects.filter(kind=kind).count() for kind in AgencyKind}
    assert kinds[AgencyKind.DISTRICT] == 22
    assert kinds[AgencyKind.DEPARTMENT] == 24
    assert kinds[AgencyKind.WARD] == 0  # named in no source: PC06 adds them
    assert Agency.objects.get(code="TPTD").name == "Thành phố Thủ Đức"
    # The district level ended on 1/7/2025: a 2024 month still has it, a 2026 month does not.
    assert Agency.objects.filter(kind=AgencyKind.DISTRICT).active_on(date(2024, 4, 14)).count() == 22
    assert Agency.objects.filter(kind=AgencyKind.DISTRICT).active_on(date(2026, 1, 14)).count() == 0
    assert Agency.objects.get(code="PC06").parent.code == "CATP"


def test_services_known_against_declared(catalogs):
    assert Service.objects.count() == 45
    assert sum(ServiceList.objects.values_list("declared_count", flat=True)) == 53
    assert set(ServiceList.objects.values_list("code", "declared_count")) == {("QD06", 25), ("QD422", 28)}
    assert {service_list.code: service_list.decision for service_list in ServiceList.objects.all()} == {
        "QD06": "06/QĐ-TTg", "QD422": "422/QĐ-TTg"}
    assert all(service_list.is_named_in(service_list.source) for service_list in ServiceList.objects.all())
    # Neither decision's own list is in a source we could read (fixtures/README.md): nothing is tagged yet.
    assert dict(ServiceList.objects.annotate(known=Count("services")).values_list("code", "known")) == {
        "QD06": 0, "QD422": 0}
    assert Service.objects.filter(service_list__isnull=True).count() == 45
    residence = Service.objects.get(name="Đăng ký thường trú")
    assert list(residence.reporter_agencies.values_list("code", flat=True)) == ["CATP"]
    assert Service.objects.get(name="Đăng ký cấp biển số xe mô tô, xe gắn máy").measures == "count"
    assert "con dấu nội" in Service.objects.get(code="DVC09").aliases  # the seed's misprint, kept as an alias


def test_every_spelling_in_the_sources_matches_one_service(catalogs):
    from reporting.units.names import normalise_name

    names = {}
    for service in Service.objects.all():
        for name in [service.name, *service.aliases.splitlines()]:
            assert names.setdefault(normalise_name(name), service.code) == service.code
    # Spellings of the same service in seed 000/004 and the public app list.
    for printed in [
        "Đăng ký tham gia đóng bảo hiểm xã hội tự nguyện",
        "Liên thông đăng ký khai tử - Xóa đăng ký thường trú - Trợ cấp mai táng phí",
        "Kết hợp đăng ký kết hôn, xác nhận tình trạng hôn nhân cấp Huyện",
        "Đăng ký thuế lần đầu, đăng ký thay đổi thông tin đăng ký thuế đối với người nộp thuế là hộ gia đình, cá nhân",
    ]:
        assert normalise_name(printed) in names


def test_indicators_of_the_april_report(catalogs):
    cashless = Indicator.objects.get(code="ASXH_CASHLESS_RATE")
    assert (cashless.numerator.code, cashless.denominator.code) == ("ASXH_PAID_VIA_ACCOUNT", "ASXH_BENEFICIARIES")
    assert Indicator.objects.get(code="CLEAN_TOTAL").components.count() == 8
    assert Indicator.objects.get(code="CCCD_RECORDS").kind == "cumulative"


def test_pilot_models_known_against_declared(catalogs):
    hcm = ModelProgramme.objects.get(code="HCM35")
    assert (hcm.models.count(), hcm.declared_count) == (19, 35)
    assert ModelProgramme.objects.get(code="HN17").models.count() == 0
    assert PilotModel.objects.exclude(number="").count() == 1  # only one plan number is certain


def test_plan_1302_as_printed(catalogs):
    plan = Plan.objects.get(number="1302/KH-UBND")
    assert plan.declared_task_count == 49
    assert plan.targets.count() == 15
    assert plan.task_groups.count() == 7
    assert sum(plan.task_groups.values_list("declared_task_count", flat=True)) == 48
    numbers = list(plan.tasks.order_by("number").values_list("number", flat=True))
    assert len(numbers) == 47 and "02" not in numbers and "10" not in numbers
    assert numbers[0] == "01" and numbers[-1] == "49"
    assert plan.targets.get(code="4").indicator.code == "ASXH_CASHLESS_RATE"
    assert plan.targets.get(code="3").value == 80


def test_task_units_resolved_from_printed_names(catalogs):
    def units(number, role):
        task = PlanTask.objects.get(number=number)
        found = task.units.filter(role=role)
        return {unit.agency.code if unit.agency else unit.agency_kind for unit in found}

    assert units("01", TaskRole.LEAD) == {"CATP"}  # printed "Công an thành phố"
    assert units("03", TaskRole.LEAD) == {"CATP", AgencyKind.DISTRICT}
    assert units("03", TaskRole.COORDINATING) == {AgencyKind.WARD}
    assert units("26", TaskRole.LEAD) == {"BCA", "BLDTBXH", "BTTTT"}
    assert units("31", TaskRole.COORDINATING) == {"STNMT", "STTTT", AgencyKind.DISTRICT, AgencyKind.WARD}
    assert units("21", TaskRole.LEAD) == set()  # no lead unit printed
    task = PlanTask.objects.get(number="08")
    assert (task.due_date, task.deadline_kind) == (date(2024, 12, 31), "date")


def test_second_load_changes_nothing(catalogs):
    before = snapshot()
    lines = run("load_catalogs").splitlines()
    assert len(lines) == 8       # one line per catalog, the report settings included
    assert all(": 0 mới, 0 cập nhật, " in line for line in lines), lines
    assert snapshot() == before


def test_admin_edits_survive_a_reload_and_update_restores_the_fixture(catalogs):
    Service.objects.filter(code="DVC01").update(name="Đăng ký thường trú (sửa)")
    run("load_catalogs")
    assert Service.objects.get(code="DVC01").name == "Đăng ký thường trú (sửa)"
    run("load_catalogs", "--update")
    assert Service.objects.get(code="DVC01").name == "Đăng ký thường trú"


def test_catalog_summary_prints_known_and_declared(catalogs):
    out = run("catalog_summary")
    lines = out.splitlines()
    for expected in [
        "agencies.district: 22",
        "agencies.department: 24",
        "services: 45 known / 53 declared",
        "services.QD06: 0 known / 25 declared",
        "services.QD422: 0 known / 28 declared",
        "pilot_models.HCM35: 19 known / 35 declared",
        "pilot_models.HN17: 0 known / 17 declared",
        "plan[1302/KH-UBND].targets: 15",
        "plan[1302/KH-UBND].task_groups: 7",
        "plan[1302/KH-UBND].tasks: 47 known / 49 declared (group headings add up to 48)",
        "plan[1302/KH-UBND].tasks_without_printed_lead: 2 (21, 23)",
    ]:
        assert expected in lines, expected
    assert "  chỉ tiêu 5.3: 10% — kiểm tra đột xuất tối thiểu 10% cơ quan, đơn vị, xã, phường, thị trấn." in lines
    assert "  TPTD: Thành phố Thủ Đức [Cấp huyện (quận, huyện, TP Thủ Đức), hiệu lực đến 30/06/2025]" in lines
    assert "  nhiệm vụ 49: chưa khớp đơn vị — lead: cơ quan báo, đài truyền hình" in lines
    counts_only = run("catalog_summary", "--counts-only").splitlines()
    assert all(not line.startswith(" ") for line in counts_only)


def test_a_broken_fixture_loads_nothing(catalogs, monkeypatch, settings, tmp_path):
    """One transaction: a bad row in the last file leaves every catalog untouched."""
    from reporting.catalog import loading

    for path in loading.FIXTURES_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    tasks = tmp_path / "plan_1302_2024_tasks.csv"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(",I,", ",XX,", 1), encoding="utf-8")
    Service.objects.all().delete()
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    with pytest.raises(KeyError):
        run("load_catalogs")
    assert Service.objects.count() == 0


def test_every_tagged_service_names_its_decision_and_no_list_outgrows_its_total(catalogs):
    for service_list in ServiceList.objects.annotate(known=Count("services")):
        assert service_list.known <= service_list.declared_count, service_list.code
        for service in service_list.services.all():
            assert service_list.is_named_in(service.source), (service.code, service_list.code)


def fixtures_with_services(monkeypatch, tmp_path, edits):
    """Copies of the fixtures, services.csv edited row by row ({code: {column: value}}), loaded from there."""
    from reporting.catalog import loading

    for path in loading.FIXTURES_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    with open(tmp_path / "services.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    for row in rows:
        row.update(edits.get(row["code"], {}))
    with open(tmp_path / "services.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)


@pytest.mark.parametrize("source", [
    "seed 000 §II.1.2 (1) 3600/3832, 93,95%",  # names no decision
    "QĐ 206/QĐ-TTg, mục 1",                    # another decision, whose number ends in 06
    "QĐ 422/QĐ-TTg, mục 1",                    # the other list's decision
])
def test_a_service_is_not_tagged_on_a_source_that_does_not_name_the_decision(monkeypatch, tmp_path, source):
    fixtures_with_services(monkeypatch, tmp_path, {"DVC01": {"service_list": "QD06", "source": source}})
    with pytest.raises(ValueError, match="DVC01: tagged QD06 but its source does not name 06/QĐ-TTg"):
        run("load_catalogs")
    assert Service.objects.count() == 0 and ServiceList.objects.count() == 0  # nothing half-loaded


def test_a_list_never_holds_more_services_than_its_decision_declares(monkeypatch, tmp_path):
    codes = [f"DVC{number:02}" for number in range(1, 27)]
    fixtures_with_services(monkeypatch, tmp_path, {
        code: {"service_list": "QD06", "source": f"QĐ 06/QĐ-TTg Phụ lục, mục {number}; test"}
        for number, code in enumerate(codes, start=1)})
    with pytest.raises(ValueError, match="tags 26 services with QD06, which declares 25"):
        run("load_catalogs")
    assert Service.objects.count() == 0


def test_a_list_code_the_fixture_does_not_declare_is_refused(monkeypatch, tmp_path):
    fixtures_with_services(monkeypatch, tmp_path, {"DVC01": {"service_list": "QD999", "source": "QĐ 999/QĐ-TTg"}})
    with pytest.raises(KeyError, match="QD999"):
        run("load_catalogs")


def test_a_service_tagged_on_its_decision_counts_for_the_list_and_reloads_unchanged(monkeypatch, tmp_path):
    source = "seed 000 §II.1.2 (1); QĐ 06/QĐ-TTg Phụ lục, mục 1; https://example.invalid/test"  # test data only
    fixtures_with_services(monkeypatch, tmp_path, {"DVC01": {"service_list": "QD06", "source": source}})
    run("load_catalogs")
    assert Service.objects.get(code="DVC01").service_list.code == "QD06"
    assert "services.QD06: 1 known / 25 declared" in run("catalog_summary", "--counts-only").splitlines()
    before = snapshot()
    run("load_catalogs")
    assert snapshot() == before

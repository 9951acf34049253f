"""load_catalogs: real rows from fixtures/, declared totals beside them, idempotent."""

import csv
import importlib
import io
import shutil
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.forms.models import model_to_dict

from indicators.models import (
    Indicator,
    Measure,
    Plan,
    PlanTask,
    PlanTaskUnit,
    Service,
    ServiceList,
    TaskRole,
)
from models_pilot.models import ModelProgramme, PilotModel
from reporting.catalog.loading import read_fixture
from reporting.choices import AgencyKind
from reporting.management.commands.load_catalogs import STEPS
from reporting.models import Agency, ReminderRule, ReportOutline, Share, Succession

pytestmark = pytest.mark.django_db


def snapshot():
    """Every catalog row as plain data, to compare two loads."""
    models = [Agency, ServiceList, Measure, Service, Indicator, ModelProgramme, PilotModel, Plan, PlanTask, PlanTaskUnit,
              ReminderRule]
    return {model.__name__: sorted(map(str, (model_to_dict(obj) for obj in model.objects.all()))) for model in models}


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_agencies_are_the_hcmc_units_the_sources_name(catalogs):
    reporting = Agency.objects.filter(is_reporting_unit=True)
    assert Agency.objects.get(code="TPTD").name == "Thành phố Thủ Đức"
    # The district level ended on 1/7/2025: a 2024 month still has it, a 2026 month does not.
    assert reporting.filter(kind=AgencyKind.DISTRICT).active_on(date(2024, 4, 14)).count() == 22
    assert reporting.filter(kind=AgencyKind.DISTRICT).active_on(date(2026, 1, 14)).count() == 0
    # The commune level: 273 units on 30/6/2025, the 168 of Nghị quyết 1685/NQ-UBTVQH15 from 1/7/2025.
    assert reporting.filter(kind=AgencyKind.WARD).active_on(date(2025, 6, 30)).count() == 273
    today = reporting.filter(kind=AgencyKind.WARD).active_on(date(2025, 7, 1))
    assert [today.filter(name__startswith=word).count() for word in ("Phường", "Xã", "Đặc khu")] == [113, 54, 1]
    assert Agency.objects.get(code="PC06").parent.code == "CATP"
    # The departments as reorganised on 1/3, 1/5 and 1/7/2025.
    assert reporting.filter(kind=AgencyKind.DEPARTMENT).active_on(date(2024, 4, 14)).count() == 24
    assert reporting.filter(kind=AgencyKind.DEPARTMENT).active_on(date(2026, 11, 14)).count() == 22
    assert set(Agency.objects.get(code="SNNMT25").predecessors.values_list("code", flat=True)) == {"SNNMT"}


def test_every_new_unit_names_what_it_was_formed_from(catalogs):
    saigon = Agency.objects.get(code="XA26740")
    assert saigon.name == "Phường Sài Gòn"
    links = {(link.predecessor.name, link.predecessor.parent.code, link.share)
             for link in saigon.predecessor_links.select_related("predecessor__parent")}
    assert links == {("Phường Bến Nghé", "Q01", Share.WHOLE), ("Phường Đa Kao", "Q01", Share.PART),
                     ("Phường Nguyễn Thái Bình", "Q01", Share.PART)}
    new_units = Agency.objects.filter(valid_from=date(2025, 7, 1), kind=AgencyKind.WARD)
    assert not new_units.filter(predecessor_links__isnull=True).exists()
    old_city_wards = Agency.objects.filter(kind=AgencyKind.WARD, valid_to=date(2025, 6, 30), is_reporting_unit=True)
    assert old_city_wards.count() == 273 and not old_city_wards.filter(successor_links__isnull=True).exists()
    assert Succession.objects.count() == 525
    # A unit taken whole has one successor; one taken in part has several.
    whole = Succession.objects.filter(share=Share.WHOLE).values("predecessor").annotate(n=Count("successor"))
    assert {row["n"] for row in whole} == {1}


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
    assert measure_codes("DVC10") == ["count"]      # "Đăng ký cấp biển số xe mô tô, xe gắn máy": a bare count
    assert measure_codes("DVC01") == ["received", "online", "resolved", "on_time"]
    assert "con dấu nội" in Service.objects.get(code="DVC09").aliases  # the seed's misprint, kept as an alias


def measure_codes(service_code):
    return [measure.code for measure in Service.objects.get(code=service_code).measures.all()]


def test_measures_are_those_seed_000_reports_each_a_part_of_its_whole(catalogs):
    measures = {measure.code: measure for measure in Measure.objects.all()}
    assert {code: measure.part_of.code if measure.part_of else None for code, measure in measures.items()} == {
        "received_to_date": None, "received": None, "online": "received", "direct": "received",
        "to_resolve": None, "resolved": "to_resolve", "on_time": "resolved", "count": None}
    assert [code for code, measure in measures.items() if measure.cumulative] == ["received_to_date"]
    assert (measures["to_resolve"].label, measures["direct"].label) == ("Phải giải quyết", "Trực tiếp")
    assert measures["received"].definition == "Tổng số hồ sơ tiếp nhận trong kỳ, gồm cả trực tuyến và trực tiếp."
    sources = {row["code"]: row["source"] for row in read_fixture("measures.csv")}
    assert all("seed 000 §II.1.2" in source for source in sources.values())
    assert "13.157/13.677" in sources["to_resolve"] and "11.024" in sources["direct"]


def test_the_migration_made_the_measures_the_fixture_describes():
    """Databases migrated from the fixed pair hold the five measures as a fresh load would make them."""
    migration = importlib.import_module("indicators.migrations.0004_measures")
    rows = {row["code"]: row for row in read_fixture("measures.csv")}
    orders = {code: order for order, code in enumerate(rows, start=1)}
    for code, label, definition, part_of, order in migration.MEASURES:
        assert (label, definition, order) == (rows[code]["label"], rows[code]["definition"], orders[code])
        assert part_of in (None, rows[code]["part_of"]) and rows[code]["cumulative"] == "no"


def test_services_report_the_measures_their_sentences_print(catalogs):
    assert measure_codes("DVC14") == ["received", "online", "direct", "to_resolve", "resolved", "on_time"]
    assert measure_codes("DVC16") == ["received", "online", "direct", "resolved", "on_time"]
    for bundle in ("DVC12", "DVC13"):
        assert measure_codes(bundle) == ["received_to_date", "received", "online", "resolved", "on_time"]
    assert not Service.objects.filter(measures=None).exists()


def test_a_services_portal_connection_is_loaded_only_where_seed_004_prints_it(catalogs):
    assert Service.objects.get(code="DVC22").portal_connection == "Đã kết nối"
    assert Service.objects.get(code="DVC01").portal_connection == ""          # no source says
    assert Service.objects.get(code="DVC26").portal_connection == ""          # seed 004's rows 7–8 leave it blank
    assert sorted(Service.objects.exclude(portal_connection="").values_list("code", flat=True)) == [
        "DVC12", "DVC13", "DVC22", "DVC23", "DVC24", "DVC25"]
    for service in Service.objects.exclude(portal_connection=""):
        assert "portal connection “Đã kết nối”" in service.source, service.code


def test_a_service_naming_an_unknown_measure_is_refused_and_nothing_is_loaded(monkeypatch, tmp_path):
    fixtures_with_services(monkeypatch, tmp_path, {"DVC14": {"measures": "received|online|resolve"}})
    before = Measure.objects.count()     # the migration's five, unless a flushing test ran first
    with pytest.raises(ValueError, match="services.csv DVC14: unknown measure code.s. resolve;"):
        run("load_catalogs")
    assert Service.objects.count() == 0 and Measure.objects.count() == before


def test_a_service_with_no_measure_is_refused(monkeypatch, tmp_path):
    fixtures_with_services(monkeypatch, tmp_path, {"DVC14": {"measures": ""}})
    with pytest.raises(ValueError, match="services.csv DVC14: no measure"):
        run("load_catalogs")
    assert Service.objects.count() == 0


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
    assert len(lines) == len(STEPS)       # one line per catalog, the measures and the report settings included
    assert all(": 0 mới, 0 cập nhật, " in line for line in lines), lines
    assert snapshot() == before


def test_admin_edits_survive_a_reload_and_update_restores_the_fixture(catalogs):
    Service.objects.filter(code="DVC01").update(name="Đăng ký thường trú (sửa)")
    Service.objects.get(code="DVC01").measures.remove(Measure.objects.get(code="on_time"))
    Measure.objects.filter(code="direct").update(label="Trực tiếp tại bộ phận một cửa", part_of=None)
    run("load_catalogs")
    assert Service.objects.get(code="DVC01").name == "Đăng ký thường trú (sửa)"
    assert measure_codes("DVC01") == ["received", "online", "resolved"]
    assert Measure.objects.get(code="direct").label == "Trực tiếp tại bộ phận một cửa"
    run("load_catalogs", "--update")
    assert Service.objects.get(code="DVC01").name == "Đăng ký thường trú"
    assert measure_codes("DVC01") == ["received", "online", "resolved", "on_time"]
    direct = Measure.objects.get(code="direct")
    assert (direct.label, direct.part_of.code) == ("Trực tiếp", "received")


def test_a_measure_created_by_the_migration_gets_its_whole_from_the_fixture(catalogs):
    """The migration made "resolved" before "to resolve" existed; a plain reload fills the whole in, keeping the rest."""
    Measure.objects.filter(code="resolved").update(part_of=None, label="Đã giải quyết (sửa)")
    run("load_catalogs")
    resolved = Measure.objects.get(code="resolved")
    assert (resolved.part_of.code, resolved.label) == ("to_resolve", "Đã giải quyết (sửa)")


def test_catalog_summary_prints_known_and_declared(catalogs):
    out = run("catalog_summary")
    lines = out.splitlines()
    for expected in [
        "agencies.district: 23",
        "agencies.department: 52",
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
    hierarchy = [line for line in lines if line.startswith("hierarchy.")]
    assert [line.split(" — ")[0] for line in hierarchy] == [
        "hierarchy.district@2025-06-30: 22 known / 22 declared (16 Quận + 5 Huyện + 1 Thành phố)",
        "hierarchy.ward@2025-06-30: 273 known / 273 declared (210 Phường + 58 Xã + 5 Thị trấn)",
        "hierarchy.ward@2025-07-01: 168 known / 168 declared (113 Phường + 54 Xã + 1 Đặc khu)",
    ]
    assert "nguồn: Nghị quyết 1685/NQ-UBTVQH15" in hierarchy[2]
    assert "  nhiệm vụ 49: chưa khớp đơn vị — lead: cơ quan báo, đài truyền hình" in lines
    counts_only = run("catalog_summary", "--counts-only").splitlines()
    assert all(not line.startswith(" ") for line in counts_only)


def test_a_broken_fixture_loads_nothing(catalogs, monkeypatch, settings, tmp_path):
    """One transaction: a bad row in the last file leaves every catalog untouched."""
    from reporting.catalog import loading

    for path in [*loading.FIXTURES_DIR.glob("*.csv"), *loading.FIXTURES_DIR.glob("*.json")]:
        shutil.copy(path, tmp_path / path.name)
    tasks = tmp_path / "plan_1302_2024_tasks.csv"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(",I,", ",XX,", 1), encoding="utf-8")
    ReportOutline.objects.all().delete()       # its sentences name services, which are protected by them
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

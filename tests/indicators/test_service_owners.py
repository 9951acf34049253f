"""One owner per service at each level (issue 18): no service is reported twice into the city's total.

Over the real catalogs: in a month of 2024 (the hierarchy of then), of 2025 (the departments merged on 1/3)
and of 2026 (the 168 communes and the departments of 1/7 and 1/10/2025), every service's cells are in the
sheet of at most one city-level unit, and at the ward level in every ward's or in none.
"""

import collections

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from indicators.admin import ServiceForm
from indicators.models import CITY_LEVEL_KINDS, Service
from indicators.resources import ServiceResource
from reporting.choices import AgencyKind
from reporting.models import Agency
from reporting.periods import default_schedule
from reporting.submissions import sheets

from .helpers import export, workbook
from .test_catalog_excel import logged_in, upload
from .test_load_catalogs import fixtures_with_services, run

pytestmark = pytest.mark.django_db

# month → the one unit whose sheet holds DVC14 and DVC15: Sở LĐ-TB&XH, then its heir Sở Nội vụ (1/3, 1/7/2025).
LABOUR_OWNER = {(2024, 4): "SLDTBXH", (2025, 4): "SNV2503", (2026, 1): "SNV25"}


def owners_by_service(period):
    """service code → the units of ``period`` whose sheet has the service's row, as (kind, code)."""
    owners = collections.defaultdict(set)
    for agency in period.expected_agencies():
        for row in sheets._build(agency, period).sections[0].rows:
            owners[row.code].add((agency.kind, agency.code))
    return owners


@pytest.mark.parametrize("month", list(LABOUR_OWNER), ids=lambda month: f"{month[0]}-{month[1]:02d}")
def test_no_service_is_in_the_sheets_of_two_city_level_units(catalogs, month):
    period = default_schedule().period_for(*month)
    owners = owners_by_service(period)
    shared = set(Service.objects.filter(is_shared_total=True).values_list("code", flat=True))
    wards = set(period.expected_agencies().filter(kind=AgencyKind.WARD).values_list("code", flat=True))

    assert len(owners) >= 30                            # the check ran over the catalog, not over nothing
    for code, units in owners.items():
        city_level = sorted(unit for kind, unit in units if kind in CITY_LEVEL_KINDS)
        assert len(city_level) <= 1 or code in shared, (code, city_level)
        in_wards = {unit for kind, unit in units if kind == AgencyKind.WARD}
        assert in_wards in (set(), wards), (code, len(in_wards), len(wards))
    assert {unit for _, unit in owners["DVC14"]} == {LABOUR_OWNER[month]}
    assert {unit for _, unit in owners["DVC15"]} == {LABOUR_OWNER[month]}
    assert {unit for kind, unit in owners["DVC22"] if kind in CITY_LEVEL_KINDS} == {
        "STP" if month < (2025, 7) else "STP25"}


def test_the_catalog_names_one_owner_for_unemployment_and_the_foreign_workers_permit(catalogs):
    assert list(Service.objects.get(code="DVC14").reporter_agencies.values_list("code", flat=True)) == ["SLDTBXH"]
    assert list(Service.objects.get(code="DVC15").reporter_agencies.values_list("code", flat=True)) == ["SLDTBXH"]
    assert not Service.objects.filter(is_shared_total=True).exists()    # no source says units share a total


def test_a_unit_carved_out_of_one_that_goes_on_takes_none_of_its_services(catalogs):
    """Sở QH-KT (1/10/2025) came out of Sở Xây dựng, which still reports the driving licences (DVC16)."""
    period = default_schedule().period_for(2026, 1)
    planning, construction = Agency.objects.get(code="SQHKT"), Agency.objects.get(code="SXD25")

    assert "DVC16" not in {row.code for row in sheets._build(planning, period).sections[0].rows}
    assert "DVC16" in {row.code for row in sheets._build(construction, period).sections[0].rows}


def test_a_split_departments_services_go_to_the_part_that_kept_its_name(catalogs):
    """Sở Nội vụ (to 28/2/2025) went in part to the new Sở Nội vụ and in part to Sở Dân tộc và Tôn giáo."""
    Service.objects.get(code="DVC44").reporter_agencies.add(Agency.objects.get(code="SNV"))
    period = default_schedule().period_for(2025, 4)

    def services_of(code):
        return {row.code for row in sheets._build(Agency.objects.get(code=code), period).sections[0].rows}

    assert "DVC44" in services_of("SNV2503")
    assert "DVC44" not in services_of("SDTTG")


def test_the_loader_refuses_a_second_city_level_owner_naming_the_service_and_the_units(monkeypatch, tmp_path):
    fixtures_with_services(monkeypatch, tmp_path, {"DVC16": {"reporters": "SGTVT|CATP"}})
    with pytest.raises(ValueError, match=r"services.csv DVC16: 2 city-level units report it "
                                         r"\(CATP = Công an Thành phố Hồ Chí Minh, SGTVT = Sở Giao thông vận tải\)"):
        run("load_catalogs")
    assert Service.objects.count() == 0


def test_the_loader_refuses_a_shared_total_on_a_service_one_unit_reports(monkeypatch, tmp_path):
    fixtures_with_services(monkeypatch, tmp_path, {"DVC16": {"shared_total": "a source"}})
    with pytest.raises(ValueError, match="services.csv DVC16: shared_total is filled but only 1 city-level unit"):
        run("load_catalogs")


def test_units_that_report_parts_of_one_total_all_get_the_service(monkeypatch, tmp_path):
    # Not a real row: a copy of the fixtures whose DVC16 says, with its source, that two units share the total.
    fixtures_with_services(monkeypatch, tmp_path, {"DVC16": {"reporters": "SGTVT|CATP",
                                                             "shared_total": "văn bản giao mỗi đơn vị một phần"}})
    run("load_catalogs")
    assert Service.objects.get(code="DVC16").is_shared_total
    period = default_schedule().period_for(2024, 4)
    for code in ("SGTVT", "CATP"):
        assert sheets._build(Agency.objects.get(code=code), period).cell("dvc.DVC16.received"), code


def test_a_second_owner_added_in_code_is_refused_unless_the_total_is_shared(catalogs):
    licences, police = Service.objects.get(code="DVC16"), Agency.objects.get(code="CATP")
    with pytest.raises(ValidationError, match="Dịch vụ DVC16 có 2 đơn vị cấp thành phố cùng báo cáo"), \
            transaction.atomic():
        licences.reporter_agencies.add(police)
    assert list(licences.reporter_agencies.values_list("code", flat=True)) == ["SGTVT"]

    licences.reporter_agencies.add(Agency.objects.get(code="PC06"))   # not a reporting unit: it has no sheet
    licences.is_shared_total = True
    licences.save()
    licences.reporter_agencies.add(police)
    assert licences.reporter_agencies.count() == 3


def service_form(service, **changes):
    data = {**model_to_dict(service), **changes}
    data = {name: [item.pk for item in value] if isinstance(value, list) else value for name, value in data.items()}
    return ServiceForm(data={name: value for name, value in data.items() if value is not None}, instance=service)


def test_the_admin_form_says_which_units_would_report_the_service_twice(catalogs):
    unemployment = Service.objects.get(code="DVC14")
    both = [Agency.objects.get(code="SLDTBXH"), Agency.objects.get(code="BHXHTP")]

    form = service_form(unemployment, reporter_agencies=both)
    assert not form.is_valid()
    assert ("Dịch vụ DVC14 có 2 đơn vị cấp thành phố cùng báo cáo: BHXHTP (Bảo hiểm xã hội Thành phố), "
            "SLDTBXH (Sở Lao động – Thương binh và Xã hội)") in form.errors["reporter_agencies"][0]

    shared = service_form(unemployment, reporter_agencies=both, is_shared_total=True)
    assert shared.is_valid(), shared.errors
    shared.save()
    assert unemployment.reporter_agencies.count() == 2


def test_an_excel_import_giving_a_service_a_second_owner_is_refused(client, catalogs, people):
    client = logged_in(client, people["compiler"])
    headers, rows = export(client, Service, ServiceResource)
    code, reporters = headers.index("Mã"), headers.index("Đơn vị báo cáo")
    next(row for row in rows if row[code] == "DVC16")[reporters] = "SGTVT, CATP"

    preview = upload(client, Service, workbook(headers, rows))

    assert "Dịch vụ DVC16 có 2 đơn vị cấp thành phố cùng báo cáo" in preview.content.decode()
    assert preview.context.get("confirm_form") is None
    assert list(Service.objects.get(code="DVC16").reporter_agencies.values_list("code", flat=True)) == ["SGTVT"]

"""What a service reports is data: its measures are its cells, their labels head them, their wholes bound them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Service
from reporting.choices import AgencyKind
from reporting.models import DataValue
from reporting.submissions import rules, sheets

from .. import conftest
from .helpers import form_data

pytestmark = pytest.mark.django_db

UNEMPLOYMENT = ("received", "online", "direct", "to_resolve", "resolved", "on_time")


@pytest.fixture
def unemployment(month):
    """DVC14 as seed 000 reports it, given to the wards: received, online and direct, to resolve, resolved, on time."""
    service = Service.objects.create(code="DVC14", name="Giải quyết hưởng trợ cấp thất nghiệp",
                                     reporter_kind=AgencyKind.WARD, order=3)
    service.measures.set(conftest.measures(*UNEMPLOYMENT))
    return service


def service_row(sheet, code):
    return next(row for row in sheet.sections[0].rows if row.code == code)


def bound(sheet, code, part, whole):
    return sheets.Bound(f"dvc.{code}.{part}", f"dvc.{code}.{whole}", *(
        sheet.cell(f"dvc.{code}.{measure}").label for measure in (part, whole)))


def test_a_service_that_reports_cases_to_resolve_has_those_cells_with_their_labels(city, month, unemployment):
    row = service_row(sheets.build(city["ben_nghe"], month["april"]), "DVC14")
    assert [(cell.key, cell.label) for cell in row.cells] == [
        ("dvc.DVC14.received", "Tiếp nhận"), ("dvc.DVC14.online", "Trực tuyến"), ("dvc.DVC14.direct", "Trực tiếp"),
        ("dvc.DVC14.to_resolve", "Phải giải quyết"), ("dvc.DVC14.resolved", "Đã giải quyết"),
        ("dvc.DVC14.on_time", "Đúng hạn"), ("dvc.DVC14.note", "Khó khăn, vướng mắc (nếu có)")]
    assert row.cells[3].help.startswith("Số hồ sơ phải giải quyết trong kỳ")
    # Every measure is a required count; the remark after them is an optional text (test_service_remarks.py).
    assert row.counts == row.cells[:-1]
    assert all(cell.required and cell.kind == sheets.CellKind.COUNT for cell in row.counts)
    assert row.ratio == ("dvc.DVC14.online", "dvc.DVC14.received")


def test_a_service_is_bounded_by_the_wholes_it_reports(city, month, unemployment):
    sheet = sheets.build(city["ben_nghe"], month["april"])
    assert {(bound.part, bound.whole) for bound in service_row(sheet, "DVC14").bounds} == {
        ("dvc.DVC14.online", "dvc.DVC14.received"), ("dvc.DVC14.direct", "dvc.DVC14.received"),
        ("dvc.DVC14.resolved", "dvc.DVC14.to_resolve"), ("dvc.DVC14.on_time", "dvc.DVC14.resolved")}
    # Bến Nghé's DVC22 reports no cases to resolve: its resolved records have no whole, and a count has none either.
    assert {(bound.part, bound.whole) for bound in service_row(sheet, "DVC22").bounds} == {
        ("dvc.DVC22.online", "dvc.DVC22.received"), ("dvc.DVC22.on_time", "dvc.DVC22.resolved")}
    assert service_row(sheet, "DVC24").bounds == () and service_row(sheet, "DVC24").ratio == ()


def test_a_part_skips_a_whole_its_service_does_not_report(city, month, unemployment):
    """On time is a part of resolved, itself a part of the cases to resolve: without resolved, on time ≤ to resolve."""
    unemployment.measures.remove(*conftest.measures("resolved"))
    row = service_row(sheets.build(city["ben_nghe"], month["april"]), "DVC14")
    assert ("dvc.DVC14.on_time", "dvc.DVC14.to_resolve") in {(bound.part, bound.whole) for bound in row.bounds}


def test_resolved_above_the_cases_to_resolve_is_refused(city, month, unemployment):
    sheet = sheets.build(city["ben_nghe"], month["april"])
    numbers = {"dvc.DVC14.to_resolve": Decimal(13677), "dvc.DVC14.resolved": Decimal(13678)}
    [problem] = rules.bound_problems(numbers, sheet.bounds)
    assert (problem.key, problem.whole_key) == ("dvc.DVC14.resolved", "dvc.DVC14.to_resolve")
    assert problem.message == "Không được lớn hơn số phải giải quyết (13.677)."
    assert problem.whole_message == "Không được nhỏ hơn số đã giải quyết đã có (13.678)."
    assert rules.bound_problems({**numbers, "dvc.DVC14.resolved": Decimal(13157)}, sheet.bounds) == []


def test_direct_above_received_is_refused(city, month, unemployment):
    sheet = sheets.build(city["ben_nghe"], month["april"])
    numbers = {"dvc.DVC14.received": Decimal(12585), "dvc.DVC14.direct": Decimal(12586)}
    assert [problem.message for problem in rules.bound_problems(numbers, sheet.bounds)] == [
        "Không được lớn hơn số tiếp nhận (12.585)."]


def test_a_part_above_a_measure_its_service_does_not_report_with_it_is_not_judged(city, month, unemployment):
    """DVC16 (driving licences) reports direct records, not cases to resolve; DVC22 neither."""
    licences = Service.objects.create(code="DVC16", name="Cấp đổi giấy phép lái xe", reporter_kind=AgencyKind.WARD,
                                      order=4)
    licences.measures.set(conftest.measures("received", "online", "direct", "resolved", "on_time"))
    sheet = sheets.build(city["ben_nghe"], month["april"])
    # Keys of measures a service does not report are judged by no bound, whatever they hold.
    numbers = {"dvc.DVC16.to_resolve": Decimal(1), "dvc.DVC16.resolved": Decimal(20285),
               "dvc.DVC22.direct": Decimal(99), "dvc.DVC22.received": Decimal(1),
               "dvc.DVC16.received": Decimal(20285), "dvc.DVC16.direct": Decimal(20285)}
    assert rules.bound_problems(numbers, sheet.bounds) == []
    assert bound(sheet, "DVC16", "direct", "received") in sheet.bounds
    assert rules.bound_problems({**numbers, "dvc.DVC16.direct": Decimal(20286)}, sheet.bounds)


def test_the_entry_page_heads_each_measure_with_its_label_and_definition(client, people, city, month, unemployment):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    html = client.get(reverse("entry", args=[2024, 4, city["ben_nghe"].pk])).content.decode()
    header = re.search(r'data-testid="measure-to_resolve">(.*?)</th>', html, re.S).group(1)
    assert "Phải giải quyết" in header and "Số hồ sơ phải giải quyết trong kỳ" in header
    assert 'name="dvc.DVC14.to_resolve"' in html and 'name="dvc.DVC22.to_resolve"' not in html
    # DVC22's row holds a dash under the measures it does not report, so its cells stay under their headers.
    row = re.search(r"Đăng ký khai sinh <span.*?</tr>", html, re.S).group(0)
    assert re.findall(r'name="dvc\.DVC22\.(\w+)"|(—)</td>', row) == [
        ("received", ""), ("online", ""), ("", "—"), ("", "—"), ("resolved", ""), ("on_time", ""), ("", "—")]


def test_the_entry_page_refuses_resolved_above_the_cases_to_resolve(client, people, city, month, unemployment):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    figures = {"received": "12.585", "online": "1.561", "direct": "11.024", "to_resolve": "13.677",
               "resolved": "13.678", "on_time": "13.000"}
    data = form_data(month, **{f"dvc__DVC14__{measure}": value for measure, value in figures.items()})
    html = client.post(reverse("entry", args=[2024, 4, city["ben_nghe"].pk]), data).content.decode()
    cell = re.search(r'name="dvc\.DVC14\.resolved".*?</td>', html, re.S).group(0)
    assert "Không được lớn hơn số phải giải quyết (13.677)." in cell
    # Neither the part above its whole nor the whole is saved; the service's other measures are.
    stored = set(DataValue.objects.filter(key__startswith="dvc.DVC14.").values_list("key", flat=True))
    assert stored == {f"dvc.DVC14.{measure}" for measure in ("received", "online", "direct", "on_time")}


def test_a_running_total_to_date_is_a_cumulative_cell(city, month):
    births = Service.objects.get(code="DVC22")
    births.measures.add(*conftest.measures("received_to_date"))
    row = service_row(sheets.build(city["ben_nghe"], month["april"]), "DVC22")
    assert [(cell.key, cell.cumulative) for cell in row.cells][:2] == [
        ("dvc.DVC22.received_to_date", True), ("dvc.DVC22.received", False)]


def test_a_service_with_no_measure_has_no_row(city, month):
    Service.objects.get(code="DVC24").measures.clear()
    sheet = sheets.build(city["ben_nghe"], month["april"])
    assert [row.code for row in sheet.sections[0].rows] == ["DVC22"]

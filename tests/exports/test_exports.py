"""Excel downloads: a period's long table, a unit's series and the city's approved totals."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import access, months, periods
from reporting.choices import AgencyKind
from reporting.excel import history, value_table
from reporting.excel.workbooks import restore_text
from reporting.models import Agency, Submission
from reporting.submissions import store, workflow
from reporting.submissions.store import CellValue

from .. import conftest
from ..submissions.helpers import fill_april, save

pytestmark = pytest.mark.django_db

HEADERS = [*value_table.COLUMNS, "Trạng thái báo cáo"]


def download(client, username, url, **params):
    client.login(username=username, password=conftest.PASSWORD)
    return client.get(url, params)


def body(response):
    """The file downloaded, whether sent whole or streamed (the period export is sent from a temporary file)."""
    return response.getvalue()


def sheet_of(response):
    assert response.status_code == 200, body(response)[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(body(response))).active


def period_sheet(client, username):
    return sheet_of(download(client, username, reverse("export_period", args=[2024, 4])))


def data_rows(worksheet):
    """Row dicts keyed by the header, from row 2."""
    header = [cell.value for cell in worksheet[1]]
    return [dict(zip(header, row)) for row in worksheet.iter_rows(min_row=2, values_only=True)]


def cell_of(worksheet, agency_code, key):
    for row in worksheet.iter_rows(min_row=2):
        if row[0].value == agency_code and row[4].value == key:
            return row
    raise AssertionError(f"{agency_code} {key} not exported")


def save_for(user, agency, period, values):
    """Save cells for any unit through the one write path (numbers as int, the rest as text)."""
    cells = {key: CellValue(number=Decimal(value)) if isinstance(value, int) else CellValue(text=value)
             for key, value in values.items()}
    version = Submission.objects.filter(agency=agency, period=period).values_list("version", flat=True).first() or 0
    return store.save_values(agency=agency, period=period, user=user, values=cells, version=version)


def approve(submission, people):
    workflow.submit(submission, people["compiler"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.version)


# --- the period's long table -------------------------------------------------------


def test_period_export_is_the_value_table_with_real_numbers(client, city, month, people):
    fill_april(people["ward_officer"], city, month)
    response = download(client, "compiler", reverse("export_period", args=[2024, 4]))
    assert 'filename="de-an-06-2024-04.xlsx"' in response["Content-Disposition"]
    worksheet = sheet_of(response)
    assert worksheet.title == value_table.SHEET_TITLE
    assert [cell.value for cell in worksheet[1]] == HEADERS

    eid = cell_of(worksheet, "Q01-BNG", "ind.EID_ACTIVATED")
    assert [cell.value for cell in eid] == ["Q01-BNG", "Phường Bến Nghé", 2024, 4, "ind.EID_ACTIVATED",
                                            "Tài khoản định danh điện tử đã kích hoạt", 7856474, None, "Đang nhập"]
    assert (eid[6].data_type, eid[6].number_format) == ("n", "#,##0")
    assert cell_of(worksheet, "Q01-BNG", "dvc.DVC22.received")[5].value == "Đăng ký khai sinh · Tiếp nhận"
    assert cell_of(worksheet, "Q01-BNG", "mh.MH02.status")[6].value == "Đang triển khai"
    assert cell_of(worksheet, "Q01-BNG", f"nv.{month['task'].pk}.status")[6].value == "Đã hoàn thành"
    assert cell_of(worksheet, "Q01-BNG", "note.difficulties")[6].value == "Thiếu máy quét."


def test_period_export_follows_agency_code_then_catalog_order(client, city, month, people):
    fill_april(people["ward_officer"], city, month)
    save_for(people["compiler"], city["ben_thanh"], month["april"], {"ind.NEWS_PRESS": 3, "dvc.DVC24.count": 4})
    keys = [(row["Mã đơn vị"], row["Mã ô"]) for row in data_rows(period_sheet(client, "compiler"))]
    assert keys == [
        ("Q01-BNG", "dvc.DVC22.received"), ("Q01-BNG", "dvc.DVC22.online"), ("Q01-BNG", "dvc.DVC22.resolved"),
        ("Q01-BNG", "dvc.DVC22.on_time"), ("Q01-BNG", "dvc.DVC24.count"), ("Q01-BNG", "ind.EID_ACTIVATED"),
        ("Q01-BNG", "ind.NEWS_PRESS"), ("Q01-BNG", "mh.MH02.status"), ("Q01-BNG", f"nv.{month['task'].pk}.status"),
        ("Q01-BNG", "note.difficulties"),
        ("Q01-BTH", "dvc.DVC24.count"), ("Q01-BTH", "ind.NEWS_PRESS"),
    ]


FORMULA_LOOKING = {
    "note.direction": '=HYPERLINK("http://x")', "note.strengths": "-giảm",
    "note.shortcomings": "@cmd", "note.difficulties": "+1",
}


def test_typed_text_that_looks_like_a_formula_is_exported_as_text(client, city, month, people):
    save(people["ward_officer"], city, month, FORMULA_LOOKING)
    store.save_values(agency=city["ben_nghe"], period=month["april"], user=people["ward_officer"],
                      values={"ind.NEWS_PRESS": CellValue(number=Decimal(2), comment="=1+1")},
                      version=Submission.objects.get().version)
    worksheet = period_sheet(client, "ward_officer")
    for key, typed in FORMULA_LOOKING.items():
        value = cell_of(worksheet, "Q01-BNG", key)[6]
        assert (value.value, value.data_type) == ("'" + typed, "s")
        assert restore_text(value.value) == typed  # what the history import reads back
    assert cell_of(worksheet, "Q01-BNG", "ind.NEWS_PRESS")[7].value == "'=1+1"
    assert not [cell.coordinate for row in worksheet.iter_rows() for cell in row if cell.data_type == "f"]


XML_AND_EXCEL_WORDS = {
    "note.direction": "Sở <TT&TT> phối hợp", "note.strengths": "  lề trái, lề phải  ",
    "note.shortcomings": "#N/A", "note.difficulties": "dòng 1\r\ndòng 2",
}


def test_texts_read_back_as_typed_whatever_xml_or_excel_make_of_them(client, city, month, people):
    """The period's rows are written as XML (reporting/excel/streamed.py): escaped, spaces kept, "#N/A" a text."""
    save(people["ward_officer"], city, month, XML_AND_EXCEL_WORDS)
    worksheet = period_sheet(client, "ward_officer")
    for key, typed in XML_AND_EXCEL_WORDS.items():
        value = cell_of(worksheet, "Q01-BNG", key)[6]
        assert (value.value, value.data_type) == (typed, "s")


def test_an_exported_period_imports_again_with_no_change(client, city, month, people):
    fill_april(people["ward_officer"], city, month)
    save(people["ward_officer"], city, month, FORMULA_LOOKING, version=Submission.objects.get().version)
    store.save_values(agency=city["ben_nghe"], period=month["april"], user=people["ward_officer"],
                      values={"ind.NEWS_PRESS": CellValue(number=Decimal(12), comment="-2 tin so với tháng 3")},
                      version=Submission.objects.get().version)
    response = download(client, "compiler", reverse("export_period", args=[2024, 4]))
    plan = history.read(SimpleUploadedFile("de-an-06-2024-04.xlsx", body(response)), people["compiler"])
    assert (plan.problems, plan.changes, plan.rows_read) == ([], [], 13)  # April's 10 cells + 3 more notes


def test_each_user_exports_only_the_units_they_may_read(client, city, month, people):
    fill_april(people["ward_officer"], city, month)
    save_for(people["compiler"], city["ben_thanh"], month["april"], {"ind.NEWS_PRESS": 3})
    save_for(people["compiler"], city["vo_thi_sau"], month["april"], {"ind.NEWS_PRESS": 5})

    def units(username):
        return {row["Mã đơn vị"] for row in data_rows(period_sheet(client, username))}

    assert units("ward_officer") == {"Q01-BNG"}
    assert units("district_officer") == {"Q01-BNG", "Q01-BTH"}
    assert units("dept_officer") == set()
    assert units("compiler") == units("leader") == {"Q01-BNG", "Q01-BTH", "Q03-VTS"}


@pytest.mark.parametrize("extra_wards", [0, 12])
def test_period_export_runs_a_fixed_number_of_queries(client, city, month, people, django_assert_num_queries,
                                                      extra_wards):
    fill_april(people["ward_officer"], city, month)
    wards = [Agency.objects.create(code=f"Q01-X{n:02d}", name=f"Phường {n}", kind=AgencyKind.WARD, parent=city["q1"])
             for n in range(extra_wards)]
    targets = {(ward.pk, month["april"].pk): {"ind.NEWS_PRESS": CellValue(number=Decimal(n))}
               for n, ward in enumerate(wards)}
    store.save_batch(people["compiler"], targets, versions=dict.fromkeys(targets, 0), source="form")
    client.login(username="compiler", password=conftest.PASSWORD)
    with django_assert_num_queries(PERIOD_EXPORT_QUERIES):
        response = client.get(reverse("export_period", args=[2024, 4]))
    assert len(data_rows(sheet_of(response))) == 10 + extra_wards


# user, period (with its schedule), five catalog reads, the values with their submissions and units
PERIOD_EXPORT_QUERIES = 10  # the session comes from the cache; the sheet reads the tasks the unit coordinates and the measures


def test_a_period_that_does_not_exist_is_404(client, city, month, people):
    assert download(client, "compiler", reverse("export_period", args=[2019, 4])).status_code == 404


# --- a unit's series ---------------------------------------------------------------


def unit_series(client, username, agency, **params):
    return download(client, username, reverse("export_unit_series", args=[agency.pk]), **params)


def rows_by_label(worksheet):
    return {row[1].value: row for row in worksheet.iter_rows(min_row=3)}


def test_unit_series_has_a_row_per_numeric_cell_and_a_column_per_month(client, city, month, people):
    save(people["ward_officer"], city, month, {"ind.EID_ACTIVATED": Decimal(7_500_000)}, period="march")
    fill_april(people["ward_officer"], city, month)
    response = unit_series(client, "ward_officer", city["ben_nghe"], tu="2024-02", den="2024-05")
    assert "chuoi-so-lieu-Q01-BNG-2024-02-den-2024-05.xlsx" in response["Content-Disposition"]
    worksheet = sheet_of(response)
    assert [cell.value for cell in worksheet[1]] == [
        "Mã ô", "Chỉ tiêu", "Tháng 2/2024", "Tháng 3/2024", "Tháng 4/2024", "Tháng 5/2024"]
    assert "Phường Bến Nghé" in worksheet["A2"].value
    rows = rows_by_label(worksheet)
    # Numbers only: the pilot model, plan task and notes are not series.
    assert list(rows) == ["Đăng ký khai sinh · Tiếp nhận", "Đăng ký khai sinh · Trực tuyến",
                          "Đăng ký khai sinh · Đã giải quyết", "Đăng ký khai sinh · Đúng hạn",
                          "Đăng ký kết hôn · Số lượng", "Tài khoản định danh điện tử đã kích hoạt",
                          "Tin đăng trên báo", "Trạng thái báo cáo"]
    eid = rows["Tài khoản định danh điện tử đã kích hoạt"]
    assert [cell.value for cell in eid] == ["ind.EID_ACTIVATED", "Tài khoản định danh điện tử đã kích hoạt",
                                            None, 7_500_000, 7_856_474, None]
    assert {eid[3].number_format, eid[4].number_format} == {"#,##0"}
    assert [cell.value for cell in rows["Trạng thái báo cáo"][2:]] == ["Chưa nhập", "Đang nhập", "Đang nhập", "Chưa nhập"]


def test_unit_series_defaults_to_the_twelve_months_up_to_the_current_period(client, city, month, people):
    current = periods.current_period()
    header = [cell.value for cell in sheet_of(unit_series(client, "ward_officer", city["ben_nghe"]))[1]]
    assert len(header) == 2 + 12 and header[-1] == current.label


def test_another_units_series_is_404(client, city, month, people):
    for agency in (city["ben_thanh"], city["q1"], city["vo_thi_sau"]):
        assert unit_series(client, "ward_officer", agency).status_code == 404
    assert unit_series(client, "district_officer", city["ben_thanh"]).status_code == 200


# --- the city's series -------------------------------------------------------------


def city_series(client, username, **params):
    return download(client, username, reverse("export_city_series"), **params)


@pytest.mark.parametrize("username", ["ward_officer", "ward_head", "district_officer", "dept_officer"])
def test_city_series_is_refused_to_units(client, city, month, people, username):
    response = city_series(client, username, tu="2024-03", den="2024-04")
    assert response.status_code == 403
    assert "Chỉ PC06, lãnh đạo" in response.content.decode()


def test_city_series_sums_approved_reports_only(client, city, month, people):
    approve(fill_april(people["ward_officer"], city, month), people)
    approve(save_for(people["compiler"], city["vo_thi_sau"], month["april"],
                     {"ind.EID_ACTIVATED": 100, "dvc.DVC24.count": 5}), people)
    submitted = save_for(people["compiler"], city["ben_thanh"], month["april"], {"ind.EID_ACTIVATED": 999})
    workflow.submit(submitted, people["compiler"], version=submitted.version)
    save_for(people["compiler"], city["q1"], month["march"], {"ind.EID_ACTIVATED": 555})  # a draft

    for username in ("compiler", "leader", "admin"):
        worksheet = sheet_of(city_series(client, username, tu="2024-03", den="2024-04"))
        assert [cell.value for cell in worksheet[1]] == ["Mã ô", "Chỉ tiêu", "Tháng 3/2024", "Tháng 4/2024"]
        assert worksheet["A2"].value == "Chỉ tính báo cáo đã được PC06 duyệt"
        rows = rows_by_label(worksheet)
        eid = rows["Tài khoản định danh điện tử đã kích hoạt"]
        assert [cell.value for cell in eid[2:]] == [None, 7_856_474 + 100]
        assert eid[3].number_format == "#,##0"
        assert rows["Đăng ký kết hôn · Số lượng"][3].value == 35 + 5
        assert [cell.value for cell in rows["Số đơn vị đã được duyệt"][2:]] == [0, 2]


@pytest.mark.parametrize("extra_wards", [0, 12])
def test_city_series_runs_a_fixed_number_of_queries(client, city, month, people, django_assert_num_queries,
                                                    extra_wards):
    for n in range(extra_wards):
        ward = Agency.objects.create(code=f"Q01-X{n:02d}", name=f"Phường {n}", kind=AgencyKind.WARD, parent=city["q1"])
        approve(save_for(people["compiler"], ward, month["april"], {"ind.NEWS_PRESS": n}), people)
    client.login(username="compiler", password=conftest.PASSWORD)
    with django_assert_num_queries(CITY_SERIES_QUERIES):
        sheet_of(client.get(reverse("export_city_series"), {"tu": "2024-01", "den": "2024-04"}))


# session, user, schedule, four catalog reads, the sums, the approved units per month
CITY_SERIES_QUERIES = 11  # the session comes from the cache; the sheet reads the tasks the unit coordinates and the measures


# --- refused ranges ----------------------------------------------------------------


@pytest.mark.parametrize("params, message", [
    ({"tu": "2024-13"}, "không đúng dạng năm-tháng"),
    ({"tu": "2024-1", "den": "2024-04"}, "không đúng dạng năm-tháng"),
    ({"den": "tháng tư"}, "không đúng dạng năm-tháng"),
    ({"tu": "2024-05", "den": "2024-04"}, "phải trước hoặc trùng tháng kết thúc"),
    ({"tu": "2021-01", "den": "2024-01"}, "tối đa 36 tháng"),
])
def test_a_bad_range_is_a_400_in_vietnamese(client, city, month, people, params, message):
    for response in (unit_series(client, "compiler", city["ben_nghe"], **params),
                     city_series(client, "compiler", **params)):
        assert response.status_code == 400
        assert message in response.content.decode()


def test_thirty_six_months_are_allowed(client, city, month, people):
    header = sheet_of(city_series(client, "compiler", tu="2021-02", den="2024-01"))[1]
    assert len(header) == 2 + months.MAX_MONTHS


# --- links -------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["ward_officer", "ward_head", "district_officer", "dept_officer",
                                      "compiler", "leader", "admin"])
def test_the_board_links_the_exports_each_user_may_download(client, city, month, people, username):
    # Every role: the city link follows access.can_read_city.
    page = download(client, username, reverse("board", args=[2024, 4])).content.decode()
    assert f'href="{reverse("export_period", args=[2024, 4])}"' in page
    city_link = f'href="{reverse("export_city_series")}?den=2024-04"'
    assert (city_link in page) == (people[username].role in access.READ_EVERYTHING)


def test_the_unit_page_links_its_series(client, city, month, people):
    page = download(client, "ward_officer", reverse("agency_detail", args=[city["ben_nghe"].pk])).content.decode()
    assert f'href="{reverse("export_unit_series", args=[city["ben_nghe"].pk])}"' in page

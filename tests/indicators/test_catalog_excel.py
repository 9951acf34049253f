"""PC06 completes the catalogs in Excel through the admin: export, edit, import (preview, then confirm).

A file with one bad row is refused whole, even at the confirm step; only those
who may edit the catalogs may import.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator, Service
from indicators.resources import IndicatorResource, ServiceResource
from models_pilot.models import PilotModel
from models_pilot.resources import PilotModelResource
from reporting.models import Agency
from reporting.units.resources import AgencyResource

from .. import conftest
from .helpers import export, export_file, workbook

pytestmark = pytest.mark.django_db

SERVICE_HEADERS = [
    "Mã", "Tên dịch vụ công", "Thuộc danh sách", "Chỉ tiêu báo cáo", "Nhóm thủ tục liên thông", "Lĩnh vực",
    "Đơn vị tính", "Kết nối với Cổng DVC quốc gia", "Đơn vị báo cáo", "Nhiều đơn vị cùng báo cáo một tổng số",
    "Mọi đơn vị thuộc loại", "Cách viết khác",
    "Thứ tự", "Đang theo dõi", "Nguồn",
]


def logged_in(client, person):
    client.login(username=person.username, password=conftest.PASSWORD)
    return client


def upload(client, model, content, name="danh-muc.xlsx"):
    """Step 1: the preview (a dry run)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    return client.post(url, {"format": "0", "resource": "0", "import_file": SimpleUploadedFile(name, content)})


def confirm(client, model, preview):
    """Step 2: what the preview's "Confirm" button posts; built from the upload form when no button was offered."""
    if preview.context.get("confirm_form"):
        data = {field.name: field.value() for field in preview.context["confirm_form"]}
    else:
        stored = preview.context["form"].cleaned_data["import_file"]
        data = {"import_file_name": stored.tmp_storage_name, "original_file_name": stored.name,
                "format": "0", "resource": "0"}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
    return client.post(url, data, follow=True)


def test_compiler_exports_the_services_with_vietnamese_headers(client, catalogs, people):
    headers, rows = export(logged_in(client, people["compiler"]), Service, ServiceResource)

    assert headers == SERVICE_HEADERS
    assert sorted(row[0] for row in rows) == sorted(Service.objects.values_list("code", flat=True))
    assert len(rows) == 45
    first = rows[[row[0] for row in rows].index("DVC01")]
    assert first[1] == "Đăng ký thường trú"
    assert first[SERVICE_HEADERS.index("Đơn vị báo cáo")] == "CATP"  # many-to-many by codes
    assert first[SERVICE_HEADERS.index("Chỉ tiêu báo cáo")] == "received|online|resolved|on_time"  # codes, as services.csv
    unemployment = rows[[row[0] for row in rows].index("DVC14")]
    assert unemployment[SERVICE_HEADERS.index("Chỉ tiêu báo cáo")] == \
        "received|online|direct|to_resolve|resolved|on_time"
    assert first[SERVICE_HEADERS.index("Đang theo dõi")] == "Có"


@pytest.mark.parametrize("model, resource", [(Agency, AgencyResource), (Indicator, IndicatorResource),
                                             (PilotModel, PilotModelResource)])
def test_every_excel_catalog_exports_all_its_rows_by_code(client, catalogs, people, model, resource):
    headers, rows = export(logged_in(client, people["compiler"]), model, resource)

    assert headers[0] == "Mã"
    assert sorted(row[0] for row in rows) == sorted(model.objects.values_list("code", flat=True))


def test_import_adds_a_service_and_renames_one_after_confirming(client, catalogs, people):
    client = logged_in(client, people["compiler"])
    changelist = client.get(reverse("admin:indicators_service_changelist")).content.decode()
    assert reverse("admin:indicators_service_import") in changelist
    assert reverse("admin:indicators_service_export") in changelist
    assert "Tệp Excel (.xlsx)" in client.get(reverse("admin:indicators_service_import")).content.decode()
    headers, rows = export(client, Service, ServiceResource)
    code, name = headers.index("Mã"), headers.index("Tên dịch vụ công")
    reporters, order = headers.index("Đơn vị báo cáo"), headers.index("Thứ tự")
    renamed = next(row for row in rows if row[code] == "DVC02")
    renamed[name] = "Đăng ký tạm trú (trực tuyến)"
    new = [None] * len(headers)
    new[code], new[name], new[reporters], new[order] = "DVC46", "Cấp phiếu lý lịch tư pháp", "CATP, PC06", 46
    new[headers.index("Chỉ tiêu báo cáo")] = "received | online"
    new[headers.index("Đang theo dõi")] = "không"
    before = Service.objects.count()

    preview = upload(client, Service, workbook(headers, rows + [new]))
    assert preview.context["confirm_form"] is not None
    assert Service.objects.count() == before  # the preview saves nothing
    done = confirm(client, Service, preview)

    assert "1 thêm mới, 1 cập nhật, 44 không thay đổi" in done.content.decode()
    assert Service.objects.count() == before + 1
    assert Service.objects.get(code="DVC02").name == "Đăng ký tạm trú (trực tuyến)"
    added = Service.objects.get(code="DVC46")
    assert added.name == "Cấp phiếu lý lịch tư pháp"
    assert sorted(added.reporter_agencies.values_list("code", flat=True)) == ["CATP", "PC06"]
    assert not added.is_active  # yes/no in Vietnamese
    assert [measure.code for measure in added.measures.all()] == ["received", "online"]
    assert added.count_unit == "hồ sơ"  # columns left empty take the model's defaults


def test_a_services_measures_round_trip_through_excel(client, catalogs, people):
    client = logged_in(client, people["compiler"])
    headers, rows = export(client, Service, ServiceResource)
    code, measures = headers.index("Mã"), headers.index("Chỉ tiêu báo cáo")
    licences = next(row for row in rows if row[code] == "DVC16")
    licences[measures] = "received_to_date|received|direct"

    done = confirm(client, Service, upload(client, Service, workbook(headers, rows)))

    assert "0 thêm mới, 1 cập nhật, 44 không thay đổi" in done.content.decode()
    assert [measure.code for measure in Service.objects.get(code="DVC16").measures.all()] == [
        "received_to_date", "received", "direct"]
    exported = {row[code]: row[measures] for row in export(client, Service, ServiceResource)[1]}
    assert exported["DVC16"] == "received_to_date|received|direct"


def test_a_services_portal_connection_round_trips_through_excel(client, catalogs, people):
    client = logged_in(client, people["compiler"])
    headers, rows = export(client, Service, ServiceResource)
    code, portal = headers.index("Mã"), headers.index("Kết nối với Cổng DVC quốc gia")
    exported = {row[code]: row[portal] for row in rows}
    assert exported["DVC22"] == "Đã kết nối" and exported["DVC01"] in (None, "")
    next(row for row in rows if row[code] == "DVC01")[portal] = "Đã kết nối"
    next(row for row in rows if row[code] == "DVC22")[portal] = None       # PC06 is no longer sure

    done = confirm(client, Service, upload(client, Service, workbook(headers, rows)))

    assert "0 thêm mới, 2 cập nhật, 43 không thay đổi" in done.content.decode()
    assert Service.objects.get(code="DVC01").portal_connection == "Đã kết nối"
    assert Service.objects.get(code="DVC22").portal_connection == ""       # empty, not NULL
    again = {row[code]: row[portal] for row in export(client, Service, ServiceResource)[1]}
    assert again["DVC01"] == "Đã kết nối" and again["DVC22"] in (None, "")


@pytest.mark.parametrize("measures, message", [
    ("received|resolve", "Không có chỉ tiêu báo cáo của dịch vụ công nào mã “resolve”."),
    (None, "Cần ít nhất một chỉ tiêu báo cáo của dịch vụ công."),
], ids=["unknown code", "no measure"])
def test_a_service_row_with_an_unknown_or_no_measure_is_refused(client, catalogs, people, measures, message):
    client = logged_in(client, people["compiler"])
    headers, rows = export(client, Service, ServiceResource)
    code, column = headers.index("Mã"), headers.index("Chỉ tiêu báo cáo")
    next(row for row in rows if row[code] == "DVC01")[column] = measures

    preview = upload(client, Service, workbook(headers, rows))

    assert message in preview.content.decode()
    assert preview.context.get("confirm_form") is None
    assert [measure.code for measure in Service.objects.get(code="DVC01").measures.all()] == [
        "received", "online", "resolved", "on_time"]


AGENCY_HEADERS = ["Mã", "Tên", "Loại", "Đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Đơn vị tiền thân",
                  "Phải báo cáo hằng tháng"]
GOOD_ROWS = [
    ["Q01-DKA", "Phường Đa Kao", "ward", "Q01", None, None, None, "Có"],  # new
    ["Q03", "Quận Ba", "district", "BCD", None, None, None, "Có"],        # renamed
]


@pytest.mark.parametrize("bad_row, message", [
    (["Q01-XYZ", "Phường mới", "ward", "Q99", None, None, None], "Không có đơn vị nào mã “Q99”."),
    (["Q01", "Quận 1", "district", "Q01-BNG", None, None, None], "Đơn vị không thể là cấp trên của chính nó"),
    (["Q01-TDI", "Phường Tân Định", "ward", "Q01", datetime.date(2025, 7, 1), datetime.date(2025, 6, 30), None],
     "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
    (["Q01-DKA", "Phường Đa Kao (trùng)", "ward", "Q01", None, None, None], "Mã “Q01-DKA” trùng với dòng 1"),
    (["Q01-CKO", "Phường Cầu Kho", "ward", "Q01", None, None, "Q01-BNG, Q77"], "Không có đơn vị nào mã “Q77”."),
    (["Q01-CKO", "Phường Cầu Kho", "huyện", "Q01", None, None, None],
     "“huyện” không phải lựa chọn hợp lệ; chọn một trong: Ban Chỉ đạo;"),
    (["Q01-CKO", "Phường Cầu Kho", "ward", "Q01", None, None, None, "Có lẽ"],
     "“Có lẽ” không hợp lệ: ghi “Có” hoặc “Không”."),
], ids=["unknown parent", "own ancestor", "validity dates", "duplicate code", "unknown predecessor", "unknown kind",
        "yes or no"])
def test_a_file_with_one_bad_row_changes_nothing(client, people, bad_row, message):
    client = logged_in(client, people["compiler"])
    before = sorted(Agency.objects.values_list("code", "name", "parent__code"))

    preview = upload(client, Agency, workbook(AGENCY_HEADERS, GOOD_ROWS + [bad_row]))
    assert message in preview.content.decode()
    assert preview.context.get("confirm_form") is None  # no "Confirm" button is offered
    # Even if the confirm step is posted anyway, the good rows are not kept without the bad one.
    done = confirm(client, Agency, preview)

    assert "không dòng nào được lưu" in done.content.decode()
    assert sorted(Agency.objects.values_list("code", "name", "parent__code")) == before


def test_a_formula_or_a_file_that_is_not_xlsx_is_refused_in_vietnamese(client, people):
    client = logged_in(client, people["compiler"])
    before = Agency.objects.count()

    formula = upload(client, Agency, workbook(AGENCY_HEADERS, [["Q01-DKA", "=A1&\"x\"", "ward", "Q01"]]))
    assert "chứa công thức" in formula.content.decode()
    renamed_csv = upload(client, Agency, "Mã,Tên\nQ01-DKA,Phường Đa Kao\n".encode(), name="danh-muc.xlsx")
    assert "không phải tệp Excel .xlsx" in renamed_csv.content.decode()
    assert Agency.objects.count() == before


def test_text_that_looks_like_a_formula_is_exported_as_text_and_read_back_unchanged(client, catalogs, people):
    Service.objects.filter(code="DVC01").update(aliases="=Đăng ký thường trú trực tuyến")
    client = logged_in(client, people["compiler"])
    content = export_file(client, Service, ServiceResource)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    dvc01 = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "DVC01")
    cell = dvc01[SERVICE_HEADERS.index("Cách viết khác")]
    assert cell.data_type == "s" and cell.value == "'=Đăng ký thường trú trực tuyến"  # never a live formula

    done = confirm(client, Service, upload(client, Service, content))
    assert "0 thêm mới, 0 cập nhật, 45 không thay đổi" in done.content.decode()
    assert Service.objects.get(code="DVC01").aliases == "=Đăng ký thường trú trực tuyến"


@pytest.mark.parametrize("role", ["ward_officer", "leader"])
def test_only_catalog_editors_reach_the_import(client, catalogs, people, role):
    client = logged_in(client, people[role])
    before = Service.objects.count()
    row = ["DVC46", "Cấp phiếu lý lịch tư pháp"]

    page = client.get(reverse("admin:indicators_service_import"))
    posted = upload(client, Service, workbook(SERVICE_HEADERS[:2], [row]))
    confirmed = client.post(reverse("admin:indicators_service_process_import"),
                            {"import_file_name": "x", "original_file_name": "x.xlsx", "format": "0", "resource": "0"})

    assert page.status_code in (302, 403) and posted.status_code in (302, 403) and confirmed.status_code in (302, 403)
    assert Service.objects.count() == before


def test_import_and_export_follow_the_catalog_editing_right(rf, people):
    from django.contrib import admin

    service_admin = admin.site._registry[Service]
    for role, allowed in [("compiler", True), ("admin", True), ("leader", False), ("ward_officer", False)]:
        request = rf.get("/")
        request.user = people[role]
        assert service_admin.has_import_permission(request) is allowed, role
        assert service_admin.has_export_permission(request) is allowed, role

"""Every kind of bad upload is refused with a Vietnamese message, and nothing in the database changes."""

import io
import re
import zipfile

import openpyxl
import pytest

from reporting.choices import PeriodStatus
from reporting.excel import archive, bounds, unit_template
from reporting.submissions import workflow

from .. import conftest
from ..submissions.helpers import fill_april
from .helpers import database_state, download, fill, save, upload, upload_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, city, month, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def refused(client, city, content, message, name="bieu-mau.xlsx", unit="ben_nghe"):
    """Upload, and check that ``message`` is shown and that nothing was written or staged."""
    before = database_state()
    response = upload(client, upload_url(city, unit=unit), content, name=name)
    if response.status_code == 302:
        response = client.get(response.url)
    html = response.content.decode()
    assert message in html, html[:3000]
    assert database_state() == before
    return html


def rewrite_member(content, member, transform):
    """The same .xlsx with one zip member's bytes transformed (or added, from b"")."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    names = source.namelist()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in names:
            data = source.read(name)
            out.writestr(name, transform(data) if name == member else data)
        if member not in names:
            out.writestr(member, transform(b""))
    return target.getvalue()


def data_sheet_member(content):
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    return sorted(name for name in names if name.startswith("xl/worksheets/sheet"))[1]


# --- the file itself -------------------------------------------------------------


@pytest.mark.parametrize("name, content, message", [
    ("bao-cao.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97–2003 (.xls), không được hỗ trợ"),
    ("bao-cao.xlsx", "Mã ô,Giá trị\nind.NEWS_PRESS,12\n".encode(), "không phải tệp Excel .xlsx"),
    ("bao-cao.csv", "Mã ô;Giá trị\n".encode(), "không phải tệp Excel .xlsx"),
    ("ghi-chu.xlsx", "Đây là văn bản đổi tên".encode(), "không phải tệp Excel .xlsx"),
    ("rong.xlsx", b"", "rỗng"),
    ("hong.xlsx", b"PK\x03\x04" + b"\0" * 100, "bị hỏng hoặc không phải tệp Excel"),
])
def test_what_is_not_an_xlsx_workbook_is_refused_by_its_content(officer, city, name, content, message):
    refused(officer, city, content, message, name=name)


def test_a_zip_that_is_not_a_workbook_is_refused(officer, city):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    refused(officer, city, buffer.getvalue(), "không phải bảng tính Excel .xlsx")


def test_a_file_over_the_size_limit_is_refused_before_reading(officer, city, settings):
    content = download(officer, city)
    settings.IMPORT_MAX_BYTES = len(content) - 1
    refused(officer, city, content, "vượt giới hạn")


def test_a_zip_bomb_is_refused_while_inflating(officer, city):
    content = rewrite_member(download(officer, city), "xl/media/image1.png",
                             lambda data: b"\0" * (bounds.MAX_INFLATED_BYTES + 1))
    assert len(content) < 1024 * 1024  # a small file that would inflate past the cap
    refused(officer, city, content, "khi giải nén lớn bất thường")


def test_xml_external_entities_are_refused(officer, city):
    content = download(officer, city)
    evil = rewrite_member(content, data_sheet_member(content), _with_external_entity)
    refused(officer, city, evil, "DOCTYPE/ENTITY")


def test_defusedxml_still_refuses_entities_should_the_doctype_scan_miss_one(officer, city, monkeypatch):
    monkeypatch.setattr(archive, "_DOCTYPE", re.compile(rb"(?!)"))   # a pattern that never matches
    content = download(officer, city)
    evil = rewrite_member(content, data_sheet_member(content), _with_external_entity)
    refused(officer, city, evil, "Không đọc được tệp")


def _with_external_entity(data):
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    body = body.replace(b"<v>12</v>", b"<v>&secret;</v>")
    return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' + body


def test_a_sheet_beyond_the_row_limit_is_refused(officer, city, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROWS", 5)
    refused(officer, city, download(officer, city), "vượt giới hạn 5 dòng")


# --- the wrong template ------------------------------------------------------------


def test_a_workbook_that_is_not_the_template_is_refused(officer, city):
    workbook = openpyxl.Workbook()
    workbook.active.title = unit_template.DATA_SHEET
    workbook.active["A5"] = "ind.NEWS_PRESS"
    workbook.active["F5"] = 12
    refused(officer, city, save(workbook), "không phải biểu mẫu Excel tải từ hệ thống")


def test_a_template_whose_identity_was_edited_is_refused(officer, city):
    def tamper(workbook):
        workbook[unit_template.ID_SHEET]["A1"] = "Q01-BNG:2024:4"
    refused(officer, city, fill(download(officer, city), edit=tamper), "không phải biểu mẫu Excel tải từ hệ thống")


def test_another_units_template_is_refused(officer, city, month, people, client):
    client.logout()
    client.login(username="compiler", password=conftest.PASSWORD)
    ben_thanh = download(client, city, unit="ben_thanh")
    client.login(username="ward_officer", password=conftest.PASSWORD)
    refused(client, city, ben_thanh, "Biểu mẫu này của đơn vị mã Q01-BTH, tháng 4/2024")


def test_another_periods_template_is_refused(officer, city, month):
    march = download(officer, city, month=3)
    refused(officer, city, march, "Biểu mẫu này của đơn vị mã Q01-BNG, tháng 3/2024; không thể nhập vào báo cáo Tháng 4/2024")


# --- who and when ----------------------------------------------------------------------


def test_an_approved_report_cannot_be_changed_by_upload(officer, city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    content = fill(download(officer, city), {"ind.NEWS_PRESS": 99})
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.version)
    refused(officer, city, content, "Báo cáo đã được duyệt nên không thể sửa")


def test_a_closed_period_cannot_be_changed_by_upload(officer, city, month):
    content = fill(download(officer, city), {"ind.NEWS_PRESS": 99})
    month["april"].status = PeriodStatus.CLOSED
    month["april"].save()
    refused(officer, city, content, "Kỳ báo cáo Tháng 4/2024 đã đóng")


@pytest.mark.parametrize("username", ["district_officer", "leader"])
def test_who_may_only_read_the_unit_cannot_upload(client, city, month, people, username):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    content = fill(download(client, city), {"ind.NEWS_PRESS": 99})
    client.login(username=username, password=conftest.PASSWORD)
    refused(client, city, content, "Bạn không được nhập số liệu cho đơn vị này")


# --- the values ------------------------------------------------------------------------


@pytest.mark.parametrize("values, message", [
    ({"ind.NEWS_PRESS": "mười hai"}, "“mười hai” không phải là số"),
    ({"ind.NEWS_PRESS": -5}, "Số liệu không được âm"),
    ({"ind.NEWS_PRESS": 2.5}, "Nhập số nguyên"),
    ({"dvc.DVC22.received": 1250, "dvc.DVC22.online": 2000}, "Không được lớn hơn số tiếp nhận (1.250)"),
    ({"mh.MH02.status": "Gần xong"}, "“Gần xong” không phải tình trạng hợp lệ"),
    ({"ind.NEWS_PRESS": "=10+2"}, "chứa công thức “=10+2”"),
])
def test_bad_values_are_reported_by_sheet_row_and_column(officer, city, values, message):
    html = refused(officer, city, fill(download(officer, city), values), message)
    assert "chưa có số liệu nào được cập nhật" in html
    assert "Số liệu" in html and "F (Tháng này)" in html


def test_the_error_list_names_the_row_of_each_bad_cell(officer, city):
    content = download(officer, city)
    rows = {key: row for key, row in _rows(content).items()}
    html = refused(officer, city, fill(content, {"ind.NEWS_PRESS": -1, "dvc.DVC24.count": "abc"}), "không được âm")
    assert f"<td class=\"num\">{rows['ind.NEWS_PRESS']}</td>" in html
    assert f"<td class=\"num\">{rows['dvc.DVC24.count']}</td>" in html


def test_duplicate_rows_are_refused(officer, city):
    def duplicate_news(workbook):
        sheet = workbook[unit_template.DATA_SHEET]
        last = sheet.max_row + 1
        sheet.cell(row=last, column=1).value = "ind.NEWS_PRESS"
        sheet.cell(row=last, column=unit_template.VALUE_COL).value = 13
    content = download(officer, city)
    first = _rows(content)["ind.NEWS_PRESS"]
    refused(officer, city, fill(content, {"ind.NEWS_PRESS": 12}, edit=duplicate_news),
            f"Dòng trùng với dòng {first} (cùng mã ô “ind.NEWS_PRESS”)")


def test_a_row_of_another_units_cell_is_refused(officer, city):
    def add_foreign_row(workbook):
        sheet = workbook[unit_template.DATA_SHEET]
        sheet.cell(row=sheet.max_row + 1, column=1).value = "ind.CCCD_RECORDS"
    refused(officer, city, fill(download(officer, city), edit=add_foreign_row),
            "Mã ô “ind.CCCD_RECORDS” không có trong biểu mẫu của đơn vị kỳ này")


def _rows(content):
    from .helpers import data_rows
    return data_rows(content)

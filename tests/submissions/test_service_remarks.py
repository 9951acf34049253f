"""A unit's remark on each service ("Khó khăn, vướng mắc", seed 004 Phụ lục II): an optional text beside its measures.

It takes every path a value takes (the page, the Excel template, PC06's history workbook and the exports),
is audited like any value, and never counts: consolidation and the series read numbers only.
"""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import cells
from reporting.choices import ChangeSource, SubmissionStatus
from reporting.excel import history, unit_template
from reporting.figures import consolidation
from reporting.models import DataValue, ImportBatch, Submission, ValueChange
from reporting.submissions import sheets, workflow

from .. import conftest
from ..excel.helpers import download, fill, upload, upload_url
from .helpers import april_sheet, fill_april, form_data, save

pytestmark = pytest.mark.django_db

REMARK = cells.service_note_key("DVC22")
PORTAL_DOWN = "Cổng DVC quốc gia gián đoạn ngày 05/4, hồ sơ trực tuyến phải tiếp nhận lại."


@pytest.fixture
def officer(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def entry_url(city):
    return reverse("entry", args=[2024, 4, city["ben_nghe"].pk])


def test_each_service_row_ends_with_an_optional_remark(city, month):
    sheet = april_sheet(city, month)
    for row in sheet.sections[0].rows:
        remark = row.cells[-1]
        assert (remark.key, remark.label, remark.kind) == (
            cells.service_note_key(row.code), "Khó khăn, vướng mắc (nếu có)", sheets.CellKind.TEXT)
        assert not remark.required and remark.one_line
        assert row.counts == row.cells[:-1]
    assert REMARK == "dvc.DVC22.note"       # the key the unit report's {note} reads
    assert sheet.labels[REMARK] == "Đăng ký khai sinh · Khó khăn, vướng mắc (nếu có)"


def test_the_entry_page_asks_it_on_one_line_folded_under_the_service(officer, city, month):
    html = officer.get(entry_url(city)).content.decode()
    # A row of its own under the service's, across the table: the measures' columns keep their width.
    rows = re.search(r'<tr [^>]*class="with-remark">\s*<td>Đăng ký khai sinh <span.*?</tr>\s*'
                     r'<tr class="remark-row"><td colspan="(\d+)">(.*?)</td></tr>', html, re.S)
    assert rows, "DVC22's remark row is missing"
    colspan, remark = rows.groups()
    assert int(colspan) == html.count('data-testid="measure-') + 2        # the name, every measure, the ratio
    assert remark.strip().startswith('<details class="remark-field">')     # folded while empty
    assert "<summary>Khó khăn, vướng mắc (nếu có)</summary>" in remark
    assert re.search(rf'<input type="text" name="{re.escape(REMARK)}"[^>]*maxlength="4000"', remark)
    assert "<textarea" not in remark


def test_the_entry_page_saves_and_audits_it_and_submits_without_it(officer, city, month):
    response = officer.post(entry_url(city), {**form_data(month, dvc__DVC22__note=f"  {PORTAL_DOWN} "), "nop": ""})
    assert response.status_code == 302
    assert DataValue.objects.get(key=REMARK).text == PORTAL_DOWN
    change = ValueChange.objects.get(key=REMARK)
    assert (change.old_value, change.new_value, change.source) == ("", PORTAL_DOWN, ChangeSource.FORM)
    # Submitted although DVC24's remark was left empty: a remark is never required.
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert not DataValue.objects.filter(key=cells.service_note_key("DVC24")).exists()


def test_a_saved_remark_stands_unfolded_with_last_months_beside_it(officer, people, city, month):
    save(people["ward_officer"], city, month, {REMARK: "Thiếu máy quét."}, period="march")
    save(people["ward_officer"], city, month, {REMARK: PORTAL_DOWN})
    html = officer.get(entry_url(city)).content.decode()
    remark = re.search(r'<details class="remark-field" open>.*?</details>', html, re.S).group(0)
    assert f'value="{PORTAL_DOWN}"' in remark and "Tháng trước: Thiếu máy quét." in remark


def test_a_remark_too_long_is_refused_beside_it(officer, city, month):
    html = officer.post(entry_url(city), form_data(month, dvc__DVC22__note="x" * 4001)).content.decode()
    remark = re.search(r'<details class="remark-field has-error" open>.*?</details>', html, re.S).group(0)
    assert "Nội dung dài 4001 ký tự, tối đa 4000." in remark
    assert not DataValue.objects.filter(key="dvc.DVC22.note").exists()


def template_column(content, column):
    """Cell key → the template's ``column`` (1-based), in the sheet's order."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))[unit_template.DATA_SHEET]
    return {row[0].value: row[column - 1].value for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW)
            if row[0].value}


def test_the_template_round_trips_the_remark(officer, city, month):
    content = download(officer, city)
    keys = list(template_column(content, 1))
    assert keys.index(REMARK) == keys.index("dvc.DVC22.on_time") + 1     # under its service's measures
    assert template_column(content, 3)[REMARK] == "Khó khăn, vướng mắc (nếu có)"
    assert template_column(content, 4)[REMARK] is None                    # a remark counts no records

    upload(officer, upload_url(city), fill(content, {REMARK: PORTAL_DOWN}))
    officer.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    assert DataValue.objects.get(key=REMARK).text == PORTAL_DOWN
    assert ValueChange.objects.get(key=REMARK).source == ChangeSource.IMPORT

    again = download(officer, city)
    assert template_column(again, unit_template.VALUE_COL)[REMARK] == PORTAL_DOWN
    response = upload(officer, upload_url(city), again)
    assert "không có số liệu nào khác" in officer.get(response.url).content.decode()


def test_pc06s_history_workbook_and_the_period_export_carry_it(client, people, city, month):
    fill_april(people["ward_officer"], city, month)
    save(people["ward_officer"], city, month, {REMARK: PORTAL_DOWN}, version=Submission.objects.get().version)
    client.login(username="compiler", password=conftest.PASSWORD)
    exported = client.get(reverse("export_period", args=[2024, 4])).getvalue()   # sent streamed
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[4] == REMARK)
    assert row[5:7] == ("Đăng ký khai sinh · Khó khăn, vướng mắc (nếu có)", PORTAL_DOWN)
    # The export imports again with no change; a remark typed for March is planned like any text.
    assert history.read(SimpleUploadedFile("ky.xlsx", exported), people["compiler"]).changes == []
    sheet.append(["Q01-BNG", None, 2024, 3, REMARK, None, "Thiếu máy quét.", None, None])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    plan = history.read(SimpleUploadedFile("lich-su.xlsx", buffer.getvalue()), people["compiler"])
    assert plan.problems == []
    assert [(change.key, change.new.text) for change in plan.changes] == [(REMARK, "Thiếu máy quét.")]


def test_consolidation_and_the_series_leave_remarks_out(client, people, city, month):
    submission = fill_april(people["ward_officer"], city, month)
    submission = save(people["ward_officer"], city, month, {REMARK: PORTAL_DOWN}, version=submission.version)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.version)
    figures = consolidation.figures([month["april"]])
    assert REMARK not in figures.values and figures.get("dvc.DVC22.received") == Decimal(1250)
    client.login(username="compiler", password=conftest.PASSWORD)
    series = client.get(reverse("export_city_series"), {"tu": "2024-04", "den": "2024-04"}).content
    keys = [row[0] for row in openpyxl.load_workbook(io.BytesIO(series)).active.iter_rows(values_only=True)]
    assert "dvc.DVC22.received" in keys and REMARK not in keys

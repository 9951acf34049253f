"""A unit's Excel template says "Không phát sinh" and "Chưa có số liệu" in words, and reads them back as marks."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reporting.choices import CellMark, ChangeSource
from reporting.excel import unit_template
from reporting.models import DataValue, ImportBatch, ValueChange
from reporting.submissions import rules, store
from reporting.submissions.store import CellValue

from .. import conftest
from ..submissions.helpers import fill_april
from .helpers import database_state, download, fill, upload, upload_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, city, month, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def this_month(content):
    """key → column F (Tháng này) of a downloaded template."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))[unit_template.DATA_SHEET]
    return {row[0].value: row[unit_template.VALUE_COL - 1].value
            for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW) if row[0].value}


@pytest.mark.parametrize("written, mark", [
    ("Không phát sinh", CellMark.NONE), ("KPS", CellMark.NONE), ("kps ", CellMark.NONE),
    ("KHÔNG PHÁT SINH", CellMark.NONE), ("khong  phat sinh", CellMark.NONE),
    ("Chưa có số liệu", CellMark.UNKNOWN), ("chua co so lieu", CellMark.UNKNOWN),
    ("0", ""), ("không", ""), (0, ""), (None, ""),
])
def test_the_words_of_a_mark_are_read_in_any_case_with_or_without_diacritics(written, mark):
    assert rules.parse_mark(written) == mark


def test_marks_round_trip_through_the_template(officer, people, city, month):
    submission = fill_april(people["ward_officer"], city, month)
    store.save_values(agency=city["ben_nghe"], period=month["april"], user=people["ward_officer"],
                      values={"ind.NEWS_PRESS": CellValue(mark=CellMark.UNKNOWN)}, version=submission.version)
    written = this_month(download(officer, city))
    assert written["ind.NEWS_PRESS"] == "Chưa có số liệu"

    content = fill(download(officer, city), {"dvc.DVC24.count": "KPS", "ind.NEWS_PRESS": "khong phat sinh",
                                             "dvc.DVC22.online": "chưa có số liệu"})
    assert upload(officer, upload_url(city), content).status_code == 302
    officer.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    marks = {value.key: value.mark for value in DataValue.objects.filter(number__isnull=True, text="")}
    assert marks == {"dvc.DVC24.count": CellMark.NONE, "ind.NEWS_PRESS": CellMark.NONE,
                     "dvc.DVC22.online": CellMark.UNKNOWN}
    change = ValueChange.objects.get(key="dvc.DVC24.count", source=ChangeSource.IMPORT)
    assert (change.old_value, change.new_value) == ("35", "Không phát sinh")

    # Downloaded again, the marks are words; uploaded unchanged, nothing changes.
    written = this_month(download(officer, city))
    assert (written["dvc.DVC24.count"], written["dvc.DVC22.online"]) == ("Không phát sinh", "Chưa có số liệu")
    before = database_state()
    assert upload(officer, upload_url(city), download(officer, city)).status_code == 302
    assert database_state() == before


def test_a_number_replaces_a_mark_and_other_words_are_refused(officer, people, city, month):
    submission = fill_april(people["ward_officer"], city, month)
    store.save_values(agency=city["ben_nghe"], period=month["april"], user=people["ward_officer"],
                      values={"ind.NEWS_PRESS": CellValue(mark=CellMark.NONE)}, version=submission.version)
    before = database_state()
    response = upload(officer, upload_url(city), fill(download(officer, city), {"dvc.DVC24.count": "không có"}))
    assert response.status_code == 422
    assert "“không có” không phải là số" in response.content.decode()
    assert database_state() == before                                    # all or nothing, as before

    upload(officer, upload_url(city), fill(download(officer, city), {"ind.NEWS_PRESS": 4}))
    officer.post(reverse("import_confirm", args=[ImportBatch.objects.last().pk]))
    value = DataValue.objects.get(key="ind.NEWS_PRESS")
    assert (value.number, value.mark) == (4, "")


def test_the_guide_and_excels_own_check_name_the_marks(officer, city, month):
    workbook = openpyxl.load_workbook(io.BytesIO(download(officer, city)))
    guide = " ".join(str(c.value) for c in workbook[unit_template.GUIDE_SHEET]["A"] if c.value)
    assert "“Không phát sinh” (hoặc KPS)" in guide and "“Chưa có số liệu”" in guide and "Nhập 0" not in guide
    sheet = workbook[unit_template.DATA_SHEET]
    checks = [v for v in sheet.data_validations.dataValidation if v.type == "custom"]
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW) if row[0].value}
    news = f"F{rows['ind.NEWS_PRESS']}"
    assert any(news in validation.sqref for validation in checks)
    assert all('TRIM(' in v.formula1 and '="KPS"' in v.formula1 for v in checks)

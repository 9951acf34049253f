"""A unit's Excel template: download → fill → upload → preview → confirm, and the same checks as the form."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reporting.choices import ChangeSource, Progress
from reporting.excel import staging, unit_template
from reporting.models import DataValue, ImportBatch, ImportStatus, ValueChange

from .. import conftest
from ..submissions.helpers import fill_april, save
from .helpers import database_state, download, fill, upload, upload_url

pytestmark = pytest.mark.django_db

APRIL = {
    "dvc.DVC22.received": 1250, "dvc.DVC22.online": "1.100", "dvc.DVC22.resolved": 1200, "dvc.DVC22.on_time": 1180,
    "dvc.DVC24.count": 35, "ind.EID_ACTIVATED": "7.856.474", "ind.NEWS_PRESS": 12,
    "mh.MH02.status": "Đang triển khai", "note.difficulties": "- Thiếu máy quét.",
}


@pytest.fixture
def officer(client, city, month, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def task_status(month):
    return f"nv.{month['task'].pk}.status"


def test_the_template_holds_exactly_the_units_rows_with_last_months_values(officer, city, month, people):
    save(people["ward_officer"], city, month, {"ind.EID_ACTIVATED": Decimal(7_800_000)}, period="march")
    workbook = openpyxl.load_workbook(io.BytesIO(download(officer, city)))
    assert workbook.sheetnames == [unit_template.GUIDE_SHEET, unit_template.DATA_SHEET, unit_template.ID_SHEET]
    assert workbook[unit_template.ID_SHEET].sheet_state == "veryHidden"
    sheet = workbook[unit_template.DATA_SHEET]
    assert [c.value for c in sheet[unit_template.HEADER_ROW]] == unit_template.COLUMNS
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW) if row[0].value}
    assert set(rows) == {
        "dvc.DVC22.received", "dvc.DVC22.online", "dvc.DVC22.resolved", "dvc.DVC22.on_time", "dvc.DVC22.note",
        "dvc.DVC24.count", "dvc.DVC24.note", "ind.EID_ACTIVATED", "ind.NEWS_PRESS", "mh.MH02.status", "mh.MH02.note", task_status(month),
        f"nv.{month['task'].pk}.product", f"nv.{month['task'].pk}.note", "note.direction", "note.strengths", "note.shortcomings", "note.difficulties",
        "note.next_tasks",
    }
    eid = rows["ind.EID_ACTIVATED"]
    assert (eid[4].value, eid[4].number_format) == (7_800_000, "#,##0")   # last month, for reference
    assert sheet.protection.sheet is True
    assert eid[0].protection.locked and eid[4].protection.locked      # key and reference cannot be typed over
    assert not eid[5].protection.locked and not eid[6].protection.locked  # value and reason can
    validations = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    # A count: a whole number ≥ 0 or a mark's words, judged by Excel from the first cell of each run.
    counts = [(sqref, formula) for sqref, (kind, formula) in validations.items() if kind == "custom"]
    assert counts and all(formula.startswith(f"IF(ISNUMBER({sqref.split(':')[0]}),") and "Không phát sinh" in formula
                          for sqref, formula in counts)
    assert ("list", '"Chưa triển khai,Đang triển khai,Đã hoàn thành"') in validations.values()
    guide = " ".join(str(c.value) for c in workbook[unit_template.GUIDE_SHEET]["A"] if c.value)
    assert "Phường Bến Nghé" in guide and "Tháng 4/2024" in guide and "Không dùng công thức" in guide
    # The parts and wholes of this unit's services, as the import will judge them.
    assert ("Với dịch vụ công: số trực tuyến không lớn hơn số tiếp nhận, số đúng hạn không lớn hơn số đã giải quyết."
            in guide)


def test_round_trip_download_fill_upload_confirm_stores_what_was_typed(officer, city, month, people):
    content = fill(download(officer, city), {**APRIL, task_status(month): "Đã hoàn thành"})
    response = upload(officer, upload_url(city), content)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response.url == reverse("import_preview", args=[batch.pk])
    assert not DataValue.objects.exists()  # nothing written before the confirmation

    preview = officer.get(response.url).content.decode()
    assert "10 ô sẽ thay đổi" in preview
    assert "Tài khoản định danh điện tử đã kích hoạt" in preview and "7.856.474" in preview

    response = officer.post(reverse("import_confirm", args=[batch.pk]))
    assert response.url == reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    stored = {v.key: v.number if v.number is not None else v.text for v in DataValue.objects.all()}
    assert stored == {
        "dvc.DVC22.received": 1250, "dvc.DVC22.online": 1100, "dvc.DVC22.resolved": 1200, "dvc.DVC22.on_time": 1180,
        "dvc.DVC24.count": 35, "ind.EID_ACTIVATED": 7_856_474, "ind.NEWS_PRESS": 12,
        "mh.MH02.status": Progress.IN_PROGRESS, task_status(month): Progress.DONE,
        "note.difficulties": "- Thiếu máy quét.",
    }
    assert set(ValueChange.objects.values_list("source", flat=True)) == {ChangeSource.IMPORT}
    assert ValueChange.objects.filter(changed_by=people["ward_officer"]).count() == 10
    assert ImportBatch.objects.get().status == ImportStatus.APPLIED

    # The same file again changes nothing, and says so.
    before = database_state()
    response = upload(officer, upload_url(city), content)
    assert response.status_code == 302 and response.url.endswith(f"/don-vi/{city['ben_nghe'].pk}/")
    assert database_state() == before
    page = officer.get(response.url).content.decode()
    assert "không có số liệu nào khác với số liệu hiện có" in page


def test_a_row_removed_from_the_file_keeps_its_value_and_an_emptied_cell_clears_it(officer, city, month, people):
    fill_april(people["ward_officer"], city, month)
    content = download(officer, city)

    def drop_news_row_and_empty_difficulties(workbook):
        sheet = workbook[unit_template.DATA_SHEET]
        rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW) if row[0].value}
        sheet.cell(row=rows["note.difficulties"], column=unit_template.VALUE_COL).value = None
        sheet.delete_rows(rows["ind.NEWS_PRESS"])

    upload(officer, upload_url(city), fill(content, edit=drop_news_row_and_empty_difficulties))
    batch = ImportBatch.objects.get()
    assert [(key, value.text, old) for _, key, value, old, _ in staging.staged(batch)] == [
        ("note.difficulties", "", "Thiếu máy quét.")]
    officer.post(reverse("import_confirm", args=[batch.pk]))
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == 12
    assert not DataValue.objects.filter(key="note.difficulties").exists()


def test_a_decreasing_cumulative_counter_needs_a_reason_in_column_g(officer, city, month, people):
    save(people["ward_officer"], city, month, {"ind.EID_ACTIVATED": Decimal(7_900_000)}, period="march")
    content = download(officer, city)
    response = upload(officer, upload_url(city), fill(content, {"ind.EID_ACTIVATED": 7_856_474}))
    assert response.status_code == 422
    assert "Số lũy kế không được giảm so với tháng trước (7.900.000)" in response.content.decode()

    upload(officer, upload_url(city), fill(content, {"ind.EID_ACTIVATED": 7_856_474},
                                           reasons={"ind.EID_ACTIVATED": "Rà soát loại trùng"}))
    officer.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    value = DataValue.objects.get(key="ind.EID_ACTIVATED", submission__period=month["april"])
    assert (value.number, value.comment) == (7_856_474, "Rà soát loại trùng")


def test_confirming_after_someone_else_saved_applies_nothing(officer, city, month, people):
    fill_april(people["ward_officer"], city, month)
    upload(officer, upload_url(city), fill(download(officer, city), {"ind.NEWS_PRESS": 20}))
    batch = ImportBatch.objects.get()
    submission = DataValue.objects.get(key="ind.NEWS_PRESS").submission
    save(people["ward_head"], city, month, {"ind.NEWS_PRESS": Decimal(30)}, version=submission.version)

    response = officer.post(reverse("import_confirm", args=[batch.pk]), follow=True)
    assert "đã được người khác thay đổi sau khi bạn tải tệp lên" in response.content.decode()
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == 30
    assert ImportBatch.objects.get().status == ImportStatus.CANCELLED


def test_only_the_uploader_sees_and_confirms_a_staged_upload(officer, client, city, month, people):
    upload(officer, upload_url(city), fill(download(officer, city), {"ind.NEWS_PRESS": 20}))
    batch = ImportBatch.objects.get()
    client.logout()
    client.login(username="ward_head", password=conftest.PASSWORD)
    assert client.get(reverse("import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("import_confirm", args=[batch.pk])).status_code == 404
    assert not DataValue.objects.exists()


def test_cancel_discards_the_upload(officer, city, month):
    upload(officer, upload_url(city), fill(download(officer, city), {"ind.NEWS_PRESS": 20}))
    batch = ImportBatch.objects.get()
    officer.post(reverse("import_cancel", args=[batch.pk]))
    assert officer.post(reverse("import_confirm", args=[batch.pk])).status_code == 302
    assert not DataValue.objects.exists()
    assert ImportBatch.objects.get().status == ImportStatus.CANCELLED


def test_another_units_template_cannot_be_downloaded_by_editing_the_url(officer, city, month):
    assert officer.get(reverse("download_template", args=[2024, 4, city["ben_thanh"].pk])).status_code == 404
    assert officer.post(upload_url(city, unit="ben_thanh"), {}).status_code == 404

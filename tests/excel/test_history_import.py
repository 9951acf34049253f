"""PC06's history workbook: many units and months in one file, previewed, then applied all at once or not at all."""

import gc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from reporting.choices import ChangeSource, SubmissionStatus
from reporting.excel import collector, history, staging, value_table
from reporting.models import DataValue, ImportBatch, StatusChange, Submission, ValueChange
from reporting.submissions import workflow

from .. import conftest
from ..submissions.helpers import fill_april
from ..submissions.helpers import save as save_cells
from .helpers import database_state, save, upload

pytestmark = pytest.mark.django_db
URL = "/nhap-lich-su/"


def workbook(rows, columns=value_table.COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.title = value_table.SHEET_TITLE
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    return save(book)


def row(unit, month, key, value, comment=None, year=2024):
    return [unit, None, year, month, key, None, value, comment]


@pytest.fixture
def pc06(client, city, month, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


GOOD = [
    row("Q01-BNG", 2, "ind.EID_ACTIVATED", 7_500_000),
    row("Q01-BNG", 3, "ind.EID_ACTIVATED", "7.700.000"),
    row("Q01-BNG", 3, "dvc.DVC22.received", 900),
    row("Q01-BNG", 3, "dvc.DVC22.resolved", 850),
    row("Q01-BTH", 3, "dvc.DVC24.count", 14),
    row("Q01-BTH", 3, "mh.MH02.status", "Đang triển khai"),
    row("Q01-BTH", 3, "note.difficulties", "-Thiếu nhân lực"),
]


def test_pc06_previews_then_loads_past_months_of_many_units_as_approved(pc06, city, month, people):
    response = upload(pc06, URL, workbook(GOOD), name="lich-su-2024.xlsx")
    assert response.status_code == 302
    assert not DataValue.objects.exists()
    preview = pc06.get(response.url).content.decode()
    assert "7 ô sẽ thay đổi" in preview
    assert "Phường Bến Thành" in preview and "Tháng 2/2024" in preview and "7.700.000" in preview

    pc06.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    stored = {(v.submission.agency.code, v.submission.period.month, v.key): v.number if v.number is not None else v.text
              for v in DataValue.objects.select_related("submission__agency", "submission__period")}
    assert stored == {
        ("Q01-BNG", 2, "ind.EID_ACTIVATED"): 7_500_000, ("Q01-BNG", 3, "ind.EID_ACTIVATED"): 7_700_000,
        ("Q01-BNG", 3, "dvc.DVC22.received"): 900, ("Q01-BNG", 3, "dvc.DVC22.resolved"): 850,
        ("Q01-BTH", 3, "dvc.DVC24.count"): 14, ("Q01-BTH", 3, "mh.MH02.status"): "in_progress",
        ("Q01-BTH", 3, "note.difficulties"): "-Thiếu nhân lực",
    }
    assert set(Submission.objects.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}
    assert StatusChange.objects.filter(comment="Số liệu lịch sử nhập từ tệp “lich-su-2024.xlsx”.").count() == 3
    assert set(ValueChange.objects.values_list("source", "changed_by__username")) == {(ChangeSource.IMPORT, "compiler")}

    # Loading the same file again changes nothing, even though those months are now approved.
    before = database_state()
    response = upload(pc06, URL, workbook(GOOD))
    assert "không có số liệu nào khác" in pc06.get(response.url).content.decode()
    assert database_state() == before


def _problems(client, rows, columns=value_table.COLUMNS):
    before = database_state()
    response = upload(client, URL, workbook(rows, columns))
    assert database_state() == before
    if response.status_code == 302:
        return client.get(response.url).content.decode()
    assert response.status_code == 422
    return response.content.decode()


@pytest.mark.parametrize("bad, message", [
    (row("Q99-XYZ", 3, "ind.NEWS_PRESS", 1), "Không có đơn vị báo cáo mã “Q99-XYZ”"),
    (row("PC06", 3, "ind.NEWS_PRESS", 1), "Không có đơn vị báo cáo mã “PC06”"),
    (row("Q01-BNG", 3, "ind.KHONG_CO", 1), "Mã ô “ind.KHONG_CO” không có trong danh mục năm 2024"),
    (row("Q01-BNG", 13, "ind.NEWS_PRESS", 1), "không phải tháng hợp lệ"),
    (row("Q01-BNG", 3, "ind.NEWS_PRESS", 1, year=2099), "Chưa đến kỳ báo cáo tháng 3/2099"),
    (row("Q01-BNG", 3, "ind.NEWS_PRESS", "nhiều"), "“nhiều” không phải là số"),
    (row("Q01-BNG", 3, "ind.NEWS_PRESS", -3), "Số liệu không được âm"),
    (row("Q01-BNG", 3, "ind.NEWS_PRESS", "=2+2"), "chứa công thức “=2+2”"),
    (row("Q01-BNG", 3, "dvc.DVC22.online", 901), "Không được lớn hơn số tiếp nhận (900)"),
    (row("Q01-BNG", 2, "ind.EID_ACTIVATED", 1), "Dòng trùng với dòng 2"),
])
def test_one_bad_row_refuses_the_whole_file_with_its_row_and_column(pc06, city, month, bad, message):
    html = _problems(pc06, GOOD + [bad])
    assert message in html
    assert f"<td class=\"num\">{len(GOOD) + 2}</td>" in html  # the bad row: after the header and the good rows
    assert "chưa có số liệu nào được cập nhật" in html


def test_a_stored_value_is_part_of_the_checks(pc06, city, month, people):
    save_cells(people["compiler"], city, month, {"dvc.DVC22.online": Decimal(1000)}, period="march")
    html = _problems(pc06, [row("Q01-BNG", 3, "dvc.DVC22.received", 900)])
    assert "Không được nhỏ hơn số trực tuyến đã có (1.000)" in html


def test_resolved_records_above_the_cases_to_resolve_are_refused_where_the_service_reports_both(pc06, city, month):
    from indicators.models import Service
    from reporting.choices import AgencyKind

    Service.objects.create(code="DVC14", name="Giải quyết hưởng trợ cấp thất nghiệp", reporter_kind=AgencyKind.WARD,
                           order=3).measures.set(conftest.measures("to_resolve", "resolved"))
    html = _problems(pc06, [row("Q01-BNG", 3, "dvc.DVC14.to_resolve", 13_677),
                            row("Q01-BNG", 3, "dvc.DVC14.resolved", 13_678)])
    assert "Không được lớn hơn số phải giải quyết (13.677)" in html


def test_a_submitted_or_approved_month_is_never_overwritten(pc06, city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    html = _problems(pc06, [row("Q01-BNG", 4, "ind.NEWS_PRESS", 99)])
    assert "Báo cáo Tháng 4/2024 của Phường Bến Nghé đã nộp" in html


def test_a_missing_column_is_named(pc06, city, month):
    html = _problems(pc06, [], columns=[value_table.AGENCY_CODE, value_table.YEAR, value_table.KEY])
    assert "thiếu cột “Tháng”, “Giá trị”" in html


def test_only_pc06_imports_history(client, city, month, people):
    for username in ("ward_officer", "district_officer", "leader"):
        client.login(username=username, password=conftest.PASSWORD)
        assert client.get(URL).status_code == 403
        assert upload(client, URL, workbook(GOOD)).status_code == 403
    assert not DataValue.objects.exists()


def test_reading_costs_the_same_queries_for_one_row_as_for_dozens(city, month, people, catalogs_over_test_rows):
    def queries(rows):
        from django.core.files.uploadedfile import SimpleUploadedFile
        with CaptureQueriesContext(connection) as captured:
            plan = history.read(SimpleUploadedFile("h.xlsx", workbook(rows)), people["compiler"])
        assert not plan.problems, plan.problems[:3]
        return len(captured)

    small = [row("Q01-BNG", 3, "ind.NEWS_PRESS", 1)]
    keys = ["ind.NEWS_PRESS", "dvc.DVC22.received", "dvc.DVC22.online", "dvc.DVC24.count", "note.direction"]
    large = [row(unit, month_number, key, month_number if key != "note.direction" else "Họp triển khai")
             for unit in ("Q01-BNG", "Q01-BTH", "Q03-VTS") for month_number in (1, 2, 3) for key in keys]
    queries(large)  # the first read creates January and February's periods
    assert queries(small) == queries(large)


def row_counts():
    """Rows of every table the project has, Django's own included."""
    from django.apps import apps
    return {model._meta.db_table: model._default_manager.count() for model in apps.get_models()}


def test_a_refused_file_creates_nothing_not_even_the_periods_of_its_months(pc06, city, month):
    # Eleven months nobody opened yet, and one row that cannot be read: the whole file is refused.
    rows = [row("Q01-BNG", number, "ind.NEWS_PRESS", number, year=2023) for number in range(1, 12)]
    rows.append(row("Q01-BNG", 12, "ind.NEWS_PRESS", "mười hai", year=2023))
    before = row_counts()
    response = upload(pc06, URL, workbook(rows), name="lich-su-2023.xlsx")
    assert response.status_code == 422
    assert "“mười hai”" in response.content.decode()
    assert row_counts() == before


def test_the_import_holds_the_garbage_collector_while_it_reads_stages_and_writes(pc06, city, month, monkeypatch):
    collector_on = {}

    def watched(module, name):
        original = getattr(module, name)

        def step(*args, **kwargs):
            collector_on[name] = gc.isenabled()
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, step)

    watched(history, "_rows")
    watched(staging.ImportBatch.objects, "create")
    watched(workflow, "approve_imported_history")
    upload(pc06, URL, workbook(GOOD))
    pc06.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    assert collector_on == {"_rows": False, "create": False, "approve_imported_history": False}
    assert gc.isenabled() and DataValue.objects.count() == len(GOOD)


def test_the_collector_comes_back_on_when_a_step_fails_and_stays_off_if_it_was_off():
    @collector.paused()
    def failing():
        assert not gc.isenabled()
        raise RuntimeError("the file could not be written")

    with pytest.raises(RuntimeError):
        failing()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

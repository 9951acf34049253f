"""An officer fills the month in Excel: download, upload with a mistake, read the error, fix, upload, confirm."""

import pytest
from playwright.sync_api import expect

from reporting.models import DataValue

from ..excel.helpers import data_rows, fill
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_officer_uploads_a_template_with_an_error_fixes_it_and_confirms(page, city, people, month, tmp_path):
    log_in(page, people["ward_officer"])
    page.goto(f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biểu mẫu Excel của đơn vị kỳ này").click()
    assert download.value.suggested_filename == "bieu-mau-de-an-06-Q01-BNG-2024-04.xlsx"
    template = download.value.path().read_bytes()

    wrong = tmp_path / "bieu-mau-sai.xlsx"
    wrong.write_bytes(fill(template, {"dvc.DVC22.received": 1250, "dvc.DVC22.online": 1300, "ind.NEWS_PRESS": 12}))
    page.locator("#template-file").set_input_files(str(wrong))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("Tệp có 1 lỗi — chưa có số liệu nào được cập nhật")
    row = data_rows(template)["dvc.DVC22.online"]
    expect(problems.locator("tbody tr")).to_have_text(
        f"Số liệu{row}F (Tháng này)Không được lớn hơn số tiếp nhận (1.250).", use_inner_text=False)
    screenshot(page, "excel-import-error")
    assert not DataValue.objects.exists()

    page.go_back()
    fixed = tmp_path / "bieu-mau.xlsx"
    fixed.write_bytes(fill(template, {"dvc.DVC22.received": 1250, "dvc.DVC22.online": 1100, "ind.NEWS_PRESS": 12}))
    page.locator("#template-file").set_input_files(str(fixed))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    changes = page.get_by_test_id("import-changes")
    expect(changes).to_contain_text("3 ô sẽ thay đổi")
    expect(changes).to_contain_text("Đăng ký khai sinh · Trực tuyến")
    screenshot(page, "excel-import-preview")
    assert not DataValue.objects.exists()  # nothing before the confirmation

    page.get_by_role("button", name="Xác nhận cập nhật 3 ô").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật 3 ô số liệu của 1 báo cáo")
    expect(page.locator('[name="dvc.DVC22.online"]')).to_have_value("1.100")
    screenshot(page, "excel-import-applied")
    assert {v.key: v.number for v in DataValue.objects.all()} == {
        "dvc.DVC22.received": 1250, "dvc.DVC22.online": 1100, "ind.NEWS_PRESS": 12}

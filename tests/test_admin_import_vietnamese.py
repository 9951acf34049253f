"""PC06 completes a catalog from Excel in the admin, and every step of it speaks Vietnamese.

django-import-export has no Vietnamese catalog; templates/admin/import_export/ gives its words.
"""

import re

import pytest
from django.urls import reverse

from reporting.models import Agency

from .indicators.helpers import workbook
from .indicators.test_catalog_excel import AGENCY_HEADERS, GOOD_ROWS, confirm, logged_in, upload

pytestmark = pytest.mark.django_db

# What the library prints in English on these pages (its templates and its view titles).
ENGLISH = ["Import", "Export", "This importer", "Submit", "Confirm import", "Below is a preview", "Preview", "Errors",
           "Line number", "Some rows failed", "Non field specific", "Please correct", "Traceback"]


def words(response):
    """The page's title, breadcrumbs and content as text, without the admin's side menu."""
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    content = html[html.index('<div class="breadcrumbs">'):]
    content = re.sub(r'(?s)<nav class="sticky" id="nav-sidebar".*?</nav>', " ", content)
    buttons = re.findall(r'<input type="submit"[^>]*value="([^"]*)"', content)
    text = re.sub(r"(?s)<script.*?</script>|<[^>]+>", " ", " ".join([title, content, *buttons]))
    return re.sub(r"\s+", " ", text)


def assert_vietnamese(response):
    text = words(response)
    english = [phrase for phrase in ENGLISH if re.search(rf"\b{phrase}\b", text)]
    assert not english, f"English on the page: {english}"
    return text


def row_kinds(response):
    return re.findall(r'<td class="import-type">\s*(.*?)\s*</td>', response.content.decode())


def test_the_changelist_offers_import_and_export_in_vietnamese(client, people):
    page = logged_in(client, people["compiler"]).get(reverse("admin:reporting_agency_changelist")).content.decode()
    assert ">Nhập từ Excel</a>" in page and ">Xuất ra Excel</a>" in page
    assert ">Import</a>" not in page and ">Export</a>" not in page


def test_the_upload_page_is_vietnamese(client, people):
    page = logged_in(client, people["compiler"]).get(reverse("admin:reporting_agency_import"))
    text = assert_vietnamese(page)
    assert "js/validity.js" in page.content.decode()        # and so is the browser's own "fill in this field"
    assert "Nhập đơn vị từ Excel" in text
    assert "Tệp nhập vào cần có các cột" in text and "Tải lên và xem trước" in text


def test_the_preview_and_its_confirmation_are_vietnamese(client, people):
    client = logged_in(client, people["compiler"])
    preview = upload(client, Agency, workbook(AGENCY_HEADERS, GOOD_ROWS))

    text = assert_vietnamese(preview)
    assert "Xem trước" in text and "chưa có gì được lưu" in text
    assert "Xác nhận nhập" in text
    assert sorted(row_kinds(preview)) == ["Cập nhật", "Thêm mới"]

    done = confirm(client, Agency, preview)
    assert "Đã nhập đơn vị: 1 thêm mới, 1 cập nhật, 0 không thay đổi." in done.content.decode()


def test_a_row_that_cannot_be_imported_is_explained_in_vietnamese(client, people):
    bad = ["Q01-XYZ", "Phường mới", "ward", "Q99", None, None, None]
    preview = upload(logged_in(client, people["compiler"]), Agency, workbook(AGENCY_HEADERS, GOOD_ROWS + [bad]))

    text = assert_vietnamese(preview)
    assert "Không có đơn vị nào mã “Q99”." in text
    assert "Có dòng không hợp lệ" in text or "Lỗi: tệp chưa được nhập" in text


def test_a_value_that_is_not_a_number_is_reported_by_its_row_in_vietnamese(client, catalogs, people):
    from indicators.models import Service
    from indicators.resources import ServiceResource

    from .indicators.helpers import export

    client = logged_in(client, people["compiler"])
    headers, rows = export(client, Service, ServiceResource)
    rows[1][headers.index("Thứ tự")] = "abc"

    preview = upload(client, Service, workbook(headers, rows))

    text = assert_vietnamese(preview)
    assert "Dòng 2: " in text or "Có dòng không hợp lệ" in text      # an error of the row, or a refusal of its value
    assert preview.context.get("confirm_form") is None

"""Each bound of reporting.excel.bounds, met one at a time: refused in Vietnamese before openpyxl builds anything.

The limits are lowered here so that the files stay small; the hostile corpus
(test_hostile_uploads.py) goes beyond the real ones at every upload point.
"""

import pytest
from django.core.files.base import ContentFile

from reporting.excel import archive, bounds, workbooks
from reporting.excel.workbooks import WorkbookError

from . import hostile


def read(content):
    """Open ``content`` and read every row of every sheet, as an import does."""
    book = workbooks.open_workbook(ContentFile(content, name="tep.xlsx"))
    return [values for sheet in book.worksheets
            for _, values in workbooks.rows_of(sheet, first_row=1, columns=sheet.max_column)]


def refused(content, words):
    with pytest.raises(WorkbookError) as error:
        read(content)
    message = " ".join(error.value.messages)
    assert words in message, message
    return message


def rows(count, cells=1, prefix=""):
    return "".join(f'<{prefix}row r="{n}">' + "".join(f'<{prefix}c r="{chr(65 + c)}{n}"><{prefix}v>{n}</{prefix}v>'
                                                       f'</{prefix}c>' for c in range(cells)) + f"</{prefix}row>"
                   for n in range(1, count + 1))


def test_a_workbook_within_every_bound_is_read():
    assert read(hostile.with_sheet(hostile.small_workbook(), hostile.sheet_xml(rows(50, cells=5))))[-1] == (50,) * 5


def test_rows_are_counted_whatever_their_namespace_prefix(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROWS", 20)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = f'<x:worksheet xmlns:x="{ns}"><x:sheetData>{rows(21, prefix="x:")}</x:sheetData></x:worksheet>'
    refused(hostile.with_sheet(hostile.small_workbook(), sheet.encode()), "vượt giới hạn 20 dòng")


def test_a_row_number_beyond_the_limit_is_refused_though_the_rows_are_few():
    sheet = hostile.sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="999999"><c r="A999999"><v>2</v></c></row>')
    refused(hostile.with_sheet(hostile.small_workbook(), sheet), "vượt giới hạn 60.000 dòng")


def test_data_beyond_the_last_column_is_refused_when_no_dimension_says_so():
    sheet = hostile.sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="ZZ1"><v>2</v></c></row>')
    refused(hostile.with_sheet(hostile.small_workbook(), sheet), "dòng 1 có dữ liệu sau cột BH, vượt giới hạn 60 cột")


def test_a_row_of_too_many_tags_is_refused(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ITEM_TAGS", 40)
    refused(hostile.with_sheet(hostile.small_workbook(), hostile.sheet_xml(rows(3, cells=12))),
            "một dòng hoặc một chuỗi hơn 40 thẻ XML")


def test_what_openpyxl_holds_whole_is_bounded_over_every_part(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_HELD_TAGS", 500)
    merged = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(1, 400))
    sheet = hostile.sheet_xml(rows(2)).replace(b"</sheetData>", f"</sheetData><mergeCells>{merged}</mergeCells>".encode())
    refused(hostile.with_sheet(hostile.small_workbook(), sheet), "hơn 500 thẻ XML ngoài các dòng số liệu")


def test_rows_anywhere_but_a_sheet_are_held_whole(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_HELD_TAGS", 500)
    content = hostile.rewrite_member(hostile.small_workbook(), "xl/phan-khac.xml", lambda _: hostile.sheet_xml(rows(300)))
    refused(content, "hơn 500 thẻ XML ngoài các dòng số liệu")


def test_shared_strings_are_counted(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_SHARED_STRINGS", 10)
    refused(_shared_strings(11), "có hơn 10 chuỗi văn bản")


def _shared_strings(count):
    members = hostile.members_of(hostile.small_workbook())
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>chuỗi {n}</t></si>" for n in range(count))
    members["xl/sharedStrings.xml"] = f'<sst xmlns="{ns}">{items}</sst>'.encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return hostile.zip_of(members)


def test_a_text_longer_than_a_cell_can_hold_is_refused():
    sheet = hostile.sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"a" * 600_000}</t></is></c></row>')
    refused(hostile.with_sheet(hostile.small_workbook(), sheet), "có một đoạn liền dài hơn 512 KB")


def test_a_row_number_that_is_not_one_is_refused():
    sheet = hostile.sheet_xml('<row r="1e9"><c r="A1"><v>1</v></c></row>')
    refused(hostile.with_sheet(hostile.small_workbook(), sheet), "ghi số dòng “1e9” không hợp lệ")


def test_the_time_budget_stops_the_check(monkeypatch):
    monkeypatch.setattr(bounds, "READ_SECONDS", -1)
    refused(hostile.small_workbook(), "cần hơn -1 giây để kiểm tra")


def test_the_time_budget_stops_the_reading(monkeypatch):
    content = hostile.with_sheet(hostile.small_workbook(), hostile.sheet_xml(rows(600)))
    book = workbooks.open_workbook(ContentFile(content, name="tep.xlsx"))
    monkeypatch.setattr(workbooks, "_READ_UNTIL", {book: archive.deadline(-1)})
    with pytest.raises(WorkbookError, match="giây nên tệp bị từ chối"):
        list(workbooks.rows_of(book.worksheets[0], first_row=1, columns=1))


def test_a_member_is_judged_by_what_it_inflates_to_not_by_what_it_declares():
    content = hostile.patch_member(hostile.small_workbook(), "xl/styles.xml",
                                   size=len(hostile.members_of(hostile.small_workbook())["xl/styles.xml"]) + 10)
    refused(content, "bị hỏng")


def test_blanks_before_the_root_do_not_hide_a_sheet(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROWS", 20)
    sheet = b" " * 200_000 + hostile.sheet_xml(rows(21)).split(b"?>", 1)[1]
    refused(hostile.with_sheet(hostile.small_workbook(), sheet), "vượt giới hạn 20 dòng")


def test_a_picture_is_not_counted_as_xml(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_HELD_TAGS", 500)
    picture = b"\x89PNG\r\n\x1a\n" + b"<" * 2000      # a "<" byte is 1 in 256 of a compressed picture
    assert read(hostile.rewrite_member(hostile.small_workbook(), "xl/media/image1.png", lambda _: picture))

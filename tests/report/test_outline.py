"""The report's outline is data: numbering, sentences, ratios, no-data rules, narrative slots, files, versions."""

import json

import pytest
from django.core.exceptions import ValidationError

from reporting.choices import AgencyKind
from reporting.models import Agency, OutlineItem, ReportOutline, ReportVersion, WorkflowError
from reporting.models.outline import ItemKind
from reporting.periods import default_schedule
from reporting.report import fill, issue, narrative, outline_io, sentences
from reporting.report.compose import compose
from reporting.report.document import plain_text

from .helpers import MAY_6, report, service_cells

pytestmark = pytest.mark.django_db


def month_outline():
    return ReportOutline.objects.get(schedule=default_schedule(), kind="month")


def replace_outline(items):
    return outline_io.load(default_schedule(), {"format": outline_io.FORMAT, "name": "Thử", "kind": "month",
                                                "items": items})


def heading(text, numbering, *children):
    return {"kind": "heading", "numbering": numbering, "text": text, "children": list(children)}


# --- the grammar -------------------------------------------------------------------------


def test_a_pattern_marks_bold_and_italic_runs():
    runs = sentences.render("Đạt **{a}** hồ sơ (*{b}*).", {"a": "3.600", "b": "93,95%"}.get)
    assert [(run.text, run.bold, run.italic) for run in runs] == [
        ("Đạt ", False, False), ("3.600", True, False), (" hồ sơ (", False, False), ("93,95%", False, True),
        (").", False, False)]


def test_a_placeholder_without_a_value_means_no_sentence():
    with pytest.raises(sentences.Missing):
        sentences.render("{a} và {b}", {"a": "1"}.get)


@pytest.mark.parametrize("numerator, denominator, precision, keep_zeros, printed", [
    (3600, 3832, 2, False, "93,95%"), (2106, 4050, 2, False, "52%"), (2106, 4050, 2, True, "52,00%"),
    (13157, 13677, 1, False, "96,2%"), (57, 117, 0, False, "49%"), (8090, 8090, 2, False, "100%")])
def test_ratios_print_at_the_items_precision(numerator, denominator, precision, keep_zeros, printed):
    assert sentences.percent(numerator, denominator, precision, keep_zeros) == printed


def test_a_ratio_over_zero_or_nothing_is_missing():
    for denominator in (0, None):
        with pytest.raises(sentences.Missing):
            sentences.percent(5, denominator, 2, False)


# --- numbering and kinds ---------------------------------------------------------------------


def test_numbers_follow_the_tree_and_move_when_an_item_moves(april, compiler):
    replace_outline([
        heading("MỘT", "roman", heading("Mục a", "arabic", heading("Mục con", "nested")), heading("Mục b", "arabic")),
        heading("HAI", "roman", {"kind": "text", "numbering": "letter", "text": "Đoạn {span}."}),
    ])
    text = plain_text(compose(april))
    assert "I. MỘT\n1. Mục a\n1.1. Mục con\n2. Mục b\nII. HAI\na) Đoạn tháng 4 năm 2024." in text
    first, second = OutlineItem.objects.filter(text__in=["Mục a", "Mục b"]).order_by("order")
    first.order, second.order = second.order, first.order
    first.save(), second.save()
    assert "I. MỘT\n1. Mục b\n2. Mục a\n2.1. Mục con" in plain_text(compose(april))


def test_an_enumeration_numbers_only_the_sentences_it_prints(april, compiler):
    report("CATP", april, {"dvc.DVC01.online": 3600, "dvc.DVC01.received": 3832, "dvc.DVC08.count": 3636},
           compiler=compiler)
    replace_outline([{"kind": "list", "numbering": "dash", "text": "{count:02} dịch vụ: ", "children": [
        {"kind": "figure", "service": "DVC01", "text": "{name} **{online}/{received}**, đạt {ratio}"},
        {"kind": "figure", "service": "DVC02", "text": "{name} **{online}/{received}**, đạt {ratio}"},
        {"kind": "figure", "service": "DVC08", "text": "{name} **{count}** {unit}"}]}])
    assert ("- 02 dịch vụ: (1) Đăng ký thường trú 3.600/3.832, đạt 93,95%; "
            "(2) Cấp con dấu mới và cấp Giấy chứng nhận đã đăng ký mẫu dấu 3.636 hồ sơ.") in plain_text(compose(april))


def test_a_figure_with_no_data_prints_its_no_data_phrase_or_nothing(april, compiler):
    report("STP", april, {"dvc.DVC15.online": 0, "dvc.DVC15.received": 0}, compiler=compiler)
    replace_outline([
        {"kind": "figure", "service": "DVC15", "text": "{name}: {online}/{received}, đạt {ratio}.",
         "no_data": "Chưa phát sinh hồ sơ."},
        {"kind": "figure", "service": "DVC01", "text": "{name}: {online}/{received}."}])
    text = plain_text(compose(april))
    assert "Chưa phát sinh hồ sơ." in text and "Đăng ký thường trú" not in text and "0/0" not in text


def test_a_group_total_adds_the_measures_of_the_lists_services(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    report("SLDTBXH", april, {"dvc.DVC14.received": 12585, "dvc.DVC14.online": 1561, "dvc.DVC14.resolved": 13157,
                              "dvc.DVC14.to_resolve": 13677}, compiler=compiler)
    replace_outline([{"kind": "group_total", "precision": 1,
                      "text": "{count} dịch vụ: **{online}/{received}** ({online/received}); "
                              "giải quyết {resolved}/{to_resolve} ({resolved/to_resolve})."}])
    # {count}: the 11 services CATP reported and DVC14; the shares add only the services with those measures.
    assert "12 dịch vụ: 70.392/83.711 (84,1%); giải quyết 13.157/13.677 (96,2%)." in plain_text(compose(april))


def test_units_notes_are_quoted_by_kind_and_wards_notes_go_to_an_appendix(april, compiler):
    ward = Agency.objects.create(code="Q01-BTH", name="Phường Bến Thành", kind=AgencyKind.WARD,
                                 parent=Agency.objects.get(code="Q01"))
    report("STP", april, {"note.difficulties": "Thiếu kinh phí."}, compiler=compiler)
    report(ward.code, april, {"note.difficulties": "Thiếu máy quét."}, compiler=compiler)
    replace_outline([heading("Khó khăn", "arabic",
                             {"kind": "notes", "key": "note.difficulties", "topic": "difficulties", "gather": "quote",
                              "unit_kinds": "department", "numbering": "dash", "text": "{unit}: {note}"},
                             {"kind": "notes", "key": "kho-khan-phuong", "topic": "difficulties", "gather": "appendix",
                              "unit_kinds": "ward", "text": "Ý kiến của {count:02} phường, xã tại Phụ lục."})])
    document = compose(april)
    text = plain_text(document)
    assert "1. Khó khăn\n- STP: Thiếu kinh phí.\nÝ kiến của 01 phường, xã tại Phụ lục." in text
    assert "Thiếu máy quét." not in "\n".join(block.text for block in document.blocks if hasattr(block, "text"))
    assert document.appendix[0].text == "Phụ lục 1. Khó khăn"
    assert document.appendix[1].rows == [["1", "Phường Bến Thành", "Thiếu máy quét."]]


def test_pc06s_wording_replaces_a_slot_and_an_issued_report_drops_the_drafts_placeholders(april, compiler):
    replace_outline([heading("Tham mưu", "arabic", {"kind": "notes", "key": "tham-muu", "numbering": "dash"})])
    assert "- PC06 viết nội dung mục này." in plain_text(compose(april))
    assert "PC06 viết nội dung" not in plain_text(compose(april, number="1", issued_on=MAY_6))
    narrative.save(april, april, "tham-muu", "Ban hành Kế hoạch 1422/KH-BCĐ.", compiler, version=0)
    assert "1. Tham mưu\n- Ban hành Kế hoạch 1422/KH-BCĐ." in plain_text(compose(april))


# --- validation, files and versions -----------------------------------------------------------


def test_a_pattern_asking_what_its_item_cannot_give_is_refused_in_vietnamese(catalogs):
    outline = month_outline()
    item = OutlineItem(outline=outline, kind=ItemKind.FIGURE, service_id=None,
                       text="{name} **{online}/{khong_co}")
    item.service = outline.items.filter(service__code="DVC08").first().service     # a service counted once
    problems = fill.pattern_problems(item)
    assert "Dấu ** (chữ đậm) phải đi thành cặp." in problems
    assert any("không có chỗ điền {online}, {khong_co}" in problem for problem in problems)
    assert fill.pattern_problems(OutlineItem(outline=outline, kind=ItemKind.TEXT,
                                             text="{CCCD_RECORDS} và {DVC14.to_resolve} {span}")) == []


def test_a_notes_slot_needs_its_key_and_how_to_gather(catalogs):
    item = OutlineItem(outline=month_outline(), kind=ItemKind.NOTES, topic="direction")
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert set(refused.value.message_dict) >= {"key", "gather"}


def test_an_outline_exported_and_imported_elsewhere_is_the_same_outline(catalogs):
    exported = outline_io.export(month_outline())
    text = outline_io.dumps(month_outline())
    outline_io.loads(default_schedule(), text)
    again = outline_io.export(month_outline())
    assert {**again, "revision": 0} == {**exported, "revision": 0}
    assert again["revision"] > exported["revision"]                 # an import is an edit


def test_a_bad_file_changes_nothing_and_names_each_bad_item(catalogs):
    before = outline_io.export(month_outline())
    bad = json.loads(outline_io.dumps(month_outline()))
    bad["items"][0]["text"] = "{khong_co}"
    bad["items"][5]["children"][0]["service"] = "DVC99"
    with pytest.raises(outline_io.OutlineFileError) as refused:
        outline_io.load(default_schedule(), bad)
    assert refused.value.problems[0].startswith("Mục 1 (Đoạn văn (có thể có chỗ điền)): Mục này không có chỗ điền {khong_co}")
    with pytest.raises(outline_io.OutlineFileError, match="không phải đề cương"):
        outline_io.loads(default_schedule(), '{"items": 1}')
    with pytest.raises(outline_io.OutlineFileError, match="JSON"):
        outline_io.loads(default_schedule(), "{")
    assert outline_io.export(month_outline()) == before


def test_an_issued_version_keeps_the_outline_it_was_composed_with(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    version = issue.finalise(april, compiler)
    used = outline_io.export(month_outline())
    item = OutlineItem.objects.get(text="Công tác tuyên truyền")
    item.text = "Tuyên truyền"
    item.save()
    month_outline().touch()
    assert ReportVersion.objects.get(pk=version.pk).outline == used
    assert outline_io.export(month_outline())["revision"] == used["revision"] + 1


def test_a_city_without_an_outline_gets_a_draft_that_says_so_and_cannot_issue(april, compiler):
    ReportOutline.objects.all().delete()
    assert "Chưa có đề cương báo cáo" in plain_text(compose(april))
    with pytest.raises(WorkflowError, match="chưa có đề cương"):
        issue.finalise(april, compiler)

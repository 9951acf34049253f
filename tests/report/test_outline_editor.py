"""PC06 edits the report's outline in the browser: only PC06, every save checked and previewed, none lost to another's."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.choices import AgencyKind, Role
from reporting.models import Agency
from reporting.models.outline import ItemKind, OutlineItem, OutlineKind, ReportOutline
from reporting.periods import default_schedule
from reporting.report import outline_io
from reporting.report.outline_views import reporting_units

from .. import conftest
from .helpers import report, service_cells

PROPAGANDA = "Công tác tuyên truyền"


@pytest.fixture
def outline(catalogs, people):
    return ReportOutline.objects.get(schedule=default_schedule(), kind="month")


@pytest.fixture
def pc06(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def item_of(text):
    return OutlineItem.objects.get(text=text)


def revision(outline):
    outline.refresh_from_db()
    return outline.revision


def form_data(item, **changes):
    """What the item's form posts when PC06 changes only ``changes``."""
    data = {name: getattr(item, name) for name in ("kind", "numbering", "style", "text", "numerator", "denominator",
                                                    "precision", "no_data", "key", "topic", "gather")}
    data.update({name: getattr(item, f"{name}_id") or "" for name in ("service", "indicator", "service_list")})
    data["unit_kinds"] = item.kinds_of_units
    if item.keep_zeros:
        data["keep_zeros"] = "on"
    data["revision"] = item.outline.revision
    data.update(changes)
    return data


def sibling_texts(parent):
    return list(parent.children.order_by("order", "pk").values_list("text", flat=True))


def editor_urls(outline):
    item = item_of(PROPAGANDA)
    return [
        ("get", reverse("outline_editor")), ("get", reverse("outline_upload")), ("post", reverse("outline_upload")),
        ("post", reverse("outline_create")),
        ("get", reverse("outline_download", args=[outline.pk])),
        ("get", reverse("outline_add_last", args=[outline.pk])), ("post", reverse("outline_add_last", args=[outline.pk])),
        *((method, reverse(name, args=[item.pk])) for name in ("outline_item_edit", "outline_add_child",
                                                               "outline_add_after", "outline_item_delete")
          for method in ("get", "post")),
        ("post", reverse("outline_item_up", args=[item.pk])), ("post", reverse("outline_item_down", args=[item.pk])),
    ]


@pytest.mark.parametrize("role", ["ward_officer", "ward_head", "district_officer", "dept_officer", "leader"])
def test_no_one_but_pc06_reaches_any_editor_url(client, outline, role):
    client.login(username=role, password=conftest.PASSWORD)
    before = outline_io.dumps(outline)
    refused = {f"{method} {url}": getattr(client, method)(url).status_code for method, url in editor_urls(outline)}
    assert refused == dict.fromkeys(refused, 403)
    assert outline_io.dumps(outline) == before


def test_someone_logged_out_is_sent_to_log_in(client, outline):
    assert {getattr(client, method)(url).status_code for method, url in editor_urls(outline)} == {302}


def test_the_report_page_links_to_the_editor_for_pc06_only(client, outline, people):
    report_url = reverse("report_preview", args=[2024, 4])
    default_schedule().period_for(2024, 4)
    client.login(username="leader", password=conftest.PASSWORD)
    assert "Sửa đề cương" not in client.get(report_url).content.decode()
    client.login(username="compiler", password=conftest.PASSWORD)
    assert f'href="{reverse("outline_editor")}?ky=2024-04"' in client.get(report_url).content.decode()


def test_the_editor_shows_the_tree_and_the_chosen_months_draft(pc06, outline, people):
    april = default_schedule().period_for(2024, 4)
    report("CATP", april, service_cells(), compiler=people["compiler"])
    html = pc06.get(reverse("outline_editor"), {"ky": "2024-04"}).content.decode()
    assert PROPAGANDA in html and "Tải đề cương (JSON)" in html
    assert "Bản xem trước: Tháng 4/2024" in html
    assert "3.600/3.832" in html          # DVC01 of the approved April, in the draft


def test_stored_text_is_shown_as_text_and_never_breaks_the_page(pc06, outline):
    item_of(PROPAGANDA)
    OutlineItem.objects.filter(text=PROPAGANDA).update(text='<script>alert("x")</script> {khong_co} **')
    response = pc06.get(reverse("outline_editor"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_month_never_opened_is_refused_before_anything_is_saved(pc06, outline):
    heading = item_of(PROPAGANDA)
    response = pc06.post(reverse("outline_item_edit", args=[heading.pk]) + "?ky=2031-01",
                         form_data(heading, text="Khác"))
    assert response.status_code == 404
    heading.refresh_from_db()
    assert heading.text == PROPAGANDA


def test_an_edit_saves_moves_the_revision_and_lands_on_the_preview(pc06, outline):
    default_schedule().period_for(2024, 4)
    heading, before = item_of(PROPAGANDA), revision(outline)
    response = pc06.post(reverse("outline_item_edit", args=[heading.pk]) + "?ky=2024-04",
                         form_data(heading, text="Công tác thông tin, tuyên truyền"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('outline_editor')}?ky=2024-04#muc-{heading.pk}"
    heading.refresh_from_db()
    assert heading.text == "Công tác thông tin, tuyên truyền" and revision(outline) == before + 1
    assert "Công tác thông tin, tuyên truyền" in pc06.get(response["Location"]).content.decode()


def test_a_placeholder_the_item_cannot_fill_is_refused_beside_the_text(pc06, outline):
    heading, before = item_of(PROPAGANDA), revision(outline)
    response = pc06.post(reverse("outline_item_edit", args=[heading.pk]),
                         form_data(heading, text="Tuyên truyền {khong_co}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mục này không có chỗ điền {khong_co}" in html and 'data-testid="errors-text"' in html
    assert "Tuyên truyền {khong_co}</textarea>" in html
    heading.refresh_from_db()
    assert heading.text == PROPAGANDA and revision(outline) == before


def test_the_form_lists_the_placeholders_of_the_items_measures(pc06, outline):
    figure = OutlineItem.objects.get(service__code="DVC01")
    html = pc06.get(reverse("outline_item_edit", args=[figure.pk])).content.decode()
    for name in ("{online}", "{received}", "{ratio}", "{name}", "{span}"):
        assert f"<code>{name}</code>" in html


def test_checking_saves_nothing_and_lists_what_the_new_choice_can_fill(pc06, outline):
    heading, before = item_of(PROPAGANDA), revision(outline)
    service = OutlineItem.objects.get(service__code="DVC01").service_id
    response = pc06.post(reverse("outline_item_edit", args=[heading.pk]),
                         form_data(heading, kind=ItemKind.FIGURE, service=service, text="{name}", check="1"))
    assert response.status_code == 200 and "<code>{online}</code>" in response.content.decode()
    heading.refresh_from_db()
    assert heading.kind == ItemKind.HEADING and revision(outline) == before


def test_the_editor_stays_open_when_the_draft_cannot_be_composed(pc06, outline, monkeypatch):
    from reporting.report import outline_views

    def broken(period, first=None):
        raise ValueError("hỏng")

    monkeypatch.setattr(outline_views, "compose", broken)
    response = pc06.get(reverse("outline_editor"))
    assert response.status_code == 200
    assert "Không dựng được bản xem trước" in response.content.decode() and PROPAGANDA in response.content.decode()


def test_the_tree_is_read_in_one_query(outline, django_assert_num_queries):
    from reporting.report import outline_edit

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.children)

    with django_assert_num_queries(1):
        roots = outline_edit.tree(outline)
        codes = [node.item.service.code for node in walk(roots) if node.item.service_id]
    assert len(list(walk(roots))) == outline.items.count() and "DVC01" in codes
    assert roots[0].item.text == "BÁO CÁO" and roots[0].first and roots[-1].last and not roots[0].last


def test_an_edit_made_on_a_stale_page_is_refused_and_keeps_the_typed_text(pc06, outline):
    heading = item_of(PROPAGANDA)
    loaded = form_data(heading, text="Bản của người thứ hai")
    other = item_of("Ưu điểm")
    pc06.post(reverse("outline_item_edit", args=[other.pk]), form_data(other, text="Ưu điểm nổi bật"))

    response = pc06.post(reverse("outline_item_edit", args=[heading.pk]), loaded)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Đề cương vừa được sửa ở nơi khác" in html and "Bản của người thứ hai</textarea>" in html
    heading.refresh_from_db()
    assert heading.text == PROPAGANDA
    # Told, PC06 may save again deliberately: the page now carries the stored revision.
    assert f'name="revision" value="{revision(outline)}"' in html


def test_moving_up_swaps_with_the_sibling_before(pc06, outline):
    heading = item_of(PROPAGANDA)
    siblings = sibling_texts(heading.parent)
    position = siblings.index(PROPAGANDA)
    response = pc06.post(reverse("outline_item_up", args=[heading.pk]), {"revision": revision(outline)})
    assert response.status_code == 302
    siblings[position - 1], siblings[position] = siblings[position], siblings[position - 1]
    assert sibling_texts(heading.parent) == siblings
    pc06.post(reverse("outline_item_down", args=[heading.pk]), {"revision": revision(outline)})
    siblings[position - 1], siblings[position] = siblings[position], siblings[position - 1]
    assert sibling_texts(heading.parent) == siblings


def test_a_move_from_a_stale_page_changes_nothing(pc06, outline):
    heading = item_of(PROPAGANDA)
    siblings = sibling_texts(heading.parent)
    response = pc06.post(reverse("outline_item_up", args=[heading.pk]), {"revision": revision(outline) - 1},
                         follow=True)
    assert "Đề cương vừa được sửa ở nơi khác" in response.content.decode()
    assert sibling_texts(heading.parent) == siblings


def test_adding_after_an_item_places_the_new_one_next_to_it(pc06, outline):
    heading = item_of(PROPAGANDA)
    data = form_data(OutlineItem(outline=outline, kind=ItemKind.HEADING, numbering=heading.numbering),
                     text="Công tác cải cách hành chính")
    assert pc06.post(reverse("outline_add_after", args=[heading.pk]), data).status_code == 302
    siblings = sibling_texts(heading.parent)
    assert siblings[siblings.index(PROPAGANDA) + 1] == "Công tác cải cách hành chính"


def test_adding_a_figure_under_a_heading_prints_it_in_the_preview(pc06, outline, people):
    report("CATP", default_schedule().period_for(2024, 4), service_cells(), compiler=people["compiler"])
    heading = item_of(PROPAGANDA)
    data = form_data(OutlineItem(outline=outline, kind=ItemKind.FIGURE), numbering="dash",
                     service=OutlineItem.objects.get(service__code="DVC01").service_id,
                     text="Hồ sơ {name} nộp trực tuyến: **{online}** hồ sơ")
    response = pc06.post(reverse("outline_add_child", args=[heading.pk]) + "?ky=2024-04", data)
    assert response.status_code == 302
    assert sibling_texts(heading)[-1] == "Hồ sơ {name} nộp trực tuyến: **{online}** hồ sơ"
    editor = pc06.get(response["Location"]).content.decode()
    assert "Hồ sơ Đăng ký thường trú nộp trực tuyến: <strong>3.600</strong> hồ sơ" in editor


def test_deleting_asks_first_and_takes_the_children_along(pc06, outline):
    heading = item_of(PROPAGANDA)
    children = heading.children.count()
    assert children >= 2
    count = OutlineItem.objects.count()
    confirmation = pc06.get(reverse("outline_item_delete", args=[heading.pk])).content.decode()
    assert f"Mục này có {children} mục con" in confirmation
    assert OutlineItem.objects.count() == count
    response = pc06.post(reverse("outline_item_delete", args=[heading.pk]), {"revision": revision(outline)},
                         follow=True)
    assert f"Đã xóa {children + 1} mục khỏi đề cương." in response.content.decode()
    assert OutlineItem.objects.count() == count - children - 1
    assert not OutlineItem.objects.filter(text=PROPAGANDA).exists()


def upload(client, content, name="de-cuong.json"):
    return client.post(reverse("outline_upload"), {"file": SimpleUploadedFile(name, content, "application/json")})


def test_a_file_with_a_bad_item_changes_nothing_and_says_which(pc06, outline):
    before = outline_io.dumps(outline)
    data = json.loads(before)
    data["items"][1]["text"] = "Ngày {khong_co}"
    response = upload(pc06, json.dumps(data).encode())
    html = response.content.decode()
    assert response.status_code == 400
    assert "đề cương chưa thay đổi" in html and "Mục 2" in html and "{khong_co}" in html
    assert outline_io.dumps(outline) == before


@pytest.mark.parametrize("content, message", [
    (b"{ khong phai json", "không đọc được như JSON"),
    (b'{"format": "de-an-06-outline/1", "kind": "nam", "items": []}', "Loại đề cương “nam” không có"),
    (b"\xff\xfe\x00", "không phải văn bản UTF-8"),
    (b" " * (1024 * 1024 + 1), "Tệp quá lớn"),
], ids=["not-json", "unknown-kind", "not-utf8", "too-large"])
def test_an_unreadable_file_changes_nothing(pc06, outline, content, message):
    before, outlines = outline_io.dumps(outline), ReportOutline.objects.count()
    assert message in upload(pc06, content).content.decode()
    assert outline_io.dumps(outline) == before and ReportOutline.objects.count() == outlines


def test_export_then_import_gives_the_same_export(pc06, outline):
    exported = pc06.get(reverse("outline_download", args=[outline.pk]))
    assert exported["Content-Disposition"].startswith("attachment")
    response = upload(pc06, b"".join(exported.streaming_content) if exported.streaming else exported.content)
    assert response.status_code == 302
    again = json.loads(pc06.get(reverse("outline_download", args=[outline.pk])).content)
    first = json.loads(exported.content)
    assert again.pop("revision") == first.pop("revision") + 1
    assert again == first


# --- the unit outline: a unit's own report, previewed for a unit PC06 chooses -------------------------

UNIT_HEADING = "Ưu điểm:"


def preview_of(html):
    return html[html.index('id="ban-xem-truoc"'):]


def test_the_unit_outline_is_listed_beside_the_citys(pc06, outline):
    html = pc06.get(reverse("outline_editor")).content.decode()
    assert 'data-testid="outline-month"' in html and 'data-testid="outline-unit"' in html
    assert "Báo cáo tháng của đơn vị · lần sửa" in html and UNIT_HEADING in html
    assert '<option value="unit">Báo cáo tháng của một đơn vị</option>' in html


def test_the_unit_preview_defaults_to_the_first_unit_that_reported(pc06, outline, people):
    april = default_schedule().period_for(2024, 4)
    report("CATP", april, service_cells(), compiler=people["compiler"])
    assert reporting_units(april).first().code != "CATP"        # a department comes first in the catalog
    html = preview_of(pc06.get(reverse("outline_editor"), {"ky": "2024-04", "loai": "unit"}).content.decode())
    catp = Agency.objects.get(code="CATP")
    assert "Bản xem trước: báo cáo tháng 4/2024 của Công an Thành phố</h2>" in html
    assert f'<option value="{catp.pk}" selected>' in html
    assert "BÁO CÁO THÁNG 04/2024" in html and "Đăng ký thường trú <strong>3.600/3.832</strong> hồ sơ" in html
    assert "Số:       /BC-CATP" in html


def test_without_any_report_the_first_reporting_unit_is_previewed(pc06, outline):
    april = default_schedule().period_for(2024, 4)
    first = reporting_units(april).first()
    html = preview_of(pc06.get(reverse("outline_editor"), {"ky": "2024-04", "loai": "unit"}).content.decode())
    assert f"của {first.name}</h2>" in html and "DỰ THẢO — đơn vị chưa nhập số liệu kỳ này." in html


def test_pc06_chooses_the_unit_previewed(pc06, outline):
    default_schedule().period_for(2024, 4)
    stp = Agency.objects.get(code="STP")
    html = preview_of(pc06.get(reverse("outline_editor"),
                               {"ky": "2024-04", "loai": "unit", "don-vi": stp.pk}).content.decode())
    assert "của Sở Tư pháp</h2>" in html and f'<option value="{stp.pk}" selected>Sở Tư pháp</option>' in html
    assert "Số:       /BC-STP" in html
    # Every link and form of the editor carries the unit, so a save lands back on its report.
    assert f"?ky=2024-04&amp;loai=unit&amp;don-vi={stp.pk}" in pc06.get(
        reverse("outline_editor"), {"ky": "2024-04", "loai": "unit", "don-vi": stp.pk}).content.decode()


def test_a_unit_that_does_not_report_falls_back_to_the_default(pc06, outline):
    april = default_schedule().period_for(2024, 4)
    pc06_agency = Agency.objects.get(code="PC06")       # PC06 compiles, it does not report
    html = preview_of(pc06.get(reverse("outline_editor"),
                               {"ky": "2024-04", "loai": "unit", "don-vi": pc06_agency.pk}).content.decode())
    assert f"của {reporting_units(april).first().name}</h2>" in html


def test_editing_a_unit_outline_heading_shows_in_the_units_preview(pc06, outline, people):
    april = default_schedule().period_for(2024, 4)
    strengths = "Tiếp nhận hồ sơ trực tuyến ổn định."      # the section prints only when the unit wrote in it
    report("CATP", april, {**service_cells(), "note.strengths": strengths}, compiler=people["compiler"])
    unit_outline = ReportOutline.objects.get(schedule=default_schedule(), kind=OutlineKind.UNIT)
    heading = unit_outline.items.get(text=UNIT_HEADING)
    catp = Agency.objects.get(code="CATP")
    query = f"?ky=2024-04&loai=unit&don-vi={catp.pk}"
    unit_before, month_before = revision(unit_outline), revision(outline)
    # The item's own page previews the unit's report, whatever the query's kind.
    assert "Bản xem trước: báo cáo tháng 4/2024 của Công an" in pc06.get(
        reverse("outline_item_edit", args=[heading.pk]) + "?ky=2024-04").content.decode()
    response = pc06.post(reverse("outline_item_edit", args=[heading.pk]) + query,
                         form_data(heading, text="Ưu điểm nổi bật trong tháng:"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('outline_editor')}{query}#muc-{heading.pk}"
    html = preview_of(pc06.get(response["Location"]).content.decode())
    assert "Ưu điểm nổi bật trong tháng:" in html and strengths in html and "CÔNG AN THÀNH PHỐ" in html
    assert (revision(unit_outline), revision(outline)) == (unit_before + 1, month_before)


def test_a_schedule_without_reporting_units_says_so_in_the_unit_preview(client, db):
    outline_io.load(default_schedule(), {"format": "de-an-06-outline/1", "kind": "unit", "name": "Đơn vị", "items": [
        {"kind": "heading", "text": "Kết quả"}]})
    default_schedule().period_for(2024, 4)
    police = Agency.objects.create(code="PC06", name="Phòng PC06", kind=AgencyKind.POLICE, is_reporting_unit=False)
    conftest.make_user("pc06", Role.COMPILER, police)
    client.login(username="pc06", password=conftest.PASSWORD)
    response = client.get(reverse("outline_editor"), {"ky": "2024-04"})
    assert response.status_code == 200
    assert "chưa có đơn vị nào phải báo cáo" in response.content.decode()


# --- a new outline, built item by item ---------------------------------------------------------------


def test_pc06_creates_an_outline_of_a_kind_the_schedule_lacks(pc06, outline):
    default_schedule().period_for(2024, 4)
    editor = pc06.get(reverse("outline_editor"), {"ky": "2024-04"}).content.decode()
    assert 'data-testid="new-outline"' in editor and '<option value="range">' in editor
    assert '<option value="month">' not in editor[editor.index('data-testid="new-outline"'):]
    response = pc06.post(reverse("outline_create") + "?ky=2024-04", {"kind": "range", "name": "Báo cáo năm"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('outline_editor')}?ky=2024-04&loai=range#de-cuong-range"
    created = ReportOutline.objects.get(schedule=default_schedule(), kind=OutlineKind.RANGE)
    assert created.name == "Báo cáo năm" and not created.items.exists()
    html = pc06.get(response["Location"]).content.decode()
    assert 'data-testid="outline-range"' in html and "Đề cương chưa có mục nào." in html


def test_an_outline_of_a_kind_already_there_is_not_created_twice(pc06, outline):
    response = pc06.post(reverse("outline_create"), {"kind": "month", "name": "Lần hai"}, follow=True)
    assert "Lịch báo cáo đã có đề cương loại này." in response.content.decode()
    assert ReportOutline.objects.filter(kind=OutlineKind.MONTH).count() == 1


def test_an_outline_left_unnamed_takes_its_kinds_name(pc06, outline):
    pc06.post(reverse("outline_create"), {"kind": "range", "name": "  "})
    assert ReportOutline.objects.get(kind=OutlineKind.RANGE).name == "Báo cáo quý, 6 tháng, năm của thành phố"


def test_a_city_with_only_a_range_outline_previews_the_quarter(pc06, people):
    default_schedule().period_for(2024, 4)
    pc06.post(reverse("outline_create") + "?ky=2024-04", {"kind": "range", "name": "Báo cáo năm"})
    html = pc06.get(reverse("outline_editor"), {"ky": "2024-04"}).content.decode()
    assert "Bản xem trước: 3 tháng đến tháng 4/2024" in html
    assert '<input type="hidden" name="loai" value="range">' in html

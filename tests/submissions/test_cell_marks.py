"""An officer says "không phát sinh" or "chưa có số liệu" instead of a number, for a cell or a whole service."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.choices import CellMark, SubmissionStatus
from reporting.models import DataValue, Submission, ValueChange
from reporting.submissions import store
from reporting.submissions.store import CellValue

from .. import conftest
from .helpers import fill_april, form_data, save

pytestmark = pytest.mark.django_db

BIRTH_COUNTS = ["dvc.DVC22.received", "dvc.DVC22.online", "dvc.DVC22.resolved", "dvc.DVC22.on_time"]


@pytest.fixture
def officer(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def url(city):
    return reverse("entry", args=[2024, 4, city["ben_nghe"].pk])


def stored():
    """key → number, or the mark when the cell is marked."""
    return {value.key: value.mark or value.number for value in DataValue.objects.filter(text="")}


def selected(html, name):
    """The value of the option selected in the drop-down ``name`` ("" when none is)."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else ""


def cell_html(html, key):
    return re.search(rf'name="{re.escape(key)}".*?</td>', html, re.S).group(0)


def test_a_marked_cell_is_filled_holds_no_number_and_is_audited_by_its_label(officer, people, city, month):
    user = people["ward_officer"]
    submission = save(user, city, month, {"ind.NEWS_PRESS": Decimal(12)})
    store.save_values(agency=city["ben_nghe"], period=month["april"], user=user,
                      values={"ind.NEWS_PRESS": CellValue(mark=CellMark.NONE)}, version=submission.version)
    value = DataValue.objects.get(key="ind.NEWS_PRESS")
    assert (value.number, value.text, value.mark) == (None, "", CellMark.NONE)
    assert not CellValue.of(value).is_empty
    store.save_values(agency=city["ben_nghe"], period=month["april"], user=user,
                      values={"ind.NEWS_PRESS": CellValue(mark=CellMark.UNKNOWN)}, version=submission.version + 1)
    changes = ValueChange.objects.filter(key="ind.NEWS_PRESS").order_by("version")
    assert list(changes.values_list("old_value", "new_value")) == [
        ("", "12"), ("12", "Không phát sinh"), ("Không phát sinh", "Chưa có số liệu")]
    history = reverse("history", args=[2024, 4, city["ben_nghe"].pk])
    page = officer.get(history).content.decode()
    assert re.search(r"Tin đăng trên báo</td>\s*<td class=\"num\">Không phát sinh</td>"
                     r"<td class=\"num\">Chưa có số liệu</td>", page)


def test_a_cell_cannot_hold_a_number_and_a_mark():
    with pytest.raises(ValueError):
        CellValue(number=Decimal(3), mark=CellMark.NONE)


def test_a_whole_service_and_single_cells_are_marked_from_the_page(officer, city, month):
    data = form_data(month, service__DVC22__mark="none", ind__NEWS_PRESS="", ind__NEWS_PRESS__mark="unknown")
    for key in BIRTH_COUNTS:
        data[key] = ""
    assert officer.post(url(city), data).status_code == 302
    marks = stored()
    assert [marks[key] for key in BIRTH_COUNTS] == [CellMark.NONE] * 4
    assert marks["ind.NEWS_PRESS"] == CellMark.UNKNOWN and marks["dvc.DVC24.count"] == 35
    page = officer.get(url(city)).content.decode()
    assert selected(page, "service.DVC22.mark") == "none"        # the whole service, as it was marked
    assert [selected(page, f"{key}.mark") for key in BIRTH_COUNTS] == ["none"] * 4
    assert selected(page, "ind.NEWS_PRESS.mark") == "unknown"
    assert selected(page, "service.DVC24.mark") == ""
    assert 'data-testid="missing-count">0<' in page


def test_every_mark_control_is_named_by_its_service_and_measure(officer, city, month):
    page = officer.get(url(city)).content.decode()
    assert re.search(r'<label for="id_dvc.DVC22.on_time.mark" class="sr-only">Đăng ký khai sinh — Đúng hạn — đánh dấu'
                     r"</label>", page)
    assert re.search(r'<label for="id_service.DVC22.mark"><span class="sr-only">Đăng ký khai sinh — </span>'
                     r"Cả dịch vụ trong tháng</label>", page)
    assert re.search(r'<label for="id_ind.NEWS_PRESS.mark" class="sr-only">Tin đăng trên báo — đánh dấu</label>', page)
    # Statuses and notes are not numbers: no mark beside them.
    assert 'name="mh.MH02.status.mark"' not in page and 'name="dvc.DVC22.note.mark"' not in page


def test_last_months_mark_stands_beside_the_input(officer, people, city, month):
    march = save(people["ward_officer"], city, month, {}, period="march")
    store.save_values(agency=city["ben_nghe"], period=month["march"], user=people["ward_officer"],
                      values={"ind.NEWS_PRESS": CellValue(mark=CellMark.NONE)}, version=march.version)
    cell = cell_html(officer.get(url(city)).content.decode(), "ind.NEWS_PRESS")
    assert "tháng trước không phát sinh" in cell


def test_a_number_in_a_marked_cell_is_refused_beside_it(officer, city, month):
    data = form_data(month, ind__NEWS_PRESS__mark="none", service__DVC24__mark="unknown")
    html = officer.post(url(city), data).content.decode()
    assert "Ô đã đánh dấu “Không phát sinh” thì để trống số; muốn nhập số thì chọn “Có số liệu”." in cell_html(
        html, "ind.NEWS_PRESS")
    assert "Ô đã đánh dấu “Chưa có số liệu” (cả dịch vụ) thì để trống số" in cell_html(html, "dvc.DVC24.count")
    assert 'value="12"' in html and 'value="35"' in html              # neither dropped
    marks = stored()
    assert "ind.NEWS_PRESS" not in marks and "dvc.DVC24.count" not in marks
    assert marks["ind.EID_ACTIVATED"] == 7_856_474                       # the valid cells were saved


def test_submitting_needs_every_count_filled_or_marked(officer, city, month):
    html = officer.post(url(city), {**form_data(month, ind__NEWS_PRESS=""), "nop": ""}, follow=True).content.decode()
    assert ("Đã lưu nháp nhưng chưa nộp: Còn 1 ô chưa nhập (Tin đăng trên báo). Nhập số, hoặc chọn “Không phát sinh” "
            "nếu trong kỳ không có, “Chưa có số liệu” nếu chưa có số.") in html
    rules = re.search(r'data-testid="entry-rules">(.*?)</section>', html, re.S).group(1)
    assert "chọn <strong>Không phát sinh</strong>" in rules and "<strong>Chưa có số liệu</strong>" in rules
    assert "nhập 0" not in rules.lower()
    assert Submission.objects.get().status == SubmissionStatus.DRAFT

    data = {**form_data(month, version=1, ind__NEWS_PRESS="", ind__NEWS_PRESS__mark="unknown"), "nop": ""}
    html = officer.post(url(city), data, follow=True).content.decode()
    assert "Đã nộp báo cáo Tháng 4/2024" in html
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_a_draft_with_a_mistyped_cell_keeps_every_valid_cell(officer, people, city, month):
    fill_april(people["ward_officer"], city, month)                     # version 1: NEWS_PRESS is 12
    data = form_data(month, version=1, ind__NEWS_PRESS="12abc", ind__EID_ACTIVATED="7.900.000",
                     dvc__DVC24__count="", dvc__DVC24__count__mark="none")
    response = officer.post(url(city), data)
    assert response.status_code == 200
    html = response.content.decode()
    marks = stored()
    assert marks["ind.EID_ACTIVATED"] == 7_900_000 and marks["dvc.DVC24.count"] == CellMark.NONE
    assert marks["ind.NEWS_PRESS"] == 12                                 # refused: the stored value stays
    assert not ValueChange.objects.filter(key="ind.NEWS_PRESS", version=2).exists()
    assert 'value="12abc"' in html                                       # what was typed is still in the box
    assert "không phải là số" in cell_html(html, "ind.NEWS_PRESS")
    summary = re.search(r'data-testid="partial-save">(.*?)</p>', html, re.S).group(1)
    assert "Đã lưu 2 ô hợp lệ." in summary and "Còn 1 ô cần sửa" in summary
    assert 'name="version" value="2"' in html                            # the next save goes on from here

    # Fixed and sent again from that page, it saves.
    assert officer.post(url(city), {**data, "version": "2", "ind.NEWS_PRESS": "15"}).status_code == 302
    assert stored()["ind.NEWS_PRESS"] == 15


def test_submitting_with_a_mistyped_cell_saves_the_rest_and_does_not_submit(officer, city, month):
    html = officer.post(url(city), {**form_data(month, ind__NEWS_PRESS="12abc"), "nop": ""}).content.decode()
    assert "Báo cáo chưa được nộp:" in html
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    assert stored()["ind.EID_ACTIVATED"] == 7_856_474


def test_a_whole_and_its_part_above_it_are_both_left_unsaved(officer, city, month):
    html = officer.post(url(city), form_data(month, dvc__DVC22__online="1.300")).content.decode()
    assert "Không được lớn hơn số tiếp nhận (1.250)." in cell_html(html, "dvc.DVC22.online")
    received = cell_html(html, "dvc.DVC22.received")
    assert "Chưa lưu: ô này đi cùng ô “Trực tuyến” đang cần sửa." in received
    assert 'aria-describedby="id_dvc.DVC22.received_held"' in received
    marks = stored()
    assert "dvc.DVC22.online" not in marks and "dvc.DVC22.received" not in marks
    assert marks["dvc.DVC22.resolved"] == 1200
    assert "và 1 ô đi cùng chúng" in html


def test_a_whole_below_the_stored_part_of_a_refused_cell_is_not_saved(officer, people, city, month):
    fill_april(people["ward_officer"], city, month)                     # online 1.100 of 1.250 received
    data = form_data(month, version=1, dvc__DVC22__received="1.000", dvc__DVC22__online="abc")
    html = officer.post(url(city), data).content.decode()
    # Saved alone, 1.000 received would stand below the 1.100 online the refused cell keeps.
    assert stored()["dvc.DVC22.received"] == 1250
    assert "Chưa lưu: ô này đi cùng ô “Trực tuyến” đang cần sửa." in cell_html(html, "dvc.DVC22.received")


def test_nothing_happened_counts_as_zero_against_its_parts(officer, city, month):
    data = form_data(month, dvc__DVC22__received="", dvc__DVC22__received__mark="none")
    html = officer.post(url(city), data).content.decode()
    assert "Không được lớn hơn số tiếp nhận (0)." in cell_html(html, "dvc.DVC22.online")


def test_a_partial_save_from_a_stale_page_is_refused_with_what_changed(client, people, city, month):
    submission = fill_april(people["ward_officer"], city, month)
    client.login(username="ward_head", password=conftest.PASSWORD)
    assert client.post(url(city), form_data(month, version=submission.version, ind__NEWS_PRESS="20")).status_code == 302
    client.login(username="ward_officer", password=conftest.PASSWORD)
    data = form_data(month, version=submission.version, ind__EID_ACTIVATED="7.900.000", dvc__DVC24__count="x")
    html = client.post(url(city), data).content.decode()
    assert "Báo cáo vừa được người khác lưu" in html and "Tin đăng trên báo: 12 → 20" in html
    assert stored()["ind.EID_ACTIVATED"] == 7_856_474 and stored()["ind.NEWS_PRESS"] == 20
    assert 'value="x"' in html

"""PC06 rewrites the narrative sections before finalising; the issued version prints that wording."""


import pytest
from django.urls import reverse

from reporting.models import ReportNarrative, WorkflowError
from reporting.periods import default_schedule
from reporting.report import issue, narrative
from reporting.report.compose import compose
from reporting.report.document import from_data, plain_text
from reporting.report.kinds import NOT_REPORTED

from .. import conftest
from .helpers import report

pytestmark = pytest.mark.django_db
DIFFICULTIES = "note.difficulties"


def section_text(document, key):
    return [block.text for block in document.blocks if getattr(block, "source", None) == key]


def test_pc06_wording_replaces_the_units_notes_line_by_line_and_empty_restores_them(april, compiler):
    report("SYT", april, {DIFFICULTIES: "Thiếu kinh phí."}, compiler=compiler)
    assert section_text(compose(april), DIFFICULTIES) == ["- SYT: Thiếu kinh phí."]
    stored = narrative.save(april, april, DIFFICULTIES, "Kinh phí chưa bố trí.\n\n  Thiết bị đọc chip còn thiếu. ",
                            compiler, version=0)
    # PC06's paragraphs take the slot's numbering, as the units' notes did.
    assert section_text(compose(april), DIFFICULTIES) == ["- Kinh phí chưa bố trí.", "- Thiết bị đọc chip còn thiếu."]
    assert narrative.save(april, april, DIFFICULTIES, "  ", compiler, version=stored.version) is None
    assert section_text(compose(april), DIFFICULTIES) == ["- SYT: Thiếu kinh phí."]
    assert not ReportNarrative.objects.exists()


def test_the_finalised_version_keeps_the_edited_wording(april, compiler):
    narrative.save(april, april, "note.next_tasks", "Hoàn thành 35 mô hình điểm.", compiler, version=0)
    version = issue.finalise(april, compiler)
    assert "Hoàn thành 35 mô hình điểm." in plain_text(from_data(version.document))


def test_an_edit_made_on_an_older_text_is_refused_and_never_overwrites(april, compiler):
    first = narrative.save(april, april, DIFFICULTIES, "Bản của người thứ nhất.", compiler, version=0)
    with pytest.raises(WorkflowError, match="vừa sửa mục này"):
        narrative.save(april, april, DIFFICULTIES, "Bản của người thứ hai.", compiler, version=0)
    assert ReportNarrative.objects.get().text == "Bản của người thứ nhất."
    narrative.save(april, april, DIFFICULTIES, "Bản đã đối chiếu.", compiler, version=first.version)
    assert ReportNarrative.objects.get().version == 2


def test_only_pc06_edits_and_only_narrative_sections(april, compiler, people):
    with pytest.raises(WorkflowError, match="Chỉ cán bộ tổng hợp PC06 được sửa"):
        narrative.save(april, april, DIFFICULTIES, "x", people["leader"], version=0)
    with pytest.raises(WorkflowError, match="không sửa được"):
        narrative.save(april, april, "dvc.DVC01.received", "x", compiler, version=0)


def test_a_quarters_wording_does_not_leak_into_its_last_month(compiler, catalogs):
    schedule = default_schedule()
    january, march = schedule.period_for(2024, 1), schedule.period_for(2024, 3)
    narrative.save(january, march, "note.direction", "Sơ kết quý I.", compiler, version=0)
    assert section_text(compose(march, first=january), "note.direction") == ["- Sơ kết quý I."]
    assert section_text(compose(march), "note.direction") == [f"- {NOT_REPORTED}"]


def test_the_preview_page_edits_a_section_and_keeps_a_refused_text(client, april, compiler, people):
    report("SYT", april, {DIFFICULTIES: "Thiếu kinh phí."}, compiler=compiler)
    client.login(username="compiler", password=conftest.PASSWORD)
    url = reverse("report_narrative", args=[2024, 4])
    page = client.get(reverse("report_preview", args=[2024, 4])).content.decode()
    assert ">SYT: Thiếu kinh phí.</textarea>" in page   # the editor starts from the units' notes, unnumbered
    response = client.post(url, {"section": DIFFICULTIES, "text": "Đề nghị bổ sung kinh phí.", "version": "0"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đề nghị bổ sung kinh phí." in page and "PC06 đã sửa" in page
    stale = client.post(url, {"section": DIFFICULTIES, "text": "Bản gõ dở của tôi.", "version": "0"})
    assert stale.status_code == 400
    assert "vừa sửa mục này" in stale.content.decode() and "Bản gõ dở của tôi.</textarea>" in stale.content.decode()
    assert ReportNarrative.objects.get().text == "Đề nghị bổ sung kinh phí."
    client.login(username="leader", password=conftest.PASSWORD)
    assert "narrative-editor" not in client.get(reverse("report_preview", args=[2024, 4])).content.decode()
    assert client.post(url, {"section": DIFFICULTIES, "text": "x", "version": "1"}).status_code == 403
    assert ReportNarrative.objects.get().text == "Đề nghị bổ sung kinh phí."

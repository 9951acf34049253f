"""A character no document can hold never gets in, and one already stored never breaks a page or a file."""

import unicodedata

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.models import Agency, DataValue, ValueChange, WorkflowError
from reporting.periods import default_schedule
from reporting.report import outline_io
from reporting.submissions import workflow
from reporting.submissions.audit import ValueChangeResource

from .. import conftest
from ..indicators.helpers import export
from ..report.helpers import docx_text
from .helpers import fill_april, form_data

pytestmark = pytest.mark.django_db
# The characters that made the city's DOCX, the exports and the audit export fail with a 500.
HOSTILE = ["\uffff", "\ufffe", "\x0b", "\x0c", "\x1b"]


@pytest.mark.parametrize("character", HOSTILE, ids=[f"U+{ord(c):04X}" for c in HOSTILE])
def test_the_entry_page_refuses_it_beside_the_field_and_keeps_the_typing(client, city, month, people, character):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    url = reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    page = client.post(url, form_data(month, note__difficulties=f"Thiếu máy{character} quét")).content.decode()
    assert f"mã U+{ord(character):04X}) ở vị trí 10" in page
    assert 'value="7.856.474"' in page          # the other typed values are still there
    assert not DataValue.objects.filter(key="note.difficulties").exists()   # saved without the refused note
    assert DataValue.objects.get(key="ind.EID_ACTIVATED").number == 7_856_474


def test_text_is_stored_composed(client, city, month, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    decomposed = unicodedata.normalize("NFD", "Thiếu máy quét ở phường")
    client.post(reverse("entry", args=[2024, 4, city["ben_nghe"].pk]), form_data(month, note__difficulties=decomposed))
    assert DataValue.objects.get(key="note.difficulties").text == unicodedata.normalize("NFC", decomposed)


def test_every_model_text_field_refuses_it_by_name(city):
    agency = Agency(code="X1", name="Phường\ufffe Mới", kind="ward", parent=city["q1"])
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    assert "mã U+FFFE) ở vị trí 7" in refused.value.message_dict["name"][0]
    agency.name = unicodedata.normalize("NFD", "Phường Mới")
    agency.save()
    assert Agency.objects.get(code="X1").name == "Phường Mới"


def test_a_return_comment_with_it_is_refused_in_vietnamese(city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    with pytest.raises(WorkflowError, match=r"mã U\+001B\) ở vị trí 4"):
        workflow.return_to_unit(submission, people["compiler"], version=submission.version, comment="Sửa\x1b lại")


@pytest.fixture
def outlines_quoting_notes(month):
    """A month outline quoting the wards' difficulties, and the unit outline of seed 004 (it prints them too)."""
    notes = {"kind": "notes", "key": "note.difficulties", "topic": "difficulties", "gather": "quote",
             "unit_kinds": "ward", "numbering": "dash", "text": "{unit}: {note}"}
    outline_io.load(default_schedule(), {"format": outline_io.FORMAT, "kind": "month", "items": [notes]})
    outline_io.loads(default_schedule(), (settings.BASE_DIR / "fixtures" / "outline_unit.json").read_text())


def test_a_stored_one_breaks_no_document_and_no_export(client, city, month, people, outlines_quoting_notes):
    """Rows written before the rule (or by a path that skipped it) are written out with U+FFFD instead."""
    submission = fill_april(people["ward_officer"], city, month)
    DataValue.objects.filter(submission=submission, key="note.difficulties").update(text="Thiếu\uffff máy\x0b quét")
    ValueChange.objects.filter(key="note.difficulties").update(new_value="Thiếu\uffff máy\x0b quét")
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.refresh_from_db() or submission.version)
    client.login(username="compiler", password=conftest.PASSWORD)
    unit = city["ben_nghe"].pk
    for url in [reverse("report_draft", args=[2024, 4, "docx"]), reverse("report_draft", args=[2024, 4, "pdf"]),
                reverse("export_period", args=[2024, 4]), reverse("download_template", args=[2024, 4, unit]),
                reverse("unit_report", args=[2024, 4, unit, "docx"]), reverse("unit_report", args=[2024, 4, unit, "pdf"])]:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith("docx"):
            assert "Thiếu\ufffd máy" in docx_text(response.content), url     # U+000B also ends a line
    headers, rows = export(client, ValueChange, ValueChangeResource)
    assert "Thiếu\ufffd máy\ufffd quét" in [row[headers.index("Giá trị mới")] for row in rows]

"""PC06 writes the narrative with the formatting the seeds use: bold, italic, footnotes, numbered sub-items."""

import io
import zipfile

import pytest

from reporting.report import narrative, sentences
from reporting.report.compose import compose
from reporting.report.render_docx import to_docx
from reporting.report.render_pdf import to_pdf

from .helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db

SEED_000_LINE = ("Triển khai mô hình “*Hồ sơ sức khỏe điện tử*” tại **408/409** cơ sở"
                 "[^Tờ trình số 2922/TTr-SYT ngày 08/4/2024] theo kế hoạch.")


def runs_of(text):
    return [(run.text, run.bold, run.italic, run.footnote.text if run.footnote else None)
            for run in sentences.markup(text)]


def test_marks_become_bold_italic_and_a_footnote_on_the_words_before_it():
    assert runs_of(SEED_000_LINE) == [
        ("Triển khai mô hình “", False, False, None), ("Hồ sơ sức khỏe điện tử", False, True, None),
        ("” tại ", False, False, None), ("408/409", True, False, None),
        (" cơ sở", False, False, "Tờ trình số 2922/TTr-SYT ngày 08/4/2024"), (" theo kế hoạch.", False, False, None)]


def test_braces_are_text_and_unpaired_marks_print_as_typed():
    assert runs_of("Mục {1} giữ nguyên") == [("Mục {1} giữ nguyên", False, False, None)]
    assert runs_of("Tỷ lệ 5*3 và **đậm") == [("Tỷ lệ 5*3 và **đậm", False, False, None)]


def test_pc06s_formatting_and_sub_items_reach_the_pdf_and_the_docx(april, compiler):
    narrative.save(april, april, "note.direction", f"{SEED_000_LINE}\na) Ý thứ nhất.\nb) Ý thứ hai.", compiler,
                   version=0)
    document = compose(april)
    paragraph = next(block for block in document.blocks if "Hồ sơ sức khỏe điện tử" in getattr(block, "text", ""))
    assert [run.text for run in paragraph.runs if run.bold] == ["408/409"]
    assert [note.text for note in document.footnotes][-1] == "Tờ trình số 2922/TTr-SYT ngày 08/4/2024"
    docx_file = to_docx(document)
    with zipfile.ZipFile(io.BytesIO(docx_file)) as word:       # Word keeps footnotes in their own part
        footnotes = word.read("word/footnotes.xml").decode()
    for text, notes in ((pdf_text(to_pdf(document)),) * 2, (docx_text(docx_file), footnotes)):
        assert "tại 408/409 cơ sở" in text and "Tờ trình số 2922/TTr-SYT ngày 08/4/2024" in notes
        assert "- a) Ý thứ nhất." in text and "**" not in text and "[^" not in text


def test_the_editor_starts_from_pc06s_text_with_its_marks(april, compiler):
    narrative.save(april, april, "note.direction", SEED_000_LINE, compiler, version=0)
    sections = narrative.editable_sections(compose(april), narrative.overrides(april, april), april, april)
    assert next(section for section in sections if section.key == "note.direction").text == SEED_000_LINE

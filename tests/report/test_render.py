"""The report renders to PDF (Typst) and DOCX with the same words, laid out as Decree 30/2020 asks.

The PDF is read back with Poppler (pdftotext, pdffonts, pdftoppm: Debian's
poppler-utils, installed by scripts/system-deps.sh), the DOCX with python-docx.
The sample's pages are also written to test-artifacts/ for a person to look at.
"""

import io
import re
import shutil
import struct
import subprocess
import threading
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pypdf import PdfReader

from reporting.report.document import Footnote, Paragraph, Run, Style, Table, runs
from reporting.report.render_docx import to_docx
from reporting.report.render_html import to_html, to_html_fragment
from reporting.report.render_pdf import to_pdf, typesetter

from .samples import DIRECTION, NEWS_NOTE, PILOT_MODELS_NOTE, sample_document

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DRAFT_NOTICE = "DỰ THẢO — có số liệu của báo cáo đã nộp nhưng chưa được PC06 duyệt."
KEY_SENTENCES = [
    "Số: 264/BC-BCĐ",
    "Thành phố Hồ Chí Minh, ngày 06 tháng 5 năm 2024",
    "Kết quả thực hiện Đề án 06 trên địa bàn Thành phố tháng 4 năm 2024",
    "(Từ ngày 15/3/2024 đến ngày 14/4/2024)",
    "I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO",
    "(1) Đăng ký thường trú 3.600/3.832 hồ sơ, đạt 93,95%; (2) Đăng ký tạm trú 14.610/14.665 hồ sơ, đạt 99,62%",
    "đã rà soát 155.016/155.052 trường hợp thuộc đối tượng chi trả ASXH (đạt 99,98%)",
    "tổ chức thu nhận 7.856.474 hồ sơ CCCD, cấp 5.608.825 hồ sơ cấp tài khoản định danh điện tử",
    "Nơi nhận:", "- Bộ Công an (C06);", "- Lưu: VT, PC06.",
    "TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Nguyễn Văn A",
]

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm")),
    reason="needs Debian's poppler-utils: run WITH_BROWSER=1 scripts/system-deps.sh (make test does)",
)


def normalised(text):
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path, *, page=None, top_band=None):
    """pdftotext -layout of the file or one page; ``top_band`` keeps only that many points from the top edge."""
    command = ["pdftotext", "-layout"]
    if page:
        command += ["-f", str(page), "-l", str(page)]
    if top_band:
        command += ["-x", "0", "-y", "0", "-W", "595", "-H", str(top_band)]
    return subprocess.run([*command, str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_count(path):
    return pdf_text(path).count("\f")


@pytest.fixture(scope="module")
def sample():
    return sample_document(pages=3)


@pytest.fixture(scope="module")
def pdf_path(sample):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "report-sample.pdf"
    path.write_bytes(to_pdf(sample))
    return path


@pytest.fixture(scope="module")
def word(sample):
    content = to_docx(sample)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-sample.docx").write_bytes(content)
    return docx.Document(io.BytesIO(content))


@pytest.fixture(scope="module")
def draft_pdf_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("draft") / "draft.pdf"
    path.write_bytes(to_pdf(sample_document(pages=2, draft_notice=DRAFT_NOTICE)))
    return path


# --- PDF -------------------------------------------------------------------------


@needs_poppler
def test_pdf_carries_the_reports_words_and_figures(pdf_path):
    text = normalised(pdf_text(pdf_path))
    for sentence in KEY_SENTENCES:
        assert sentence in text
    # The header block's two columns stand side by side: issuer beside motto, number beside place and date.
    first_lines = pdf_text(pdf_path, page=1).splitlines()[:3]
    assert re.search(r"BAN CHỈ ĐẠO ĐỀ ÁN 06\s{3,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first_lines[0])
    assert re.search(r"THÀNH PHỐ HỒ CHÍ MINH\s{3,}Độc lập - Tự do - Hạnh phúc", first_lines[1])
    assert re.search(r"Số: 264/BC-BCĐ\s{3,}Thành phố Hồ Chí Minh, ngày 06", first_lines[2])


@needs_poppler
def test_pdf_embeds_liberation_serif_for_every_glyph(pdf_path):
    listing = subprocess.run(["pdffonts", str(pdf_path)], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in listing.splitlines()[2:]]
    assert fonts
    # Only the Times-metric serif: a fallback font here would mean a Vietnamese glyph was missing from it.
    assert all(re.search(r"Liberation-?Serif|Times", font[0]) for font in fonts), listing
    assert all(font[-5] == "yes" for font in fonts), listing   # the "emb" column


@needs_poppler
def test_pdf_numbers_pages_at_the_top_from_page_two(pdf_path):
    assert page_count(pdf_path) >= 3
    top_margin = 50   # points: the 20 mm top margin, where the number is printed
    assert pdf_text(pdf_path, page=1, top_band=top_margin).strip() == ""
    assert pdf_text(pdf_path, page=2, top_band=top_margin).strip() == "2"
    assert pdf_text(pdf_path, page=3, top_band=top_margin).strip() == "3"
    assert pdf_text(pdf_path, page=2).lstrip().startswith("2")


@needs_poppler
def test_pdf_footnotes_sit_at_the_foot_of_the_page_that_calls_them(pdf_path):
    pages = [normalised(page) for page in pdf_text(pdf_path).split("\f")]
    calls = [("19/35 mô hình1", ". Trong đó có một số mô hình", PILOT_MODELS_NOTE),
             ("02 tin, bài2", " tuyên truyền trên các", NEWS_NOTE)]
    for number, (call, sentence_goes_on, note) in enumerate(calls, start=1):
        page = next(page for page in pages if call in page)
        # The call is a number after the word and the sentence goes on, not the note's text.
        assert call + sentence_goes_on in page
        # The note closes its call's page, below the page's last line of text.
        note = f"{number} {normalised(note)}"
        after_note = page[page.find(note) + len(note):].strip()
        assert note in page and (after_note == "" or after_note.startswith(f"{number + 1} "))


def note_near_a_page_end():
    """A long note called in the last lines page 1 has room for: laid out naively, it would go over to page 2."""
    document = sample_document()
    document.blocks = [
        *document.blocks[:5],
        Paragraph(runs("Phối hợp các đơn vị triển khai có hiệu quả ",
                       Run("19/35 mô hình", bold=True, footnote=Footnote(PILOT_MODELS_NOTE * 2)), ".")),
        Paragraph(runs("- Ý kiến 1.")), Paragraph(runs("- Ý kiến 2.")),
        *[Paragraph(runs(DIRECTION)) for _ in range(8)],
    ]
    return document


@needs_poppler
@pytest.mark.parametrize("paragraphs_before", range(0, 12, 2))
def test_pdf_keeps_a_note_on_its_call_page_wherever_the_call_falls(tmp_path, paragraphs_before):
    document = note_near_a_page_end()
    document.blocks[5:5] = [Paragraph(runs(DIRECTION)) for _ in range(paragraphs_before)]
    path = tmp_path / "report.pdf"
    path.write_bytes(to_pdf(document))
    note = "1 " + normalised(PILOT_MODELS_NOTE * 2)
    call_page = next(normalised(page) for page in pdf_text(path).split("\f") if "19/35 mô hình1" in page)
    assert note in call_page


@needs_poppler
def test_draft_notice_is_printed_under_the_title_and_marks_every_page(draft_pdf_path, pdf_path):
    text = normalised(pdf_text(draft_pdf_path))
    assert "(Từ ngày 15/3/2024 đến ngày 14/4/2024) " + DRAFT_NOTICE + " Căn cứ" in text
    for page in range(1, page_count(draft_pdf_path) + 1):
        assert "DỰ THẢO" in pdf_text(draft_pdf_path, page=page, top_band=50)
    assert "DỰ THẢO" not in pdf_text(pdf_path)


@needs_poppler
def test_pdf_pages_are_rendered_to_png_for_review(pdf_path):
    for page in range(1, page_count(pdf_path) + 1):
        target = ARTIFACTS / f"report-sample-page-{page}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf_path), str(target)], check=True)
        header = target.with_suffix(".png").read_bytes()[:24]
        width, height = struct.unpack(">II", header[16:24])
        assert (round(width / 10), round(height / 10)) == (50, 70)   # A4 (210 × 297 mm) at 60 dpi


def test_pdf_renders_alike_with_the_fonts_and_layouts_it_keeps_between_reports():
    def pages(pdf):   # what each page draws; the file's modification time and revision id differ
        return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]

    draft = sample_document(pages=2, draft_notice=DRAFT_NOTICE)
    first = to_pdf(draft)
    to_pdf(sample_document())   # another report in between leaves nothing behind in what is kept
    assert pages(to_pdf(draft)) == pages(first)


def test_pdf_compiler_is_made_once_per_thread():
    compiler = typesetter()
    assert typesetter() is compiler
    other_thread = []
    thread = threading.Thread(target=lambda: other_thread.append(typesetter()))
    thread.start()
    thread.join()
    assert other_thread[0] is not compiler


def test_pdf_names_no_destination_but_the_signature_space(sample):
    destinations = PdfReader(io.BytesIO(to_pdf(sample))).named_destinations
    assert set(destinations) == {"report-signature-space", "report-signature-space-end"}


@needs_poppler
def test_pdf_prints_stored_text_as_written_never_as_typst_markup(tmp_path):
    written = 'Ghi chú #set page(width: 1cm) *đậm* _nghiêng_ $x^2$ <nhan> @nhan `ma` = Mục [a] {b} \\ "c" // d'
    document = sample_document()
    document.blocks.append(Paragraph(runs(written, Run(" #pagebreak()", bold=True,
                                                       footnote=Footnote("Chú thích #text(red)[đỏ] ]")))))
    document.signature.below.append("#strong[Nguyễn] ]")
    path = tmp_path / "report.pdf"
    path.write_bytes(to_pdf(document))
    text = normalised(pdf_text(path))
    assert normalised(written) + " #pagebreak()" in text
    assert "Chú thích #text(red)[đỏ] ]" in text and "#strong[Nguyễn] ]" in text
    assert {(round(page.mediabox.width), round(page.mediabox.height)) for page in PdfReader(path).pages} == {(595, 842)}


# --- DOCX -------------------------------------------------------------------------


def test_docx_has_the_documents_paragraphs_in_order(word, sample):
    expected = [block.text for block in sample.blocks if isinstance(block, Paragraph)]
    assert [paragraph.text for paragraph in word.paragraphs if paragraph.text] == expected


def test_docx_sets_every_run_in_times_new_roman(word):
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    cells = [paragraph for table in word.tables for row in table.rows for cell in row.cells
             for paragraph in cell.paragraphs]
    named = [run.font.name for paragraph in [*word.paragraphs, *cells] for run in paragraph.runs if run.text]
    assert named and set(named) == {"Times New Roman"}


def test_docx_prints_figures_bold_and_the_words_around_them_plain(word):
    services = next(paragraph for paragraph in word.paragraphs if "Đăng ký thường trú" in paragraph.text)
    styles = {run.text: bool(run.bold) for run in services.runs}
    assert styles["3.600/3.832"] and styles["14.610/14.665"]
    assert not styles[" hồ sơ, đạt 93,95%; (2) Đăng ký tạm trú "]
    cashless = next(paragraph for paragraph in word.paragraphs if "ASXH" in paragraph.text)
    assert [run.text for run in cashless.runs if run.italic] == ["đạt 99,98%"]


def test_docx_page_is_a4_with_the_decrees_margins(word):
    section = word.sections[0]
    measured = {name: round(getattr(section, name).mm) for name in
                ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")}
    assert measured == {"page_width": 210, "page_height": 297, "top_margin": 20, "bottom_margin": 20,
                        "left_margin": 30, "right_margin": 15}


def test_docx_paragraph_styles_follow_the_model(word, sample):
    by_text = {paragraph.text: paragraph for paragraph in word.paragraphs if paragraph.text}
    title = by_text["BÁO CÁO"]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(run.bold for run in title.runs)
    window = by_text["(Từ ngày 15/3/2024 đến ngày 14/4/2024)"]
    assert window.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(run.italic for run in window.runs)
    assert all(run.bold for run in by_text["I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO"].runs)
    body = next(paragraph for text, paragraph in by_text.items() if text.startswith("Căn cứ Quyết định"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    normal = word.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY and normal.line_spacing.pt == 17


def test_docx_header_block_and_signature_are_two_column_tables(word):
    header, closing = word.tables[0], word.tables[-1]
    issuer, motto = header.rows[0].cells
    assert [paragraph.text for paragraph in issuer.paragraphs if paragraph.text] == [
        "BAN CHỈ ĐẠO ĐỀ ÁN 06", "THÀNH PHỐ HỒ CHÍ MINH"]
    assert [bool(paragraph.runs[0].bold) for paragraph in issuer.paragraphs if paragraph.text] == [False, True]
    assert [paragraph.text for paragraph in motto.paragraphs if paragraph.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert [cell.text for cell in header.rows[1].cells] == ["Số: 264/BC-BCĐ",
                                                           "Thành phố Hồ Chí Minh, ngày 06 tháng 5 năm 2024"]
    assert header.rows[1].cells[1].paragraphs[0].runs[0].italic
    recipients, signer = closing.rows[0].cells
    label = recipients.paragraphs[0].runs[0]
    assert (label.text, label.bold, label.italic, label.font.size.pt) == ("Nơi nhận:", True, True, 12)
    assert [paragraph.runs[0].font.size.pt for paragraph in recipients.paragraphs[1:]] == [11] * 5
    assert [paragraph.text for paragraph in signer.paragraphs] == [
        "TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Nguyễn Văn A"]
    assert signer.paragraphs[2].paragraph_format.space_before.mm > 20   # room to sign


def test_docx_data_table_has_borders_a_bold_repeated_header_and_right_aligned_figures(word, sample):
    table = next(block for block in sample.blocks if isinstance(block, Table))
    grid = word.tables[1]
    assert grid.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [table.header, *table.rows]
    assert all(cell.paragraphs[0].runs[0].bold for cell in grid.rows[0].cells)
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    alignments = [cell.paragraphs[0].alignment for cell in grid.rows[1].cells]
    assert alignments == [WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.LEFT] + [WD_ALIGN_PARAGRAPH.RIGHT] * 3


def test_docx_footnotes_are_word_footnotes_numbered_as_referenced(word):
    references = word.element.body.findall(".//" + qn("w:footnoteReference"))
    assert [reference.get(qn("w:id")) for reference in references] == ["1", "2"]
    footnotes = word.part.part_related_by(RT.FOOTNOTES).blob.decode()
    first, second = footnotes.find('w:id="1"'), footnotes.find('w:id="2"')
    assert 0 < first < footnotes.find(PILOT_MODELS_NOTE) < second < footnotes.find(NEWS_NOTE)


def test_docx_numbers_pages_in_the_header_except_on_page_one(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    instruction = qn("w:instrText")
    numbered = [element.text for element in section.header._element.iter(instruction)]
    assert numbered == [" PAGE "]
    assert not list(section.first_page_header._element.iter(instruction))
    assert section.header.paragraphs[0].text.strip() == "2"   # the field's cached result, no draft mark


def test_docx_draft_notice_is_red_under_the_title_and_in_every_header():
    word = docx.Document(io.BytesIO(to_docx(sample_document(pages=1, draft_notice=DRAFT_NOTICE))))
    texts = [paragraph.text for paragraph in word.paragraphs if paragraph.text]
    assert texts[3] == DRAFT_NOTICE and texts[2].startswith("(Từ ngày")
    notice = word.paragraphs[[paragraph.text for paragraph in word.paragraphs].index(DRAFT_NOTICE)]
    assert notice.runs[0].italic and str(notice.runs[0].font.color.rgb) == "C00000"
    section = word.sections[0]
    assert "DỰ THẢO" in section.header.paragraphs[0].text
    assert "DỰ THẢO" in section.first_page_header.paragraphs[0].text


# --- HTML -------------------------------------------------------------------------


def script_document():
    document = sample_document()
    document.blocks.append(Paragraph(runs("Ghi chú <script>alert('x')</script> & hết"), Style.BODY))
    return document


def test_html_escapes_the_text_it_is_given():
    for html in (to_html(script_document()), to_html_fragment(script_document())):
        assert "<script>" not in html
        assert "Ghi chú &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; hết" in html


def test_html_marks_figures_bold_and_lists_footnotes_after_the_signature(sample):
    printed = to_html(sample)
    assert "<strong>3.600/3.832</strong>" in printed
    assert "@page {" in printed   # the stylesheet is inlined: a saved page needs no static files
    assert f'<li id="report-note-1">{PILOT_MODELS_NOTE}</li>' in printed
    preview = to_html_fragment(sample)
    assert preview.lstrip().startswith("<article")
    assert '<a href="#report-note-1">1</a>' in preview and '<a href="#report-note-2">2</a>' in preview
    assert f'<li id="report-note-1">{PILOT_MODELS_NOTE}</li>' in preview
    assert 'data-source="note.direction"' in preview   # where PC06 edits the paragraph

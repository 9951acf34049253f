"""The report document as PDF, laid out by Typst (templates/report/document.typ).

Typst lays the report out natively (Rust): the 15-page city report in about a tenth of what an HTML
printer took, and faster than a warm LibreOffice converting the same DOCX (benchmarks/report_render.py).
It keeps each footnote on the page of its call, numbers the pages from page 2 and embeds the subset of the
Times-metric font it used, Liberation Serif where Times New Roman is not installed, so the Vietnamese
diacritics print the same on any machine that opens the file.

The document goes to the template as JSON data, and every text in it is set as a string: a stored
``#`` or ``*`` is printed, never read as Typst markup. What Typst does not write, the finisher adds in one
incremental update: the signature space's named destinations, where the digital signatures' images go
(``pdf_marks``), and, on a report awaiting issue, the form fields its number and date are printed in later
(``issuance_fields``).
"""

import io
import json
import threading
from functools import cache
from pathlib import Path

import typst
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from reporting.report import issuance_fields, pdf_marks
from reporting.report.document import block_data
from reporting.report.render_html import issuer_lines, split_title_group

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "report" / "document.typ"
MARKS = "<report-mark>"

_per_thread = threading.local()


def to_pdf(document):
    compiler = typesetter()
    pdf = compiler.compile(sys_inputs={"report": json.dumps(print_data(document), ensure_ascii=False)})
    # The marks of the layout just made: Typst answers from the compilation it keeps.
    marks = json.loads(compiler.query(MARKS, field="value"))
    return _finished(pdf, {mark["name"]: mark for mark in marks})


def typesetter():
    """This thread's Typst compiler, made at its first report on the process's fonts.

    Typst keeps, process-wide and within a bounded memory, the layout of what it laid out before: a report
    printed again after an edit (as PC06 does before signing) is laid out again only where it changed.
    """
    if not hasattr(_per_thread, "compiler"):
        _per_thread.compiler = typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=installed_fonts())
    return _per_thread.compiler


@cache
def installed_fonts():
    """The machine's fonts, found once per process (≈ 20 ms): every thread's compiler chooses among them."""
    return typst.Fonts()


def print_data(document):
    """What the template walks: the document's parts in print order, footnotes with their calls."""
    lead, rest = split_title_group(document.blocks)
    header = document.header
    return {
        "title": f"Báo cáo – {header.number}",
        "author": document.issuing_body,
        "header": {"issuer": [{"text": text, "bold": bold} for text, bold in issuer_lines(header.issuer)],
                   "motto": list(header.motto), "number": header.number, "place_date": header.place_date,
                   "awaiting_issue": header.awaiting_issue, "place": header.place,
                   "number_suffix": header.number_suffix},
        "lead": [block_data(block) for block in lead],
        "draft_notice": document.draft_notice,
        "body": [block_data(block) for block in rest],
        "signature": {"recipients": document.signature.recipients, "above": document.signature.above,
                      "below": document.signature.below},
        "appendix": [block_data(block) for block in document.appendix],
    }


def _finished(pdf, marks):
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pdf_marks.add_signature_space(writer, marks[pdf_marks.SPACE], marks[pdf_marks.SPACE_END])
    issuance_fields.add_empty_fields(writer, marks)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""The report document as HTML: the in-app preview, and a page that stands alone (``render_report``).

The template only walks what ``_context`` prepares: footnote numbers are
assigned here in the order of ``Document.footnotes``, as the PDF (Typst) and
the DOCX number them. Django's template engine escapes every text.
"""

from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reporting.report.document import Paragraph, Style

CSS_PATH = "css/report.css"
# Paragraphs that open the report (BÁO CÁO, its summary, the data window); a draft's notice follows them.
TITLE_STYLES = {Style.TITLE, Style.SUBTITLE, Style.CENTERED}


def to_html(document):
    """A complete page with the stylesheet inlined, so a saved file needs nothing else."""
    return render_to_string("report/document.html", {**_context(document), "css": report_css()})


def to_html_fragment(document):
    """The document alone, for a preview page that links ``static/css/report.css`` itself."""
    return render_to_string("report/_document.html", _context(document))


@cache
def report_css():
    with open(finders.find(CSS_PATH), encoding="utf-8") as css:
        return css.read()


def _context(document):
    lead, rest = split_title_group(document.blocks)
    blocks, notes = _numbered_blocks(lead + rest + document.appendix)
    body_end = len(document.blocks)
    return {
        "header": document.header,
        "issuer_lines": [{"text": text, "bold": is_bold} for text, is_bold in issuer_lines(document.header.issuer)],
        "lead_blocks": blocks[:len(lead)],
        "blocks": blocks[len(lead):body_end],
        "appendix": blocks[body_end:],
        "draft_notice": document.draft_notice,
        "signature": document.signature,
        "footnotes": notes,
    }


def split_title_group(blocks):
    """The opening title paragraphs and the rest: a draft's notice is printed between them (in every format)."""
    count = 0
    while count < len(blocks) and isinstance(blocks[count], Paragraph) and blocks[count].style in TITLE_STYLES:
        count += 1
    return list(blocks[:count]), list(blocks[count:])


def issuer_lines(issuer):
    """(line, bold) pairs: Decree 30 prints the parent authority plain and the issuing body bold; a lone line is bold."""
    return [(line, index > 0 or len(issuer) == 1) for index, line in enumerate(issuer)]


def _numbered_blocks(blocks):
    notes = []
    prepared = []
    for block in blocks:
        if isinstance(block, Paragraph):
            prepared.append(_paragraph(block, notes))
        else:
            prepared.append(_table(block))
    return prepared, notes


def _paragraph(paragraph, notes):
    runs = []
    for run in paragraph.runs:
        note = None
        if run.footnote:
            note = {"number": len(notes) + 1, "text": run.footnote.text}
            notes.append(note)
        runs.append({"text": run.text, "bold": run.bold, "italic": run.italic, "note": note})
    return {"is_table": False, "style": paragraph.style, "source": paragraph.source, "runs": runs}


def _table(table):
    return {
        "is_table": True,
        "header": table.header,
        "rows": [[{"text": text, "numeric": index in table.numeric} for index, text in enumerate(row)]
                 for row in table.rows],
        "numeric": table.numeric,
        "widths": _percentages(table.widths),
    }


def _percentages(widths):
    if not widths:
        return []
    total = sum(widths)
    return [f"{100 * width / total:.2f}" for width in widths]

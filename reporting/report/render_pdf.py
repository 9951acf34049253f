"""The report document as PDF: its HTML page printed by WeasyPrint.

WeasyPrint lays out the page footnotes (``float: footnote``), the page numbers
from page 2 (``@page :first``) and embeds the subset of the Times-metric font
it used, Liberation Serif where Times New Roman is not installed, so the
Vietnamese diacritics print the same on any machine that opens the file.

A report awaiting issue gets the form fields its number and date are printed in later
(``issuance_fields``); the signature space under the signer's title is a pair of named
destinations, where the digital signatures' images go (``pdf_marks``).
"""

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import FootnoteAreaBox

from reporting.report.issuance_fields import add_empty_fields
from reporting.report.render_html import to_html

# Each retry lays the whole report out again; a report has a handful of notes.
MAX_LAYOUTS = 4


def to_pdf(document):
    # base_url: a relative URL in the page (none today) would resolve against the project, not the CWD.
    page = HTML(string=to_html(document, for_print=True), base_url=str(settings.BASE_DIR))
    return _layout_keeping_notes_with_calls(page).write_pdf(finisher=add_empty_fields)


def _layout_keeping_notes_with_calls(page):
    """The laid-out document, every footnote on the page of its call.

    To fill a page WeasyPrint (≥ 65) may carry a footnote over to the next page
    and put one more line of the page's last paragraph in its place. A reader of
    the report looks for the note under its call, so that paragraph is laid out
    again kept whole (``orphans``), moving to the next page as it would have
    without the footnote.
    """
    kept_whole = []
    while True:
        rendered = page.render(stylesheets=[CSS(string=rule) for rule in kept_whole])
        paragraph = _paragraph_that_displaced_a_note(rendered)
        if paragraph is None or len(kept_whole) + 1 >= MAX_LAYOUTS:
            return rendered
        kept_whole.append(f"#{paragraph} {{ orphans: 999; }}")


def _paragraph_that_displaced_a_note(rendered):
    """The id of the last paragraph of the first page whose footnote area lacks a note it calls, or None."""
    for page in rendered.pages:
        box = page._page_box   # WeasyPrint's layout tree: no public API says where a footnote landed
        called = {id(inline.footnote.element) for inline in box.descendants() if getattr(inline, "footnote", None)}
        placed = {id(note.element) for area in box.children if isinstance(area, FootnoteAreaBox)
                  for note in area.children}
        if called - placed:
            paragraphs = [child.element.get("id") for child in box.children[0].descendants()
                          if child.element_tag == "p" and (child.element.get("id") or "").startswith("report-block-")]
            return paragraphs[-1] if paragraphs else None
    return None

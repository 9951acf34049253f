"""The report document as PDF: its HTML page printed by WeasyPrint.

WeasyPrint lays out the page footnotes (``float: footnote``), the page numbers
from page 2 (``@page :first``) and embeds the subset of the Times-metric font
it used, Liberation Serif where Times New Roman is not installed, so the
Vietnamese diacritics print the same on any machine that opens the file.

A report awaiting issue gets the form fields its number and date are printed in later
(``issuance_fields``); the signature space under the signer's title is a pair of named
destinations, where the digital signatures' images go (``pdf_marks``).

PC06 prints the report again after every edit, so a render does not redo what the last one
did: the stylesheet is parsed and the fonts are configured once per thread (``print_resources``),
and Python's cyclic garbage collector waits until the PDF is written (``_collector_paused``).
"""

import gc
import threading
from contextlib import contextmanager

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.text.fonts import FontConfiguration

from reporting.report.issuance_fields import add_empty_fields
from reporting.report.render_html import report_css, to_html

# Each retry lays the whole report out again; a report has a handful of notes.
MAX_LAYOUTS = 4

_per_thread = threading.local()


def to_pdf(document):
    font_config, stylesheet = print_resources()
    with _collector_paused():
        # base_url: a relative URL in the page (none today) would resolve against the project, not the CWD.
        page = HTML(string=to_html(document, for_print=True, inline_css=False), base_url=str(settings.BASE_DIR))
        rendered = _layout_keeping_notes_with_calls(page, font_config, stylesheet)
        return rendered.write_pdf(finisher=add_empty_fields)


def print_resources():
    """This thread's WeasyPrint font configuration and report.css parsed with it, made at its first report.

    A FontConfiguration loads Fontconfig's configuration and keeps Pango's fonts and line metrics, and
    parsing report.css compiles its selectors: each costs a few milliseconds a render when made anew.
    Per thread, as Pango's own default font map is (since 1.32.6): the map and its caches are not shared
    between threads.
    """
    if not hasattr(_per_thread, "stylesheet"):
        _per_thread.font_config = FontConfiguration()
        _per_thread.stylesheet = CSS(string=report_css(), font_config=_per_thread.font_config)
    return _per_thread.font_config, _per_thread.stylesheet


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while WeasyPrint lays out and draws, on again after.

    WeasyPrint's boxes and styles live until the PDF is written, so the collector, counting them as they
    are made, would run some 70 passes a render and one over the whole process about every other render:
    ≈ 50 ms of the 15-page report's 0.47 s (benchmarks/report_render.py). After the render, reference
    counting frees the tree and one young-generation pass takes its cycles (≈ 35 000 objects, 15 ms).
    Left off if it was already off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _layout_keeping_notes_with_calls(page, font_config, stylesheet):
    """The laid-out document, every footnote on the page of its call.

    To fill a page WeasyPrint (≥ 65) may carry a footnote over to the next page
    and put one more line of the page's last paragraph in its place. A reader of
    the report looks for the note under its call, so that paragraph is laid out
    again kept whole (``orphans``), moving to the next page as it would have
    without the footnote.
    """
    kept_whole = []
    while True:
        # report.css comes in parsed, as a user stylesheet rather than the page's (author) own: the page's
        # rules (body's margin, a draft's page label) set nothing it sets, so the cascade is the same.
        rendered = page.render(font_config=font_config,
                               stylesheets=[stylesheet, *(CSS(string=rule, font_config=font_config)
                                                          for rule in kept_whole)])
        paragraph = _paragraph_that_displaced_a_note(rendered)
        if paragraph is None or len(kept_whole) + 1 >= MAX_LAYOUTS:
            return rendered
        # Not an id: WeasyPrint computes the style of an element with an id apart from its like siblings' and
        # names a PDF destination after it: 13 % of the time of a report whose paragraphs all had one.
        kept_whole.append(f'[data-block="{paragraph}"] {{ orphans: 999; }}')


def _paragraph_that_displaced_a_note(rendered):
    """The number (``data-block``) of the last paragraph of the first page whose footnote area lacks a note
    it calls, or None."""
    for page in rendered.pages:
        box = page._page_box   # WeasyPrint's layout tree: no public API says where a footnote landed
        called = {id(inline.footnote.element) for inline in box.descendants() if getattr(inline, "footnote", None)}
        placed = {id(note.element) for area in box.children if isinstance(area, FootnoteAreaBox)
                  for note in area.children}
        if called - placed:
            paragraphs = [child.element.get("data-block") for child in box.children[0].descendants()
                          if child.element_tag == "p" and child.element.get("data-block")]
            return paragraphs[-1] if paragraphs else None
    return None

"""The report document as DOCX: the file PC06 edits in Word before signing.

Same words, order and footnote numbers as the PDF; the layout is Decree
30/2020/NĐ-CP's, set as direct formatting so that it survives any Normal
template. python-docx provides the package, the section and its page headers;
the body is written as WordprocessingML and parsed once, because python-docx's
element API costs about half a millisecond per formatted run (a 15-page report
took 0.5 s that way, 0.1 s this way). Footnotes are real Word footnotes: a
footnotes part and ``w:footnoteReference`` runs, which python-docx has no API for.
"""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document as new_word_document
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

from de_an_06.text import xml_safe
from reporting.report.document import Paragraph, Style
from reporting.report.render_html import issuer_lines, split_title_group

FONT = "Times New Roman"
# Every script slot: Word would take the theme's font for the slots left unnamed (eastAsia, cs).
FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
BODY_SIZE = 14
# "Exactly" 17 pt ≈ 1.2 lines of 14 pt: within the decree's single to 1.5 lines, and laid out alike by Word and LibreOffice.
BODY_LINE = 17
FIRST_LINE_INDENT = Cm(1.27)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
TEXT_WIDTH = Mm(210 - 30 - 15)
HEADER_COLUMNS = (0.38, 0.62)       # as report.css: the motto and a long place/date fit on one line
CLOSING_COLUMNS = (0.45, 0.55)
ISSUER_RULE = 0.35                  # of the issuer column, as report.css
MOTTO_RULE = Mm(60)                 # "Độc lập - Tự do - Hạnh phúc" in 14 pt bold Times is 60 mm long
SIGNATURE_SPACE = Mm(28)            # room for the hand signature and the seal
RED = "C00000"
DRAFT_MARK = "DỰ THẢO"
MAX_PROPERTY = 255


FOOTNOTE_TEXT_STYLE = (
    f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="exact"/>'
    '<w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>'
)
FOOTNOTE_REFERENCE_STYLE = (
    f'<w:style {nsdecls("w")} w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
)


@dataclass(frozen=True)
class Look:
    """How one ``Style`` of the document model is set, as report.css sets its class."""

    align: str
    bold: bool = False
    italic: bool = False
    indent: bool = False
    before: int = 0
    after: int = 6
    keep_with_next: bool = False


LOOKS = {
    Style.TITLE: Look("center", bold=True, before=12, after=0),
    Style.SUBTITLE: Look("center", bold=True, after=0),
    Style.CENTERED: Look("center", italic=True),
    Style.HEADING: Look("both", bold=True, indent=True, keep_with_next=True),
    Style.SUBHEADING: Look("both", bold=True, indent=True, keep_with_next=True),
    Style.BODY: Look("both", indent=True),
}


def to_docx(document):
    word = new_word_document()
    _set_default_font(word)
    _set_page(word, draft=bool(document.draft_notice))
    notes = []
    _append_to_body(word, [_header_block(document.header), *_body(document, notes), _closing(document.signature),
                           *_appendix(document.appendix, notes)])
    if notes:
        _add_footnotes_part(word, notes)
    _set_properties(word.core_properties, document)
    output = io.BytesIO()
    word.save(output)
    return output.getvalue()


def _set_properties(properties, document):
    """File › Info as an office reads it before sending: the issuing body, the report's title, when it was made.

    python-docx's template would otherwise say author "python-docx", created 2013.
    """
    opening, _ = split_title_group(document.blocks)
    title = " ".join(block.text for block in opening if block.style in (Style.TITLE, Style.SUBTITLE))
    title = title or document.header.number
    # The package format caps a property at 255 characters; a long subject is cut, never refused.
    title = xml_safe(title)
    properties.title = title if len(title) <= MAX_PROPERTY else title[:MAX_PROPERTY - 1] + "…"
    properties.subject = xml_safe(document.header.number)
    properties.author = properties.last_modified_by = xml_safe(document.issuing_body)
    properties.created = properties.modified = timezone.now()
    properties.revision = 1
    properties.comments = properties.keywords = ""
    properties.language = "vi-VN"


def _body(document, notes):
    """The blocks' XML in order, the draft notice after the title group; ``notes`` collects the footnotes."""
    lead, rest = split_title_group(document.blocks)
    parts = [_paragraph(block, notes) for block in lead]
    if document.draft_notice:
        parts.append(_p(_r(document.draft_notice, bold=True, italic=True, color=RED), align="center",
                        before=6, after=12))
    after_table = False
    for block in rest:
        if isinstance(block, Paragraph):
            # Decree 30: the signature never stands alone on a page; the closing sentence goes over with it.
            closing = block is rest[-1]
            parts.append(_paragraph(block, notes, after_table=after_table, keep_with_next=closing))
        else:
            if after_table:
                parts.append(_table_separator())
            parts.append(_data_table(block))
        after_table = not isinstance(block, Paragraph)
    if after_table:
        parts.append(_table_separator())
    return parts


def _appendix(blocks, notes):
    """The blocks after the signature, from a new page."""
    if not blocks:
        return []
    parts = [_p(_r("", content='<w:br w:type="page"/>'), align="left", line=8)]
    for block in blocks:
        parts.append(_paragraph(block, notes) if isinstance(block, Paragraph) else _data_table(block))
    if not isinstance(blocks[-1], Paragraph):
        parts.append(_table_separator())
    return parts


def _append_to_body(word, parts):
    body = word.element.body
    section = body.sectPr
    for element in _elements("".join(parts)):
        section.addprevious(element)


def _elements(xml):
    return list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>"))


# --- WordprocessingML builders -------------------------------------------------------


def _r(text, *, bold=False, italic=False, size=None, color=None, style=None, content=None):
    """A run; ``content`` replaces the text with other run content (a field character, a footnote reference)."""
    properties = [f'<w:rStyle w:val="{style}"/>' if style else "", FONTS]
    if bold:
        properties.append("<w:b/><w:bCs/>")
    if italic:
        properties.append("<w:i/><w:iCs/>")
    if color:
        properties.append(f'<w:color w:val="{color}"/>')
    if size:
        properties.append(f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>')
    if content is None:
        pieces = xml_safe(text).split("\t")     # a stored text may predate the input rule (de_an_06.text)
        content = "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(piece)}</w:t>' if piece else ""
                                  for piece in pieces)
    return f"<w:r><w:rPr>{''.join(properties)}</w:rPr>{content}</w:r>"


def _p(*runs, align="both", before=0, after=0, line=None, first_line=None, sides=None, keep_with_next=False,
       border_top=False, tabs=(), style=None):
    """A paragraph; spacing in points, ``line`` exact (else the style's), ``sides`` a (left, right) indent."""
    properties = [f'<w:pStyle w:val="{style}"/>' if style else "", '<w:keepNext/>' if keep_with_next else ""]
    if border_top:
        properties.append('<w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>')
    if tabs:
        properties.append("<w:tabs>" + "".join(f'<w:tab w:val="{kind}" w:pos="{position.twips}"/>'
                                               for kind, position in tabs) + "</w:tabs>")
    line_rule = f' w:line="{line * 20}" w:lineRule="exact"' if line else ""
    properties.append(f'<w:spacing w:before="{round(before * 20)}" w:after="{after * 20}"{line_rule}/>')
    indents = ""
    if sides:
        indents += f' w:left="{sides[0].twips}" w:right="{sides[1].twips}"'
    if first_line:
        indents += f' w:firstLine="{first_line.twips}"'
    if indents:
        properties.append(f"<w:ind{indents}/>")
    properties.append(f'<w:jc w:val="{align}"/>')
    return f"<w:p><w:pPr>{''.join(properties)}</w:pPr>{''.join(runs)}</w:p>"


def _table(widths, rows, *, grid=False, header_rows=0):
    """A table of fixed column widths; ``rows`` are lists of cells, each a list of paragraphs' XML.

    ``grid`` draws every border (Word's "Table Grid" style) and pads cells as report.css
    does (2 pt, 4 pt); without it the table only lays out, unpadded so that a column
    holds the decree's long lines.
    """
    twips = [width.twips for width in widths]
    vertical, side = (40, 80) if grid else (0, 0)
    properties = ['<w:tblStyle w:val="TableGrid"/>' if grid else "",
                  f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>',
                  f'<w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
                  f'<w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/></w:tblCellMar>']
    properties.append('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
                      'w:noHBand="0" w:noVBand="1"/>')
    xml_rows = []
    for index, row in enumerate(rows):
        heading = index < header_rows
        # Rows never split across pages; header rows repeat on each page, as the PDF's <thead>.
        row_properties = "<w:cantSplit/><w:tblHeader/>" if heading else "<w:cantSplit/>"
        centred = '<w:vAlign w:val="center"/>' if heading else ""
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{centred}</w:tcPr>{"".join(paragraphs)}</w:tc>'
            for width, paragraphs in zip(twips, row)
        )
        xml_rows.append(f"<w:tr><w:trPr>{row_properties}</w:trPr>{cells}</w:tr>")
    columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
    return f"<w:tbl><w:tblPr>{''.join(properties)}</w:tblPr><w:tblGrid>{columns}</w:tblGrid>{''.join(xml_rows)}</w:tbl>"


def _column_widths(fractions):
    return [Mm(TEXT_WIDTH.mm * fraction) for fraction in fractions]


# --- page, fonts --------------------------------------------------------------------


def _set_default_font(word):
    # The template's defaults name theme fonts (Calibri), which would win over a font named beside them.
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _name_font(defaults.find(qn("w:rFonts")))
    defaults.find(qn("w:lang")).set(qn("w:val"), "vi-VN")   # Word's spelling checker in Vietnamese
    normal = word.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _name_font(normal.element.get_or_add_rPr().get_or_add_rFonts())
    body = normal.paragraph_format
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = Pt(BODY_LINE)
    body.space_before, body.space_after = Pt(0), Pt(6)
    body.widow_control = True


def _name_font(fonts):
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _set_page(word, *, draft):
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, length in MARGINS.items():
        setattr(section, side, length)
    section.header_distance = Mm(10)
    # Decree 30: page numbers centred in the top margin from page 2; page 1 has its own header, without one.
    section.different_first_page_header_footer = True
    mark = [_r("\t"), _r(DRAFT_MARK, bold=True, size=12, color=RED)] if draft else []
    _replace_header(section.header, _r("\t"), *_page_number_field(), *mark)
    _replace_header(section.first_page_header, *([_r("\t")] + mark if draft else []))


def _replace_header(header, *runs):
    tabs = (("center", Mm(TEXT_WIDTH.mm / 2)), ("right", TEXT_WIDTH))
    old = header.paragraphs[0]._p
    old.addprevious(_elements(_p(*runs, tabs=tabs, line=BODY_LINE))[0])
    old.getparent().remove(old)


def _page_number_field():
    """A PAGE field in the complex form (begin, instruction, separate, result, end) every word processor updates."""
    return [
        _r("", content='<w:fldChar w:fldCharType="begin"/>'),
        _r("", content='<w:instrText xml:space="preserve"> PAGE </w:instrText>'),
        _r("", content='<w:fldChar w:fldCharType="separate"/>'),
        _r("2"),   # the field's last result, shown only by a reader that does not update fields
        _r("", content='<w:fldChar w:fldCharType="end"/>'),
    ]


# --- header block, closing ---------------------------------------------------------


def _header_block(header):
    issuer_width, motto_width = _column_widths(HEADER_COLUMNS)
    issuer = [_p(_r(text.upper(), bold=bold, size=13), align="center", line=15)
              for text, bold in issuer_lines(header.issuer)]
    issuer.append(_rule(issuer_width, Mm(issuer_width.mm * ISSUER_RULE)))
    motto = [
        _p(_r(header.motto[0].upper(), bold=True, size=12), align="center", line=15),
        _p(_r(header.motto[1], bold=True, size=14), align="center", line=16),
        _rule(motto_width, MOTTO_RULE),
    ]
    number = [_p(_r(header.number, size=13), align="center", before=6)]
    place_date = [_p(_r(header.place_date, italic=True, size=13), align="center", before=6)]
    return _table([issuer_width, motto_width], [[issuer, motto], [number, place_date]])


def _rule(cell_width, width):
    """The decree's short line under the issuer and the motto: the top border of a 1 pt paragraph, centred by indents."""
    side = Mm(max(0, (cell_width.mm - width.mm) / 2))
    return _p(align="center", line=1, sides=(side, side), border_top=True)


def _closing(signature):
    recipients = [_p(_r("Nơi nhận:", bold=True, italic=True, size=12), align="left", before=12, line=14)]
    recipients += [_p(_r(line, size=11), align="left", line=13) for line in signature.recipients]
    above = [_p(_r(line, bold=True), align="center", before=12 if index == 0 else 0)
             for index, line in enumerate(signature.above)]
    below = [_p(_r(line, bold=True), align="center", before=SIGNATURE_SPACE.pt if index == 0 else 0)
             for index, line in enumerate(signature.below or [""])]
    signer = above + below
    return _table(_column_widths(CLOSING_COLUMNS), [[recipients, signer]])


# --- body -----------------------------------------------------------------------------


def _paragraph(paragraph, notes, *, after_table=False, keep_with_next=False):
    look = LOOKS.get(paragraph.style, LOOKS[Style.BODY])
    runs = []
    for run in paragraph.runs:
        if run.text:
            runs.append(_r(run.text, bold=run.bold or look.bold, italic=run.italic or look.italic))
        if run.footnote:
            notes.append(run.footnote.text)
            runs.append(_r("", style="FootnoteReference", content=f'<w:footnoteReference w:id="{len(notes)}"/>'))
    # A table has no spacing of its own: the paragraph after it keeps off its last row, as report.css's margin.
    return _p(*runs, align=look.align, before=look.before + (8 if after_table else 0), after=look.after,
              first_line=FIRST_LINE_INDENT if look.indent else None,
              keep_with_next=look.keep_with_next or keep_with_next)


def _data_table(table):
    weights = table.widths or [1] * len(table.header)
    widths = _column_widths([weight / sum(weights) for weight in weights])
    header = [[_p(_r(text, bold=True, size=13), align="center", line=15)] for text in table.header]
    rows = [
        [[_p(_r(text, size=13), align="right" if index in table.numeric else "left", line=15)]
         for index, text in enumerate(values)]
        for values in table.rows
    ]
    return _table(widths, [header, *rows], grid=True, header_rows=1)


def _table_separator():
    """An empty 8 pt paragraph: Word joins two tables that touch into one."""
    return _p(align="left", line=8)


# --- footnotes ------------------------------------------------------------------------


def _add_footnotes_part(word, notes):
    """word/footnotes.xml: Word's two separators (ids -1 and 0), then the notes numbered as referenced."""
    separators = "".join(
        f'<w:footnote w:type="{kind}" w:id="{number}">{_p(_r("", content=f"<w:{kind}/>"), align="left", line=12)}'
        f"</w:footnote>"
        for number, kind in ((-1, "separator"), (0, "continuationSeparator"))
    )
    footnotes = "".join(
        f'<w:footnote w:id="{number}">'
        f'{_p(_r("", style="FootnoteReference", content="<w:footnoteRef/>"), _r(" " + text), style="FootnoteText")}'
        f"</w:footnote>"
        for number, text in enumerate(notes, start=1)
    )
    element = parse_xml(f'<w:footnotes {nsdecls("w")}>{separators}{footnotes}</w:footnotes>')
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)
    # Word's own styles for notes, which LibreOffice also maps to its footnote styles.
    word.styles.element.append(parse_xml(FOOTNOTE_TEXT_STYLE))
    word.styles.element.append(parse_xml(FOOTNOTE_REFERENCE_STYLE))
    # Word also names its separators in the settings.
    word.settings.element.insert_element_before(
        parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'),
        "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
        "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    )

"""The number and the date of a finalised report: form fields the records office fills in after the signer signs.

Decree 30/2020/NĐ-CP (Phụ lục I): the competent person signs the finalised content, which has no number and
no date yet; the records office (văn thư) then numbers and dates it and applies the organisation's signature.
So the PDF of a report awaiting issue (``HeaderBlock.awaiting_issue``) carries two empty, read-only text
fields where the number and the date print, and the office's step fills them in an incremental update. The
signer's certification signature permits form filling (``signing.sign_pdf(certify=True)``): it stays intact,
and a validator reports the change as form filling, not as an edit of the signed content.
"""

import io
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import init_xobject_dictionary

from reporting.report import pdf_marks, pdf_text
from reporting.report.signature_fields import SigningError

NUMBER_FIELD = "SoVanBan"
DATE_FIELD = "NgayBanHanh"
# The header's number and date lines (document.typ); a field's text shrinks to fit.
FONT_SIZE = 13
READ_ONLY = 1   # bit 1 of a field's /Ff: readers do not let anyone type in it
PRINT = 4       # bit 3 of an annotation's /F: the field prints with the page


@dataclass(frozen=True)
class Field:
    name: str
    label: str          # what a reader shows as the field's name (/TU)
    italic: bool
    align_right: bool   # the number ends against "/BC-BCĐ"; the date starts after "<địa danh>, "


# By the name of the mark templates/report/document.typ sets where each field goes (awaiting issue).
FIELDS = {
    "report-issuance-number": Field(NUMBER_FIELD, "Số văn bản", italic=False, align_right=True),
    "report-issuance-date": Field(DATE_FIELD, "Ngày ban hành", italic=True, align_right=False),
}
BY_NAME = {field.name: field for field in FIELDS.values()}


def add_empty_fields(writer, marks):
    """An empty read-only text field where the template marked each issuance field (``marks`` by name, from
    render_pdf), in pyHanko ``writer``; nothing for a report that is not awaiting issue.

    Drawn when filled, not left for each reader to draw (NeedAppearances): a reader would pick its own font.
    """
    fields = [_empty_field(writer, field, marks[name]) for name, field in FIELDS.items() if name in marks]
    if not fields:
        return
    # Readers that redraw a field (they should not: it has an appearance) would use the standard Times.
    fonts = generic.DictionaryObject({
        pdf_name("/TiRo"): _standard_font("/Times-Roman"), pdf_name("/TiIt"): _standard_font("/Times-Italic")})
    writer.root["/AcroForm"] = writer.add_object(generic.DictionaryObject({
        pdf_name("/Fields"): generic.ArrayObject(fields),
        pdf_name("/DR"): generic.DictionaryObject({pdf_name("/Font"): fonts})}))
    writer.update_root()


def fill_issuance_fields(pdf_bytes, *, number, date_text):
    """The PDF with ``number`` ("264") and ``date_text`` ("ngày 05 tháng 12 năm 2026") printed in its fields.

    An incremental update: the bytes before it, and any signature over them, are untouched. The text is drawn
    in the report's serif font (its glyphs embedded), the fields stay read-only and readers are told not to
    redraw them. SigningError (Vietnamese) when the PDF has no such fields.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    widgets = _issuance_widgets(writer)
    engines = {}
    for name, text in ((NUMBER_FIELD, number), (DATE_FIELD, date_text)):
        field, widget = BY_NAME[name], widgets[name]
        if field.italic not in engines:
            engines[field.italic] = pdf_text.font_engine(writer, italic=field.italic)
        widget["/V"] = generic.TextStringObject(text)
        widget["/AP"] = generic.DictionaryObject({
            pdf_name("/N"): writer.add_object(_appearance(engines[field.italic], field, text, _size(widget)))})
        widget["/Ff"] = generic.NumberObject(int(widget.get("/Ff", 0)) | READ_ONLY)
        writer.update_container(widget)
    acroform = writer.root["/AcroForm"]
    if acroform.get("/NeedAppearances"):
        acroform["/NeedAppearances"] = generic.BooleanObject(False)
        writer.update_container(acroform)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _empty_field(writer, field, mark):
    """The field's widget on its line: from the mark, where the field starts on the baseline, across its
    width, from the font's descender to its ascender (the line box ``_appearance`` sets the text in)."""
    page_ref, x, baseline = pdf_marks.point_on_page(writer, mark)
    ascent, descent = pdf_text.ascent_and_descent(FONT_SIZE, italic=field.italic)
    rect = (x, baseline - descent, x + mark["width"], baseline + ascent)
    empty = init_xobject_dictionary(b"/Tx BMC EMC", rect[2] - rect[0], rect[3] - rect[1])
    font = "TiIt" if field.italic else "TiRo"
    widget = writer.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"),
        pdf_name("/FT"): pdf_name("/Tx"), pdf_name("/F"): generic.NumberObject(PRINT),
        pdf_name("/Ff"): generic.NumberObject(READ_ONLY), pdf_name("/T"): generic.TextStringObject(field.name),
        pdf_name("/TU"): generic.TextStringObject(field.label), pdf_name("/V"): generic.TextStringObject(""),
        pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(value) for value in rect),
        pdf_name("/P"): page_ref, pdf_name("/Q"): generic.NumberObject(2 if field.align_right else 0),
        pdf_name("/DA"): generic.TextStringObject(f"/{font} {FONT_SIZE} Tf 0 g"),
        pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): writer.add_object(empty)})}))
    writer.register_annotation(page_ref, widget)
    return widget


def _standard_font(name):
    return generic.DictionaryObject({pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
                                     pdf_name("/BaseFont"): pdf_name(name)})


def _issuance_widgets(writer):
    acroform = writer.root["/AcroForm"] if "/AcroForm" in writer.root else {}
    fields = [reference.get_object() for reference in acroform.get("/Fields", ())]
    widgets = {field.get("/T"): field for field in fields if field.get("/T") in BY_NAME}
    if len(widgets) < len(BY_NAME):
        raise SigningError("Tệp PDF không có ô để in số và ngày văn bản: chỉ báo cáo đã hoàn tất, chờ cấp số "
                           "(in từ hệ thống sau ngày áp dụng ký số hai bước) mới được cấp số theo cách này.")
    return widgets


def _size(widget):
    x1, y1, x2, y2 = (float(value) for value in widget["/Rect"])
    return abs(x2 - x1), abs(y2 - y1)


def _appearance(engine, field, text, size):
    """The field's normal appearance: ``text`` on the line's baseline, shrunk if the field is too narrow."""
    width, height = size
    font_size = min(FONT_SIZE, FONT_SIZE * width / max(pdf_text.shaped_width(engine, text, FONT_SIZE), 1))
    text_width = pdf_text.shaped_width(engine, text, font_size)
    x = width - text_width if field.align_right else 0
    y = pdf_text.baseline_in_line_box(height, font_size, italic=field.italic)
    content = b"/Tx BMC q %s Q EMC" % pdf_text.line_ops(engine, "F1", text, size=font_size, x=x, y=y)
    resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject(
        {pdf_name("/F1"): engine.as_resource()})})
    return init_xobject_dictionary(content, width, height, resources=resources)

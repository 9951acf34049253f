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

import pydyf
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import init_xobject_dictionary

from reporting.report import pdf_text
from reporting.report.signature_fields import SigningError

NUMBER_FIELD = "SoVanBan"
DATE_FIELD = "NgayBanHanh"
# The header's number and date lines (report.css: td.number, td.place-date); a field's text shrinks to fit.
FONT_SIZE = 13
READ_ONLY = 1   # bit 1 of a field's /Ff: readers do not let anyone type in it
PRINT = 4       # bit 3 of an annotation's /F: the field prints with the page


@dataclass(frozen=True)
class Field:
    name: str
    label: str          # what a reader shows as the field's name (/TU)
    italic: bool
    align_right: bool   # the number ends against "/BC-BCĐ"; the date starts after "<địa danh>, "


# By the id of the element templates/report/_document.html lays each field out with (printed, awaiting issue).
FIELDS = {
    "report-issuance-number": Field(NUMBER_FIELD, "Số văn bản", italic=False, align_right=True),
    "report-issuance-date": Field(DATE_FIELD, "Ngày ban hành", italic=True, align_right=False),
}
BY_NAME = {field.name: field for field in FIELDS.values()}


def add_empty_fields(document, pdf):
    """WeasyPrint's ``write_pdf`` finisher: an empty read-only text field on each issuance element it laid out.

    WeasyPrint's own form fields (``pdf_forms``) would embed both fonts of the two lines whole (about
    770 KB) and leave the fields for each reader to draw (NeedAppearances); these are drawn when filled.
    """
    fields = []
    for page, page_number in zip(document.pages, pdf.pages["Kids"][::3]):
        pdf_page = pdf.objects[page_number]
        for anchor, field in FIELDS.items():
            if anchor in page.anchors:
                fields.append(_empty_field(pdf, pdf_page, field, _pdf_rect(page, page.anchors[anchor])))
    if not fields:
        return
    # Readers that redraw a field (they should not: it has an appearance) would use the standard Times.
    fonts = pydyf.Dictionary({
        "TiRo": pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Times-Roman"}),
        "TiIt": pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Times-Italic"}),
    })
    acroform = pydyf.Dictionary({"Fields": pydyf.Array(field.reference for field in fields),
                                 "DR": pydyf.Dictionary({"Font": fonts})})
    pdf.add_object(acroform)
    pdf.catalog["AcroForm"] = acroform.reference


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


def _empty_field(pdf, pdf_page, field, rect):
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    empty = pydyf.Stream([b"/Tx BMC EMC"], {"Type": "/XObject", "Subtype": "/Form",
                                            "BBox": pydyf.Array((0, 0, width, height))})
    pdf.add_object(empty)
    font = "TiIt" if field.italic else "TiRo"
    widget = pydyf.Dictionary({
        "Type": "/Annot", "Subtype": "/Widget", "FT": "/Tx", "F": PRINT, "Ff": READ_ONLY,
        "T": pydyf.String(field.name), "TU": pydyf.String(field.label), "V": pydyf.String(""),
        "Rect": pydyf.Array(rect), "P": pdf_page.reference, "Q": 2 if field.align_right else 0,
        "DA": pydyf.String(f"/{font} {FONT_SIZE} Tf 0 g"), "AP": pydyf.Dictionary({"N": empty.reference}),
    })
    pdf.add_object(widget)
    pdf_page.setdefault("Annots", pydyf.Array()).append(widget.reference)
    return widget


def _pdf_rect(page, box):
    """A WeasyPrint anchor's box (CSS px from the top left) as a PDF rectangle (points from the bottom left)."""
    x1, y1, x2, y2 = box
    points = 0.75   # WeasyPrint writes 1 CSS px as 0.75 pt
    return (x1 * points, (page.height - y2) * points, x2 * points, (page.height - y1) * points)


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
    y = pdf_text.baseline_in_line_box(engine, height, font_size)
    content = b"/Tx BMC q %s Q EMC" % pdf_text.line_ops(engine, "F1", text, size=font_size, x=x, y=y)
    resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject(
        {pdf_name("/F1"): engine.as_resource()})})
    return init_xobject_dictionary(content, width, height, resources=resources)

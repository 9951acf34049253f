"""The images of the digital signatures on the BÁO CÁO: where they go, found in the PDF itself, and how they look.

Decree 30/2020/NĐ-CP (Phụ lục I): the signer's signature image (blue, transparent PNG) is centred in the space
between the title and the signer's name; the organisation's signature shows its seal (red, transparent PNG,
at its actual size) covering about a third of the signer's image on its left, with the organisation's name
and the signing time (Vietnam time, ISO 8601). The space is the rectangle between two named destinations of
the report's PDF (templates/report/document.typ), so any report the app printed can be signed visibly,
whenever and on whichever server it is signed: no coordinates are stored anywhere else.

``signing.sign_pdf(..., appearance=person_appearance(image))`` places a style from here by itself. The signer's
certification signature lays out the organisation's field, empty (``add_seal_field``): after a certification
signature, pyHanko's validator (stricter than Acrobat) accepts a later visible signature only in a field that
already existed.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.sign import fields
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko.stamp.base import BaseStamp
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from reporting.report import pdf_text
from reporting.report.signature_fields import ORGANISATION_FIELD, PERSON_FIELD, SigningError

SPACE, SPACE_END = "report-signature-space", "report-signature-space-end"
POINTS_PER_MM = 72 / 25.4
# A hand signature's usual size: for an image that does not record its resolution, or when none is shown.
SIGNATURE_SIZE_MM = (40, 20)
SEAL_DIAMETER_MM = 36
LARGEST_SEAL_MM = 60               # what ReportSettings.seal_diameter_mm accepts: the organisation's field fits it
SEAL_OVER_SIGNATURE = 1 / 3        # Phụ lục I: the seal covers about a third of the signer's image, on its left
# The organisation's name and the signing time, in small type left of the seal: under it they would run into
# the signer's name, above it into the title.
CAPTION_SIZE, CAPTION_LEADING, CAPTION_LINES = 6, 7, 3     # points, points, lines of the name at most
CAPTION_WIDTH_MM, CAPTION_GAP = 30, 3                       # an organisation name of about 30 letters a line
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# pyHanko gives a stamp the signing time only as text: written in this form, it is read back and printed in
# Vietnam time whatever the server's time zone.
SIGNING_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
NO_SPACE = ("Tệp PDF không có chỗ dành cho chữ ký giữa chức vụ và họ tên người ký: chỉ đặt được hình ảnh chữ ký "
            "số lên báo cáo do hệ thống in ra.")


@dataclass(frozen=True)
class Box:
    """A rectangle on one page: ``page`` its index (the first page is 0), ``rect`` (x1, y1, x2, y2) in PDF
    points from the page's bottom left corner."""

    page: int
    rect: tuple

    @property
    def width(self):
        return self.rect[2] - self.rect[0]

    @property
    def height(self):
        return self.rect[3] - self.rect[1]

    @property
    def centre(self):
        return (self.rect[0] + self.rect[2]) / 2, (self.rect[1] + self.rect[3]) / 2

    def field_spec(self, field_name):
        """pyHanko's description of a visible signature field here (for `PdfSigner(new_field_spec=…)`)."""
        return fields.SigFieldSpec(field_name, on_page=self.page, box=self.rect)


@dataclass(frozen=True)
class SignaturePlaces:
    person: Box    # the signer's image, centred in the space
    seal: Box      # the seal at its actual size, over the left third of the signer's image


def point_on_page(writer, mark):
    """A Typst mark (``page`` from 1, ``x`` and ``y`` points from the page's top left corner, render_pdf) as
    (page reference, x, y) in PDF space: points from the page's bottom left corner."""
    page_ref = writer.find_page_for_modification(mark["page"] - 1)[0]
    _, _, _, top = (float(value) for value in page_ref.get_object()["/MediaBox"])
    return page_ref, mark["x"], top - mark["y"]


def add_signature_space(writer, top_left, bottom_right):
    """Name the signature space's corners, Typst marks, as the PDF's destinations SPACE and SPACE_END."""
    names = generic.ArrayObject()
    for name, corner in ((SPACE, top_left), (SPACE_END, bottom_right)):     # a name tree lists its names sorted
        page_ref, x, y = point_on_page(writer, corner)
        names += [generic.TextStringObject(name), generic.ArrayObject(
            [page_ref, pdf_name("/XYZ"), generic.FloatObject(x), generic.FloatObject(y), generic.NullObject()])]
    writer.root["/Names"] = generic.DictionaryObject({pdf_name("/Dests"): writer.add_object(
        generic.DictionaryObject({pdf_name("/Names"): names}))})
    writer.update_root()


def signature_space(pdf_bytes):
    """The Box of the signature space of one of our PDFs; SigningError (Vietnamese) when it has none."""
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        destinations = reader.named_destinations
        corners = [destinations.get(name) for name in (SPACE, SPACE_END)]
        if None in corners:
            raise SigningError(NO_SPACE)
        pages = {reader.get_destination_page_number(corner) for corner in corners}
        (top_left, bottom_right) = ((float(corner.left), float(corner.top)) for corner in corners)
    except (PdfReadError, ValueError, TypeError) as error:
        raise SigningError(NO_SPACE) from error
    if len(pages) != 1 or bottom_right[0] <= top_left[0] or bottom_right[1] >= top_left[1]:
        raise SigningError(NO_SPACE)
    return Box(pages.pop(), (top_left[0], bottom_right[1], bottom_right[0], top_left[1]))


def signature_places(pdf_bytes, *, signer_size=None, seal_diameter_mm=SEAL_DIAMETER_MM):
    """Where the signer's image and the organisation's seal go in this PDF.

    The signer's image is where the signer's signature already shows, once it does (so the seal covers the
    image actually signed); before that, an image ``signer_size`` (width, height) points large, by default
    a hand signature's usual size, shrunk if it must to fit, centred in the space.
    """
    space = signature_space(pdf_bytes)
    person = (_signature_widget(pdf_bytes, PERSON_FIELD, space.page)
              or _centred(space, signer_size or tuple(map(_mm, SIGNATURE_SIZE_MM))))
    return SignaturePlaces(person, _seal_square(person, _mm(seal_diameter_mm)))


def organisation_field(person):
    """The Box of the organisation's signature field beside the signer's image ``person``.

    Its right part is the square of the largest seal, its right edge over the first third of the signer's
    image and its middle on the image's; the caption's column is left of it. A seal is drawn at its actual
    size against the right edge, so any seal overlaps the image as Phụ lục I wants.
    """
    square = _seal_square(person, _mm(LARGEST_SEAL_MM))
    x1, y1, x2, y2 = square.rect
    return Box(person.page, (x1 - _mm(CAPTION_WIDTH_MM) - CAPTION_GAP, y1, x2, y2))


def add_seal_field(writer, pdf_bytes, *, person=None):
    """Lay out the organisation's signature field, empty, in pyHanko ``writer`` (an update of ``pdf_bytes``).

    ``person`` is the Box of the signer's image (by default where an image would be centred). Nothing is
    added to a PDF without a signature space, or that has the field already.
    """
    try:
        person = person or signature_places(pdf_bytes).person
    except SigningError:
        return
    if _signature_widget(pdf_bytes, ORGANISATION_FIELD) is None:
        fields.append_signature_field(writer, organisation_field(person).field_spec(ORGANISATION_FIELD))


# --- the signer's appearance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureImageStyle(StaticStampStyle):
    """The signer's signature image alone, filling its box with its proportions kept: no border, no text."""

    size: tuple = (0, 0)    # the image's printed width and height, points

    def place(self, pdf_bytes):
        return signature_places(pdf_bytes, signer_size=self.size).person


def person_appearance(image):
    """The signer's appearance from their signature image (PNG bytes or file), printed at its actual size
    when the PNG records its resolution, else as wide as a hand signature."""
    picture = _picture(image, "chữ ký của người ký")
    return SignatureImageStyle(
        background=PdfImage(picture), border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT),
        size=_printed_size(picture, default_width=_mm(SIGNATURE_SIZE_MM[0])))


# --- the organisation's appearance ----------------------------------------------------------------------


@dataclass(frozen=True)
class SealStyle(TextStampStyle):
    """The organisation's seal at its actual size and, left of it, its name and the signing time in small type."""

    seal: Image.Image | None = None
    diameter_mm: float = SEAL_DIAMETER_MM
    organisation: str = ""
    border_width: int = 0
    timestamp_format: str = SIGNING_TIME_FORMAT

    def place(self, pdf_bytes):
        """The organisation's field: laid out by the signer's certification signature, else by the signer's image."""
        space = signature_space(pdf_bytes)
        return (_signature_widget(pdf_bytes, ORGANISATION_FIELD, space.page)
                or organisation_field(signature_places(pdf_bytes).person))

    def create_stamp(self, writer, box, text_params):
        return SealStamp(writer, self, box, text_params)


class SealStamp(BaseStamp):
    """Drawn in the organisation's field (``organisation_field``): the seal against its right edge, centred
    on its middle; the caption right-aligned against the seal's left."""

    def __init__(self, writer, style, box, text_params):
        super().__init__(writer, style, box)
        self.text_params = text_params

    def _render_inner_content(self):
        style, width, height = self.style, self.box.width, self.box.height
        commands, seal_width = [], 0
        if style.seal is not None:   # without a seal uploaded yet, the caption alone says who and when
            seal_width, seal_height = _fit(style.seal.size, _mm(style.diameter_mm))
            image = PdfImage(style.seal, writer=self.writer, box=layout.BoxConstraints(seal_width, seal_height))
            commands.append(b"q 1 0 0 1 %g %g cm %s Q" % (width - seal_width, (height - seal_height) / 2,
                                                          image.render()))
            self.import_resources(image.resources)
        engine = pdf_text.font_engine(self.writer)
        self.set_resource(ResourceType.FONT, pdf_name("/FCaption"), engine.as_resource())
        size, lines = _caption(style.organisation or self.text_params.get("signer", ""), self._signed_at())
        right = width - seal_width - CAPTION_GAP
        baseline = height / 2 + len(lines) * CAPTION_LEADING / 2
        for line in lines:
            baseline -= CAPTION_LEADING
            x = right - pdf_text.shaped_width(engine, line, size)
            commands.append(pdf_text.line_ops(engine, "FCaption", line, size=size, x=x, y=baseline + 1.5))
        return commands

    def _signed_at(self):
        """The signing time as Phụ lục I prints it: ISO 8601 in Vietnam time, "2026-12-04T10:15:30+07:00"."""
        signed_at = datetime.strptime(self.text_params["ts"], SIGNING_TIME_FORMAT)
        return signed_at.astimezone(VIETNAM).isoformat(timespec="seconds")


def _caption(name, signed_at):
    """(font size, lines): the name wrapped to the caption's column, set smaller if it needs more lines."""
    size = CAPTION_SIZE
    while True:
        lines = pdf_text.wrap(name, _mm(CAPTION_WIDTH_MM), size)
        if len(lines) <= CAPTION_LINES or size <= 4:
            return size, [*lines, signed_at]
        size -= 0.5


def organisation_appearance(seal_image, organisation="", *, diameter_mm=SEAL_DIAMETER_MM):
    """The organisation's appearance: its seal image (PNG bytes or file; None before one is uploaded) printed
    ``diameter_mm`` across, its name (by default the certificate's) and the signing time."""
    seal = _picture(seal_image, "con dấu") if seal_image else None
    return SealStyle(seal=seal, diameter_mm=diameter_mm, organisation=organisation)


# --- helpers --------------------------------------------------------------------------------------------


def _mm(millimetres):
    return millimetres * POINTS_PER_MM


def _centred(space, size):
    width, height = size
    scale = min(1, space.width / width, space.height / height)
    width, height = width * scale, height * scale
    x, y = space.centre
    return Box(space.page, (x - width / 2, y - height / 2, x + width / 2, y + height / 2))


def _fit(pixels, side):
    """The (width, height) of an image of ``pixels`` whose longer side is ``side``."""
    width, height = pixels
    scale = side / max(width, height)
    return width * scale, height * scale


def _seal_square(person, diameter):
    """The Box of a seal ``diameter`` points across over the first third of ``person``, on its middle."""
    right = person.rect[0] + person.width * SEAL_OVER_SIGNATURE
    middle = person.centre[1]
    return Box(person.page, (right - diameter, middle - diameter / 2, right, middle + diameter / 2))


def _signature_widget(pdf_bytes, field_name, page=None):
    """The Box of signature field ``field_name`` when it has an area (on ``page``, if given), else None."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    for index, pdf_page in enumerate(reader.pages):
        if page is not None and index != page:
            continue
        for annotation in pdf_page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/T") == field_name and widget.get("/FT") == "/Sig":
                x1, y1, x2, y2 = (float(value) for value in widget["/Rect"])
                if abs(x2 - x1) > 1 and abs(y2 - y1) > 1:
                    return Box(index, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return None


def _printed_size(picture, *, default_width):
    """Points: the image's actual size when the PNG records its resolution, else ``default_width`` wide."""
    width, height = picture.size
    dpi = picture.info.get("dpi")
    if dpi and dpi[0] > 1 and dpi[1] > 1:
        return width * 72 / dpi[0], height * 72 / dpi[1]
    return default_width, default_width * height / width


def _picture(source, what):
    """The Pillow image of an uploaded PNG: bytes, a file, or a FileField's file (opened for the read only)."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif hasattr(source, "open"):
        with source.open("rb") as opened:
            data = opened.read()
    else:
        data = source.read()
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError) as error:
        raise SigningError(f"Không đọc được ảnh {what}: tệp không phải ảnh PNG.") from error
    # Kept transparent: pyHanko writes the alpha channel as the image's soft mask.
    return picture if picture.mode in ("RGBA", "LA") else picture.convert("RGBA")

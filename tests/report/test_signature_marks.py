"""The signed and issued BÁO CÁO as Decree 30/2020 (Phụ lục I) shows it, checked on the rasterised page.

A finalised report awaiting its number and date is signed by the person (a certification signature that
permits form filling, with their blue signature image), numbered and dated by the records office in the
PDF's fields, and signed by the organisation (its red seal, over the left third of the signature). The page
is rasterised with PDFium (pypdfium2) and read back pixel by pixel; the signatures are validated by pyHanko
against the test root CA.
"""

import io
import math
import re
from dataclasses import replace
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from reporting.management.commands.create_demo_signer import _make_ca, _make_signer, _pkcs12
from reporting.report import pdf_marks
from reporting.report.issuance_fields import DATE_FIELD, NUMBER_FIELD, fill_issuance_fields
from reporting.report.render_html import to_html_fragment
from reporting.report.render_pdf import to_pdf
from reporting.report.signing import ORGANISATION_FIELD, PERSON_FIELD, SigningError, pkcs12_signer, sign_pdf

from .samples import sample_document

DPI = 300          # of the test images, which record it as a real scan does
RENDER_DPI = 150   # of the rasterised pages
SIGNER, ORGANISATION = "Nguyễn Văn A", "Công an Thành phố Hồ Chí Minh"
DATE_TEXT = "ngày 05 tháng 12 năm 2026"


def pixels(mm):
    return round(mm / 25.4 * DPI)


def png(image):
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


def signature_png():
    """A blue stroke across a 40 × 20 mm transparent image, as a scanned hand signature."""
    image = Image.new("RGBA", (pixels(40), pixels(20)), (0, 0, 0, 0))
    width, height = image.size
    points = [(width * (0.02 + 0.96 * t), height * (0.5 + 0.35 * math.sin(t * 8))) for t in
              (step / 100 for step in range(101))]
    ImageDraw.Draw(image).line(points, fill=(0, 51, 204, 255), width=pixels(0.8))
    return png(image)


def seal_png():
    """A red ring 36 mm across on a transparent image, as a seal."""
    side = pixels(36)
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((0, 0, side - 1, side - 1), outline=(210, 20, 30, 255), width=pixels(1))
    return png(image)


def awaiting_issue(document):
    """The sample report finalised without number and date, as `compose(period, final=True)` makes it."""
    document.header = replace(document.header, number="Số:       /BC-BCĐ",
                              place_date="Thành phố Hồ Chí Minh, ngày      tháng      năm 2026",
                              awaiting_issue=True, place="Thành phố Hồ Chí Minh", number_suffix="/BC-BCĐ")
    return document


@pytest.fixture(scope="module")
def root_ca():
    return _make_ca()


@pytest.fixture(scope="module")
def signers(root_ca, tmp_path_factory):
    folder = tmp_path_factory.mktemp("signers")
    made = {}
    for name in (SIGNER, ORGANISATION):
        key, cert = _make_signer(name, *root_ca)
        path = folder / f"{len(made)}.p12"
        path.write_bytes(_pkcs12(name, key, cert, root_ca[1], "matkhau"))
        made[name] = pkcs12_signer(path, "matkhau")
    return made


@pytest.fixture(scope="module")
def finalised():
    return to_pdf(awaiting_issue(sample_document()))


@pytest.fixture(scope="module")
def signed_by_person(finalised, signers):
    return sign_pdf(finalised, signer=signers[SIGNER], field_name=PERSON_FIELD, certify=True,
                    appearance=pdf_marks.person_appearance(signature_png()))


@pytest.fixture(scope="module")
def numbered(signed_by_person):
    return fill_issuance_fields(signed_by_person, number="264", date_text=DATE_TEXT)


@pytest.fixture(scope="module")
def issued(numbered, signers):
    return sign_pdf(numbered, signer=signers[ORGANISATION], field_name=ORGANISATION_FIELD,
                    appearance=pdf_marks.organisation_appearance(io.BytesIO(seal_png()), ORGANISATION,
                                                                 diameter_mm=36))


class Page:
    """A page rasterised by PDFium with its form fields and signatures drawn in, and its text.

    The widgets (fields, signatures) are flattened into the page first: PDFium then draws them as page
    content and reads their text. Drawn as widgets instead, small black text gets coloured fringes
    (subpixel smoothing) that a colour test would take for the signature's blue.
    """

    def __init__(self, pdf_bytes, index):
        document = pdfium.PdfDocument(pdf_bytes)
        document.init_forms()   # without it PDFium leaves out the widgets
        flattened = document[index]
        flattened.flatten()
        flattened.close()   # PDFium shows the flattened content to the page loaded next
        page = document[index]
        self.height = page.get_height()
        self.image = page.render(scale=RENDER_DPI / 72).to_pil().convert("RGB")
        self.text = page.get_textpage().get_text_bounded()

    def box(self, rect):
        """PDF points (x1, y1, x2, y2 from the bottom left) as pixel bounds (left, top, right, bottom)."""
        scale = RENDER_DPI / 72
        x1, y1, x2, y2 = rect
        return (round(x1 * scale), round((self.height - y2) * scale),
                round(x2 * scale), round((self.height - y1) * scale))

    def where(self, colour, area=None):
        """The bounding box in pixels of the pixels of ``colour`` ("blue", "red", "ink") in ``area``, or None."""
        image = self.image.crop(area) if area else self.image
        test = {"blue": lambda r, g, b: b > 140 and r < 90 and g < 130,
                "red": lambda r, g, b: r > 150 and g < 90 and b < 90,
                "ink": lambda r, g, b: r < 100 and g < 100 and b < 100}[colour]
        mask = Image.new("1", image.size)
        mask.putdata([test(*pixel) for pixel in image.get_flattened_data()])
        found = mask.getbbox()
        if found and area:
            return found[0] + area[0], found[1] + area[1], found[2] + area[0], found[3] + area[1]
        return found


@pytest.fixture(scope="module")
def last_page(issued):
    return Page(issued, len(PdfFileReader(io.BytesIO(issued)).root["/Pages"]["/Kids"]) - 1)


@pytest.fixture(scope="module")
def first_page(issued):
    return Page(issued, 0)


def validate(pdf, root_ca):
    root = asn1_x509.Certificate.load(root_ca[1].public_bytes(serialization.Encoding.DER))
    return {signature.field_name: (signature, validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)))
        for signature in PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures}


def form_field(pdf, name):
    reader = PdfFileReader(io.BytesIO(pdf))
    for field in reader.root["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field["/T"] == name:
            return field
    raise AssertionError(f"no field {name}")


# The finalised PDF


def test_a_report_awaiting_issue_has_empty_read_only_fields_for_the_number_and_the_date(finalised):
    for name in (NUMBER_FIELD, DATE_FIELD):
        field = form_field(finalised, name)
        assert (field["/FT"], field["/V"], int(field["/Ff"]) & 1) == ("/Tx", "", 1)
    page = Page(finalised, 0)
    for name in (NUMBER_FIELD, DATE_FIELD):
        assert page.where("ink", page.box([float(value) for value in form_field(finalised, name)["/Rect"]])) is None
    assert "Số:" in page.text and "/BC-BCĐ" in page.text and "Thành phố Hồ Chí Minh," in page.text


def test_the_signature_space_lies_between_the_title_and_the_signers_name(finalised):
    space = pdf_marks.signature_space(finalised)
    document = pdfium.PdfDocument(finalised)
    text = document[space.page].get_textpage()
    title_bottom = min(text.get_charbox(index)[1] for index in _found(text, "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"))
    name_top = max(text.get_charbox(index)[3] for index in _found(text, SIGNER))

    assert space.page == len(document) - 1
    assert space.height == pytest.approx(28 * 72 / 25.4, abs=0.5)    # report.css: 28 mm
    assert name_top < space.rect[1] < space.rect[3] < title_bottom


def _found(textpage, words):
    searcher = textpage.search(words)
    first, count = searcher.get_next()
    return range(first, first + count)


def test_the_screen_preview_keeps_its_text_header_and_its_room_for_the_signature():
    fragment = to_html_fragment(awaiting_issue(sample_document()))

    assert "Số:       /BC-BCĐ" in fragment and "issuance-field" not in fragment
    assert '<div class="signature-space"></div>' in fragment


# The issued PDF, on the rasterised last page


def test_the_signers_image_is_blue_and_centred_in_the_signature_space(issued, last_page):
    space = last_page.box(pdf_marks.signature_space(issued).rect)
    blue = last_page.where("blue")

    assert blue is not None
    assert space[0] <= blue[0] and space[1] <= blue[1] and blue[2] <= space[2] and blue[3] <= space[3]
    assert (blue[0] + blue[2]) / 2 == pytest.approx((space[0] + space[2]) / 2, abs=4)
    assert (blue[2] - blue[0]) / RENDER_DPI * 25.4 == pytest.approx(40 * 0.96, abs=1.5)   # its actual size


def test_the_seal_covers_about_a_third_of_the_signature_on_its_left_at_its_actual_size(last_page):
    blue, red = last_page.where("blue"), last_page.where("red")
    blue_width = blue[2] - blue[0]

    assert red[0] < blue[0] < red[2]
    assert 0.25 <= (red[2] - blue[0]) / blue_width <= 0.42
    assert (red[2] - red[0]) / RENDER_DPI * 25.4 == pytest.approx(36, abs=1)
    # Centred on the signature, as the seal is stamped on paper.
    assert (red[1] + red[3]) / 2 == pytest.approx((blue[1] + blue[3]) / 2, abs=6)


def test_the_organisations_name_and_signing_time_in_vietnam_time_show_by_the_seal(issued, last_page, root_ca):
    shown = re.search(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+07:00", last_page.text)
    signed_at = validate(issued, root_ca)[ORGANISATION_FIELD][1].signer_reported_dt

    assert ORGANISATION in last_page.text.splitlines()   # a line of its own, not a sentence of the report
    assert shown.group(1) == timezone.localtime(signed_at, pdf_marks.VIETNAM).strftime("%Y-%m-%dT%H:%M:%S")
    assert abs(signed_at - timezone.now()) < timedelta(minutes=5)


def test_the_number_and_the_date_print_in_the_header(issued, first_page):
    assert "264" in first_page.text and DATE_TEXT in first_page.text
    for name in (NUMBER_FIELD, DATE_FIELD):
        field = form_field(issued, name)
        assert int(field["/Ff"]) & 1 and "/NeedAppearances" not in PdfFileReader(io.BytesIO(issued)).root["/AcroForm"]
        assert first_page.where("ink", first_page.box([float(value) for value in field["/Rect"]])) is not None


# The signatures


def test_both_signatures_validate_and_the_first_allows_only_the_form_filling_that_followed(issued, numbered,
                                                                                       root_ca):
    statuses = validate(issued, root_ca)
    (person_signature, person), (_, organisation) = statuses[PERSON_FIELD], statuses[ORGANISATION_FIELD]

    assert issued.startswith(numbered)
    for status in (person, organisation):
        assert status.intact and status.valid and status.trusted
    assert person_signature.docmdp_level == MDPPerm.FILL_FORMS   # a certification signature
    assert person.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert person.modification_level == ModificationLevel.FORM_FILLING and person.docmdp_ok
    assert person.diff_result.changed_form_fields == {NUMBER_FIELD, DATE_FIELD, ORGANISATION_FIELD}
    assert organisation.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert organisation.modification_level == ModificationLevel.NONE


def test_filling_the_number_alone_keeps_the_signers_signature_valid(numbered, root_ca):
    (_, person), = validate(numbered, root_ca).values()

    assert person.intact and person.valid and person.docmdp_ok
    assert person.modification_level == ModificationLevel.FORM_FILLING


def test_a_signer_without_an_image_still_leaves_the_seal_its_place(finalised, signers, root_ca):
    signed = sign_pdf(finalised, signer=signers[SIGNER], field_name=PERSON_FIELD, certify=True)
    issued = sign_pdf(fill_issuance_fields(signed, number="7", date_text=DATE_TEXT),
                      signer=signers[ORGANISATION], field_name=ORGANISATION_FIELD,
                      appearance=pdf_marks.organisation_appearance(seal_png(), ORGANISATION))
    statuses = validate(issued, root_ca)

    assert all(status.intact and status.valid and status.trusted for _, status in statuses.values())
    assert statuses[PERSON_FIELD][1].docmdp_ok
    # The seal's field was laid out over where a hand signature's usual 40 mm would be centred.
    seal_right = max(float(value) for value in list(form_field(issued, ORGANISATION_FIELD)["/Rect"])[::2])
    assert seal_right == pytest.approx(pdf_marks.signature_space(issued).centre[0] - 40 / 6 * 72 / 25.4, abs=0.5)


# PDFs that were not made for it


def test_a_pdf_without_a_signature_space_is_refused_in_vietnamese(report_pdf, signers):
    with pytest.raises(SigningError, match="không có chỗ dành cho chữ ký giữa chức vụ và họ tên người ký"):
        pdf_marks.signature_places(report_pdf)
    with pytest.raises(SigningError, match="không có chỗ dành cho chữ ký"):
        sign_pdf(report_pdf, signer=signers[SIGNER], appearance=pdf_marks.person_appearance(signature_png()))


def test_a_pdf_without_issuance_fields_cannot_be_numbered(report_pdf):
    with pytest.raises(SigningError, match="không có ô để in số và ngày văn bản"):
        fill_issuance_fields(report_pdf, number="264", date_text=DATE_TEXT)


def test_an_image_that_is_not_a_png_is_refused_in_vietnamese():
    with pytest.raises(SigningError, match="Không đọc được ảnh con dấu"):
        pdf_marks.organisation_appearance(b"%PDF-1.7 not an image", ORGANISATION)

"""Text written into the report's PDF after Typst: the issuance number and date, the seal's caption.

It is set in the report's serif face, as Typst chooses it for ``document.typ``: Times New Roman where it is
installed, else the metric-compatible Liberation Serif (Debian's fonts-liberation2) or Tinos. pyHanko embeds
the subset of the glyphs used, so the Vietnamese diacritics print the same on any reader.
"""

import io
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from PIL import ImageFont

from reporting.report.signature_fields import SigningError

# Pillow measures text at this size, in points, before the PDF exists to draw it.
MEASURING_SIZE = 1000
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
# In document.typ's order: the first one installed is the one Typst printed the report in.
SERIF_FILES = {
    False: ("times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf",
            "LiberationSerif-Regular.ttf", "Tinos-Regular.ttf"),
    True: ("timesi.ttf", "Times New Roman Italic.ttf", "Times_New_Roman_Italic.ttf",
           "LiberationSerif-Italic.ttf", "Tinos-Italic.ttf"),
}


@cache
def serif_font_file(*, italic=False):
    """The path of the report's serif font file, regular or italic; SigningError when none is installed."""
    installed = {path.name.lower(): path for folder in FONT_FOLDERS
                 for path in Path(folder).expanduser().rglob("*.ttf")}
    for name in SERIF_FILES[italic]:
        if name.lower() in installed:
            return str(installed[name.lower()])
    raise SigningError("Máy chủ thiếu phông chữ Times New Roman hoặc Liberation Serif (gói fonts-liberation2) "
                       "để in chữ lên báo cáo: cài phông chữ bằng scripts/system-deps.sh.")


def font_engine(writer, *, italic=False):
    """A pyHanko font engine for ``writer``: it embeds the glyphs its text used when the writer writes."""
    return GlyphAccumulator(writer, io.BytesIO(_font_in_thousandths(italic)), font_size=10)


@cache
def _font_in_thousandths(italic):
    """The font redrawn on 1000 units to the em (TrueType fonts have 2048).

    pyHanko (0.38) writes a glyph's width and kerning in the font's units where PDF reads thousandths of
    an em: with 2048 units every glyph would stand twice its width from the next.
    """
    font = TTFont(serif_font_file(italic=italic))
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def text_width(text, size, *, italic=False):
    """The width in points of ``text`` at ``size`` points, for laying text out before any PDF writer exists."""
    return _measuring_font(italic).getlength(text) * size / MEASURING_SIZE


@cache
def _measuring_font(italic):
    return ImageFont.truetype(serif_font_file(italic=italic), MEASURING_SIZE)


def wrap(text, width, size, *, italic=False):
    """``text`` broken between words into lines no wider than ``width`` points (a longer word stands alone)."""
    lines = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, italic=italic) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def line_ops(engine, resource_name, text, *, size, x, y):
    """The content-stream operators that show one line of ``text`` with its baseline starting at (x, y)."""
    engine.font_size = size   # pyHanko positions complex scripts' glyphs at the engine's size
    shaped = engine.shape(text)
    return b"BT /%s %g Tf %g %g Td %s ET" % (resource_name.encode("ascii"), size, x, y, shaped.graphics_ops)


def shaped_width(engine, text, size):
    """The width in points of ``text`` as ``engine`` will draw it."""
    engine.font_size = size
    return engine.shape(text).x_advance * size


def ascent_and_descent(size, *, italic=False):
    """How far the font reaches above its baseline and below it (hhea), in points at ``size``."""
    ascent, descent = _vertical_metrics(italic)
    return ascent * size, descent * size


@cache
def _vertical_metrics(italic):
    font = TTFont(serif_font_file(italic=italic), lazy=True)
    units = font["head"].unitsPerEm
    return font["hhea"].ascent / units, -font["hhea"].descent / units


def baseline_in_line_box(height, size, *, italic=False):
    """How far above the bottom of a box ``height`` points tall the baseline of text at ``size`` sits.

    The font's ascent + descent centred in the box: in a field as tall as the line's ascent + descent
    (``issuance_fields``), the text drawn sits on the line's baseline.
    """
    ascent, descent = ascent_and_descent(size, italic=italic)
    return (height - ascent - descent) / 2 + descent

"""Sample images of a hand signature and a seal for the local demo (``create_demo_signer``), drawn, not copied.

Decree 30/2020 wants a blue signature and a red seal, both transparent PNG; these are drawn at 300 dpi in the
sizes of real ones (a 40 × 20 mm signature, a 36 mm seal) and are plainly not anyone's: a loop and a star.
"""

import io
import math

from PIL import Image, ImageDraw

DPI = 300
BLUE = (0, 51, 204, 255)
RED = (220, 20, 30, 255)


def _pixels(mm):
    return round(mm / 25.4 * DPI)


def _png(image):
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


def signature():
    width, height = _pixels(40), _pixels(20)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    # A flourish: a sine wave riding a slow loop, as a pen would draw it in one stroke.
    points = [(width * (0.05 + 0.9 * t), height * (0.5 + 0.3 * math.sin(t * 9) * (1 - t) + 0.15 * math.cos(t * 3)))
              for t in (step / 200 for step in range(201))]
    ImageDraw.Draw(image).line(points, fill=BLUE, width=_pixels(0.6), joint="curve")
    return _png(image)


def seal():
    side = _pixels(36)
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    stroke = _pixels(0.8)
    draw.ellipse((stroke, stroke, side - stroke, side - stroke), outline=RED, width=stroke)
    inner = _pixels(8)
    draw.ellipse((inner, inner, side - inner, side - inner), outline=RED, width=stroke // 2)
    centre, radius = side / 2, side * 0.18
    star = [(centre + radius * (1 if index % 2 == 0 else 0.4) * math.sin(index * math.pi / 5),
             centre - radius * (1 if index % 2 == 0 else 0.4) * math.cos(index * math.pi / 5)) for index in range(10)]
    draw.polygon(star, fill=RED)
    return _png(image)

"""Numbers as Vietnamese documents print them: 7.856.474 · 93,95%.

The one place that formats numbers; templates (filters in
``reporting.templatetags.vn``), the report renderers and exports call it,
whatever the active locale.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.numberformat import format as _format


def format_number(value, decimals=0):
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return _format(rounded, ",", decimal_pos=decimals, grouping=3, thousand_sep=".", force_grouping=True)


def format_percent(numerator, denominator, decimals=2):
    """'93,95%'; trailing zeros dropped as documents do ('52%', '99,6%'); '' without a denominator."""
    if not denominator:
        return ""
    ratio = Decimal(numerator) * 100 / Decimal(denominator)
    text = format_number(ratio, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"

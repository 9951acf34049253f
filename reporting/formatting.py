"""Numbers as Vietnamese documents print them: 7.856.474 · 93,95%.

The one place that formats numbers; templates (filters in
``reporting.templatetags.vn``), the report renderers and exports call it,
whatever the active locale.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.numberformat import format as _format


def format_number(value, decimals=0):
    if value is None or value == "":
        return ""
    if type(value) is int and not decimals:
        # A count, the common case (a dashboard prints a thousand): no Decimal to round.
        return f"{value:,}".replace(",", ".")
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


class NumberFormatError(ValueError):
    """The text is not a number written the Vietnamese (or plain) way; the message is for the user."""


def parse_number(text):
    """'7.856.474' → 7856474, '93,95' → 93.95, '1 234' → 1234; '' → None.

    Dots group thousands and a comma marks decimals, as Vietnamese documents
    print them. A single dot followed by other than three digits ('2.5') is
    read as a decimal point, the way a spreadsheet user would mean it.
    """
    typed = (text or "").strip()
    text = typed.replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        whole, _, fraction = text.rpartition(",")
        whole = whole.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        whole, fraction = text.replace(".", ""), ""
    else:
        whole, _, fraction = text.partition(".")
    if not re.fullmatch(r"-?\d+", whole) or not re.fullmatch(r"\d*", fraction):
        raise NumberFormatError(f"“{typed}” không phải là số (ví dụ đúng: 7.856.474 hoặc 93,95).")
    return Decimal(f"{whole}.{fraction}" if fraction else whole)

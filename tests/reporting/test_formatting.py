from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from reporting.formatting import format_number, format_percent


@pytest.mark.parametrize("value, decimals, text", [
    (7856474, 0, "7.856.474"),
    (10980935000, 0, "10.980.935.000"),
    (Decimal("93.95"), 2, "93,95"),
    (16, 0, "16"),
    (0, 0, "0"),
    (-246, 0, "-246"),
    (-1234567, 0, "-1.234.567"),
    (1234567, 2, "1.234.567,00"),
    (Decimal("1234567"), 0, "1.234.567"),
    (Decimal("1234567.5"), 0, "1.234.568"),
])
def test_format_number_the_vietnamese_way(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize("numerator, denominator, text", [
    (3600, 3832, "93,95%"),
    (14610, 14665, "99,62%"),
    (2106, 4050, "52%"),
    (8090, 8090, "100%"),
    (155016, 155052, "99,98%"),
    (5, 0, ""),
])
def test_format_percent_as_the_report_prints_it(numerator, denominator, text):
    assert format_percent(numerator, denominator) == text


def test_templates_localise_numbers_in_vietnamese():
    with translation.override("vi"):
        rendered = Template("{{ n }} {{ d }} {% load vn %}{{ n|so }} {% ty_le 3600 3832 %}").render(
            Context({"n": 7856474, "d": Decimal("93.95")}))
    assert rendered == "7.856.474 93,95 7.856.474 93,95%"

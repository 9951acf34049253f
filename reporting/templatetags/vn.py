"""Numbers in templates: the Vietnamese way for people, plainly for machines.

``USE_THOUSAND_SEPARATOR`` groups every number a template prints (7.856.474),
which is right in a sentence and wrong in a URL or a form value: "?tu=2.024-01"
is a 404 and a version "1.000" a refused save. Years, ids, versions and months
written into ``href``, ``action`` or ``value`` go through Django's ``unlocalize``
(``{% load l10n %}``) or, for a month, ``month_slug``.
"""

from django import template

from reporting.formatting import format_number, format_percent
from reporting.months import Month

register = template.Library()


@register.filter
def so(value, decimals=0):
    """{{ 7856474|so }} → 7.856.474"""
    return format_number(value, int(decimals))


@register.simple_tag
def ty_le(numerator, denominator):
    """{% ty_le 3600 3832 %} → 93,95%"""
    return format_percent(numerator, denominator)


@register.filter
def month_slug(dated):
    """{{ period|month_slug }} → 2024-04, as ``?ky=``/``?tu=``/``?den=`` name a month; also of a (year, month) pair."""
    if not dated:
        return ""
    return (Month(*dated) if isinstance(dated, (tuple, list)) else Month.of(dated)).slug

from django import template

from reporting.formatting import format_number, format_percent

register = template.Library()


@register.filter
def so(value, decimals=0):
    """{{ 7856474|so }} → 7.856.474"""
    return format_number(value, int(decimals))


@register.simple_tag
def ty_le(numerator, denominator):
    """{% ty_le 3600 3832 %} → 93,95%"""
    return format_percent(numerator, denominator)

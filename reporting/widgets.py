"""The entry sheet's inputs, written by Python rather than by Django's widget templates.

A department's sheet has a few hundred cells, and rendering each input
through the template engine costs about a quarter of a millisecond: more
than everything else on the entry page together. These widgets write the same
HTML as Django's own templates (tests/submissions/test_widgets.py compares
them), from the same context, so attributes, ids and values are unchanged.
"""

from django import forms
from django.utils.html import format_html, format_html_join


def flatatt(attrs):
    """Attributes in their given order, as django/forms/widgets/attrs.html writes them (Django's flatatt sorts)."""
    return format_html_join("", "{}", (
        (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
        for name, value in attrs.items() if value is not False
    ))


def _value_attribute(value):
    return "" if value is None else format_html(' value="{}"', str(value))


class TextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"],
                           _value_attribute(widget["value"]), flatatt(widget["attrs"]))


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html("<textarea name=\"{}\"{}>\n{}</textarea>", widget["name"], flatatt(widget["attrs"]),
                           widget["value"] or "")


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((option["value"], flatatt(option["attrs"]), option["label"])
             for _, group, _ in widget["optgroups"] for option in group),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)

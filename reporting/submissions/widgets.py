"""The entry sheet's inputs, written by Python rather than by Django's widget templates.

A department's sheet has a few hundred cells, and rendering each input
through the template engine costs about a quarter of a millisecond: more
than everything else on the entry page together. These widgets write the same
HTML as Django's own templates (tests/submissions/test_widgets.py compares
them), from the same context, so attributes, ids and values are unchanged.
Plain f-strings and the standard library's escape (the one Django's escape
calls): format_html per attribute cost nearly as much as the templates.
"""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def attributes(attrs):
    """Attributes in their given order, as django/forms/widgets/attrs.html writes them (Django's flatatt sorts)."""
    return "".join(f" {name}" if value is True else f' {name}="{escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


class TextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
        return mark_safe(f'<input type="{widget["type"]}" name="{escape(widget["name"])}"{value}'
                         f'{attributes(widget["attrs"])}>')


class HiddenInput(TextInput):
    """The version of the submission every entry page carries."""

    input_type = "hidden"


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
                         f'{escape(widget["value"] or "")}</textarea>')


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(str(option["value"]))}"{attributes(option["attrs"])}>'
            f'{escape(str(option["label"]))}</option>'
            for _, group, _ in widget["optgroups"] for option in group
        )
        return mark_safe(f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>{options}</select>')

"""The entry sheet's widgets write exactly the HTML of Django's own widget templates, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from reporting.choices import Progress
from reporting.submissions import widgets
from reporting.submissions.forms import CountField

CHOICES = [("", "— chọn —"), *Progress.choices]


class Ours(forms.Form):
    count = CountField(label="Tiếp nhận")
    reason = forms.CharField(required=False, max_length=500, widget=widgets.TextInput(attrs={"class": "reason"}))
    status = forms.ChoiceField(required=False, choices=CHOICES, widget=widgets.Select)
    note = forms.CharField(required=False, max_length=4000, widget=widgets.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=widgets.HiddenInput, min_value=0)


class Django(forms.Form):
    count = CountField(label="Tiếp nhận", widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "class": "count"}))
    reason = forms.CharField(required=False, max_length=500, widget=forms.TextInput(attrs={"class": "reason"}))
    status = forms.ChoiceField(required=False, choices=CHOICES)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@pytest.mark.parametrize("initial", [
    {},
    {"count": 7856474, "reason": 'Rà soát "trùng" <lặp>', "status": Progress.choices[1][0], "note": "Dòng 1\nDòng 2 & 3",
     "version": 12},
])
def test_the_same_html_as_django_templates(initial):
    for name in ("count", "reason", "status", "note", "version"):
        # The same elements, attributes and text; the select's options without the template's line breaks.
        assert parse_html(str(Ours(initial=initial)[name])) == parse_html(str(Django(initial=initial)[name])), name


def test_values_are_escaped_and_numbers_grouped_the_vietnamese_way():
    form = Ours(initial={"count": 7856474, "note": "<script>alert(1)</script>"})
    assert 'value="7.856.474"' in str(form["count"])
    assert "&lt;script&gt;" in str(form["note"]) and "<script>" not in str(form["note"])


def test_a_bound_form_shows_what_was_typed_and_the_chosen_option():
    form = Ours(data={"count": "12a", "status": Progress.choices[2][0]})
    assert 'value="12a"' in str(form["count"])
    assert f'<option value="{Progress.choices[2][0]}" selected>' in str(form["status"])

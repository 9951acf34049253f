"""The forms of the outline editor: one item of the outline, and an outline file to import.

An item's text is checked as an imported file's is (``fill.pattern_problems``):
a placeholder the item cannot fill is refused when saved, beside the text
box, never discovered in a printed report.
"""

import copy

from django import forms
from django.forms.models import construct_instance

from de_an_06.text import validate_text
from indicators.models import Indicator, Service, ServiceList
from reporting.choices import AgencyKind
from reporting.models.outline import OutlineItem, OutlineKind
from reporting.report import fill, sentences

MAX_FILE_BYTES = 1024 * 1024
# What a name means when the editor lists it; the rest are the item's own figures and words.
NAME_HELP = {
    **sentences.GLOBAL_WORDS,
    "name": "tên dịch vụ công, chỉ số hoặc danh sách", "unit": "đơn vị tính, hoặc tên đơn vị báo cáo (thuyết minh)",
    "ratio": "tỷ lệ của mục (tử số/mẫu số)", "change": "tăng/giảm so với tháng trước của số liệu đầu tiên",
    "count": "số lượng", "note": "nội dung thuyết minh của đơn vị",
}


class CodedChoiceField(forms.ModelChoiceField):
    """A catalog item by its code and name ("DVC01 — Đăng ký thường trú"), as PC06 knows it."""

    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class OutlineItemForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    unit_kinds = forms.MultipleChoiceField(
        label="Chỉ lấy của loại đơn vị", choices=AgencyKind.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text="Không chọn: mọi loại đơn vị.")

    class Meta:
        model = OutlineItem
        fields = ["kind", "numbering", "style", "hide_empty", "text", "service", "indicator", "service_list", "numerator",
                  "denominator", "precision", "keep_zeros", "no_data", "key", "topic", "unit_kinds", "gather"]
        field_classes = {"service": CodedChoiceField, "indicator": CodedChoiceField, "service_list": CodedChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "no_data": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, outline, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("revision", outline.revision)
        self.initial["unit_kinds"] = self.instance.kinds_of_units
        self.fields["service"].queryset = Service.objects.order_by("order", "code")
        self.fields["indicator"].queryset = Indicator.objects.order_by("order", "code")
        self.fields["service_list"].queryset = ServiceList.objects.order_by("code")
        self.candidate = None

    def clean_unit_kinds(self):
        return ",".join(self.cleaned_data["unit_kinds"])

    def clean_key(self):
        key = self.cleaned_data["key"]
        taken = OutlineItem.objects.filter(outline_id=self.instance.outline_id, key=key).exclude(pk=self.instance.pk)
        if key and taken.exists():
            raise forms.ValidationError("Mã mục thuyết minh đã có trong đề cương.")
        return key

    def clean(self):
        cleaned = super().clean()
        # The item as it would be saved, without touching the instance the page was loaded with.
        self.candidate = construct_instance(self, copy.copy(self.instance))
        if "text" in cleaned:
            for problem in fill.pattern_problems(self.candidate):
                self.add_error("text", problem)
        return cleaned

    def placeholders(self):
        """(name, what it means) of every placeholder the item (as typed, once checked) can fill."""
        item = self.candidate or self.instance
        return [(name, NAME_HELP.get(name, "")) for name in sorted(fill.names_of(item), key=str.lower)]

    def keep_for_resubmission(self, revision):
        """After a refused save: the typed values stay, and a second "Lưu" is made against ``revision``."""
        self.data = self.data.copy()
        self.data["revision"] = str(revision)


class OutlineFileForm(forms.Form):
    file = forms.FileField(label="Tệp đề cương (.json)",
                           widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
                           help_text="Tệp tải về từ trang này (hoặc của thành phố khác), tối đa 1 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("Tệp quá lớn: đề cương tối đa 1 MB.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("Tệp không phải văn bản UTF-8 (JSON).") from error
        return text      # what is wrong inside the file, its kind included, outline_io says


class NewOutlineForm(forms.Form):
    """A new, empty outline of one of the kinds the schedule has none of."""

    kind = forms.ChoiceField(label="Đề cương của")
    name = forms.CharField(label="Tên đề cương", max_length=200, required=False, validators=[validate_text],
                           help_text="Để trống: lấy tên loại báo cáo.")

    def __init__(self, *args, missing, **kwargs):
        super().__init__(*args, auto_id="new-outline-%s", **kwargs)
        self.fields["kind"].choices = [(kind, OutlineKind(kind).label) for kind in missing]
        self.fields["kind"].error_messages["invalid_choice"] = "Lịch báo cáo đã có đề cương loại này."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and not cleaned.get("name", "").strip():
            cleaned["name"] = OutlineKind(cleaned["kind"]).label
        return cleaned

"""What a unit keeps up to date itself: where reminders and questions reach it."""

from django import forms

from reporting.models import Agency


class AgencyContactForm(forms.ModelForm):
    """What a unit keeps up to date itself: where reminders and questions reach it."""

    class Meta:
        model = Agency
        fields = ["email", "phone"]

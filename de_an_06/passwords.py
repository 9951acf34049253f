"""Password rules whose refusal Django does not say in Vietnamese."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Vietnamese.

    Django 5.2 reworded this message and its Vietnamese catalog has no translation of the new
    wording, so "This password is too short…" reached the user in English.
    """

    def get_error_message(self):
        return f"Mật khẩu này quá ngắn: cần ít nhất {self.min_length} ký tự."

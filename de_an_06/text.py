"""Text as users give it (forms, Excel, admin) and as documents hold it.

Every text is stored in NFC, the composed form Vietnamese keyboards mostly
produce: a decomposed "ệ" typed on another device would otherwise compare,
sort and search as a different word. Characters that XML 1.0 cannot hold
(control characters other than tab and line breaks, U+FFFE, U+FFFF, lone
surrogates) are refused where the text comes in, with the field's Vietnamese
message, because DOCX, XLSX and the report's PDF are XML: one such character
in a note would make every document that quotes it fail. The renderers still
pass stored text through ``xml_safe``, the second line for rows written
before this rule or by a path that skipped it.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def forbidden_problem(text):
    """The Vietnamese reason ``text`` cannot be stored, or ''."""
    found = FORBIDDEN.search(text)
    if not found:
        return ""
    return (f"Có ký tự điều khiển không hiển thị được (mã U+{ord(found.group()):04X}) ở vị trí {found.start() + 1}, "
            "thường do sao chép từ tệp khác; hãy xóa ký tự đó rồi nhập lại.")


def validate_text(value):
    """A validator for any text field: refuses what XML cannot hold."""
    if isinstance(value, str) and (problem := forbidden_problem(value)):
        raise ValidationError(problem, code="forbidden_character")


def clean_text(value):
    """NFC text without surrounding blanks; ValidationError if it holds a character XML cannot hold."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value)).strip()
    validate_text(text)
    return text


def normalise(value):
    """NFC, for a text that is stored as given (no stripping)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def xml_safe(text):
    """The text with every character XML cannot hold replaced by U+FFFD: what a renderer writes."""
    return FORBIDDEN.sub(REPLACEMENT, text) if isinstance(text, str) else text


def guard_model_text(app_configs):
    """Every text field of these apps' models refuses what XML cannot hold and is saved in NFC.

    Set once at start-up on the fields themselves, so a field added later is covered without anyone
    remembering to: the admin, model forms and ``full_clean`` report the field's Vietnamese message,
    and every save normalises (a bulk write does not, and goes through ``clean_text`` instead).
    """
    from django.db import models
    from django.db.models.signals import pre_save

    for app_config in app_configs:
        for model in app_config.get_models():
            text_fields = [field for field in model._meta.concrete_fields
                           if isinstance(field, (models.CharField, models.TextField)) and not field.choices]
            for field in text_fields:
                # On the computed list (a cached_property), not ``_validators``: that one is what
                # ``deconstruct`` writes into migrations, and this check is the code's, not the schema's.
                if validate_text not in field.validators:
                    field.__dict__["validators"] = [*field.validators, validate_text]
            if text_fields:
                names = [field.attname for field in text_fields]
                pre_save.connect(_normaliser(names), sender=model, weak=False,
                                 dispatch_uid=f"text.nfc.{model._meta.label}")


def _normaliser(names):
    def normalise_fields(sender, instance, **kwargs):
        for name in names:
            setattr(instance, name, normalise(getattr(instance, name)))
    return normalise_fields

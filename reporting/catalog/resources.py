"""The catalogs as Excel sheets: PC06 exports a catalog, completes it in Excel, imports it back.

One row per catalog item keyed by its code, headers in Vietnamese (the model
field's verbose name), related items written by their codes ("Q01",
"CATP, SYT"), so that a sheet reads like the catalog and survives a round trip.
Every imported row goes through the model's own validation and the whole file
is one transaction: one bad row and nothing of the file is saved.

Files are read and written through ``reporting.excel.workbooks``, the one place
that opens an uploaded workbook (size, zip bomb, DOCTYPE and formula checks).
"""
import io

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.text import capfirst
from import_export import resources
from import_export.formats.base_formats import XLSX
from import_export.widgets import BooleanWidget, CharWidget, ForeignKeyWidget, ManyToManyWidget

from de_an_06.text import xml_safe
from reporting.excel import workbooks

CODE_SEPARATOR = ", "


class CodeWidget(ForeignKeyWidget):
    """A related item by its code; an unknown code is the row's error, in Vietnamese."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"Không có {self.model._meta.verbose_name} nào mã “{value}”.") from None


class CodesWidget(ManyToManyWidget):
    """Related items as codes joined with ``separator`` (", "); a code that matches nothing is refused, not dropped.

    ``required``: an empty cell is refused too (a service reports at least one measure).
    """

    def __init__(self, model, *, required=False, **kwargs):
        super().__init__(model, **kwargs)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip() for code in str(value or "").split(self.separator.strip()) if code.strip()]
        if self.required and not codes:
            raise ValueError(f"Cần ít nhất một {self.model._meta.verbose_name}.")
        found = self.model.objects.filter(code__in=codes)
        missing = sorted(set(codes) - {item.code for item in found})
        if missing:
            raise ValueError(f"Không có {self.model._meta.verbose_name} nào mã “{'”, “'.join(missing)}”.")
        return found


class ChoiceWidget(CharWidget):
    """A choice as its Vietnamese label ("Cấp xã (phường, xã, thị trấn)"); the English code is accepted too."""

    def __init__(self, choices):
        super().__init__()
        self.labels = {code: str(label) for code, label in choices}

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs).strip()
        if not text or text in self.labels:
            return text
        for code, label in self.labels.items():
            if text.casefold() == label.casefold():
                return code
        raise ValueError(f"“{text}” không phải lựa chọn hợp lệ; chọn một trong: {'; '.join(self.labels.values())}.")

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class YesNoWidget(BooleanWidget):
    """A yes/no column as "Có"/"Không" (TRUE/FALSE and 1/0 read too).

    import-export would read any other text, "Có" included, as False without a word.
    """

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().casefold()
        if not text:
            return None
        if text in ("có", "co", "true", "1"):
            return True
        if text in ("không", "khong", "false", "0"):
            return False
        raise ValueError(f"“{value}” không hợp lệ: ghi “Có” hoặc “Không”.")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("Có" if value else "Không")


class XmlSafeExport:
    """A resource whose exported cells are XML-safe: one stored control character must not fail the whole sheet."""

    def export_field(self, field, instance, **kwargs):
        return xml_safe(super().export_field(field, instance, **kwargs))


class CatalogResource(XmlSafeExport, resources.ModelResource):
    """A catalog keyed by ``code``: headers from verbose names, relations by code."""

    class Meta:
        import_id_fields = ["code"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    # An empty cell in a text column is an empty text ("") as in the admin, not NULL.
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": CharWidget}

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        # The header is the model's label, so the sheet, the admin and the errors name a column alike.
        field.column_name = capfirst(django_field.verbose_name)
        if django_field.many_to_many:
            field.widget = CodesWidget(django_field.related_model, field="code", separator=CODE_SEPARATOR)
        elif django_field.many_to_one:
            field.attribute = field_name  # the related object, not its id
            field.widget = CodeWidget(django_field.related_model, field="code")
        elif django_field.choices:
            field.widget = ChoiceWidget(django_field.choices)
        elif isinstance(django_field, models.BooleanField):
            field.widget = YesNoWidget()
        return field

    def before_import(self, dataset, **kwargs):
        self.rows_by_code = {}

    def before_import_row(self, row, row_number=None, **kwargs):
        # Codes are the key: a second row with the same code would silently overwrite the first.
        header = self.fields["code"].column_name
        code = row.get(header)
        first = self.rows_by_code.setdefault(code, row_number)
        if code and first != row_number:
            raise ValidationError({header: f"Mã “{code}” trùng với dòng {first} của tệp; mỗi mã chỉ một dòng."})

    def import_instance(self, instance, row, **kwargs):
        # import-export only reads many-to-many columns after saving; check their codes now,
        # with the row's other errors, so that a wrong code refuses the row instead of failing later.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # Errors come keyed by model field ("parent"); the user knows the column ("Đơn vị cấp trên").
            raise ValidationError({
                self.fields[key].column_name if key in self.fields else key: messages
                for key, messages in error.message_dict.items()
            }) from None


class CatalogXLSX(XLSX):
    """.xlsx read and written through reporting.excel.workbooks instead of import-export's own openpyxl calls.

    import-export would read formula cells' cached results and write text such as
    "=1+1" as a live formula; here a formula is refused, formula-like text is
    written behind an apostrophe and read back without it.
    """

    def create_dataset(self, in_stream):
        sheet = workbooks.open_workbook(ContentFile(in_stream, name="tệp Excel")).worksheets[0]
        dataset, headers = tablib.Dataset(), None
        for number, cells in workbooks.rows_of(sheet, first_row=1, columns=sheet.max_column):
            values = [_cell_value(sheet, number, column, value) for column, value in enumerate(cells, start=1)]
            if headers is None:
                headers = dataset.headers = [str(value or "").strip() for value in values]
            elif any(value not in (None, "") for value in values):  # blank lines are not rows
                dataset.append((values + [None] * len(headers))[:len(headers)])
        return dataset

    def export_data(self, dataset, **kwargs):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        workbooks.header_row(sheet, 1, dataset.headers, widths=[24] * len(dataset.headers))
        for row, values in enumerate(dataset, start=2):
            for column, value in enumerate(values, start=1):
                if isinstance(value, str):
                    workbooks.text_cell(sheet, row, column, value)
                else:
                    sheet.cell(row=row, column=column, value=value)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _cell_value(sheet, row, column, value):
    formula = workbooks.formula_text(value)
    if formula:
        problem = workbooks.formula_problem(sheet.title, row, column, "", formula)
        raise workbooks.WorkbookError(f"{problem.where}: {problem.message}")
    return workbooks.restore_text(value) if isinstance(value, str) else value

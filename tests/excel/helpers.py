"""Working with workbooks the way users do: download, fill in Excel (openpyxl here), upload."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.excel import unit_template
from reporting.models import DataValue, ImportBatch, StatusChange, Submission, ValueChange


def template_url(city, unit="ben_nghe", year=2024, month=4):
    return reverse("download_template", args=[year, month, city[unit].pk])


def upload_url(city, unit="ben_nghe", year=2024, month=4):
    return reverse("upload_template", args=[year, month, city[unit].pk])


def download(client, city, **where):
    response = client.get(template_url(city, **where))
    assert response.status_code == 200, response.status_code
    return response.content


def data_rows(content):
    """key → row number of a template's data sheet."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))[unit_template.DATA_SHEET]
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW) if row[0].value}


def fill(content, values=None, reasons=None, edit=None):
    """The template with column F (and G) set as a user would type them; ``edit(workbook)`` for anything else."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[unit_template.DATA_SHEET]
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=unit_template.FIRST_ROW) if row[0].value}
    for key, value in (values or {}).items():
        sheet.cell(row=rows[key], column=unit_template.VALUE_COL).value = value  # cell(value=None) would not clear
    for key, reason in (reasons or {}).items():
        sheet.cell(row=rows[key], column=unit_template.REASON_COL).value = reason
    if edit:
        edit(workbook)
    return save(workbook)


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, url, content, name="bieu-mau.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def database_state():
    """Everything an import may touch, to prove that a refused one touched nothing."""
    return (
        sorted(DataValue.objects.values_list("submission_id", "key", "number", "text", "comment", "mark")),
        sorted(Submission.objects.values_list("pk", "status", "version")),
        ValueChange.objects.count(), StatusChange.objects.count(), ImportBatch.objects.count(),
    )

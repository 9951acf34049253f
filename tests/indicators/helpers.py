"""Shared by the catalog and plan-import tests: the admin's Excel export, and the 2024 plan's task appendix."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.catalog.loading import read_fixture
from reporting.plan.importer import COLUMNS


def export_file(client, model, resource):
    """The .xlsx the admin's export button gives, every column ticked."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    every_column = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(url, {"format": "0", "resource": "0", **every_column})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content


def export(client, model, resource):
    """The exported catalog as (headers, rows) of its first sheet."""
    sheet = openpyxl.load_workbook(io.BytesIO(export_file(client, model, resource))).worksheets[0]
    headers, *rows = sheet.iter_rows(values_only=True)
    return list(headers), [list(row) for row in rows]


HEADER = {"number": "1302/KH-UBND", "year": 2024, "issuer": "Ủy ban nhân dân Thành phố",
          "title": "Kế hoạch thực hiện Đề án 06 trên địa bàn Thành phố năm 2024"}


def appendix_workbook(mutate=None):
    """The real appendix of plan 1302 (fixtures transcribed from seed 003) laid out as the printed table."""
    rows = []
    tasks = read_fixture("plan_1302_2024_tasks.csv")
    for group in read_fixture("plan_1302_2024_groups.csv"):
        rows.append([group["number"], group["title_as_printed"], "", "", "", ""])
        rows += [[task["number"], task["content"], task["lead"], task["coordinating"], task["deadline"],
                  task["product"]] for task in tasks if task["group"] == group["number"]]
    if mutate:
        mutate(rows)
    return SimpleUploadedFile("phu-luc-1302.xlsx", workbook(COLUMNS, rows))


def workbook(headers, rows):
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

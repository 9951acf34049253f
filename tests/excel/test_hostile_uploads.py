"""The hostile corpus (hostile.py) at every upload point: a Vietnamese refusal each time, and not one table changes.

The points: a unit's template, PC06's history workbook, the plan's appendix
(/ke-hoach/nap-excel/), the admin's Excel import of the agency catalog, and a
submission's evidence. Every case is uploaded as a user would, the refusal is
read on the page the user lands on, and every table of every app is counted
before and after. How long each upload took is kept in TIMINGS (printed with
``pytest -s``); tests/excel/test_workbook_memory.py measures the memory.
"""

import time

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Agency, Evidence
from reporting.units.resources import AgencyResource

from .. import conftest
from ..indicators.helpers import HEADER, appendix_workbook, export_file
from . import hostile
from .helpers import data_rows, download, upload_url
from .test_history_import import URL as HISTORY_URL
from .test_history_import import row as history_row
from .test_history_import import workbook as history_workbook

pytestmark = pytest.mark.django_db
TIMINGS = {}   # (upload point, case) → seconds


def table_counts():
    return {model._meta.db_table: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True) if not model._meta.proxy}


def refuse_all(point, cases, post):
    """Upload every case through ``post(case) → the page's HTML``; every failure is reported at once."""
    failures = []
    for case in cases:
        before = table_counts()
        started = time.perf_counter()
        try:
            html = post(case)
        except Exception as error:  # a 500 raises in the test client
            failures.append(f"{case.name}: {error!r}")
            continue
        TIMINGS[(point, case.name)] = time.perf_counter() - started
        if case.words not in html:
            failures.append(f"{case.name}: “{case.words}” is not on the page: {_messages(html)}")
        if table_counts() != before:
            changed = {table for table, count in table_counts().items() if before.get(table) != count}
            failures.append(f"{case.name}: tables changed: {sorted(changed)}")
    print(f"\n{point}: " + ", ".join(f"{name} {seconds:.2f} s" for (where, name), seconds in TIMINGS.items()
                                       if where == point))
    assert failures == []


def _messages(html):
    import re
    found = re.findall(r'class="(?:error|errorlist[^"]*|messages)"[^>]*>(.*?)</', html, re.S)
    return found or html[:500]


def workbook_cases(base, member, ref, *, numbers=True):
    return hostile.file_cases() + hostile.archive_cases(base, member) + hostile.cell_cases(base, member, ref,
                                                                                         numbers=numbers)


def logged_in(client, username):
    client.login(username=username, password=conftest.PASSWORD)
    return client


def page_after(client, response):
    """What the user sees: the page itself, or the one it redirects to with its message."""
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    return response.content.decode()


def test_the_units_template_upload_refuses_the_corpus(client, city, month, people):
    officer = logged_in(client, "ward_officer")
    base = download(officer, city)
    member = "xl/worksheets/sheet2.xml"      # the data sheet, after the guide
    ref = f"F{data_rows(base)['ind.NEWS_PRESS']}"

    def post(case):
        response = officer.post(upload_url(city), {"file": SimpleUploadedFile(case.file_name, case.content)})
        return page_after(officer, response)

    refuse_all("biểu mẫu đơn vị", workbook_cases(base, member, ref), post)


def test_the_history_import_refuses_the_corpus(client, city, month, people):
    pc06 = logged_in(client, "compiler")
    base = history_workbook([history_row("Q01-BNG", 3, "ind.NEWS_PRESS", 12),
                             history_row("Q01-BNG", 3, "dvc.DVC24.count", 4)])

    def post(case):
        return page_after(pc06, pc06.post(HISTORY_URL, {"file": SimpleUploadedFile(case.file_name, case.content)}))

    refuse_all("số liệu lịch sử", workbook_cases(base, "xl/worksheets/sheet1.xml", "G2"), post)


def test_the_plan_import_refuses_the_corpus(client, city, people):
    pc06 = logged_in(client, "compiler")
    base = appendix_workbook().read()

    def post(case):
        response = pc06.post(reverse("plan_upload"), {**HEADER, "file": SimpleUploadedFile(case.file_name, case.content)})
        return page_after(pc06, response)

    # The appendix holds texts only: a number too large is a text like another.
    refuse_all("kế hoạch", workbook_cases(base, "xl/worksheets/sheet1.xml", "A3", numbers=False), post)


def test_the_admins_agency_import_refuses_the_corpus(client, city, people):
    pc06 = logged_in(client, "compiler")
    base = export_file(pc06, Agency, AgencyResource)
    url = reverse("admin:reporting_agency_import")

    def post(case):
        data = {"format": "0", "resource": "0", "import_file": SimpleUploadedFile(case.file_name, case.content)}
        return page_after(pc06, pc06.post(url, data))

    refuse_all("danh mục đơn vị (quản trị)", workbook_cases(base, "xl/worksheets/sheet1.xml", "B2", numbers=False), post)


# Evidence is kept, not read (hostile.IMPORT_ONLY); a damaged or hostile file is refused with evidence's words.
EVIDENCE_WORDS = {"văn bản đổi tên": "không phải là PDF, DOCX, XLSX, JPEG, PNG",
                  ".xls (OLE2)": "không phải là PDF, DOCX, XLSX, JPEG, PNG",
                  "zip không phải bảng tính": "không phải là PDF, DOCX, XLSX, JPEG, PNG"}


def test_evidence_upload_refuses_the_corpus(client, submission):
    officer = logged_in(client, "ward_officer")
    url = reverse("upload_evidence", args=[submission.pk])
    cases = [hostile.Case(case.name, case.content, EVIDENCE_WORDS.get(case.name, case.words), case.file_name)
             for case in hostile.file_cases() if case.name not in hostile.IMPORT_ONLY]
    cases += [hostile.Case(f"DOCX {case.name}", case.content, case.words, "bien-ban.docx")
              for case in hostile.archive_cases(hostile.word(), "word/document.xml")]
    cases += [hostile.Case(f"XLSX {case.name}", case.content, case.words, "so-lieu.xlsx")
              for case in hostile.archive_cases(hostile.small_workbook(), "xl/worksheets/sheet1.xml")]
    cases += hostile.evidence_cases()

    def post(case):
        return page_after(officer, officer.post(url, {"file": SimpleUploadedFile(case.file_name, case.content)}))

    refuse_all("minh chứng", cases, post)


def test_evidence_keeps_the_spreadsheets_an_import_would_refuse(client, submission):
    officer = logged_in(client, "ward_officer")
    for case in hostile.file_cases():
        if case.name in hostile.IMPORT_ONLY:
            response = officer.post(reverse("upload_evidence", args=[submission.pk]),
                                    {"file": SimpleUploadedFile("bang-lon.xlsx", case.content)}, follow=True)
            assert "Đã tải lên “bang-lon.xlsx”" in response.content.decode()
    assert Evidence.objects.count() == len(hostile.IMPORT_ONLY)

"""Evidence files: type judged by content, size limited, readable only within the agency scope."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from reporting.models import Evidence
from reporting.submissions import workflow

from .. import conftest
from .helpers import upload

pytestmark = pytest.mark.django_db


def office_file(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, content_type", [
    ("ke-hoach.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ("chi-dao.docx", office_file("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("so-lieu.xlsx", office_file("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png"),
])
def test_accepted_files_are_stored_with_the_sniffed_type(client, submission, name, content, content_type):
    assert f"Đã tải lên “{name}”" in upload(client, submission, name, content)
    assert Evidence.objects.get().content_type == content_type


@pytest.mark.parametrize("name, content", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf"),
    ("archive.docx", office_file("other.xml")),
    ("bang.xlsx", b"PK\x03\x04 broken zip"),
])
def test_a_file_whose_content_is_not_an_accepted_type_is_refused(client, submission, name, content):
    assert f"Tệp “{name}” không phải là PDF, DOCX, XLSX, JPEG, PNG" in upload(client, submission, name, content)
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, submission, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    html = upload(client, submission, "lon.pdf", b"%PDF-" + b"0" * 2048)
    assert "vượt giới hạn" in html and not Evidence.objects.exists()


def test_evidence_is_downloadable_in_scope_only_and_locked_after_approval(client, submission, people):
    upload(client, submission, "ke-hoach.pdf", b"%PDF-1.7 ke hoach")
    evidence = Evidence.objects.get()
    response = client.get(reverse("download_evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 ke hoach"
    assert 'filename="ke-hoach.pdf"' in response["Content-Disposition"]

    client.login(username="dept_officer", password=conftest.PASSWORD)
    assert client.get(reverse("download_evidence", args=[evidence.pk])).status_code == 404

    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.version)
    client.login(username="ward_officer", password=conftest.PASSWORD)
    client.post(reverse("delete_evidence", args=[evidence.pk]))
    assert Evidence.objects.exists()
    assert "đã được duyệt" in upload(client, submission, "them.pdf", b"%PDF-1.7")
    assert Evidence.objects.count() == 1


def test_uploading_and_removing_evidence_is_in_the_history(client, submission, city):
    upload(client, submission, "ke-hoach.pdf", b"%PDF-1.7")
    client.post(reverse("delete_evidence", args=[Evidence.objects.get().pk]))
    assert not Evidence.objects.exists()
    html = client.get(reverse("history", args=[2024, 4, city["ben_nghe"].pk])).content.decode()
    assert re.search(r"Tài liệu minh chứng</td>\s*<td class=\"num\">ke-hoach.pdf</td><td class=\"num\">\(trống\)</td>", html)
    assert re.search(r"Tài liệu minh chứng</td>\s*<td class=\"num\">\(trống\)</td><td class=\"num\">ke-hoach.pdf</td>", html)

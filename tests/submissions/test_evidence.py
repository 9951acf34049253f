"""Evidence files: type judged by content, size limited, readable only within the agency scope.

The hostile files every upload point refuses are in tests/excel/test_hostile_uploads.py.
"""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from reporting.models import Evidence
from reporting.submissions import workflow

from .. import conftest
from ..excel import hostile
from .helpers import upload

pytestmark = pytest.mark.django_db


def office_file(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, content_type", [
    ("ke-hoach.pdf", hostile.pdf(), "application/pdf"),
    ("chi-in.pdf", hostile.pdf(password=""), "application/pdf"),    # restricted, yet opens without a password
    ("chi-dao.docx", hostile.word(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("so-lieu.xlsx", hostile.small_workbook(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("scan.jpg", hostile.image("JPEG"), "image/jpeg"),
    ("anh.png", hostile.image("PNG"), "image/png"),
])
def test_accepted_files_are_stored_with_the_sniffed_type(client, submission, name, content, content_type):
    assert f"Đã tải lên “{name}”" in upload(client, submission, name, content)
    assert Evidence.objects.get().content_type == content_type


@pytest.mark.parametrize("name, content", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf"),
    ("archive.docx", office_file("other.xml")),
])
def test_a_file_whose_content_is_not_an_accepted_type_is_refused(client, submission, name, content):
    assert f"Tệp “{name}” không phải là PDF, DOCX, XLSX, JPEG, PNG" in upload(client, submission, name, content)
    assert not Evidence.objects.exists()


def test_a_broken_zip_is_refused(client, submission):
    html = upload(client, submission, "bang.xlsx", b"PK\x03\x04 broken zip")
    assert "Tệp “bang.xlsx” bị hỏng hoặc không phải tệp PDF, DOCX, XLSX, JPEG, PNG" in html
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("case", hostile.evidence_cases(), ids=repr)
def test_what_a_reviewer_should_not_open_is_refused(client, submission, case):
    html = upload(client, submission, case.file_name, case.content)
    assert case.words in html
    assert not Evidence.objects.exists()


def test_a_field_code_deep_in_a_long_document_is_found(client, submission):
    long_text = b"".join(b"<w:p><w:r><w:t>Doan %d cua bien ban kiem tra.</w:t></w:r></w:p>" % n for n in range(8000))
    dde = b'<w:p><w:fldSimple w:instr="DDEAUTO cmd &quot;/c calc&quot;"/></w:p>'
    content = hostile.with_body(hostile.word(), long_text + dde + long_text)
    assert len(hostile.members_of(content)["word/document.xml"]) > 500_000
    assert "chứa liên kết DDE" in upload(client, submission, "dai.docx", content)
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, submission, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    html = upload(client, submission, "lon.pdf", b"%PDF-" + b"0" * 2048)
    assert "vượt giới hạn" in html and not Evidence.objects.exists()


def test_evidence_is_downloadable_in_scope_only_and_locked_after_approval(client, submission, people):
    content = hostile.pdf()
    upload(client, submission, "ke-hoach.pdf", content)
    evidence = Evidence.objects.get()
    response = client.get(reverse("download_evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == content
    assert 'filename="ke-hoach.pdf"' in response["Content-Disposition"]

    client.login(username="dept_officer", password=conftest.PASSWORD)
    assert client.get(reverse("download_evidence", args=[evidence.pk])).status_code == 404

    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.version)
    client.login(username="ward_officer", password=conftest.PASSWORD)
    client.post(reverse("delete_evidence", args=[evidence.pk]))
    assert Evidence.objects.exists()
    assert "đã được duyệt" in upload(client, submission, "them.pdf", hostile.pdf())
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("name, content, content_type", [
    ("ke-hoach.pdf", hostile.pdf(), "application/pdf"),
    ("anh.png", hostile.image("PNG"), "image/png"),
], ids=["pdf", "png"])
def test_evidence_is_always_downloaded_as_an_attachment_never_sniffed(client, submission, name, content, content_type,
                                                                        settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False    # the view says it itself, whatever the middleware does
    upload(client, submission, name, content)
    response = client.get(reverse("download_evidence", args=[Evidence.objects.get().pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == content_type


def test_the_security_middleware_also_says_nosniff(client, submission, settings):
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF
    upload(client, submission, "ke-hoach.pdf", hostile.pdf())
    assert client.get(reverse("download_evidence", args=[Evidence.objects.get().pk]))["X-Content-Type-Options"] == "nosniff"


def test_uploading_and_removing_evidence_is_in_the_history(client, submission, city):
    upload(client, submission, "ke-hoach.pdf", hostile.pdf())
    client.post(reverse("delete_evidence", args=[Evidence.objects.get().pk]))
    assert not Evidence.objects.exists()
    html = client.get(reverse("history", args=[2024, 4, city["ben_nghe"].pk])).content.decode()
    assert re.search(r"Tài liệu minh chứng</td>\s*<td class=\"num\">ke-hoach.pdf</td><td class=\"num\">\(trống\)</td>", html)
    assert re.search(r"Tài liệu minh chứng</td>\s*<td class=\"num\">\(trống\)</td><td class=\"num\">ke-hoach.pdf</td>", html)

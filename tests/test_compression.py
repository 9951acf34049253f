"""Issue 20: pages travel gzipped to browsers that accept it; downloads compressed already travel as they are."""

import gzip

import pytest
from django.urls import reverse

from reporting.models import Evidence

from . import conftest
from .excel import hostile
from .submissions.helpers import upload

pytestmark = pytest.mark.django_db
ACCEPTS_GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}   # what Chromium sends


def pages(city):
    return [reverse("board", args=[2024, 4]), reverse("entry", args=[2024, 4, city["ben_nghe"].pk])]


@pytest.fixture
def compiler(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def test_a_signed_in_page_is_gzipped_for_a_browser_that_accepts_it(compiler, city, submission):
    for page in pages(city):
        response = compiler.get(page, **ACCEPTS_GZIP)
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip", page
        assert "Accept-Encoding" in response["Vary"]
        html = gzip.decompress(response.content)
        assert html.startswith(b"<!doctype html>") and "Phường Bến Nghé".encode() in html
        assert len(response.content) * 3 < len(html), page      # 10 KB and 24 KB here; the city's board 1 154 → 51 KB
        assert int(response["Content-Length"]) == len(response.content)


def test_a_client_that_does_not_accept_gzip_gets_the_page_plain(compiler, city, submission):
    for page in pages(city):
        response = compiler.get(page)
        assert not response.has_header("Content-Encoding"), page
        assert response.content.startswith(b"<!doctype html>")
        assert "Accept-Encoding" in response["Vary"]          # so that a shared cache keeps both


def test_an_excel_download_is_sent_as_it_is(client, people, city, submission):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    response = client.get(reverse("download_template", args=[2024, 4, city["ben_nghe"].pk]), **ACCEPTS_GZIP)
    assert response.status_code == 200 and not response.has_header("Content-Encoding")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content.startswith(b"PK")                  # the XLSX's zip, not gzip's 1f 8b


def test_an_evidence_pdf_streams_as_it_is_with_its_length(client, submission):
    pdf = hostile.pdf()
    upload(client, submission, "ke-hoach.pdf", pdf)
    response = client.get(reverse("download_evidence", args=[Evidence.objects.get().pk]), **ACCEPTS_GZIP)
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == pdf and int(response["Content-Length"]) == len(pdf)

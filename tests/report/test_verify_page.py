"""The public page /xac-minh-chu-ky/: anyone who received the PDF checks its signatures, a few times per address."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from reporting.report import verify_views

from ..redis_server import free_port
from .conftest import BLOCK_SIGNER
from .helpers import ORGANISATION, flip_byte_in_original, stored
from .test_verification import signed_once, signed_pdf, signed_twice  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
OFFICE, OTHER = "203.0.113.7", "198.51.100.9"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def upload(client, data, name="bao-cao.pdf", address=OFFICE):
    return client.post(reverse("verify_signature"), {"file": SimpleUploadedFile(name, data)}, REMOTE_ADDR=address)


def test_an_anonymous_visitor_sees_the_form(client):
    response = client.get(reverse("verify_signature"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file" name="file"' in page and "Không cần đăng nhập" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_anonymous_visitor_verifies_a_signed_file(client, signed_pdf):
    response = upload(client, signed_pdf)
    page = response.content.decode()

    assert response.status_code == 200 and response.context["result"].ok
    assert "Chữ ký hợp lệ: ký bởi Võ Thị Giang lúc" in page
    assert page.count('data-testid="signature-row"') == 1
    assert "CA thử nghiệm Đề án 06 (Công an Thành phố Hồ Chí Minh)" in page
    assert "Không phải tệp đã ban hành được lưu trong hệ thống." in page


def test_the_table_lists_both_signatures_in_order(client, signed_twice):
    page = upload(client, signed_twice[1]).content.decode()

    rows = page.split('data-testid="signature-row"')[1:]
    assert len(rows) == 2
    assert "Võ Thị Giang" in rows[0] and "sau đó chỉ thêm chữ ký khác" in rows[0]
    assert "Công an Thành phố Hồ Chí Minh" in rows[1] and "Toàn bộ tệp" in rows[1]


def test_the_issued_file_is_named_as_such_and_lists_both_signatures_logged_out(client, issued):
    signed = stored(issued.signed_pdf)

    page = upload(client, signed).content.decode()
    assert (f"Đây đúng là tệp đã ban hành: Báo cáo số 264/BC-BCĐ ngày {issued.issued_on:%d/%m/%Y} (Tháng 4/2024)."
            in page)
    rows = [" ".join(row.split()) for row in page.split('data-testid="signature-row"')[1:]]
    assert len(rows) == 2
    assert BLOCK_SIGNER in rows[0] and "chỉ điền số, ngày văn bản và thêm chữ ký khác" in rows[0]
    assert ORGANISATION in rows[1] and "Toàn bộ tệp" in rows[1]
    page = upload(client, flip_byte_in_original(signed, stored(issued.pdf))).content.decode()
    assert "Tệp đã bị sửa đổi sau khi ký" in page and "Không phải tệp đã ban hành" in page


def test_a_tampered_file_is_reported(client, signed_pdf, report_pdf):  # noqa: F811
    response = upload(client, flip_byte_in_original(signed_pdf, report_pdf))

    assert response.status_code == 200 and not response.context["result"].intact
    assert "Tệp đã bị sửa đổi sau khi ký: chữ ký không còn hợp lệ." in response.content.decode()


def test_a_file_that_is_not_a_pdf_is_refused(client):
    response = upload(client, b"PK\x03\x04 not a pdf")

    assert response.status_code == 400 and "result" not in response.context
    assert "không phải là tệp PDF" in response.content.decode()


def test_a_file_over_the_limit_is_refused(client, signed_pdf, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = upload(client, signed_pdf)

    assert response.status_code == 400 and "vượt giới hạn" in response.content.decode()


def test_nothing_uploaded_is_stored(client, signed_pdf, media_root):
    before = sorted(media_root.rglob("*"))
    upload(client, signed_pdf)
    assert sorted(media_root.rglob("*")) == before


def test_the_post_needs_the_csrf_token(signed_pdf):
    client = Client(enforce_csrf_checks=True)
    response = upload(client, signed_pdf)

    assert response.status_code == 403 and "result" not in (response.context or {})


def test_an_address_is_stopped_after_its_verifications_and_another_is_not(client, signed_pdf, monkeypatch):
    monkeypatch.setattr(verify_views, "RATE_LIMIT", 3)
    assert [upload(client, signed_pdf).status_code for _ in range(3)] == [200, 200, 200]

    refused = upload(client, signed_pdf)
    assert refused.status_code == 429
    assert "Tạm dừng xác minh chữ ký số" in refused.content.decode() and "10 phút" in refused.content.decode()
    assert "result" not in refused.context
    assert upload(client, signed_pdf, address=OTHER).status_code == 200
    assert client.get(reverse("verify_signature"), REMOTE_ADDR=OFFICE).status_code == 200   # the form still opens


def test_the_default_limit_is_twenty_per_ten_minutes():
    assert (verify_views.RATE_LIMIT, verify_views.RATE_WINDOW) == (20, 600)


def test_redis_down_does_not_stop_verification(client, signed_pdf, monkeypatch):
    """The cache is Redis and nothing answers on its port: the count is skipped, the file is still verified."""
    monkeypatch.setattr(verify_views, "RATE_LIMIT", 1)
    down = {"default": {"BACKEND": "de_an_06.cache.ResilientRedisCache",
                        "LOCATION": f"redis://127.0.0.1:{free_port()}/0", "OPTIONS": {"retry_after": 0.2}}}
    with override_settings(CACHES=down):
        responses = [upload(client, signed_pdf) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert all(response.context["result"].ok for response in responses)


def test_a_failing_cache_does_not_stop_verification(client, signed_pdf, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("cache unavailable")

    monkeypatch.setattr(verify_views.cache, "incr", broken)
    assert upload(client, signed_pdf).context["result"].ok

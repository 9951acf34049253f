"""Security by default: login throttling, the headers every page carries, cookies, error pages without traces."""

import pytest
from django.urls import reverse

from reporting.models import User
from reporting.submissions import views

from . import conftest

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


@pytest.fixture
def throttled(settings, people):
    settings.AXES_ENABLED = True
    return people["ward_officer"]


def attempt(client, password, address="10.0.0.5"):
    return client.post(LOGIN, {"username": "ward_officer", "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_username_from_that_address(client, throttled):
    for _ in range(4):
        assert attempt(client, "sai-mat-khau").status_code == 200          # the form again, with its error
    locked = attempt(client, "sai-mat-khau")
    assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.content.decode()
    assert attempt(client, conftest.PASSWORD).status_code == 429           # even the right password, for now
    assert attempt(client, conftest.PASSWORD, address="10.0.0.9").status_code == 302   # another office is not blocked


def test_a_successful_login_resets_the_count(client, throttled):
    for _ in range(4):
        attempt(client, "sai-mat-khau")
    assert attempt(client, conftest.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "sai-mat-khau").status_code == 200


def test_every_page_carries_the_security_headers(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    for response in (client.get(reverse("home")), client.get(LOGIN), client.get("/khong-co-trang-nay/")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_no_page_runs_inline_script(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    for url in (reverse("home"), reverse("current_board"), reverse("plan_list"), reverse("outline_editor"), LOGIN):
        html = client.get(url, follow=True).content.decode()
        assert "<script>" not in html and " on" + "click=" not in html


def test_session_and_csrf_cookies(client, people, settings):
    response = client.post(LOGIN, {"username": "ward_officer", "password": conftest.PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_a_weak_password_is_refused_in_vietnamese():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password("12345678", User(username="canbo"))
    assert any("quá ngắn" in message or "quá phổ biến" in message for message in refused.value.messages)


def test_an_error_page_is_vietnamese_and_shows_no_trace(client, people, settings, monkeypatch):

    settings.DEBUG = False

    def broken(request):
        raise RuntimeError("bí mật nội bộ")

    monkeypatch.setattr(views.periods, "current_period", broken)
    client.raise_request_exception = False
    client.login(username="ward_officer", password=conftest.PASSWORD)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 500 and "bí mật nội bộ" not in html and "Traceback" not in html
    assert "lỗi" in html.lower()


def test_the_audit_log_is_kept_read_only_and_exported_by_pc06(client, city, month, people):
    from reporting.models import ValueChange
    from reporting.submissions.audit import ValueChangeResource

    from .indicators.helpers import export
    from .submissions.helpers import fill_april

    fill_april(people["ward_officer"], city, month)
    assert ValueChange.objects.filter(changed_by=people["ward_officer"]).exists()
    client.login(username="compiler", password=conftest.PASSWORD)
    change = ValueChange.objects.first()
    assert client.get(reverse("admin:reporting_valuechange_change", args=[change.pk])).status_code == 200
    assert client.post(reverse("admin:reporting_valuechange_delete", args=[change.pk])).status_code == 403
    headers, rows = export(client, ValueChange, ValueChangeResource)
    assert headers[:7] == ["Lúc", "Người sửa", "Đơn vị", "Kỳ báo cáo", "Ô số liệu", "Giá trị cũ", "Giá trị mới"]
    assert len(rows) == ValueChange.objects.count()
    assert ["ward_officer", "Phường Bến Nghé", "Tháng 4/2024", "dvc.DVC22.received", None, "1250"] in [
        row[1:7] for row in rows]
    client.login(username="leader", password=conftest.PASSWORD)
    assert client.get(reverse("admin:reporting_valuechange_changelist")).status_code == 302   # not the admin's

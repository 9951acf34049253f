"""Security by default: login throttling, the headers every page carries, cookies, error pages without traces."""

import runpy
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.test import Client
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


ROOT = Path(__file__).resolve().parent.parent
PROXY = "172.18.0.5"            # the TLS proxy, as gunicorn sees it on the compose network
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.7"


@pytest.fixture
def proxies(settings, monkeypatch):
    """The client-address settings that de_an_06/settings.py derives from TRUSTED_PROXY_COUNT (None: unset)."""
    def configure(count):
        monkeypatch.setenv("DEBUG", "1")   # the file as a developer runs it; only its address settings are taken
        if count is None:
            monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
        else:
            monkeypatch.setenv("TRUSTED_PROXY_COUNT", str(count))
        derived = runpy.run_path(str(ROOT / "de_an_06" / "settings.py"))
        for name, unset in {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None,
                            "IPWARE_STRICT": None}.items():
            setattr(settings, name, derived.get(name, unset))
    return configure


def through_proxy(client, password, forwarded_for, username="ward_officer"):
    """A login the proxy passed on: it connects itself and appends the address it saw to X-Forwarded-For."""
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_the_proxy_five_failures_lock_the_attacker_not_the_office(throttled, proxies):
    proxies(1)
    attacker, office = Client(), Client()
    for _ in range(4):
        assert through_proxy(attacker, "sai-mat-khau", ATTACKER).status_code == 200
    assert through_proxy(attacker, "sai-mat-khau", ATTACKER).status_code == 429
    assert through_proxy(attacker, conftest.PASSWORD, ATTACKER).status_code == 429

    assert through_proxy(office, conftest.PASSWORD, OFFICE).status_code == 302        # day 15: PC06 still logs in
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]


def test_behind_the_proxy_an_address_the_attacker_writes_changes_nothing(throttled, proxies):
    proxies(1)
    attacker = Client()
    # Each attempt claims another origin; the proxy appends the one it really saw.
    for attempt_number in range(4):
        forged = f"10.9.0.{attempt_number}, {ATTACKER}"
        assert through_proxy(attacker, "sai-mat-khau", forged).status_code == 200
    assert through_proxy(attacker, "sai-mat-khau", f"{OFFICE}, {ATTACKER}").status_code == 429
    assert through_proxy(Client(), conftest.PASSWORD, OFFICE).status_code == 302


def test_without_a_proxy_x_forwarded_for_is_ignored(throttled, proxies):
    proxies(None)                           # the default: no proxy, only the connection's own address counts

    def attempt_from(address, password, claimed):
        return Client().post(LOGIN, {"username": "ward_officer", "password": password},
                             REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=claimed)

    for attempt_number in range(4):
        assert attempt_from(ATTACKER, "sai-mat-khau", f"10.9.0.{attempt_number}").status_code == 200
    assert attempt_from(ATTACKER, "sai-mat-khau", "10.9.0.9").status_code == 429     # one connection, whatever it claimed
    assert attempt_from(OFFICE, conftest.PASSWORD, ATTACKER).status_code == 302        # claiming the attacker's address locks nobody
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_docker_compose_counts_its_tls_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_a_form_posted_without_its_token_is_refused_in_vietnamese(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["ward_officer"])
    response = browser.post(reverse("password_change"), {"old_password": conftest.PASSWORD})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in html and "tải lại trang" in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html
    assert response["Content-Security-Policy"]                      # the page keeps every header


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

"""Every signed-in user changes their own password, in Vietnamese, from the menu beside "Đăng xuất"."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reporting.models import User

from . import conftest

pytestmark = pytest.mark.django_db
CHANGE = reverse("password_change")
NEW_PASSWORD = "Phuong-Ben-Nghe-2025"


def logged_in(client, person):
    client.login(username=person.username, password=conftest.PASSWORD)
    return client


def change(client, old, new, again=None):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new})


@pytest.mark.parametrize("role", ["ward_officer", "ward_head", "dept_officer", "compiler", "leader", "admin"])
def test_every_role_finds_the_page_in_the_menu(client, people, role):
    logged_in(client, people[role])
    home = client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{CHANGE}"' in home and "Đổi mật khẩu" in home

    page = client.get(CHANGE).content.decode()
    assert "Mật khẩu cũ" in page and "Mật khẩu mới" in page and "Xác nhận mật khẩu mới" in page
    assert "phải chứa ít nhất 10 ký tự" in page                       # the rules, before the officer types


def test_a_visitor_is_sent_to_log_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_officer_changes_the_password_and_logs_in_with_the_new_one(client, people):
    officer = people["ward_officer"]
    response = change(logged_in(client, officer), conftest.PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert "Đã đổi mật khẩu" in client.get(reverse("password_change_done")).content.decode()
    assert client.get(CHANGE).status_code == 200                         # still signed in here

    client.post(reverse("logout"))
    assert not Client().login(username=officer.username, password=conftest.PASSWORD)
    assert Client().login(username=officer.username, password=NEW_PASSWORD)


def test_other_sessions_of_the_account_end(client, people):
    elsewhere = logged_in(Client(), people["ward_officer"])
    change(logged_in(client, people["ward_officer"]), conftest.PASSWORD, NEW_PASSWORD)
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_wrong_old_password_is_refused_in_vietnamese(client, people):
    response = change(logged_in(client, people["ward_officer"]), "khong-phai-mat-khau", NEW_PASSWORD)
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    assert User.objects.get(username="ward_officer").check_password(conftest.PASSWORD)


@pytest.mark.parametrize("new, again, reason", [
    ("ngan-qua", None, "Mật khẩu này quá ngắn: cần ít nhất 10 ký tự."),
    ("1234567890", None, "Mật khẩu này hoàn toàn là số."),
    ("password123", None, "Mật khẩu này quá phổ biến."),
    ("ward_officer-1", None, "Mật khẩu quá giống với Tên đăng nhập."),
    (NEW_PASSWORD, "Phuong-Ben-Nghe-2026", "Hai trường mật khẩu không giống nhau."),
])
def test_a_weak_or_mistyped_new_password_is_refused_in_vietnamese(client, people, new, again, reason):
    response = change(logged_in(client, people["ward_officer"]), conftest.PASSWORD, new, again)
    assert response.status_code == 200
    assert reason in response.content.decode()


@pytest.mark.parametrize("password", ["ngan", "12345678", "password", "ward_officer", "abcdefghij"])
def test_no_password_rule_speaks_english(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="ward_officer", first_name="ward_officer"))
    for message in refused.value.messages:
        assert "password" not in message.lower() and "This" not in message, message

"""Headless Debian Chromium driven by Playwright against Django's live server.

Playwright's own browser download is not used (the machine's network is closed);
`make test` installs Debian's chromium. Screenshots land in test-artifacts/ so a
reviewer can see what the officer saw.
"""

import os
import pathlib
import shutil

import pytest

from reporting.operations import city_generator

from .. import conftest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts"
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="package")
def chromium():
    """One browser for the browser tests only: its event loop runs in the test thread while it lives.

    Django then sees every ORM call (the tests' own and the database flush between tests) as
    made from async code, so the async-safety guard is lifted for exactly this package and
    restored after it; leaked into the environment, it would also fail `check --deploy`.
    """
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Không tìm thấy Chromium tại {CHROMIUM}: chạy `make browser-deps` (hoặc `make test`).")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def generated_city(transactional_db):
    """The real catalogs and March–April 2024 of every unit, approved; one ward has not submitted April."""
    history = city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 3), months=2)
    conftest.unreported(history.periods[-1], code="BENCH-P002")
    return history


@pytest.fixture
def page(chromium, live_server, transactional_db):
    context = chromium.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", accept_dialog)
    yield page
    context.close()


def accept_dialog(dialog):
    """Answer yes, as the person who clicked meant to: "Nộp báo cáo" asks to confirm, leaving unsaved typing warns.

    Playwright would dismiss them, so a test's submit would silently not happen. A test about a dialog
    takes this answer away first: ``page.remove_listener("dialog", accept_dialog)``.
    """
    dialog.accept()


def log_in(page, user):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(conftest.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_narrative(page, key, heading):
    """Open the narrative editor's section of slot ``key``, checking it is labelled by its heading in the outline."""
    from playwright.sync_api import expect

    section = page.get_by_test_id("narrative-editor").locator("details", has=page.get_by_test_id(f"narrative-{key}"))
    expect(section.locator("summary")).to_contain_text(heading)
    section.locator("summary").click()

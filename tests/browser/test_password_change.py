"""An officer changes their own password from the menu, on a phone and on a desktop, all of it in Vietnamese."""

import pytest
from playwright.sync_api import expect

from .. import conftest
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
NEW_PASSWORD = "Phuong-Ben-Nghe-2025"
FILL_IN = "Vui lòng điền vào trường này."     # the browser's own check, in Vietnamese whatever its language


def validation_message(field):
    return field.evaluate("element => element.validationMessage")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_officer_changes_the_password_then_logs_in_with_it(page, people, viewport):
    page.set_viewport_size(viewport)
    log_in(page, people["ward_officer"])

    page.get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    old = page.get_by_label("Mật khẩu cũ")
    new = page.get_by_label("Mật khẩu mới", exact=True)
    again = page.get_by_label("Xác nhận mật khẩu mới")

    # Sent empty, the form stays and the browser says why in Vietnamese.
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page).to_have_url("/doi-mat-khau/")
    assert validation_message(old) == FILL_IN

    # A wrong current password: refused by the server, in Vietnamese.
    old.fill("khong-phai-mat-khau")
    new.fill(NEW_PASSWORD)
    again.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_test_id("error-old_password")).to_contain_text("Mật khẩu cũ không chính xác")
    screenshot(page, f"password-change-wrong-old-{viewport['width']}")

    page.get_by_label("Mật khẩu cũ").fill(conftest.PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_test_id("password-changed")).to_contain_text("Đã đổi mật khẩu")
    screenshot(page, f"password-changed-{viewport['width']}")

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url("/dang-nhap/")
    page.get_by_role("button", name="Đăng nhập").click()
    assert validation_message(page.get_by_label("Tên đăng nhập")) == FILL_IN

    page.get_by_label("Tên đăng nhập").fill("ward_officer")
    page.get_by_label("Mật khẩu").fill(conftest.PASSWORD)            # the old one no longer opens the account
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".errorlist")).to_be_visible()
    expect(page).to_have_url("/dang-nhap/")

    page.get_by_label("Mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("Cán bộ nhập liệu")


def test_every_check_the_browser_makes_itself_speaks_vietnamese(page, people):
    log_in(page, people["ward_officer"])
    page.get_by_role("link", name="Xác minh chữ ký số").click()
    page.get_by_role("button", name="Xác minh").click()
    assert validation_message(page.get_by_label("Tệp PDF")) == "Vui lòng chọn tệp."

    # Another script's own message is left as it is; a number out of range is said in Vietnamese.
    checks = page.evaluate("""() => {
        const form = document.createElement("form");
        form.innerHTML = '<input id="x" required><input id="n" type="number" min="0" value="-1">'
                       + '<select id="s" required><option value="">-</option></select>';
        document.body.append(form);
        const own = document.getElementById("x");
        own.setCustomValidity("Thông báo riêng của trang.");
        form.reportValidity();
        const fields = ["x", "n", "s"].map(id => document.getElementById(id).validationMessage);
        form.remove();
        return fields;
    }""")
    assert checks == ["Thông báo riêng của trang.", "Giá trị phải lớn hơn hoặc bằng 0.",
                      "Vui lòng chọn một mục trong danh sách."]

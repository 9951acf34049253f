"""axe-core finds no serious or critical accessibility problem on the four pages people work in, phone and desktop.

The officer's month (blank, then refused with errors), PC06's board, the consolidated report and the leaders'
dashboard, on the real catalogs with a few generated wards. axe-core is vendored (tests/browser/vendor/README.md)
and injected into the page; the app's Content-Security-Policy allows no script but its own, so these pages are
opened in a browser context that sets the policy aside, for this test only.
"""

import pathlib

import pytest
from playwright.sync_api import expect

from reporting.choices import Role
from reporting.models import Agency
from reporting.operations import city_generator

from .. import conftest
from .conftest import accept_dialog, log_in, screenshot

pytestmark = pytest.mark.browser

AXE = pathlib.Path(__file__).parent / "vendor" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
BLOCKING = ("serious", "critical")

# Folded parts are opened first so that what they hold is checked too.
RUN_AXE = """async () => {
    document.querySelectorAll("details").forEach(part => { part.open = true; });
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(violation => ({
        id: violation.id, impact: violation.impact, help: violation.help,
        where: violation.nodes.slice(0, 5).map(node => node.target.join(" ") + " — " + node.failureSummary),
    }));
}"""


@pytest.fixture
def axe_page(chromium, live_server, transactional_db):
    context = chromium.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                   bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", accept_dialog)
    yield page
    context.close()


@pytest.fixture
def generated(transactional_db):
    """The real catalogs and March–April 2024 approved for three generated wards, but one ward's April."""
    compiler = city_generator.load_city(wards=3)
    compiler.set_password(conftest.PASSWORD)
    compiler.save()
    history = city_generator.generate_history(compiler, first=(2024, 3), months=2)
    conftest.unreported(history.periods[-1], code="BENCH-P002")
    ward = Agency.objects.get(code="BENCH-P002")
    return {"compiler": compiler, "ward": ward, "officer": conftest.make_user("can_bo_p002", Role.OFFICER, ward)}


def serious(page):
    page.add_script_tag(path=str(AXE))
    return [violation for violation in page.evaluate(RUN_AXE) if violation["impact"] in BLOCKING]


def check_on_each_screen(page, name, path, before=None):
    """Every serious or critical violation of ``path`` on a phone and a desktop, by screen."""
    found = {}
    for screen, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(path)
        if before:
            before(page)
        if screen == "phone":
            page.get_by_role("button", name="Menu").click()     # the folded menu is checked too
        found[screen] = serious(page)
        screenshot(page, f"axe-{name}-{screen}")
    return {screen: violations for screen, violations in found.items() if violations}


def test_the_officers_month_blank_and_with_errors(axe_page, generated):
    log_in(axe_page, generated["officer"])
    path = f"/bao-cao/2024/4/don-vi/{generated['ward'].pk}/"

    def refuse_a_save(page):
        page.locator("#entry-form input.count").first.fill("mười hai")
        page.get_by_role("button", name="Lưu nháp").click()
        expect(page.get_by_test_id("error-summary")).to_be_focused()

    assert check_on_each_screen(axe_page, "entry", path) == {}
    assert check_on_each_screen(axe_page, "entry-errors", path, before=refuse_a_save) == {}
    # The real catalogs' ward sheet (seven measures) fits every width, the narrowest grid's too.
    for width in (390, 899, 900, 1024, 1366):
        axe_page.set_viewport_size({"width": width, "height": 800})
        assert axe_page.evaluate("document.documentElement.scrollWidth") <= width, width


def test_pc06s_board(axe_page, generated):
    log_in(axe_page, generated["compiler"])
    assert check_on_each_screen(axe_page, "board", "/tong-hop/2024/4/") == {}


def test_the_consolidated_report(axe_page, generated):
    log_in(axe_page, generated["compiler"])
    assert check_on_each_screen(axe_page, "report", "/bao-cao-tong-hop/2024/4/") == {}


def test_the_dashboard(axe_page, generated):
    log_in(axe_page, generated["compiler"])
    assert check_on_each_screen(axe_page, "dashboard", "/dieu-hanh/2024/4/") == {}

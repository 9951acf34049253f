"""PC06 compiles the month: preview, rewrite a section, finalise, sign, verify; the issued PDF's pages are looked at."""

import subprocess

import pytest
from playwright.sync_api import expect

from reporting.models import ReportVersion
from reporting.periods import default_schedule

from ..report.helpers import SEED_000_SENTENCE, pdf_text, report, service_cells, stored
from .conftest import ARTIFACTS, log_in, open_narrative, screenshot
from .test_accessibility import serious

pytestmark = pytest.mark.browser
DIFFICULTIES = "Đề nghị Bộ Công an sớm nâng cấp hệ thống định danh điện tử để các sở, ngành kết nối."


def pdf_pages_as_png(content, name):
    """Every page of the PDF as a PNG in test-artifacts/ (pdftoppm, 60 dpi): what a reviewer looks at."""
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(content)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_pc06_edits_finalises_signs_and_verifies_the_april_report(page, people, catalogs, signer, tmp_path, live_server):
    compiler = people["compiler"]
    report("CATP", default_schedule().period_for(2024, 4), service_cells(), compiler=compiler)
    log_in(page, compiler)
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))   # conftest's listener still accepts
    page.goto("/bao-cao-tong-hop/2024/4/")
    preview = page.get_by_test_id("report-preview")
    expect(preview).to_contain_text(SEED_000_SENTENCE)
    screenshot(page, "report-preview")

    open_narrative(page, "note.difficulties", "Khó khăn, vướng mắc")
    page.get_by_test_id("narrative-note.difficulties").fill(DIFFICULTIES)
    page.locator("details[open]").get_by_role("button", name="Lưu nội dung mục này").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nội dung mục này.")
    expect(preview).to_contain_text(DIFFICULTIES)

    page.get_by_label("Số văn bản").fill("264")
    page.get_by_label("Ngày ban hành").fill("2024-05-06")
    page.get_by_role("button", name="Ban hành (cố định nội dung").click()
    expect(page.locator(".messages")).to_contain_text("Đã ban hành báo cáo số 264")
    assert len(questions) == 1 and "Không thể sửa hay xóa bản đã ban hành" in questions[0]
    page.get_by_role("button", name="Ký số").click()
    expect(page.locator(".messages")).to_contain_text("Đã ký số báo cáo số 264")
    assert len(questions) == 2 and "Ký số báo cáo số 264/BC-BCĐ?" in questions[1] and "không thể gỡ bỏ" in questions[1]
    screenshot(page, "report-issued")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF đã ký").click()
    signed = download.value.path().read_bytes()
    text = pdf_text(signed)
    assert SEED_000_SENTENCE in text and DIFFICULTIES in text and "Số: 264/BC-BCĐ" in text

    # Once issued, the page speaks of the issued report and labels the preview as a new version's draft.
    expect(page.get_by_test_id("issued-status")).to_contain_text("Đã ban hành báo cáo số 264/BC-BCĐ ngày 06/05/2024")
    expect(page.get_by_role("heading", name="Dự thảo bản mới — chưa ban hành")).to_be_visible()

    # Whoever received the PDF by e-mail verifies it without an account, on a phone.
    (tmp_path / "bao-cao.pdf").write_bytes(signed)
    stranger = page.context.browser.new_context(base_url=live_server.url, locale="vi-VN",
                                                timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 390, "height": 844},
                                                bypass_csp=True)     # for axe-core's injected script only
    visitor = stranger.new_page()
    visitor.goto("/xac-minh-chu-ky/")
    expect(visitor.get_by_test_id("current-user")).to_have_count(0)
    visitor.locator("#verify-file").set_input_files(str(tmp_path / "bao-cao.pdf"))
    visitor.get_by_role("button", name="Xác minh").click()
    result = visitor.get_by_test_id("verify-result")
    expect(result).to_contain_text("Chữ ký hợp lệ")
    expect(result).to_contain_text("Đây đúng là tệp đã ban hành: Báo cáo số 264/BC-BCĐ ngày 06/05/2024")
    rows = visitor.get_by_test_id("signature-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Võ Thị Giang")
    expect(rows.first).to_contain_text("CA thử nghiệm Đề án 06")
    expect(rows.first).to_contain_text("Toàn bộ tệp")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious(visitor) == []
    screenshot(visitor, "report-verified")
    stranger.close()

    pages = pdf_pages_as_png(stored(ReportVersion.objects.get().pdf), "report-2024-04")
    assert len(pages) >= 3 and all(png.stat().st_size > 10_000 for png in pages)

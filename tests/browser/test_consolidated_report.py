"""PC06 compiles the month: preview, rewrite a section, finalise, sign, verify; the issued PDF's pages are looked at."""

import subprocess

import pytest
from playwright.sync_api import expect

from reporting.models import ReportVersion
from reporting.periods import default_schedule

from ..report.helpers import SEED_000_SENTENCE, pdf_text, report, service_cells, stored
from .conftest import ARTIFACTS, log_in, open_narrative, screenshot

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


def test_pc06_edits_finalises_signs_and_verifies_the_april_report(page, people, catalogs, signer, tmp_path):
    compiler = people["compiler"]
    report("CATP", default_schedule().period_for(2024, 4), service_cells(), compiler=compiler)
    log_in(page, compiler)
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
    page.get_by_role("button", name="Ký số").click()
    expect(page.locator(".messages")).to_contain_text("Đã ký số báo cáo số 264")
    screenshot(page, "report-issued")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF đã ký").click()
    signed = download.value.path().read_bytes()
    text = pdf_text(signed)
    assert SEED_000_SENTENCE in text and DIFFICULTIES in text and "Số: 264/BC-BCĐ" in text

    page.goto("/xac-minh-chu-ky/")
    (tmp_path / "bao-cao.pdf").write_bytes(signed)
    page.locator("#verify-file").set_input_files(str(tmp_path / "bao-cao.pdf"))
    page.get_by_role("button", name="Xác minh").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Chữ ký hợp lệ")
    screenshot(page, "report-verified")

    pages = pdf_pages_as_png(stored(ReportVersion.objects.get().pdf), "report-2024-04")
    assert len(pages) >= 3 and all(png.stat().st_size > 10_000 for png in pages)

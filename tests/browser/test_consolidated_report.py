"""PC06 compiles the month: preview, rewrite a section, finalise; the director signs (on the server's token, or with
their own tool from the digest); the records office numbers and issues; anyone verifies. The issued PDF's pages
are looked at."""

import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from reporting.choices import Role
from reporting.management import demo_images
from reporting.models import ReportSettings, User
from reporting.periods import default_schedule
from reporting.report import issue
from reporting.report.spans import date_phrase

from .. import conftest
from ..report.helpers import BLOCK_SIGNER, ORGANISATION, SEED_000_SENTENCE, pdf_text, report, service_cells
from ..report.test_external_workflow import signer_tool
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


def test_pc06_finalises_the_director_signs_the_office_issues_and_anyone_verifies(page, people, catalogs, keys,
                                                                                   tmp_path, live_server):
    compiler = people["compiler"]
    clerk = User.objects.create_user("vanthu", password=conftest.PASSWORD, role=Role.COMPILER,
                                     agency=compiler.agency, records_office=True)
    report_settings = ReportSettings.for_schedule(default_schedule())
    report_settings.signer_image.save("chu-ky.png", ContentFile(demo_images.signature()), save=False)
    report_settings.seal_image.save("con-dau.png", ContentFile(demo_images.seal()), save=True)
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

    page.get_by_role("button", name="Hoàn tất để trình ký").click()
    expect(page.locator(".messages")).to_contain_text("chờ người có thẩm quyền ký số")
    assert len(questions) == 1 and "Không thể sửa bản đã hoàn tất" in questions[0]
    expect(page.get_by_test_id("issue-form")).to_have_count(0)        # nothing to number before the signature
    page.get_by_role("button", name="Ký số (thiết bị ký số)").click()
    expect(page.locator(".messages")).to_contain_text(f"{BLOCK_SIGNER} đã ký số báo cáo")
    assert len(questions) == 2 and "Chữ ký số không thể gỡ bỏ" in questions[1]
    expect(page.get_by_test_id("issued-status")).to_contain_text("chờ văn thư cấp số và ban hành")
    expect(page.get_by_test_id("issue-form")).to_have_count(0)        # the compiler is not the records office

    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, clerk)
    page.goto("/bao-cao-tong-hop/2024/4/")
    expect(page.get_by_label("Số văn bản")).to_have_value("1")         # the year's next number, suggested
    page.get_by_label("Số văn bản").fill("264")
    page.get_by_role("button", name="Cấp số và ban hành").click()
    expect(page.locator(".messages")).to_contain_text("Đã ban hành báo cáo số 264")
    assert len(questions) == 3 and "Số và ngày được in vào văn bản đã ký" in questions[2]
    screenshot(page, "report-issued")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF đã ban hành").click()
    signed = download.value.path().read_bytes()
    text = pdf_text(signed)
    today = timezone.localdate()
    assert SEED_000_SENTENCE in text and DIFFICULTIES in text and "Số: 264/BC-BCĐ" in text and date_phrase(today) in text

    # Once issued, the page speaks of the issued report and labels the preview as a new version's draft.
    expect(page.get_by_test_id("issued-status")).to_contain_text(
        f"Đã ban hành báo cáo số 264/BC-BCĐ ngày {today:%d/%m/%Y}")
    expect(page.get_by_role("heading", name="Dự thảo bản mới — chưa hoàn tất")).to_be_visible()
    expect(page.get_by_test_id("report-versions")).not_to_contain_text("dự thảo")

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
    expect(result).to_contain_text(f"Đây đúng là tệp đã ban hành: Báo cáo số 264/BC-BCĐ ngày {today:%d/%m/%Y}")
    rows = visitor.get_by_test_id("signature-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(BLOCK_SIGNER)
    expect(rows.first).to_contain_text("chỉ điền số, ngày văn bản và thêm chữ ký khác")
    expect(rows.nth(1)).to_contain_text(ORGANISATION)
    expect(rows.nth(1)).to_contain_text("Toàn bộ tệp")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious(visitor) == []
    screenshot(visitor, "report-verified")
    stranger.close()

    pages = pdf_pages_as_png(signed, "report-2024-04")
    assert len(pages) >= 3 and all(png.stat().st_size > 10_000 for png in pages)


def test_on_a_phone_the_director_signs_with_their_own_tool_from_the_digest(page, people, catalogs, keys, settings,
                                                                          tmp_path):
    compiler = people["compiler"]
    report("CATP", default_schedule().period_for(2024, 4), service_cells(), compiler=compiler)
    version = issue.finalise(default_schedule().period_for(2024, 4), compiler)
    directors_p12 = tmp_path / "ca-nhan.p12"          # on the director's machine; the server's settings lose it
    shutil.copy(keys / "signer.p12", directors_p12)
    settings.SIGNING_PKCS12_PATH = tmp_path / "khong-co.p12"
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, compiler)
    page.goto("/bao-cao-tong-hop/2024/4/")
    page.get_by_test_id("sign-external").click()
    expect(page.get_by_test_id("block-signer")).to_have_text("Trung tướng Lê Hồng Nam")
    (tmp_path / "giam-doc.cer").write_bytes(signer_tool(directors_p12, "--certificate"))
    page.get_by_label("Chứng thư số của người ký").set_input_files(str(tmp_path / "giam-doc.cer"))
    page.get_by_role("button", name="Chuẩn bị tệp và lấy giá trị băm").click()
    digest = page.get_by_test_id("digest-hex").input_value()
    (tmp_path / "chu-ky.p7s").write_bytes(signer_tool(directors_p12, digest=digest))
    page.get_by_label("Tệp chữ ký (.p7s)").set_input_files(str(tmp_path / "chu-ky.p7s"))
    page.get_by_role("button", name="Gắn chữ ký vào báo cáo").click()
    expect(page.locator(".messages")).to_contain_text(f"{BLOCK_SIGNER} đã ký số báo cáo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    version.refresh_from_db()
    assert version.awaits_issue and version.person_signer == BLOCK_SIGNER

"""Issuing the consolidated report: preview, finalise (frozen), the signer signs, the records office numbers,
dates and issues with the organisation's signature; the same content as PDF and DOCX."""

import datetime
import io

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reporting.management import demo_images
from reporting.models import ReportSettings, ReportVersion, WorkflowError
from reporting.periods import default_schedule
from reporting.report import issue, verification
from reporting.report.document import from_data, plain_text
from reporting.report.spans import date_phrase

from .. import conftest
from .conftest import BLOCK_SIGNER
from .helpers import (
    ORGANISATION,
    SEED_000_SENTENCE,
    docx_text,
    make_signer,
    pdf_text,
    report,
    service_cells,
    stored,
)
from .test_signature_marks import Page

pytestmark = pytest.mark.django_db


def test_the_finalised_pdf_leaves_the_number_and_date_to_the_records_office(finalised):
    pdf, docx_file = pdf_text(stored(finalised.pdf)), docx_text(stored(finalised.docx))
    assert SEED_000_SENTENCE in pdf and SEED_000_SENTENCE in docx_file
    assert "Số: /BC-BCĐ" in pdf and "264" not in pdf
    assert finalised.awaits_signature and not finalised.number and finalised.issued_on is None


def test_the_signer_signs_then_the_office_numbers_dates_and_issues(issued, finalised):
    today = timezone.localdate()
    assert (issued.number, issued.issued_on, issued.is_issued) == ("264", today, True)
    assert issued.person_signer == BLOCK_SIGNER and not issued.signer_mismatch_reason
    signed = stored(issued.signed_pdf)
    result = verification.verify_pdf(signed)
    assert result.ok and verification.issued_version(signed) == issued
    assert [check.signer for check in result.signatures] == [BLOCK_SIGNER, ORGANISATION]
    assert signed.startswith(stored(issued.person_signed_pdf))    # the office added to the signed file
    docx_file = docx_text(stored(issued.docx))
    assert "Số: 264/BC-BCĐ" in docx_file and date_phrase(today) in docx_file
    assert "Số: 264/BC-BCĐ" in pdf_text(signed) and date_phrase(today) in pdf_text(signed)


def test_a_finalised_version_never_changes(finalised, april, compiler):
    frozen = (finalised.content_sha256, stored(finalised.pdf), finalised.document)
    report("SYT", april, {"note.difficulties": "Thiếu kinh phí."}, compiler=compiler)  # the data moves on
    again = ReportVersion.objects.get(pk=finalised.pk)
    assert (again.content_sha256, stored(again.pdf), again.document) == frozen
    assert "Thiếu kinh phí." not in plain_text(from_data(again.document))
    again.document = {}
    with pytest.raises(ValidationError, match="không thể sửa"):
        again.save()
    assert issue.content_hash(from_data(frozen[2])) == frozen[0]


def test_a_certificate_naming_someone_else_is_refused_unless_pc06_records_why(finalised, compiler, settings,
                                                                             tmp_path):
    make_signer(settings, tmp_path, name="Võ Thị Giang")       # the clerk's certificate, not the director's
    with pytest.raises(WorkflowError, match="“Võ Thị Giang”, không phải người ký ghi trên báo cáo"):
        issue.sign_as_signer(finalised, compiler)
    assert ReportVersion.objects.get(pk=finalised.pk).awaits_signature
    issue.sign_as_signer(finalised, compiler, mismatch_reason="Ký thay  theo Quyết định ủy quyền số 12/QĐ")
    signed = ReportVersion.objects.get(pk=finalised.pk)
    assert (signed.person_signer, signed.signer_mismatch_reason) == ("Võ Thị Giang",
                                                                     "Ký thay theo Quyết định ủy quyền số 12/QĐ")


def test_each_step_once_in_order_and_only_by_whom_it_belongs_to(finalised, compiler, clerk, keys, people):
    today = timezone.localdate()
    with pytest.raises(WorkflowError, match="chưa được người có thẩm quyền ký"):
        issue.issue(finalised, clerk, number="1", issued_on=today)
    with pytest.raises(WorkflowError, match="Chỉ cán bộ tổng hợp PC06"):
        issue.sign_as_signer(finalised, people["leader"])
    issue.sign_as_signer(finalised, compiler)
    with pytest.raises(WorkflowError, match="đã được người có thẩm quyền ký"):
        issue.sign_as_signer(ReportVersion.objects.get(pk=finalised.pk), compiler)
    with pytest.raises(WorkflowError, match="Chỉ văn thư"):
        issue.issue(finalised, compiler, number="1", issued_on=today)
    with pytest.raises(WorkflowError, match="không được trước ngày người có thẩm quyền ký"):
        issue.issue(finalised, clerk, number="1", issued_on=today - datetime.timedelta(days=1))
    with pytest.raises(WorkflowError, match="Nhập số văn bản"):
        issue.issue(finalised, clerk, number="  ", issued_on=today)
    issue.issue(finalised, clerk, number="7", issued_on=today)
    with pytest.raises(WorkflowError, match="đã được ban hành"):
        issue.issue(ReportVersion.objects.get(pk=finalised.pk), clerk, number="8", issued_on=today)


def test_a_step_another_request_took_meanwhile_is_refused_and_leaves_no_file(finalised, compiler, keys, media_root):
    stale = ReportVersion.objects.get(pk=finalised.pk)     # a second tab, loaded before the first one signed
    issue.sign_as_signer(finalised, compiler)
    files = sorted(path for path in media_root.rglob("*") if path.is_file())
    with pytest.raises(WorkflowError, match="vừa được người khác thực hiện"):
        issue.record_person_signature(stale, compiler, b"%PDF-other", signer_name=BLOCK_SIGNER, mismatch_reason="")
    assert sorted(path for path in media_root.rglob("*") if path.is_file()) == files


def test_a_number_is_taken_once_per_month_and_the_next_one_is_suggested(issued, april, compiler, clerk, keys):
    assert issue.suggested_number(timezone.localdate().year) == "265" and issue.suggested_number(2024) == "1"
    second = issue.finalise(april, compiler)
    issue.sign_as_signer(second, compiler)
    with pytest.raises(WorkflowError, match="đã có báo cáo số 264"):
        issue.issue(second, clerk, number="264", issued_on=timezone.localdate())
    assert ReportVersion.objects.get(pk=second.pk).awaits_issue


def test_files_are_named_by_month_number_and_hash(issued):
    folder = f"bao-cao-tong-hop/2024/04/{issued.content_sha256[:12]}/"
    assert (issued.pdf.name, issued.person_signed_pdf.name) == (f"{folder}bao-cao.pdf",
                                                                 f"{folder}bao-cao-nguoi-ky.pdf")
    numbered = f"bao-cao-tong-hop/2024/04/264-{issued.content_sha256[:12]}/"
    assert (issued.signed_pdf.name, issued.docx.name) == (f"{numbered}bao-cao-da-ban-hanh.pdf",
                                                           f"{numbered}bao-cao.docx")
    assert not issued.docx.storage.exists(f"{folder}bao-cao.docx")   # the unnumbered copy is replaced


def test_only_pc06_finalises(april, people, catalogs):
    with pytest.raises(WorkflowError, match="Chỉ cán bộ tổng hợp PC06"):
        issue.finalise(april, people["leader"])
    assert not ReportVersion.objects.exists()


def test_the_report_page_finalises_signs_issues_and_serves_files(client, april, compiler, clerk, people, keys):
    report("CATP", april, service_cells(), compiler=compiler)
    client.login(username="leader", password=conftest.PASSWORD)
    page = client.get(reverse("report_preview", args=[2024, 4]))
    assert page.status_code == 200 and "3.600/3.832" in page.content.decode()
    assert "Hoàn tất để trình ký" not in page.content.decode()   # leaders read, PC06 finalises
    assert client.get(reverse("report_draft", args=[2024, 4, "pdf"]))["Content-Type"] == "application/pdf"
    client.force_login(compiler)
    client.post(reverse("report_finalise", args=[2024, 4]))
    version = ReportVersion.objects.get()
    page = client.get(reverse("report_preview", args=[2024, 4])).content.decode()
    assert "chờ người có thẩm quyền ký số" in page and "Cấp số và ban hành" not in page
    client.post(reverse("report_sign", args=[version.pk]))
    page = client.get(reverse("report_preview", args=[2024, 4])).content.decode()
    assert f"đã được {BLOCK_SIGNER} ký số, chờ văn thư cấp số" in page and "Cấp số và ban hành" not in page
    client.force_login(clerk)
    assert 'value="1"' in client.get(reverse("report_preview", args=[2024, 4])).content.decode()   # suggested
    client.post(reverse("report_issue", args=[version.pk]), {"number": "264",
                                                             "issued_on": timezone.localdate().isoformat()})
    version.refresh_from_db()
    assert version.is_issued and version.number == "264"
    docx_file = docx_text(client.get(reverse("report_version_file", args=[version.pk, "docx"])).getvalue())
    assert SEED_000_SENTENCE in docx_file and "Số: 264/BC-BCĐ" in docx_file
    signed = client.get(reverse("report_version_file", args=[version.pk, "signed"]))
    assert "bao-cao-de-an-06-2024-04-so-264-da-ban-hanh.pdf" in signed["Content-Disposition"]
    client.login(username="ward_officer", password=conftest.PASSWORD)
    assert client.get(reverse("report_preview", args=[2024, 4])).status_code == 403
    assert client.get(reverse("report_version_file", args=[version.pk, "pdf"])).status_code == 403


def test_render_report_command_writes_the_draft(april, compiler, tmp_path):
    from django.core.management import CommandError, call_command
    report("CATP", april, service_cells(), compiler=compiler)
    out = tmp_path / "bao-cao.docx"
    call_command("render_report", period="2024-04", format="docx", out=str(out), stdout=io.StringIO())
    assert SEED_000_SENTENCE in docx_text(out.read_bytes())
    with pytest.raises(CommandError, match="Không có kỳ báo cáo “2031-13”"):
        call_command("render_report", period="2031-13", format="pdf", out=str(out))


def test_render_report_command_writes_a_multi_month_report(compiler, catalogs, tmp_path):
    from django.core.management import CommandError, call_command

    from reporting.periods import default_schedule
    schedule = default_schedule()
    for month in (1, 2, 3, 4, 5, 6):
        report("CATP", schedule.period_for(2024, month), {"dvc.DVC08.count": 100}, compiler=compiler)
    out = tmp_path / "so-ket.docx"
    call_command("render_report", first="2024-01", last="2024-06", format="docx", out=str(out), stdout=io.StringIO())
    text = docx_text(out.read_bytes())
    assert "6 tháng đầu năm 2024" in text and "mẫu dấu 600 hồ sơ" in text
    with pytest.raises(CommandError, match="--from phải trước"):
        call_command("render_report", first="2024-06", last="2024-01", format="pdf", out=str(out))
    with pytest.raises(CommandError, match="Dùng --period cho một tháng"):
        call_command("render_report", period="2024-04", first="2024-01", format="pdf", out=str(out))


def test_the_report_page_previews_a_range_of_months(client, compiler, people, catalogs):
    from reporting.periods import default_schedule
    schedule = default_schedule()
    for month in (1, 2, 3):
        report("CATP", schedule.period_for(2024, month), {"dvc.DVC08.count": 100}, compiler=compiler)
    client.login(username="leader", password=conftest.PASSWORD)
    page = client.get(reverse("report_preview", args=[2024, 3]), {"tu": "2024-01"}).content.decode()
    assert "quý I năm 2024" in page and "mẫu dấu <strong>300</strong> hồ sơ" in page
    draft = client.get(reverse("report_draft", args=[2024, 3, "docx"]), {"tu": "2024-01"})
    assert "mẫu dấu 300 hồ sơ" in docx_text(draft.content)
    assert client.get(reverse("report_preview", args=[2024, 3]), {"tu": "2024-05"}).status_code == 404


def test_a_quarter_is_finalised_as_its_own_version(client, compiler, people, catalogs):
    from reporting.periods import default_schedule
    schedule = default_schedule()
    for month in (1, 2, 3):
        report("CATP", schedule.period_for(2024, month), {"dvc.DVC08.count": 100}, compiler=compiler)
    client.force_login(compiler)
    response = client.post(reverse("report_finalise", args=[2024, 3]) + "?tu=2024-01")
    assert response["Location"].endswith("?tu=2024-01")
    version = ReportVersion.objects.get()
    assert (version.first_period.month, version.period.month) == (1, 3)
    text = plain_text(from_data(version.document))
    assert "quý I năm 2024" in text and "mẫu dấu 300 hồ sơ" in text
    quarter_page = client.get(response["Location"]).content.decode()
    march_page = client.get(reverse("report_preview", args=[2024, 3])).content.decode()
    assert "Các bản đã hoàn tất" in quarter_page and "Các bản đã hoàn tất" not in march_page
    download = client.get(reverse("report_version_file", args=[version.pk, "pdf"]))
    assert "bao-cao-de-an-06-2024-03-tu-2024-01.pdf" in download["Content-Disposition"]


def test_the_issued_report_shows_the_signers_image_and_the_seal_over_its_left_third(finalised, compiler, clerk, keys):
    report_settings = ReportSettings.for_schedule(finalised.period.schedule)
    report_settings.signer_image.save("chu-ky.png", ContentFile(demo_images.signature()), save=False)
    report_settings.seal_image.save("con-dau.png", ContentFile(demo_images.seal()), save=True)
    issue.sign_as_signer(finalised, compiler)
    signed = stored(issue.issue(finalised, clerk, number="264", issued_on=timezone.localdate()).signed_pdf)

    last = Page(signed, len(pypdfium2.PdfDocument(signed)) - 1)
    blue, red = last.where("blue"), last.where("red")
    assert 0.25 <= (red[2] - blue[0]) / (blue[2] - blue[0]) <= 0.42 and red[0] < blue[0]
    assert verification.verify_pdf(signed).ok


@pytest.mark.parametrize("image, message", [
    (Image.new("RGB", (40, 20), "blue"), "nền trong suốt"),
    (Image.new("RGBA", (4000, 20)), "tối đa 3000"),
])
def test_a_signature_image_must_be_a_transparent_png_of_sensible_size(catalogs, image, message):
    content = io.BytesIO()
    image.save(content, "PNG")
    report_settings = ReportSettings.for_schedule(default_schedule())
    report_settings.signer_image = SimpleUploadedFile("chu-ky.png", content.getvalue())
    with pytest.raises(ValidationError, match=message):
        report_settings.full_clean()

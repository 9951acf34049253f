"""Issuing the consolidated report: preview, finalise (frozen), download the same content as PDF and DOCX, sign, verify."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.models import ReportVersion, WorkflowError
from reporting.report import issue, verification
from reporting.report.document import from_data, plain_text

from .. import conftest
from .helpers import (
    MAY_6,
    SEED_000_SENTENCE,
    docx_text,
    flip_byte_in_original,
    make_signer,
    pdf_text,
    report,
    service_cells,
    stored,
)

pytestmark = pytest.mark.django_db


def test_the_pdf_and_the_docx_carry_the_seed_sentence(issued):
    pdf, docx_file = pdf_text(stored(issued.pdf)), docx_text(stored(issued.docx))
    assert SEED_000_SENTENCE in pdf and SEED_000_SENTENCE in docx_file
    assert "Số: 264/BC-BCĐ" in pdf and "ngày 06 tháng 5 năm 2024" in docx_file


def test_a_finalised_version_never_changes(issued, april, compiler):
    frozen = (issued.content_sha256, stored(issued.pdf), issued.document)
    report("SYT", april, {"note.difficulties": "Thiếu kinh phí."}, compiler=compiler)  # the data moves on
    again = ReportVersion.objects.get(pk=issued.pk)
    assert (again.content_sha256, stored(again.pdf), again.document) == frozen
    assert "Thiếu kinh phí." not in plain_text(from_data(again.document))
    again.number = "265"
    with pytest.raises(ValidationError, match="không thể sửa"):
        again.save()
    with pytest.raises(WorkflowError, match="đã có báo cáo số 264"):
        issue.finalise(april, compiler, number="264", issued_on=MAY_6)   # the same number twice
    assert issue.content_hash(from_data(again.document)) == frozen[0]


def test_issued_files_are_named_by_month_number_and_hash_and_a_refused_one_leaves_none(issued, april, compiler,
                                                                                        media_root):
    folder = f"bao-cao-tong-hop/2024/04/264-{issued.content_sha256[:12]}/"
    assert (issued.pdf.name, issued.docx.name) == (f"{folder}bao-cao.pdf", f"{folder}bao-cao.docx")
    files = sorted(path for path in media_root.rglob("*") if path.is_file())
    with pytest.raises(WorkflowError, match="đã có báo cáo số 264"):
        issue.finalise(april, compiler, number="264", issued_on=MAY_6)
    assert sorted(path for path in media_root.rglob("*") if path.is_file()) == files


def test_only_pc06_finalises(april, people, catalogs):
    with pytest.raises(WorkflowError, match="Chỉ cán bộ tổng hợp PC06"):
        issue.finalise(april, people["leader"], number="1", issued_on=MAY_6)
    assert not ReportVersion.objects.exists()


def test_signing_the_issued_pdf_verifies_and_a_changed_byte_breaks_it(issued, compiler, settings, tmp_path):
    make_signer(settings, tmp_path)
    issue.sign(issued, compiler, location="Thành phố Hồ Chí Minh")
    signed = stored(ReportVersion.objects.get(pk=issued.pk).signed_pdf)
    assert verification.verify_pdf(signed).ok
    assert not verification.verify_pdf(flip_byte_in_original(signed, stored(issued.pdf))).intact
    with pytest.raises(WorkflowError, match="đã được ký"):
        issue.sign(ReportVersion.objects.get(pk=issued.pk), compiler)


def test_the_report_page_previews_finalises_and_serves_files(client, april, compiler, people):
    report("CATP", april, service_cells(), compiler=compiler)
    client.login(username="leader", password=conftest.PASSWORD)
    page = client.get(reverse("report_preview", args=[2024, 4]))
    assert page.status_code == 200 and "3.600/3.832" in page.content.decode()
    assert "Ban hành (cố định" not in page.content.decode()   # leaders read, PC06 issues
    assert client.get(reverse("report_draft", args=[2024, 4, "pdf"]))["Content-Type"] == "application/pdf"
    client.login(username="compiler", password=conftest.PASSWORD)
    client.post(reverse("report_finalise", args=[2024, 4]), {"number": "264", "issued_on": "2024-05-06"})
    version = ReportVersion.objects.get()
    docx_file = client.get(reverse("report_version_file", args=[version.pk, "docx"]))
    assert SEED_000_SENTENCE in docx_text(docx_file.getvalue())
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


def test_a_quarter_is_finalised_as_its_own_numbered_version(client, compiler, people, catalogs):
    from reporting.periods import default_schedule
    schedule = default_schedule()
    for month in (1, 2, 3):
        report("CATP", schedule.period_for(2024, month), {"dvc.DVC08.count": 100}, compiler=compiler)
    client.login(username="compiler", password=conftest.PASSWORD)
    response = client.post(reverse("report_finalise", args=[2024, 3]) + "?tu=2024-01",
                           {"number": "12", "issued_on": "2024-04-02"})
    assert response["Location"].endswith("?tu=2024-01")
    version = ReportVersion.objects.get()
    assert (version.first_period.month, version.period.month) == (1, 3)
    text = plain_text(from_data(version.document))
    assert "quý I năm 2024" in text and "mẫu dấu 300 hồ sơ" in text and "Số: 12/BC-BCĐ" in text
    quarter_page = client.get(response["Location"]).content.decode()
    march_page = client.get(reverse("report_preview", args=[2024, 3])).content.decode()
    assert "Các bản đã ban hành" in quarter_page and "Các bản đã ban hành" not in march_page
    download = client.get(reverse("report_version_file", args=[version.pk, "pdf"]))
    assert "bao-cao-de-an-06-2024-03-tu-2024-01-so-12.pdf" in download["Content-Disposition"]

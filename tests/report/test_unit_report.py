"""A unit prints its own monthly report in seed 004's layout, with the appendix table of its services."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reporting.choices import AgencyKind, Progress
from reporting.models import Agency, ReportSettings
from reporting.periods import default_schedule
from reporting.report.document import Table, plain_text
from reporting.report.unit_report import compose_unit

from .. import conftest
from .helpers import docx_text, pdf_text, report

pytestmark = pytest.mark.django_db

# Seed 004 (Sở Tư pháp, March 2024), appendix rows 3 and 6: birth registrations and criminal-record certificates.
SEED_004_CELLS = {"dvc.DVC22.received": 2235, "dvc.DVC22.online": 2235,
                  "dvc.DVC25.received": 18131, "dvc.DVC25.online": 0,
                  "note.direction": "Triển khai Công văn số 1076/CQTT(CATP) ngày 04/3/2024.",
                  "note.next_tasks": "Tiếp tục rà soát dữ liệu hộ tịch.\nTập huấn đăng ký kết hôn trực tuyến."}


@pytest.fixture
def march(catalogs):
    return default_schedule().period_for(2024, 3)


def appendix_row(document, name):
    table = next(block for block in document.appendix if isinstance(block, Table))
    return next(row for row in table.rows if row[1] == name)


def test_a_departments_report_follows_seed_004_with_its_appendix(march, compiler):
    report("STP", march, SEED_004_CELLS, compiler=compiler)
    document = compose_unit(Agency.objects.get(code="STP"), march)
    text = plain_text(document)
    assert document.header.issuer == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP"]
    assert document.header.number == "Số:       /BC-STP" and not document.draft_notice
    assert "BÁO CÁO THÁNG 03/2024" in text and "tầm nhìn đến năm 2030” tại Sở Tư pháp" in text
    assert "Thực hiện Công văn số 3519/BCĐ ngày 06/7/2023" in text
    assert "Sở Tư pháp báo cáo các nội dung như sau:" in text
    assert "1. Công tác chỉ đạo, triển khai các nhiệm vụ của Đề án 06:\nTriển khai Công văn số 1076" in text
    assert "Đăng ký khai sinh 2.235/2.235 hồ sơ, đạt 100%" in text and "(Phụ lục đính kèm)." in text
    assert "Tiếp tục rà soát dữ liệu hộ tịch.\nTập huấn đăng ký kết hôn trực tuyến." in text   # a paragraph a line
    # Seed 004's columns: STT, service, "Kết nối với Cổng DVC quốc gia", total, online, share…
    assert appendix_row(document, "Cấp phiếu lý lịch tư pháp")[3:6] == ["18.131", "0", "0%"]
    assert appendix_row(document, "Đăng ký khai sinh")[3:6] == ["2.235", "2.235", "100%"]
    assert "- Công an Thành phố;" in document.signature.recipients


def test_the_pdf_and_docx_carry_the_appendix_after_the_signature(march, compiler):
    report("STP", march, SEED_004_CELLS, compiler=compiler)
    out = io.StringIO()
    call_command("render_report", period="2024-03", agency="STP", format="pdf", out="/dev/null", stdout=out)
    from reporting.report.render_docx import to_docx
    from reporting.report.render_pdf import to_pdf
    document = compose_unit(Agency.objects.get(code="STP"), march)
    for text in (pdf_text(to_pdf(document)), docx_text(to_docx(document))):
        assert text.index("Nơi nhận:") < text.index("Phụ lục: Tình hình triển khai dịch vụ công trực tuyến (Tháng 03/2024)")
        assert "18.131" in text


def test_a_wards_draft_says_so_and_its_head_signs(compiler, people, catalogs):
    april = default_schedule().period_for(2024, 4)
    head = people["ward_head"]
    head.first_name, head.last_name, head.title = "Hạnh", "Huỳnh Văn", "Chủ tịch"
    head.save()
    report("Q01-BNG", april, {"dvc.DVC22.received": 40, "dvc.DVC22.online": 31}, approve=False, compiler=compiler)
    document = compose_unit(Agency.objects.get(code="Q01-BNG"), april)
    assert document.header.issuer == ["ỦY BAN NHÂN DÂN", "PHƯỜNG BẾN NGHÉ"]
    assert "chưa được PC06 duyệt" in document.draft_notice          # a unit prints its month before approval
    assert (document.signature.above, document.signature.below) == (["CHỦ TỊCH"], ["Huỳnh Văn Hạnh"])
    settings = ReportSettings.for_schedule(april.schedule)
    settings.unit_signatures.create(agency_kind=AgencyKind.WARD, above="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    settings.unit_signatures.create(agency_kind=AgencyKind.DEPARTMENT, above="GIÁM ĐỐC")
    ward = compose_unit(Agency.objects.get(code="Q01-BNG"), april).signature
    assert (ward.above, ward.below) == (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ["Huỳnh Văn Hạnh"])
    assert compose_unit(Agency.objects.get(code="STP"), april).signature.above == ["GIÁM ĐỐC"]


def test_tasks_and_models_the_unit_leads_show_their_status_and_lateness(compiler, catalogs):
    april = default_schedule().period_for(2024, 4)
    catp = Agency.objects.get(code="CATP")
    from reporting.submissions import sheets
    sheet = sheets.build(catp, april)
    task_row = next(section for section in sheet.sections if section.slug == "nhiem-vu").rows[0]
    report("CATP", april, {task_row.cells[0].key: Progress.IN_PROGRESS, task_row.cells[1].key: "Đã trình dự thảo."},
           compiler=compiler)
    text = plain_text(compose_unit(catp, april))
    assert f"- {task_row.label}: đang triển khai. Đã trình dự thảo" in text


def test_a_count_moves_since_the_month_before_in_the_units_report(march, compiler):
    report("CATP", default_schedule().period_for(2024, 2), {"dvc.DVC10.count": 3885}, compiler=compiler)
    report("CATP", march, {"dvc.DVC10.count": 3639}, compiler=compiler)
    text = plain_text(compose_unit(Agency.objects.get(code="CATP"), march))
    assert "3.639 hồ sơ (giảm 246 hồ sơ so với tháng 02)" in text


def test_units_print_their_own_report_and_nobody_elses(client, compiler, people, catalogs):
    april = default_schedule().period_for(2024, 4)
    report("Q01-BNG", april, {"dvc.DVC22.received": 40, "dvc.DVC22.online": 31}, compiler=compiler)
    client.login(username="ward_officer", password=conftest.PASSWORD)
    own = client.get(reverse("unit_report", args=[2024, 4, people["ward_officer"].agency_id, "docx"]))
    assert own.status_code == 200 and "Đăng ký khai sinh 31/40 hồ sơ, đạt 77,5%" in docx_text(own.content)
    other = Agency.objects.get(code="Q01-BTH")
    assert client.get(reverse("unit_report", args=[2024, 4, other.pk, "pdf"])).status_code == 404
    entry_page = client.get(reverse("entry", args=[2024, 4, people["ward_officer"].agency_id])).content.decode()
    assert 'data-testid="unit-report-pdf"' in entry_page


def test_render_report_refuses_an_unknown_unit_or_a_range(march, tmp_path):
    from django.core.management import CommandError
    with pytest.raises(CommandError, match="Không có đơn vị mã “XYZ”"):
        call_command("render_report", period="2024-03", agency="XYZ", format="pdf", out=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="dùng --agency cùng --period"):
        call_command("render_report", first="2024-01", last="2024-03", agency="STP", format="pdf",
                     out=str(tmp_path / "x.pdf"))


def test_the_appendix_carries_the_portal_connection_and_the_units_remark_on_a_service(march, compiler):
    report("STP", march, {**SEED_004_CELLS, "dvc.DVC22.note": "Thiếu máy quét mã QR."}, compiler=compiler)
    document = compose_unit(Agency.objects.get(code="STP"), march)
    row = appendix_row(document, "Đăng ký khai sinh")
    assert (row[2], row[-1]) == ("Đã kết nối", "Thiếu máy quét mã QR.")       # seed 004's two text columns
    assert appendix_row(document, "Cấp phiếu lý lịch tư pháp")[-1] == ""
    assert "Đăng ký khai sinh 2.235/2.235 hồ sơ, đạt 100% (Thiếu máy quét mã QR.)" in plain_text(document)


def test_a_section_the_unit_has_nothing_for_is_left_out_and_numbers_close_up(march, compiler):
    report("STP", march, SEED_004_CELLS, compiler=compiler)
    text = plain_text(compose_unit(Agency.objects.get(code="STP"), march))
    assert "Kết quả triển khai các mô hình điểm" not in text          # STP leads no pilot model
    assert "2. Hiện trạng công tác giải quyết hồ sơ" in text and "3. Nhiệm vụ trọng tâm tháng tiếp theo:" in text

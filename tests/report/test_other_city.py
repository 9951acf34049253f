"""Another city is configured by data alone: its units, catalog, header, recipients and signer — no code change."""

from decimal import Decimal

import pytest

from indicators.models import Service
from reporting.catalog.loading import load_report_settings
from reporting.choices import AgencyKind, ChangeSource, Role
from reporting.models import Agency, ReportSettings, User
from reporting.periods import default_schedule
from reporting.report import outline_io
from reporting.report.compose import compose
from reporting.report.document import plain_text
from reporting.submissions import store, workflow
from reporting.submissions.store import CellValue

from ..conftest import FOUR_MEASURES, measures

pytestmark = pytest.mark.django_db

# Another city's outline, written as its PC06 would import it: its own sections and sentences.
CAN_THO_OUTLINE = {"format": "de-an-06-outline/1", "name": "Báo cáo tháng Cần Thơ", "kind": "month", "items": [
    {"kind": "text", "style": "title", "text": "BÁO CÁO"},
    {"kind": "text", "style": "subtitle", "text": "{subject} {span}"},
    {"kind": "text", "text": "{reporting_body} báo cáo kết quả {within_span} như sau:"},
    {"kind": "heading", "numbering": "roman", "text": "KẾT QUẢ", "children": [
        {"kind": "heading", "numbering": "arabic", "text": "Dịch vụ công trực tuyến", "children": [
            {"kind": "list", "numbering": "dash", "text": "{count:02} dịch vụ công thuộc nhiệm vụ của CATP Cần Thơ: ",
             "children": [{"kind": "figure", "service": "DVC01", "text": "{name} **{online}/{received}** {unit}, đạt {ratio}"}]},
        ]},
    ]},
]}


def test_a_can_tho_deployment_prints_only_its_own_names(db):
    schedule = default_schedule()
    ReportSettings.objects.create(
        schedule=schedule, issuer_lines="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ", place="Cần Thơ",
        subject="Kết quả thực hiện Đề án 06 trên địa bàn thành phố Cần Thơ",
        legal_bases="Căn cứ Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ;",
        reporting_body="Ủy ban nhân dân thành phố Cần Thơ", area="trên địa bàn thành phố Cần Thơ",
        recipients="- Bộ Công an (C06);\n- Lưu: VT, PC06.", signature_above="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signature_below="Nguyễn Văn A",
    )
    root = Agency.objects.create(code="BCD-CT", name="Ban Chỉ đạo Đề án 06 Cần Thơ", kind=AgencyKind.STEERING,
                                 is_reporting_unit=False)
    police = Agency.objects.create(code="CACT", name="Công an thành phố Cần Thơ", short_name="CATP Cần Thơ",
                                   kind=AgencyKind.POLICE, parent=root)
    pc06 = Agency.objects.create(code="PC06-CT", name="Phòng PC06", kind=AgencyKind.POLICE, parent=police,
                                 is_reporting_unit=False)
    service = Service.objects.create(code="DVC01", name="Đăng ký thường trú", order=1)
    service.reporter_agencies.add(police)
    service.measures.set(measures(*FOUR_MEASURES))
    compiler = User.objects.create(username="pc06-ct", role=Role.COMPILER, agency=pc06)
    april = schedule.period_for(2024, 4)
    submission = store.save_values(agency=police, period=april, user=compiler, version=0, source=ChangeSource.IMPORT,
                                   values={"dvc.DVC01.received": CellValue(Decimal(500)),
                                           "dvc.DVC01.online": CellValue(Decimal(450))})
    workflow.submit(submission, compiler, version=submission.version)
    workflow.approve(submission, compiler, version=submission.version)

    outline_io.load(schedule, CAN_THO_OUTLINE)

    text = plain_text(compose(april))
    assert "1. Dịch vụ công trực tuyến\n- 01 dịch vụ công thuộc nhiệm vụ của CATP Cần Thơ: (1) Đăng ký thường trú " \
           "450/500 hồ sơ, đạt 90%." in text
    assert "THÀNH PHỐ CẦN THƠ" in text and "Cần Thơ, ngày" in text and "KT. CHỦ TỊCH" in text
    assert "Ủy ban nhân dân thành phố Cần Thơ báo cáo kết quả" in text
    assert "Hồ Chí Minh" not in text and "1302/KH-UBND" not in text
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A" in text      # a signature of four lines


def test_a_new_citys_settings_start_empty_and_say_what_is_missing(db):
    settings = ReportSettings.for_schedule(default_schedule())
    assert settings.missing == ["cơ quan ban hành (mỗi dòng một dòng)", "địa danh", "trích yếu (trước “tháng … năm …”)",
                                "cơ quan báo cáo", "địa bàn", "trên chữ ký (mỗi dòng một dòng)",
                                "dưới chữ ký (mỗi dòng một dòng)"]
    text = plain_text(compose(default_schedule().period_for(2024, 4)))
    assert "Hồ Chí Minh" not in text and "Lê Hồng Nam" not in text


def test_load_catalogs_fills_the_settings_once_and_keeps_pc06s_edits(db):
    load_report_settings()
    settings = ReportSettings.for_schedule(default_schedule())
    assert settings.missing == [] and settings.signature_lines_below[-1] == "Trung tướng Lê Hồng Nam"
    settings.place = "Thủ Đức"
    settings.save()
    assert load_report_settings().unchanged == 1
    assert ReportSettings.for_schedule(default_schedule()).place == "Thủ Đức"

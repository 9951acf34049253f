""""Không phát sinh" is a zero the unit vouches for, "chưa có số liệu" is missing: the report says which."""

import re

import pytest

from reporting.choices import CellMark
from reporting.figures import consolidation
from reporting.models import Agency, DataValue
from reporting.report.compose import compose
from reporting.report.document import Table, plain_text
from reporting.report.render_docx import to_docx
from reporting.report.render_pdf import to_pdf
from reporting.report.unit_report import compose_unit
from reporting.submissions import workflow

from .helpers import docx_text, pdf_text, report, service_cells

pytestmark = pytest.mark.django_db

COVERAGE = "(số liệu của 1/2 đơn vị; 1 đơn vị chưa có số liệu)"


def mark(submission, key, how):
    """The unit's cell marked instead of a number, as the entry page and the Excel template write it."""
    DataValue.objects.update_or_create(submission=submission, key=key,
                                       defaults={"number": None, "text": "", "mark": how})


@pytest.fixture
def april_marked(april, compiler):
    """CATP's April of seed 000, with a second unit for Đăng ký thường trú that has no figures yet; nothing
    happened for Khai báo tạm vắng; nobody knows Xác nhận số CMND."""
    catp = report("CATP", april, service_cells(), approve=False, compiler=compiler)
    stp = report("STP", april, {"dvc.DVC22.received": 10, "dvc.DVC22.online": 4}, approve=False, compiler=compiler)
    for measure in ("online", "received"):
        mark(stp, f"dvc.DVC01.{measure}", CellMark.UNKNOWN)
        mark(catp, f"dvc.DVC04.{measure}", CellMark.NONE)
        mark(catp, f"dvc.DVC05.{measure}", CellMark.UNKNOWN)
    for submission in (catp, stp):      # approved once marked, as PC06 approves what the units sent
        workflow.approve(submission, compiler, version=submission.version)
    return april


def test_consolidation_counts_numbers_nothing_and_unknown_in_its_one_query(april_marked, django_assert_num_queries):
    consolidation.figures([april_marked])     # the cached catalog codes
    with django_assert_num_queries(1):
        figures = consolidation.figures([april_marked])
    assert figures.coverage_of("dvc.DVC01.online") == consolidation.Coverage(numbers=1, none=0, unknown=1)
    assert figures.get("dvc.DVC01.online") == 3600
    assert figures.coverage_of("dvc.DVC04.received").nothing_happened and figures.get("dvc.DVC04.received") == 0
    assert figures.coverage_of("dvc.DVC05.online").nobody_reported and figures.get("dvc.DVC05.online") is None


def test_a_service_where_nothing_happened_is_left_out_and_named_after_the_appendix(april_marked):
    document = compose(april_marked)
    text = plain_text(document)
    services = text.split("dịch vụ công trực tuyến thuộc nhiệm vụ của CATP: ")[1].split("\n")[0]
    assert "Khai báo tạm vắng" not in services and "0/0" not in services
    assert "- 10 dịch vụ công trực tuyến thuộc nhiệm vụ của CATP" in text     # the count leaves it out too
    note = document.appendix[-1].text
    assert "Ghi chú: 1 dịch vụ công không phát sinh hồ sơ trong tháng 4 năm 2024" in note
    assert "nên không nêu trong báo cáo: (1) Khai báo tạm vắng." in note


def test_a_figure_some_units_could_not_give_says_over_how_many_units_it_is(april_marked):
    text = plain_text(compose(april_marked))
    assert f"(1) Đăng ký thường trú 3.600/3.832 hồ sơ, đạt 93,95% {COVERAGE};" in text
    assert "Đăng ký tạm trú 14.610/14.665 hồ sơ, đạt tỷ lệ 99,62%;" in text      # complete: nothing added


def test_a_service_nobody_reported_says_no_data_never_zero(april_marked):
    text = plain_text(compose(april_marked))
    assert "Xác nhận số CMND khi đã có thẻ CCCD: chưa có số liệu;" in text
    assert not re.search(r"(?<![\d.])0/0 ", text)


def test_the_pdf_and_the_docx_state_the_coverage(april_marked):
    document = compose(april_marked)
    for text in (pdf_text(to_pdf(document)), docx_text(to_docx(document))):
        assert f"đạt 93,95% {COVERAGE}" in text
        assert "Xác nhận số CMND khi đã có thẻ CCCD: chưa có số liệu" in text
        assert "(1) Khai báo tạm vắng." in text


def test_a_units_own_report_leaves_out_what_did_not_happen_and_says_what_it_does_not_know(april, compiler):
    submission = report("STP", april, {"dvc.DVC22.received": 2235, "dvc.DVC22.online": 2235,
                                       "dvc.DVC25.received": 18131, "dvc.DVC25.online": 0}, compiler=compiler)
    for measure in ("online", "received"):
        mark(submission, f"dvc.DVC22.{measure}", CellMark.NONE)
    mark(submission, "dvc.DVC25.online", CellMark.UNKNOWN)
    document = compose_unit(Agency.objects.get(code="STP"), april)
    text = plain_text(document)
    table = next(block for block in document.appendix if isinstance(block, Table))
    assert "Đăng ký khai sinh" not in [row[1] for row in table.rows]
    assert [row[0] for row in table.rows] == [str(number) for number in range(1, len(table.rows) + 1)]
    criminal_record = next(row for row in table.rows if row[1] == "Cấp phiếu lý lịch tư pháp")
    assert criminal_record[3:5] == ["18.131", "Chưa có số liệu"]
    assert "(1) Đăng ký khai sinh." in text and "Đăng ký khai sinh 0/0" not in text

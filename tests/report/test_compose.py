"""The consolidated report carries exactly the approved figures, in the sentences of the real April 2024 report."""

import datetime
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import PlanTask
from reporting.choices import Progress
from reporting.figures import consolidation
from reporting.formatting import format_number
from reporting.periods import default_schedule
from reporting.report.compose import compose
from reporting.report.document import plain_text
from reporting.report.render_docx import to_docx
from reporting.report.render_pdf import to_pdf

from .helpers import SEED_000_SENTENCE, docx_text, pdf_text, report, service_cells

pytestmark = pytest.mark.django_db


def test_section_ii1_carries_the_seed_figures_and_percentages(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    text = plain_text(compose(april))
    assert SEED_000_SENTENCE in text
    assert "(Từ ngày 15/3/2024 đến ngày 14/4/2024)" in text
    assert "Căn cứ Kế hoạch số 1302/KH-UBND ngày 15/3/2024" in text
    assert "Số:       /BC-BCĐ" in text and "KT. TRƯỞNG BAN" in text and "- Lưu: VT, PC06." in text


def test_figures_are_bold_in_the_document(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    paragraph = next(block for block in compose(april).blocks if "Đăng ký thường trú" in getattr(block, "text", ""))
    assert [run.text for run in paragraph.runs if run.bold][:2] == ["3.600/3.832", "14.610/14.665"]


def test_only_approved_figures_count_unless_unapproved_ones_are_asked_for(april, compiler):
    report("CATP", april, service_cells(), approve=False, compiler=compiler)
    assert "Đăng ký thường trú" not in plain_text(compose(april))
    draft = compose(april, include_submitted=True)
    assert SEED_000_SENTENCE in plain_text(draft)
    assert "chưa được PC06 duyệt" in draft.draft_notice


def test_indicator_figures_print_in_the_outlines_sentences(april, compiler):
    report("SYT", april, {"ind.KCB_FACILITIES_CCCD": 408, "ind.KCB_FACILITIES_TOTAL": 409}, compiler=compiler)
    report("CATP", april, {"ind.CCCD_RECORDS": 7856474, "ind.EID_ISSUED": 5608825, "ind.EID_ACTIVATED": 4317962},
           compiler=compiler)
    text = plain_text(compose(april))
    assert "tổ chức thu nhận 7.856.474 hồ sơ CCCD, cấp 5.608.825 hồ sơ cấp tài khoản định danh điện tử" in text
    assert "đã kích hoạt 4.317.962 tài khoản" in text
    assert "duy trì thực hiện tại 408/409 cơ sở khám chữa bệnh." in text


def test_a_sentence_missing_one_of_its_figures_is_not_printed(april, compiler):
    report("CATP", april, {"ind.CCCD_RECORDS": 7856474}, compiler=compiler)
    assert "7.856.474" not in plain_text(compose(april))


def test_pilot_models_reported_under_way_are_counted_against_the_declared_35_and_listed(april, compiler):
    report("CATP", april, {"mh.MH02.status": Progress.IN_PROGRESS, "mh.MH03.status": Progress.NOT_STARTED},
           compiler=compiler)
    document = compose(april)
    assert "triển khai có hiệu quả 1/35 mô hình (35 mô hình điểm theo Kế hoạch 1948/KH-UBND" in plain_text(document)
    assert [note.text for note in document.footnotes] == ["(1) Mô hình công dân số"]


def test_every_overdue_plan_task_is_listed_unless_reported_done(april, compiler):
    due = PlanTask.objects.filter(plan__year=2024, due_date__lt=april.window_end).order_by("due_date", "pk")
    assert due.count() >= 2, "the 2024 plan has tasks due before mid-April"
    first, second = due[0], due[1]
    report("CATP", april, {f"nv.{first.pk}.status": Progress.DONE}, compiler=compiler)
    text = plain_text(compose(april))
    assert f"Nhiệm vụ {first.number}: {first.content} (chậm" not in text
    assert f"- Nhiệm vụ {second.number}: {second.content} (chậm tiến độ theo Kế hoạch 1302/KH-UBND, hạn " \
           f"{second.due_date:%d/%m/%Y})." in text
    later = PlanTask.objects.filter(plan__year=2024, due_date__gt=april.window_end).first()
    assert f"Nhiệm vụ {later.number}: {later.content} (chậm" not in text


def test_multi_month_figures_add_flows_and_keep_the_last_cumulative_value(april, compiler):
    march = default_schedule().period_for(2024, 3)
    report("CATP", march, {"dvc.DVC01.received": 3000, "ind.CCCD_RECORDS": 7800000, "ind.NEWS_PRESS": 9},
           compiler=compiler)
    report("CATP", april, {"dvc.DVC01.received": 3832, "ind.CCCD_RECORDS": 7856474, "ind.NEWS_PRESS": 11},
           compiler=compiler)
    both = consolidation.figures([march, april])
    assert both.get("dvc.DVC01.received") == 6832          # a flow adds up
    assert both.get("ind.NEWS_PRESS") == 20                # a flow indicator too
    assert both.get("ind.CCCD_RECORDS") == 7856474         # a cumulative counter keeps its last value


def test_a_monthly_report_says_how_counts_moved_since_the_month_before(april, compiler):
    schedule = default_schedule()
    report("CATP", schedule.period_for(2024, 3),
           {"dvc.DVC10.count": 115685 + 246, "ind.CCCD_RECORDS": 7800000, "ind.NEWS_PRESS": 11}, compiler=compiler)
    report("CATP", april, {"dvc.DVC10.count": 115685, "ind.CCCD_RECORDS": 7856474, "ind.NEWS_PRESS": 11},
           compiler=compiler)
    text = plain_text(compose(april))
    assert "xe gắn máy 115.685 hồ sơ (giảm 246 hồ sơ so với tháng 03)" in text     # seed 004's phrase
    assert "so với tháng" not in plain_text(compose(april, first=schedule.period_for(2024, 3)))   # a range has none


def test_january_compares_with_december_of_the_year_before(compiler, catalogs):
    schedule = default_schedule()
    report("CATP", schedule.period_for(2023, 12), {"dvc.DVC10.count": 9}, compiler=compiler)
    report("CATP", schedule.period_for(2024, 1), {"dvc.DVC10.count": 11}, compiler=compiler)
    assert "xe gắn máy 11 hồ sơ (tăng 2 hồ sơ so với tháng 12/2023)" in plain_text(compose(schedule.period_for(2024, 1)))


def test_no_phrase_when_the_month_before_has_no_approved_figure(april, compiler):
    march = default_schedule().period_for(2024, 3)
    report("CATP", march, {"dvc.DVC10.count": 9}, approve=False, compiler=compiler)
    report("CATP", april, {"dvc.DVC10.count": 11}, compiler=compiler)
    assert "xe gắn máy 11 hồ sơ." in plain_text(compose(april))


def test_notes_of_approved_units_fill_sections_i_iv_and_v(april, compiler):
    report("SYT", april, {"note.direction": "Trình UBND mô hình hồ sơ sức khỏe điện tử.",
                          "note.difficulties": "Thiếu kinh phí.", "note.next_tasks": "Mở rộng VNeID."},
           compiler=compiler)
    text = plain_text(compose(april, issued_on=datetime.date(2024, 5, 6)))
    assert "- SYT: Trình UBND mô hình hồ sơ sức khỏe điện tử." in text   # the unit by its short name
    assert "Thiếu kinh phí." in text and "Mở rộng VNeID." in text
    assert "Thành phố Hồ Chí Minh, ngày 06 tháng 5 năm 2024" in text


def test_a_quarter_report_folds_the_months_and_names_the_quarter(compiler, catalogs):
    schedule = default_schedule()
    months = [schedule.period_for(2024, month) for month in (1, 2, 3)]
    for number, period in enumerate(months, start=1):
        report("CATP", period, {"dvc.DVC01.online": 1000 * number, "dvc.DVC01.received": 1100 * number,
                                "ind.CCCD_RECORDS": 7_000_000 + number}, compiler=compiler)
    text = plain_text(compose(months[-1], first=months[0]))
    assert "trên địa bàn Thành phố quý I năm 2024" in text
    assert "(Từ ngày 15/12/2023 đến ngày 14/3/2024)" in text
    assert "(1) Đăng ký thường trú 6.000/6.600 hồ sơ, đạt 90,91%" in text          # flows add up


@pytest.mark.parametrize("first, last, label", [
    ((2024, 4), (2024, 4), "tháng 4 năm 2024"), ((2024, 1), (2024, 6), "6 tháng đầu năm 2024"),
    ((2024, 1), (2024, 12), "năm 2024"), ((2024, 7), (2024, 9), "quý III năm 2024"),
    ((2023, 11), (2024, 2), "từ tháng 11/2023 đến tháng 2/2024"),
])
def test_range_labels(first, last, label):
    from types import SimpleNamespace

    from reporting.report.spans import range_label
    month = lambda year_month: SimpleNamespace(year=year_month[0], month=year_month[1])  # noqa: E731
    assert range_label(month(first), month(last)) == label


def test_section_v_names_the_plan_tasks_falling_due_next_month_until_done(april, compiler):
    task = PlanTask.objects.get(plan__number="1302/KH-UBND", number="40")    # "Trong tháng 4 năm 2024"
    assert task.due_date == datetime.date(2024, 4, 30)
    due = f"- Nhiệm vụ 40: {task.content} (đến hạn 30/04/2024 theo Kế hoạch 1302/KH-UBND)."
    text = plain_text(compose(april))
    section_v = text.split("V. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THÁNG TIẾP THEO")[1]
    assert due.removeprefix("- ") in section_v and "chậm tiến độ" not in section_v
    assert "Nhiệm vụ 40:" not in text.split("V. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THÁNG TIẾP THEO")[0]   # not yet overdue
    lead = task.units.filter(role="lead").exclude(agency=None).first().agency
    report(lead.code, april, {f"nv.{task.pk}.status": Progress.DONE}, compiler=compiler)
    assert due.removeprefix("- ") not in plain_text(compose(april))


def test_a_draft_says_how_many_units_it_holds_and_an_issued_report_does_not(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    report("SYT", april, {"ind.KCB_FACILITIES_CCCD": 408}, approve=False, compiler=compiler)
    expected = format_number(april.expected_agencies().count())
    assert compose(april).draft_notice == f"DỰ THẢO — tổng hợp từ 1/{expected} đơn vị đã được PC06 duyệt."
    assert compose(april, include_submitted=True).draft_notice == (
        f"DỰ THẢO — tổng hợp từ 2/{expected} đơn vị đã nộp, kể cả báo cáo chưa được PC06 duyệt.")
    assert f"tổng hợp từ 1/{expected} đơn vị" in plain_text(compose(april))
    assert compose(april, number="264", issued_on=datetime.date(2024, 5, 6)).draft_notice == ""


def test_a_range_draft_gives_each_months_coverage(april, compiler):
    march = default_schedule().period_for(2024, 3)
    report("CATP", march, service_cells(), compiler=compiler)
    expected = format_number(april.expected_agencies().count())
    assert compose(april, first=march).draft_notice == (
        f"DỰ THẢO — tổng hợp từ các đơn vị đã được PC06 duyệt (tháng 3/2024: 1/{expected}; tháng 4/2024: 0/{expected}).")


def test_the_docx_file_names_its_issuing_body_title_and_the_day_it_was_made(april, compiler):
    properties = docx.Document(io.BytesIO(to_docx(compose(april)))).core_properties
    assert properties.author == properties.last_modified_by == "Ban Chỉ đạo thực hiện Đề án 06 Thành phố"
    assert properties.title.startswith("BÁO CÁO Kết quả thực hiện Đề án") and properties.title.endswith("tháng 4 năm 2024")
    assert properties.created.date() == properties.modified.date() == datetime.datetime.now(datetime.UTC).date()


def test_the_signature_prints_every_line_of_seed_000_in_pdf_and_docx(april, compiler):
    lines = ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "GIÁM ĐỐC CÔNG AN", "THÀNH PHỐ HỒ CHÍ MINH",
             "Trung tướng Lê Hồng Nam"]
    document = compose(april)
    assert document.signature.above + document.signature.below == lines
    for text in (pdf_text(to_pdf(document)), docx_text(to_docx(document))):
        assert " ".join(lines) in text


def test_a_service_nothing_was_received_for_prints_no_zero_over_zero(april, compiler):
    report("CATP", april, {**service_cells(), "dvc.DVC04.online": 0, "dvc.DVC04.received": 0}, compiler=compiler)
    text = plain_text(compose(april))
    assert "Khai báo tạm vắng 0/0" not in text and "0/0 hồ sơ" not in text
    assert "Thông báo lưu trú" in text


def test_pilot_models_nobody_reported_on_are_not_zero_of_thirty_five(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    text = plain_text(compose(april))
    assert "0/35 mô hình" not in text and "4. Về triển khai mô hình điểm\n5. Về phát triển công dân số" in text


def test_the_issued_text_leaves_out_the_drafts_placeholder_for_an_empty_section(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    assert "Các đơn vị chưa báo cáo nội dung này." in plain_text(compose(april))
    issued = plain_text(compose(april, number="264", issued_on=datetime.date(2024, 5, 6)))
    assert "Các đơn vị chưa báo cáo nội dung này." not in issued and "IV. KHÓ KHĂN, VƯỚNG MẮC" in issued


@pytest.mark.parametrize("first_month, last_month, heading", [
    (6, 6, "THÁNG TIẾP THEO"), (4, 6, "QUÝ TIẾP THEO"), (1, 6, "6 THÁNG CUỐI NĂM"), (1, 12, "NĂM TIẾP THEO"),
    (2, 6, "THỜI GIAN TỚI")])
def test_section_v_plans_for_what_follows_the_reports_span(catalogs, first_month, last_month, heading):
    schedule = default_schedule()
    text = plain_text(compose(schedule.period_for(2024, last_month), first=schedule.period_for(2024, first_month)))
    assert f"V. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM {heading}" in text and text.count("NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM") == 1


def test_a_longer_range_costs_no_more_queries(catalogs):
    schedule = default_schedule()
    december = schedule.period_for(2024, 12)
    counts = []
    for first_month in (10, 1):
        first = schedule.period_for(2024, first_month)
        schedule.periods_between((2024, first_month), (2024, 12))      # every month exists before counting
        with CaptureQueriesContext(connection) as queries:
            compose(december, first=first)
        counts.append(len(queries))
    assert counts[0] == counts[1]

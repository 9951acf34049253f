"""Another city, Cần Thơ, set up from an empty database in the browser alone, through to its signed yearly report.

The test creates one administrator account and nothing else. The administrator
sets the city up in the Vietnamese admin: its units, the measures services
report (if the database has lost the ones its migration made), a service list
and two of its services, two reporting months, the report settings, and the
accounts of PC06's compiler and of a department's officer. PC06 then writes a
yearly outline in the outline editor; the department enters and submits two
months; PC06 approves both from the board, opens the year's report from the
December report's own form, rewrites a section, issues and signs it. The
signed PDF must add the months up, carry the city's own four-line signature
and name no other city.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.choices import Role
from reporting.models import User

from .. import conftest
from ..report.helpers import pdf_text
from .conftest import log_in, open_narrative, screenshot

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1366, "height": 768}

STEERING = "Ban Chỉ đạo Đề án 06 thành phố Cần Thơ"
POLICE = "Công an thành phố Cần Thơ"
PC06 = "Phòng Cảnh sát quản lý hành chính về trật tự xã hội Công an thành phố Cần Thơ"
JUSTICE = "Sở Tư pháp thành phố Cần Thơ"
DECISION = "Quyết định số 06/QĐ-TTg"
BIRTH = "Liên thông đăng ký khai sinh - đăng ký thường trú - cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"
DEATH = "Liên thông đăng ký khai tử - xóa đăng ký thường trú - trợ cấp mai táng phí"
# What the city's measures are, as the admin shows them: (code, label, part of).
MEASURES = [("received", "Tiếp nhận", ""), ("online", "Trực tuyến", "Tiếp nhận"), ("resolved", "Đã giải quyết", "")]
SIGNATURE_ABOVE = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
SIGNATURE_BELOW = "Phó Chủ tịch Ủy ban nhân dân thành phố"
# The department's two months: (received, online, resolved) of each service.
JANUARY = {"DVC01": (100, 60, 80), "DVC02": (50, 30, 50)}
DECEMBER = {"DVC01": (150, 130, 140), "DVC02": (100, 80, 90)}
GROUP_TOTAL = ("Thực hiện {count}/{declared} dịch vụ công thiết yếu theo {name}: tiếp nhận trực tuyến "
               "**{online}/{received}** hồ sơ, đạt {online/received}; giải quyết {resolved}/{received} hồ sơ "
               "({resolved/received}).")
RESOLVED = "{name}: đã giải quyết **{resolved}/{received}** {unit}, đạt {resolved/received}."
DIFFICULTIES = "Một số xã chưa có máy quét căn cước để tiếp nhận hồ sơ liên thông."


def admin_add(page, model):
    """Open the admin's “add” form of ``model`` (as the admin index names it) from the index."""
    page.goto("/quan-tri/")
    page.locator("#content-main tr", has=page.get_by_role("link", name=model, exact=True)).get_by_role(
        "link", name="Thêm").click()


def field(page, label):
    """The admin's field labelled exactly ``label`` (the admin adds a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def save(page):
    page.get_by_role("button", name="Lưu lại", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")


def autocomplete(page, field, text):
    """Pick ``text`` in the admin's searchable choice of ``field`` (select2), once the search for it has answered.

    Saving while a search is still being answered would have two requests use the test's SQLite database at once,
    which its shared in-memory cache refuses ("database table is locked") instead of waiting.
    """
    page.locator(f".field-{field} .select2-selection").click()
    with page.expect_response(lambda response: "/autocomplete/" in response.url and "term=" in response.url):
        page.locator(".select2-dropdown .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def choose(page, field, labels):
    """Move ``labels`` to the chosen side of the admin's two-box choice of ``field``."""
    page.locator(f"#id_{field}_from").select_option(label=labels)
    page.locator(f"#id_{field}_add").click()


def add_agency(page, code, name, kind, parent="", reports=True):
    admin_add(page, "Đơn vị")
    field(page, "Mã").fill(code)
    field(page, "Tên").fill(name)
    field(page, "Loại").select_option(label=kind)
    if parent:
        autocomplete(page, "parent", parent)
    if not reports:
        field(page, "Phải báo cáo hằng tháng").uncheck()
    save(page)


def ensure_measures(page):
    """The measures the city's services report: the migration made them, but an emptied database lost them."""
    page.goto("/quan-tri/")
    page.get_by_role("link", name="Chỉ tiêu báo cáo của dịch vụ công", exact=True).click()
    for order, (code, label, part_of) in enumerate(MEASURES, start=1):
        if page.locator("#result_list tbody th a", has_text=re.compile(rf"^{code}$")).count():
            continue
        admin_add(page, "Chỉ tiêu báo cáo của dịch vụ công")
        field(page, "Mã").fill(code)
        field(page, "Tên cột").fill(label)
        if part_of:
            autocomplete(page, "part_of", part_of)
        field(page, "Thứ tự").fill(str(order))
        save(page)
        page.goto("/quan-tri/")
        page.get_by_role("link", name="Chỉ tiêu báo cáo của dịch vụ công", exact=True).click()


def add_period(page, year, month):
    """A reporting month of the schedule: named by its month, its window and deadline computed (Decree 09/2019)."""
    admin_add(page, "Kỳ báo cáo")
    field(page, "Lịch báo cáo").select_option(label="Báo cáo tháng Đề án 06")
    field(page, "Năm").fill(str(year))
    field(page, "Tháng").fill(str(month))
    expect(page.get_by_label("Số liệu từ ngày")).to_have_count(0)       # never typed by hand
    save(page)


def add_user(page, username, role, agency, *, records_office=False):
    admin_add(page, "Tài khoản")
    field(page, "Tên đăng nhập").fill(username)
    page.locator("#id_password1").fill(conftest.PASSWORD)
    page.locator("#id_password2").fill(conftest.PASSWORD)
    field(page, "Vai trò").select_option(label=role)
    autocomplete(page, "agency", agency)
    save(page)
    if records_office:       # the admin opens the new account's page: the records office's duty is ticked there
        page.get_by_label("Văn thư").check()
        save(page)


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


def open_month(page, year, month, agency_code):
    """From the board of the current month, the month's board, then the unit's row."""
    page.get_by_role("navigation").get_by_role("link", name="Tổng hợp", exact=True).click()
    page.get_by_role("link", name=f"{month}/{year}", exact=True).click()
    expect(page.locator("h1")).to_have_text(f"Tình hình nộp báo cáo Tháng {month}/{year}")
    page.locator(f'tr[data-agency="{agency_code}"]').get_by_role("link", name="Mở báo cáo").click()


def enter_and_submit(page, year, month, figures, note=""):
    open_month(page, year, month, "STP-CT")
    expect(page.get_by_test_id("entry-status")).to_contain_text(JUSTICE)
    for code, (received, online, resolved) in figures.items():
        page.locator(f'[name="dvc.{code}.received"]').fill(str(received))
        page.locator(f'[name="dvc.{code}.online"]').fill(str(online))
        page.locator(f'[name="dvc.{code}.resolved"]').fill(str(resolved))
    if note:
        page.locator('[name="note.difficulties"]').fill(note)
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã nộp báo cáo Tháng {month}/{year}")


def add_item(page, link, **fields):
    """Follow ``link`` (a locator of “Thêm …”), fill the item's form and save it."""
    link.click()
    for label, value in fields.items():
        box = page.get_by_label(label, exact=True)
        if box.evaluate("element => element.tagName") == "SELECT":
            box.select_option(label=value)
        else:
            box.fill(value)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu mục")


def row(page, text):
    return page.get_by_test_id("outline-item").filter(has=page.locator(".pattern", has_text=text))


def test_a_second_city_is_set_up_in_the_browser_and_issues_its_yearly_report(page, transactional_db, signer):
    year = timezone.localdate().year - 1      # a year whose twelve months are all past
    conftest.make_user("quantri", Role.ADMIN)
    page.set_viewport_size(DESKTOP)

    # --- the administrator sets the city up ------------------------------------------------------------
    log_in(page, User.objects.get(username="quantri"))
    add_agency(page, "BCD06-CT", STEERING, "Ban Chỉ đạo", reports=False)
    add_agency(page, "CATP-CT", POLICE, "Công an (cơ quan thường trực)", parent=STEERING)
    add_agency(page, "PC06-CT", PC06, "Công an (cơ quan thường trực)", parent=POLICE, reports=False)
    add_agency(page, "STP-CT", JUSTICE, "Sở, ban, ngành", parent=STEERING)
    ensure_measures(page)

    admin_add(page, "Danh sách dịch vụ công thiết yếu")
    field(page, "Mã").fill("QD06")
    field(page, "Văn bản").fill(DECISION)
    field(page, "Số dịch vụ theo văn bản").fill("25")
    save(page)
    for order, (code, name) in enumerate([("DVC01", BIRTH), ("DVC02", DEATH)], start=1):
        admin_add(page, "Dịch vụ công thiết yếu")
        field(page, "Mã").fill(code)
        field(page, "Tên dịch vụ công").fill(name)
        field(page, "Thuộc danh sách").select_option(label=f"{DECISION} (25 DVC)")
        choose(page, "measures", [label for _, label, _ in MEASURES])
        field(page, "Nhóm thủ tục liên thông").check()
        field(page, "Lĩnh vực").fill("Tư pháp")
        choose(page, "reporter_agencies", [JUSTICE])
        field(page, "Thứ tự").fill(str(order))
        save(page)

    add_period(page, year, 1)
    add_period(page, year, 12)

    admin_add(page, "Cài đặt báo cáo")
    field(page, "Lịch báo cáo").select_option(label="Báo cáo tháng Đề án 06")
    page.get_by_label("Cơ quan ban hành").fill("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ")
    page.get_by_label("Địa danh").fill("Cần Thơ")
    page.get_by_label("Ký hiệu sau số").fill("/BC-UBND")
    page.get_by_label("Trích yếu (trước").fill("Kết quả thực hiện Đề án 06 trên địa bàn thành phố Cần Thơ")
    page.get_by_label("Căn cứ (mỗi dòng").fill(f"Căn cứ {DECISION} ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ;")
    page.get_by_label("Cơ quan báo cáo").fill("Ủy ban nhân dân thành phố Cần Thơ")
    page.get_by_label("Địa bàn").fill("trên địa bàn thành phố Cần Thơ")
    page.get_by_label("Nơi nhận (mỗi dòng").fill("- Bộ Công an (C06);\n- Thường trực Thành ủy;\n- Lưu: VT, PC06.")
    page.get_by_label("Trên chữ ký").fill("\n".join(SIGNATURE_ABOVE))
    page.get_by_label("Dưới chữ ký").fill(SIGNATURE_BELOW)
    save(page)

    add_user(page, "pc06-cantho", "Cán bộ tổng hợp PC06", PC06, records_office=True)
    add_user(page, "stp-cantho", "Cán bộ nhập liệu của đơn vị", JUSTICE)
    screenshot(page, "second-city-admin")
    page.goto("/")
    log_out(page)

    # --- PC06 writes the yearly outline ------------------------------------------------------------------
    compiler = User.objects.get(username="pc06-cantho")
    log_in(page, compiler)
    page.get_by_test_id("report-link").click()
    page.get_by_role("link", name="Sửa đề cương").click()
    expect(page.get_by_test_id("no-outline")).to_be_visible()
    page.get_by_label("Đề cương của").select_option(label="Báo cáo quý, 6 tháng, năm của thành phố")
    page.get_by_label("Tên đề cương").fill("Báo cáo năm Đề án 06 thành phố Cần Thơ")
    page.get_by_role("button", name="Tạo đề cương").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo đề cương")
    tree = page.get_by_test_id("outline-range")
    last = tree.get_by_role("link", name="Thêm mục cuối đề cương")
    add_item(page, last, **{"Loại": "Đoạn văn (có thể có chỗ điền)", "Kiểu chữ": "Tên loại văn bản (BÁO CÁO)",
                            "Nội dung": "BÁO CÁO"})
    add_item(page, last, **{"Loại": "Đoạn văn (có thể có chỗ điền)", "Kiểu chữ": "Trích yếu (đậm, giữa)",
                            "Nội dung": "{subject} {span}"})
    add_item(page, last, **{"Loại": "Đề mục", "Đánh số": "I, II, III", "Nội dung": "KẾT QUẢ THỰC HIỆN"})
    add_item(page, row(page, "KẾT QUẢ THỰC HIỆN").get_by_role("link", name="Thêm mục con"),
             **{"Loại": "Tổng của một danh sách dịch vụ công", "Đánh số": "Gạch đầu dòng (-)",
                "Danh sách dịch vụ công": f"QD06 — {DECISION}", "Nội dung": GROUP_TOTAL})
    add_item(page, row(page, "Thực hiện {count}").get_by_role("link", name="Thêm mục sau"),
             **{"Loại": "Câu số liệu", "Dịch vụ công": f"DVC01 — {BIRTH}", "Nội dung": RESOLVED})
    add_item(page, last, **{"Loại": "Đề mục", "Đánh số": "I, II, III", "Nội dung": "Khó khăn, vướng mắc"})
    add_item(page, row(page, "Khó khăn, vướng mắc").get_by_role("link", name="Thêm mục con"),
             **{"Loại": "Thuyết minh (của đơn vị và/hoặc PC06)", "Đánh số": "Gạch đầu dòng (-)",
                "Mã mục thuyết minh": "kho-khan",
                "Lấy thuyết minh của đơn vị về": "IV. Khó khăn, vướng mắc và đề xuất, kiến nghị",
                "Cách tập hợp thuyết minh": "Trích từng đơn vị (- Đơn vị: nội dung)", "Nội dung": "{unit}: {note}"})
    preview = page.get_by_test_id("report-preview")
    expect(preview).to_contain_text("THÀNH PHỐ CẦN THƠ")
    expect(preview).to_contain_text("I. KẾT QUẢ THỰC HIỆN")
    expect(preview).to_contain_text("II. Khó khăn, vướng mắc")
    screenshot(page, "second-city-outline")
    log_out(page)

    # --- the department reports two months of the year ---------------------------------------------------
    log_in(page, User.objects.get(username="stp-cantho"))
    enter_and_submit(page, year, 1, JANUARY)
    enter_and_submit(page, year, 12, DECEMBER, note="Thiếu máy quét căn cước tại bộ phận một cửa cấp xã.")
    log_out(page)

    # --- PC06 approves both months from the board -------------------------------------------------------
    log_in(page, compiler)
    for month in (1, 12):
        open_month(page, year, month, "STP-CT")
        page.get_by_role("button", name="Duyệt báo cáo").click()
        # The only report of its month awaiting review: PC06 is back on that month's board.
        expect(page.locator(".messages")).to_contain_text(f"{JUSTICE} — Đã duyệt báo cáo. Đã xử lý hết báo cáo chờ duyệt.")

    # --- the year's report, from December's page --------------------------------------------------------
    page.get_by_role("navigation").get_by_role("link", name="Tổng hợp", exact=True).click()
    page.get_by_role("link", name=f"12/{year}", exact=True).click()
    page.get_by_test_id("report-link").click()
    page.get_by_label("Báo cáo nhiều tháng").fill(f"{year}-01")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_have_text(f"Báo cáo tổng hợp tháng 1/{year} – tháng 12/{year}")
    preview = page.get_by_test_id("report-preview")
    expect(preview).to_contain_text(f"năm {year}")
    expect(preview).to_contain_text(
        f"Thực hiện 2/25 dịch vụ công thiết yếu theo {DECISION}: tiếp nhận trực tuyến 300/400 hồ sơ, đạt 75%; "
        "giải quyết 360/400 hồ sơ (90%).")

    open_narrative(page, "kho-khan", "Khó khăn, vướng mắc")
    page.get_by_test_id("narrative-kho-khan").fill(DIFFICULTIES)
    page.locator("details[open]").get_by_role("button", name="Lưu nội dung mục này").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nội dung mục này.")
    expect(preview).to_contain_text(DIFFICULTIES)

    page.get_by_role("button", name="Hoàn tất để trình ký").click()
    expect(page.locator(".messages")).to_contain_text("Đã hoàn tất nội dung báo cáo")
    # The block names an office, not a person: the certificate's holder signs on behalf, and PC06 says so.
    page.get_by_role("button", name="Ký số (thiết bị ký số)").click()
    expect(page.locator(".messages")).to_contain_text("không phải người ký ghi trên báo cáo")
    page.get_by_text("Người ký khác tên ghi trên báo cáo?").click()
    page.get_by_label("Lý do").fill("Ký thay Phó Chủ tịch theo văn bản ủy quyền")
    page.get_by_role("button", name="Ký số (thiết bị ký số)").click()
    expect(page.locator(".messages")).to_contain_text("đã ký số báo cáo")
    expect(page.get_by_test_id("report-versions")).to_contain_text("Ký thay Phó Chủ tịch theo văn bản ủy quyền")
    page.get_by_label("Số văn bản").fill("15")
    page.get_by_role("button", name="Cấp số và ban hành").click()
    expect(page.locator(".messages")).to_contain_text("Đã ban hành báo cáo số 15")
    screenshot(page, "second-city-issued")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF đã ban hành").click()
    text = pdf_text(download.value.path().read_bytes())

    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" in text and "Số: 15/BC-UBND" in text
    assert f"Kết quả thực hiện Đề án 06 trên địa bàn thành phố Cần Thơ năm {year}" in text
    assert (f"- Thực hiện 2/25 dịch vụ công thiết yếu theo {DECISION}: tiếp nhận trực tuyến 300/400 hồ sơ, đạt 75%; "
            "giải quyết 360/400 hồ sơ (90%).") in text
    assert f"- {BIRTH}: đã giải quyết 220/250 hồ sơ, đạt 88%." in text
    assert DIFFICULTIES in text
    # The signature block, with the organisation's signature between its lines: its name and the time it signed.
    assert " ".join(SIGNATURE_ABOVE) in text and SIGNATURE_BELOW in text
    assert re.search(r"Ủy ban nhân dân thành phố Cần Thơ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", text)
    for other_city in ("Hồ Chí Minh", "HCM", "Thủ Đức"):
        assert other_city not in text

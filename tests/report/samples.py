"""A report document shaped like the city's April 2024 BÁO CÁO (seed 000), for the renderers' tests.

Every paragraph style, bold and italic runs, a table with figures, two
footnotes, the signature and the recipients; ``pages`` repeats the results
section (with its own numbering) until the report is about that long.
"""

from reporting.report.document import (
    Document,
    Footnote,
    HeaderBlock,
    Paragraph,
    Run,
    SignatureBlock,
    Style,
    Table,
    bold,
    runs,
)

SERVICES_SENTENCE = runs(
    "- 11 dịch vụ công trực tuyến thuộc nhiệm vụ của CATP: (1) Đăng ký thường trú ", bold("3.600/3.832"),
    " hồ sơ, đạt 93,95%; (2) Đăng ký tạm trú ", bold("14.610/14.665"), " hồ sơ, đạt 99,62%; (3) Thông báo lưu trú ",
    bold("40.400/40.424"), " hồ sơ, đạt 99,94%; (4) Khai báo tạm vắng ", bold("5/27"), " hồ sơ, đạt 18,52%.",
)
CASHLESS_SENTENCE = runs(
    "3.1. Lĩnh vực an sinh xã hội: Đến nay, các đơn vị đã rà soát ", bold("155.016/155.052"),
    " trường hợp thuộc đối tượng chi trả ASXH (", Run("đạt 99,98%", italic=True), "), trong đó ", bold("53.771"),
    " trường hợp đã được cấp tài khoản ASXH và ", bold("53.020"), " trường hợp đã được chi trả qua tài khoản.",
)
DIGITAL_CITIZENS = (
    "CATP đã phối hợp chặt chẽ với các đơn vị có liên quan tổ chức thu nhận {cccd} hồ sơ CCCD, cấp {eid} hồ sơ "
    "cấp tài khoản định danh điện tử cho công dân bao gồm cả thường trú và tạm trú, trong đó đã kích hoạt "
    "{active} tài khoản để người dân thụ hưởng các tiện ích trên ứng dụng VNeID, thực hiện các thủ tục hành chính "
    "trên môi trường điện tử."
)
DIRECTION = (
    "- Lực lượng Công an các cấp tiếp tục khai thác, sử dụng hiệu quả hệ thống Cơ sở dữ liệu quốc gia về dân cư "
    "phục vụ yêu cầu quản lý nhà nước về an ninh trật tự, đấu tranh phòng chống tội phạm; đồng thời, cung cấp "
    "thông tin phục vụ yêu cầu của các Sở, ngành về các thông tin cơ bản của công dân phục vụ hoạch định các chính "
    "sách phát triển kinh tế - xã hội và công tác chỉ đạo, điều hành của lãnh đạo các cấp."
)
PILOT_MODELS_NOTE = (
    "(1) Mô hình triển khai dịch vụ công; (2) Mô hình công dân số; (3) Mô hình thanh toán không dùng tiền mặt; "
    "(4) Mô hình an sinh xã hội; (5) Mô hình khám chữa bệnh sử dụng thẻ CCCD gắn chip điện tử và ứng dụng VNeID."
)
NEWS_NOTE = (
    "Công an Thành phố tiếp tục quyết tâm thúc đẩy Đề án 06 và chuyển đổi số; Công an TPHCM cấp CCCD gắn chip "
    "đối với nhân khẩu đặc biệt tại tỉnh Bình Dương."
)


def sample_document(pages=1, *, draft_notice=""):
    blocks = [*_opening(), *_direction()]
    # The opening, closing and signature take about a page, each copy of section II about 0.75.
    for repeat in range(max(1, round((pages - 1.2) * 1.35))):
        blocks += _results(repeat)
    blocks += _closing()
    return Document(
        header=HeaderBlock(
            issuer=["BAN CHỈ ĐẠO ĐỀ ÁN 06", "THÀNH PHỐ HỒ CHÍ MINH"],
            number="Số: 264/BC-BCĐ",
            place_date="Thành phố Hồ Chí Minh, ngày 06 tháng 5 năm 2024",
        ),
        blocks=blocks,
        signature=SignatureBlock(
            recipients=["- Bộ Công an (C06);", "- Thường trực Thành ủy;", "- Chủ tịch UBND Thành phố;",
                        "- Thành viên Ban Chỉ đạo;", "- Lưu: VT, PC06."],
            above=["TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"],
            below=["Nguyễn Văn A"],
        ),
        draft_notice=draft_notice,
    )


def _opening():
    return [
        Paragraph(runs("BÁO CÁO"), Style.TITLE),
        Paragraph(runs("Kết quả thực hiện Đề án 06 trên địa bàn Thành phố tháng 4 năm 2024"), Style.SUBTITLE),
        Paragraph(runs("(Từ ngày 15/3/2024 đến ngày 14/4/2024)"), Style.CENTERED),
        Paragraph(runs("Căn cứ Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ phê duyệt "
                       "Đề án “Phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển "
                       "đổi số quốc gia giai đoạn 2022 - 2025, tầm nhìn đến năm 2030” (gọi tắt là Đề án 06);")),
        Paragraph(runs("Ban Chỉ đạo thực hiện Đề án 06 Thành phố báo cáo kết quả triển khai thực hiện Đề án 06 "
                       "trên địa bàn Thành phố Hồ Chí Minh trong tháng 4/2024 như sau:")),
    ]


def _direction():
    return [
        Paragraph(runs("I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO"), Style.HEADING),
        Paragraph(runs("1. Công tác chỉ đạo, điều hành"), Style.SUBHEADING),
        Paragraph(runs(DIRECTION), source="note.direction"),
    ]


def _results(repeat):
    """Section II once; the first copy carries the two footnotes, later copies renumber their headings.

    Every other copy has the services table: the real report is mostly prose.
    """
    suffix = f" (phần {repeat + 1})" if repeat else ""
    footnotes = repeat == 0
    return [
        Paragraph(runs(f"II. KẾT QUẢ CÁC MẶT CÔNG TÁC VÀ TIỆN ÍCH ĐẠT ĐƯỢC{suffix.upper()}"), Style.HEADING),
        Paragraph(runs("1. Về nhóm tiện ích giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến"),
                  Style.SUBHEADING),
        Paragraph(list(SERVICES_SENTENCE)),
        *([_services_table()] if repeat % 2 == 0 else []),
        Paragraph(list(CASHLESS_SENTENCE)),
        Paragraph(runs("2. Về triển khai mô hình điểm"), Style.SUBHEADING),
        Paragraph(runs("Phối hợp các đơn vị, sở, ngành triển khai có hiệu quả ", bold("19/35"),
                       Run(" mô hình", footnote=Footnote(PILOT_MODELS_NOTE) if footnotes else None),
                       ". Trong đó có một số mô hình đã phát huy hiệu quả cao khi được triển khai thực tế.")),
        Paragraph(runs("3. Về phát triển công dân số"), Style.SUBHEADING),
        Paragraph(runs(DIGITAL_CITIZENS.format(cccd="7.856.474", eid="5.608.825", active="4.317.962"))),
        Paragraph(runs("- Trong tháng, CATP đã xây dựng ", bold("02 tin, bài"),
                       Run("", footnote=Footnote(NEWS_NOTE)) if footnotes else "",
                       " tuyên truyền trên các phương tiện thông tin đại chúng.")),
    ]


def _services_table():
    return Table(
        header=["TT", "Dịch vụ công trực tuyến", "Tiếp nhận", "Trực tuyến", "Tỷ lệ"],
        rows=[
            ["1", "Đăng ký thường trú", "3.832", "3.600", "93,95%"],
            ["2", "Đăng ký tạm trú", "14.665", "14.610", "99,62%"],
            ["3", "Thông báo lưu trú", "40.424", "40.400", "99,94%"],
            ["4", "Khai báo tạm vắng", "27", "5", "18,52%"],
        ],
        numeric={2, 3, 4},
        widths=[1, 6, 2, 2, 2],
    )


def _closing():
    return [
        Paragraph(runs("III. NHẬN XÉT, ĐÁNH GIÁ"), Style.HEADING),
        Paragraph(runs("Duy trì thường xuyên hoạt động của các nhóm công tác thuộc Tổ Giúp việc để bàn bạc, thảo "
                       "luận đề xuất hướng tháo gỡ “điểm nghẽn”, bảo đảm dữ liệu luôn “đúng, đủ, sạch, sống”.")),
        Paragraph(runs("Trên đây là báo cáo kết quả triển khai thực hiện Đề án 06 trên địa bàn Thành phố "
                       "tháng 4 năm 2024.")),
    ]

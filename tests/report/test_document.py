"""The document model's stored form gives back the same document."""

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
    from_data,
    plain_text,
    runs,
    to_data,
)


def sample():
    return Document(
        HeaderBlock(["BAN CHỈ ĐẠO ĐỀ ÁN 06", "THÀNH PHỐ HỒ CHÍ MINH"], "Số: 264/BC-BCĐ", "Thành phố Hồ Chí Minh, ngày 06 tháng 5 năm 2024"),
        [Paragraph(runs("BÁO CÁO"), Style.TITLE),
         Paragraph(runs("(1) Đăng ký thường trú ", bold("3.600/3.832"), " hồ sơ, đạt 93,95%",
                        Run(" mô hình", footnote=Footnote("(1) Mô hình công dân số"))), source="note.direction"),
         Table(["Dịch vụ", "Tỷ lệ"], [["Đăng ký thường trú", "93,95%"]], {1}, [3, 1])],
        SignatureBlock(["- Lưu: VT, PC06."], ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"],
                       ["GIÁM ĐỐC CÔNG AN", "THÀNH PHỐ HỒ CHÍ MINH", "Trung tướng Lê Hồng Nam"]),
        draft_notice="DỰ THẢO",
        appendix=[Paragraph(runs("Phụ lục"), Style.SUBTITLE), Table(["STT", "Tổng số"], [["1", "18.131"]], {1})],
    )


def test_stored_form_round_trips():
    document = sample()
    assert from_data(to_data(document)) == document
    assert plain_text(from_data(to_data(document))) == plain_text(document)


def test_a_version_stored_before_appendices_existed_still_reads():
    data = to_data(sample())
    del data["appendix"]
    assert from_data(data).appendix == []


def test_the_appendix_reads_after_the_signature():
    text = plain_text(sample())
    assert text.index("Trung tướng Lê Hồng Nam") < text.index("Phụ lục") < text.index("1 | 18.131")


def test_a_version_stored_with_a_three_line_signature_still_reads():
    data = to_data(sample())
    data["signature"] = {"recipients": ["- Lưu: VT."], "authority": "KT. TRƯỞNG BAN",
                         "title": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "name": "Trung tướng Lê Hồng Nam"}
    signature = from_data(data).signature
    assert (signature.above, signature.below) == (["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"],
                                                  ["Trung tướng Lê Hồng Nam"])

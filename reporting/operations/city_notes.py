"""The generated narrative notes of a unit's month (sections I, III, IV and V of the report).

Written the way the districts and departments write theirs: a sentence or
two per section, the unit's own figures of the month where a real note would
quote them. The sentences are drawn from the unit's seeded random source, so
a run always writes the same report.
"""

from reporting import cells
from reporting.formatting import format_number, format_percent

SENTENCES = {
    cells.DIRECTION.key: [
        ("Ban hành kế hoạch triển khai Đề án 06 tháng {month}, phân công cụ thể từng nhiệm vụ cho các bộ phận "
         "và người đứng đầu, gắn trách nhiệm với tiến độ hoàn thành."),
        ("Tổ chức họp giao ban định kỳ với Tổ công tác triển khai Đề án 06 để rà soát tiến độ, kịp thời tháo gỡ "
         "vướng mắc phát sinh trong giải quyết thủ tục hành chính trên môi trường điện tử."),
        ("Chỉ đạo bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến, sử dụng tài khoản định danh điện tử "
         "VNeID khi thực hiện dịch vụ công; trong tháng tiếp nhận {received} hồ sơ, trong đó {online} hồ sơ trực "
         "tuyến, đạt {share}."),
        ("Quán triệt đến cán bộ, công chức yêu cầu bảo đảm dữ liệu “đúng, đủ, sạch, sống”, phối hợp Công an cùng "
         "cấp làm sạch dữ liệu chuyên ngành."),
    ],
    cells.STRENGTHS.key: [
        ("Tỷ lệ hồ sơ trực tuyến tiếp tục tăng ({share}); người dân đã quen với việc sử dụng tài khoản định danh "
         "điện tử mức độ 2 khi thực hiện thủ tục."),
        ("Sự phối hợp giữa các bộ phận chuyên môn và Công an cùng cấp chặt chẽ, kịp thời; hồ sơ được giải quyết "
         "đúng hạn chiếm tỷ lệ cao."),
        ("Các mô hình điểm được duy trì ổn định, bước đầu mang lại hiệu quả thiết thực cho người dân và doanh "
         "nghiệp."),
    ],
    cells.SHORTCOMINGS.key: [
        "Một số hồ sơ trực tuyến còn phải bổ sung giấy tờ do người dân chưa nắm rõ thành phần hồ sơ.",
        "Hạ tầng công nghệ thông tin tại bộ phận một cửa chưa đồng bộ, đường truyền có thời điểm chậm.",
        "Việc cập nhật, làm sạch dữ liệu chuyên ngành còn chậm so với yêu cầu của kế hoạch.",
    ],
    cells.DIFFICULTIES.key: [
        ("Hệ thống giải quyết thủ tục hành chính của Thành phố chưa kết nối đầy đủ với Cơ sở dữ liệu quốc gia về "
         "dân cư, cán bộ còn phải nhập lại thông tin; đề nghị Sở Thông tin và Truyền thông sớm hoàn thiện kết nối."),
        ("Kinh phí cho việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hạn chế; kiến nghị Thành phố "
         "bố trí nguồn kinh phí năm {year}."),
        "Nhân lực làm công tác chuyển đổi số còn mỏng, kiêm nhiệm nhiều việc; đề nghị tổ chức tập huấn chuyên sâu.",
    ],
    cells.NEXT_TASKS.key: [
        ("Tiếp tục đẩy mạnh tuyên truyền, hướng dẫn người dân thực hiện dịch vụ công trực tuyến toàn trình, phấn "
         "đấu tỷ lệ hồ sơ trực tuyến tháng tới cao hơn tháng {month}."),
        "Hoàn thành các nhiệm vụ được giao theo Kế hoạch năm {year}, tập trung vào các nhiệm vụ đã đến hạn.",
        ("Phối hợp Công an cùng cấp rà soát, làm sạch dữ liệu; duy trì hoạt động của Tổ công tác triển khai Đề án "
         "06."),
    ],
}


# Every unit says how it directed the work; about half have something to add in each other section.
WRITES_SECTION = {cells.DIRECTION.key: 1.0}
OTHER_SECTIONS = 0.5
SECOND_SENTENCE = 0.15


def month_notes(period, random, values):
    """note key → the unit's text for the month: a sentence or two in the sections it writes."""
    received = sum(value for key, value in values.items() if cells.service_measure(key) == cells.RECEIVED)
    online = sum(value for key, value in values.items() if cells.service_measure(key) == cells.ONLINE)
    figures = {
        "month": period.month, "year": period.year,
        "received": format_number(received), "online": format_number(online),
        "share": format_percent(online, received) or "0%",
    }
    notes = {}
    for key, sentences in SENTENCES.items():
        if random.random() >= WRITES_SECTION.get(key, OTHER_SECTIONS):
            continue
        if not received:
            # A district's records are its wards': it quotes no figures of its own.
            sentences = [sentence for sentence in sentences if "{share}" not in sentence]
        chosen = random.sample(sentences, 1 + (random.random() < SECOND_SENTENCE))
        notes[key] = " ".join(sentence.format(**figures) for sentence in chosen)
    return notes

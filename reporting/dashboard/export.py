"""The dashboard as an .xlsx workbook: one sheet per part of the page, the same numbers as the page shows.

Numbers are written as numbers (Excel shows 7.856.474 under Vietnamese
settings; percentages with two decimals), every text through ``text_cell``.
"""

import openpyxl

from reporting.excel.exports import write_number
from reporting.excel.workbooks import header_row, text_cell


def filename(board):
    first, last = board.first, board.last
    span = f"{last[0]}-{last[1]:02d}" if first == last else f"{first[0]}-{first[1]:02d}-den-{last[0]}-{last[1]:02d}"
    scope = f"-don-vi-{board.node[0]}" if board.node else ""
    return f"dieu-hanh-de-an-06-{span}{scope}.xlsx"


def workbook(board):
    book = openpyxl.Workbook()
    book.remove(book.active)
    _kpis(book.create_sheet("Chỉ số chính"), board)
    _targets(book.create_sheet("Chỉ tiêu kế hoạch"), board)
    _completeness(book.create_sheet("Tình hình nộp"), board)
    _units(book.create_sheet("Đơn vị"), board)
    _rankings(book.create_sheet("Xếp hạng"), board)
    _trends(book.create_sheet("Xu hướng"), board)
    _programmes(book.create_sheet("Mô hình điểm"), board)
    _overdue(book.create_sheet("Nhiệm vụ chậm"), board)
    return book


def _write(sheet, row, column, value):
    if value is None or isinstance(value, str):
        return text_cell(sheet, row, column, value)
    # A share is shown with two decimals, as on the page; counts stay whole.
    return write_number(sheet, row, column, round(value, 2))


def _table(sheet, headers, widths, rows):
    header_row(sheet, 1, headers, widths)
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _write(sheet, row_number, column, value)


def _kpis(sheet, board):
    _table(sheet, ["Chỉ số", "Giá trị", "Đơn vị", "Tử số/mẫu số", "Số đơn vị có số liệu"], [60, 16, 14, 24, 32],
           [(kpi.label, kpi.value if kpi.value is not None else kpi.text, kpi.unit, kpi.parts, kpi.coverage_text)
            for kpi in board.kpis])


def _targets(sheet, board):
    rows = []
    for target in board.targets:
        kpi = target.kpi
        if kpi is None:
            rows.append((target.code, target.text, None, None, "", "", target.standing_label, target.reason))
        else:
            rows.append((target.code, target.text, kpi.target, kpi.value, kpi.unit, kpi.gap, target.standing_label, ""))
    _table(sheet, ["Mục", "Chỉ tiêu", "Mức chỉ tiêu", "Thực hiện", "Đơn vị", "Chênh lệch", "Đánh giá",
                   "Vì sao chưa đo được"], [8, 70, 14, 14, 10, 20, 16, 60], rows)


def _completeness(sheet, board):
    rows = [(kind.label, kind.expected, kind.submitted, kind.on_time, kind.late, kind.missing) for kind in board.kinds]
    rows.append(("Tổng", board.expected, board.submitted, board.on_time, board.late, board.expected - board.submitted))
    rows.append(())
    rows.append(("Đơn vị chưa nộp", "Loại", "Trực thuộc", "Trạng thái"))
    rows += [(unit.name, unit.kind, unit.parent, unit.status) for unit in board.missing]
    _table(sheet, ["Loại đơn vị", "Phải nộp", "Đã nộp", "Đúng hạn", "Muộn", "Chưa nộp"], [40, 14, 14, 14, 14, 14],
           rows)


def _units(sheet, board):
    _table(sheet, ["Đơn vị", "Loại", "Phải nộp", "Đã nộp", "Hồ sơ tiếp nhận", "Trực tuyến", "Đã giải quyết",
                   "Đúng hạn"], [40, 30, 12, 12, 16, 14, 16, 14],
           [(row.name, row.kind, row.expected, row.submitted, row.totals.get("received"), row.totals.get("online"),
             row.totals.get("resolved"), row.totals.get("on_time")) for row in board.rows])


def _rankings(sheet, board):
    rows = []
    for ranking in board.rankings:
        rate = "online_rate" if ranking.measure == "online" else "on_time_rate"
        rows += [(ranking.title, "Cao nhất", position, row.name, getattr(row, rate))
                 for position, row in enumerate(ranking.best, start=1)]
        rows += [(ranking.title, "Thấp nhất", position, row.name, getattr(row, rate))
                 for position, row in enumerate(ranking.worst, start=1)]
    _table(sheet, ["Bảng xếp hạng", "Nhóm", "Thứ tự", "Đơn vị", "Tỷ lệ (%)"], [60, 12, 8, 40, 12], rows)


def _trends(sheet, board):
    _table(sheet, ["Chỉ số", "Đơn vị", *board.window], [60, 10] + [12] * len(board.window),
           [(kpi.label, kpi.unit, *(point.value for point in kpi.series)) for kpi in board.kpis])


def _programmes(sheet, board):
    _table(sheet, ["Chương trình", "Số mô hình theo văn bản", "Đã hoàn thành", "Đang triển khai", "Chưa triển khai",
                   "Chưa báo cáo", "Triển khai có hiệu quả"], [60, 14, 14, 14, 14, 14, 14],
           [(programme.name, programme.declared, *programme.by_column, programme.effective)
            for programme in board.programmes])


def _overdue(sheet, board):
    _table(sheet, ["Số", "Nhiệm vụ", "Hạn", "Kế hoạch", "Đơn vị chủ trì"], [8, 80, 12, 18, 40],
           [(task.number, task.content, task.due.strftime("%d/%m/%Y"), task.plan, task.lead)
            for task in board.overdue])

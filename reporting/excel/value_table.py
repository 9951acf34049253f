"""The long table of reported values: one row per unit × month × cell.

PC06's history workbook is read in this shape and a period's export is
written in it, so an exported file imports again with no change. Columns are
found by their header, so their order may change and extra columns (a status,
a unit's district) are ignored on import.
"""

AGENCY_CODE = "Mã đơn vị"
AGENCY_NAME = "Đơn vị"
YEAR = "Năm"
MONTH = "Tháng"
KEY = "Mã ô"
LABEL = "Chỉ tiêu"
VALUE = "Giá trị"
COMMENT = "Ghi chú / lý do"

COLUMNS = [AGENCY_CODE, AGENCY_NAME, YEAR, MONTH, KEY, LABEL, VALUE, COMMENT]
# What an import needs; the names and labels are there for the reader.
REQUIRED = [AGENCY_CODE, YEAR, MONTH, KEY, VALUE]
WIDTHS = [14, 34, 7, 7, 26, 60, 16, 30]
SHEET_TITLE = "Số liệu"

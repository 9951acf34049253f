"""What an uploaded workbook may hold, judged while its zip is inflated, before openpyxl builds anything.

openpyxl holds in memory, from the moment it opens a file, the shared strings,
the styles and every part it parses whole (the workbook, its properties and
relationships); it reads a sheet's rows, and the shared strings, one item at a
time. So each part is bounded by the bytes it inflates to and by the XML tags
openpyxl would hold at once: one row or one string in a sheet or the
shared-strings table, the whole part anywhere else. A sheet's rows and its
declared dimension are bounded too: openpyxl pads each row to the declared
width and fills in every missing row up to the declared height.

Only the parts where Excel puts them (``xl/worksheets/…``, ``xl/sharedStrings.xml``)
are read item by item, and the package must name those same parts (its content
types, the workbook's relationships, no chart sheet): what is counted item by
item here is then what openpyxl reads item by item.

The limits are what our own workbooks need, with room; each says why.
"""

import re
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring
from openpyxl.utils.cell import column_index_from_string

from reporting.excel import archive
from reporting.excel.archive import MiB, ArchiveError
from reporting.formatting import format_number

MAX_ROWS = 60_000          # rows of a sheet, header included: a city-wide year of history is about 50 000
MAX_COLUMNS = 60           # the widest sheet we read is a catalog's (14 columns); room for a user's own
MAX_SHEET_BYTES = 64 * MiB  # our 60 000-row export inflates to 40 MiB (openpyxl writes Vietnamese letters as &#…;)
# Every distinct text of a workbook, read and held the moment openpyxl opens it: an Excel-saved
# history holds a few thousand names, labels and codes, and its notes. 100 000 take 1,5 s and 25 MB.
MAX_SHARED_STRINGS_BYTES = 8 * MiB
MAX_SHARED_STRINGS = 100_000
MAX_STYLES_BYTES = 2 * MiB  # parsed whole when the workbook opens; Excel's own are tens of KB
MAX_PART_BYTES = 4 * MiB    # any other part: the workbook, theme, properties, relationships, a picture
MAX_INFLATED_BYTES = 80 * MiB
# Time: our 60 000-row export has 2,7 million tags, and openpyxl reads about 400 000 a second.
MAX_XML_TAGS = 4_000_000
# Memory ("<" counted, so an element with content is two): one row or one string of 60 columns of
# rich text stays far below MAX_ITEM_TAGS; the parts held whole by a workbook of Excel's (styles,
# workbook, relationships, a sheet's settings and merged cells), all together, below MAX_HELD_TAGS.
# 100 000 merged cells (a tag each), the costliest, take about 65 MB.
MAX_ITEM_TAGS = 10_000
MAX_HELD_TAGS = 100_000
# One text: a cell holds at most 32 767 characters, 230 KB written as &#…; references.
MAX_TEXT_BYTES = 512 * 1024
# gunicorn ends a worker after 30 s; a 60 000-row history workbook is checked and read in about 9 s.
READ_SECONDS = 20

_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]{0,40}:)?(row|si|dimension)(?=[\s/>])[^<>]{0,1000}")
_TAG_REACH = 1100
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?([A-Za-z_][\w.-]{0,40})")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"']([^\"']{0,40})[\"']")
_DIMENSION_END = re.compile(rb"\sref\s*=\s*[\"'][^\"']*?([A-Za-z]{1,4})(\d{1,12})\s*[\"']")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# The content types openpyxl finds its parts by, and the one part Excel writes each to.
_PLACES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "/xl/workbook.xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "/xl/workbook.xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "/xl/workbook.xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "/xl/workbook.xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml": "/xl/sharedStrings.xml",
}


@dataclass
class _Workbook:
    """What the scan of one file adds up over its parts."""

    held: int = 0                                # tags openpyxl holds whole, every part together
    kept: dict = field(default_factory=dict)     # member → its chunks, for the parts checked whole afterwards


def check(file_name, content, until):
    """Inflate ``content`` (an .xlsx) part by part within every limit; ArchiveError in Vietnamese otherwise."""
    workbook = _Workbook()

    def judge_names(names):
        if "xl/workbook.xml" not in names:
            raise ArchiveError(f"Tệp “{file_name}” không phải bảng tính Excel .xlsx.")

    limits = archive.Limits(part=_part_limit, total=MAX_INFLATED_BYTES, seconds=READ_SECONDS)
    archive.inflate(content, file_name=file_name, expected="tệp Excel .xlsx", limits=limits, until=until,
                    judge_names=judge_names, scanner=lambda member: _PartScan(file_name, member, workbook))
    _check_layout(file_name, workbook.kept)


def _part_limit(member):
    if member.startswith("xl/worksheets/"):
        return MAX_SHEET_BYTES, "trang tính"
    if member == "xl/sharedStrings.xml":
        return MAX_SHARED_STRINGS_BYTES, "bảng chuỗi dùng chung"
    if member == "xl/styles.xml":
        return MAX_STYLES_BYTES, "bảng định dạng"
    return MAX_PART_BYTES, "thành phần"


def column_number(letters):
    """'A' → 1, 'XFD' → 16384; what is not a column is beyond every limit."""
    try:
        return column_index_from_string(letters.upper())
    except ValueError:
        return 1 << 30


class _PartScan:
    """What openpyxl would build from one part, counted as it is inflated: rows, strings, tags held, long texts."""

    def __init__(self, file_name, member, workbook):
        self.file_name, self.member = file_name, member
        self.scan = archive.StreamScan(_TAG, _TAG_REACH)
        self.xml = None           # whether the part is XML at all, from its first bytes
        self.item_name = None     # b"row" or b"si" where openpyxl reads item by item; found with the root
        self.inside = False
        self.tags = self.item = self.rows = self.strings = self.text_run = 0
        self.workbook = workbook
        self.kept = workbook.kept.setdefault(member, []) if member in (_CONTENT_TYPES, _WORKBOOK_RELS) else None

    def feed(self, chunk):
        self._scan(chunk, final=False)

    def end(self):
        self._scan(b"", final=True)

    def refuse(self, what):
        raise ArchiveError(f"Tệp “{self.file_name}”: phần “{self.member[:80]}” {what}")

    def _scan(self, chunk, final):
        if self.xml is None:
            # What does not start as XML (a picture, printer settings) no XML parser builds anything from;
            # blanks before the root are XML's, however many.
            start = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")
            if not start:
                return
            self.xml = start.startswith(b"<")
            if self.xml:
                self._find_root(start)
        if not self.xml:
            return
        self._text_run(chunk)
        if self.kept is not None:
            self.kept.append(chunk)
        window, cut, matches = self.scan.feed(chunk, final)
        last = 0
        for match in matches:
            self._count(window.count(b"<", last, match.start()))
            last = match.start()
            if self.inside and match.group(1) and match.group(2) == self.item_name:
                self._count(1)      # an item's closing tag is the item's
                last += 1
            self._tag(match)
        self._count(window.count(b"<", last, cut))

    def _find_root(self, chunk):
        root = _ROOT.search(chunk)
        name = root.group(1) if root else b""
        if name == b"worksheet" and _SHEET_PART.fullmatch(self.member):
            self.item_name = b"row"
        elif name == b"sst" and self.member == "xl/sharedStrings.xml":
            self.item_name = b"si"

    def _count(self, tags):
        self.tags += tags
        if self.tags > MAX_XML_TAGS:
            self.refuse(f"có hơn {format_number(MAX_XML_TAGS)} thẻ XML, vượt giới hạn; chia thành nhiều tệp.")
        if self.inside:
            self.item += tags
            if self.item > MAX_ITEM_TAGS:
                self.refuse(f"có một dòng hoặc một chuỗi hơn {format_number(MAX_ITEM_TAGS)} thẻ XML, vượt giới hạn "
                            "(tệp không do Excel tạo ra); hãy mở tệp bằng Excel rồi lưu lại.")
        else:
            self.workbook.held += tags
            if self.workbook.held > MAX_HELD_TAGS:
                raise ArchiveError(f"Tệp “{self.file_name}” có hơn {format_number(MAX_HELD_TAGS)} thẻ XML ngoài các dòng "
                                   "số liệu (định dạng, ô gộp…), vượt giới hạn; hãy xóa định dạng thừa hoặc mở tệp "
                                   "bằng Excel rồi lưu lại.")

    def _text_run(self, chunk):
        # MAX_TEXT_BYTES is longer than a chunk, so a run that long always spans chunks.
        first = chunk.find(b"<")
        self.text_run += len(chunk) if first < 0 else first
        if self.text_run > MAX_TEXT_BYTES:
            raise ArchiveError(
                f"Tệp “{self.file_name}” khi giải nén lớn bất thường: phần “{self.member[:80]}” có một đoạn liền "
                f"dài hơn {format_number(MAX_TEXT_BYTES / 1024)} KB (một ô Excel chứa tối đa 32.767 ký tự) "
                "nên tệp bị từ chối để bảo vệ hệ thống.")
        if first >= 0:
            self.text_run = len(chunk) - chunk.rfind(b"<") - 1

    def _tag(self, match):
        closing, name, text = match.group(1), match.group(2), match.group()
        if name == b"dimension":
            if not closing:
                self._dimension(text)
            return
        if not closing and name == b"row":
            self._row(text)
        elif not closing:
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                self.refuse(f"có hơn {format_number(MAX_SHARED_STRINGS)} chuỗi văn bản, vượt giới hạn; "
                            "chia thành nhiều tệp.")
        if name != self.item_name:
            return
        if closing:
            self.inside = False
        elif not self.inside and not text.endswith(b"/"):
            self.inside, self.item = True, 0

    def _row(self, text):
        self.rows += 1
        number = _ROW_NUMBER.search(text)
        if number and not number.group(1).strip().isdigit():
            self.refuse(f"ghi số dòng “{number.group(1).decode(errors='replace')[:20]}” không hợp lệ "
                        "(tệp không do Excel tạo ra); hãy mở tệp bằng Excel rồi lưu lại.")
        if self.rows > MAX_ROWS or (number and int(number.group(1)) > MAX_ROWS):
            self.refuse(f"vượt giới hạn {format_number(MAX_ROWS)} dòng; chia thành nhiều tệp.")

    def _dimension(self, text):
        end = _DIMENSION_END.search(text)
        if not end:
            return
        letters, row = end.group(1).decode(), int(end.group(2))
        if column_number(letters) > MAX_COLUMNS or row > MAX_ROWS:
            self.refuse(f"khai báo vùng dữ liệu tới ô {letters}{row}, vượt giới hạn {format_number(MAX_ROWS)} dòng × "
                        f"{MAX_COLUMNS} cột; xóa các dòng, cột thừa rồi lưu lại.")


def _check_layout(file_name, kept):
    """The package names its parts where Excel puts them, and holds no chart sheet (see the module's docstring)."""
    odd = (f"Tệp “{file_name}” không có cấu trúc của một bảng tính Excel (tệp không do Excel tạo ra); "
           "hãy mở tệp bằng Excel rồi lưu lại.")
    try:
        types = fromstring(b"".join(kept.get(_CONTENT_TYPES, [])))
        relationships = fromstring(b"".join(kept[_WORKBOOK_RELS])) if _WORKBOOK_RELS in kept else None
    except Exception as error:  # missing, damaged, or entities (defusedxml)
        raise ArchiveError(odd) from error
    for override in types.iter("{http://schemas.openxmlformats.org/package/2006/content-types}Override"):
        place = _PLACES.get(override.get("ContentType"))
        if place and override.get("PartName") != place:
            raise ArchiveError(odd)
    for relationship in relationships.iter() if relationships is not None else ():
        if str(relationship.get("Type", "")).endswith("/chartsheet"):
            raise ArchiveError(f"Tệp “{file_name}” có trang biểu đồ (chart sheet); hệ thống chỉ đọc các trang số "
                               "liệu: xóa trang biểu đồ rồi lưu lại.")

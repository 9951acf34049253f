"""An Office file (.xlsx, .docx) is a zip archive: what the archive must satisfy before any parser opens it.

Every member is inflated here, in chunks, and counted as it comes: the sizes
a zip declares are not believed. Inflating stops at the first limit a member
or the whole file passes — bytes per member and in total, compression ratio,
number of members, time. What zipfile itself finds wrong (a bad CRC, a member
shorter or longer than declared, local and central names that differ, an
encrypted member, a compression Office never uses such as Deflate64) is a
damaged file, said in Vietnamese. XML declaring a DOCTYPE or an ENTITY is
refused (XXE): no Office application writes one, and the parsers behind us
(defusedxml) refuse it again should this scan miss one.

What a member holds beyond that is its reader's business: ``inflate`` hands
each chunk to the scanner the caller gives for that member (a workbook's rows
and strings, a document's field codes).
"""

import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from reporting.formatting import format_number

MiB = 1024 * 1024
CHUNK_BYTES = 64 * 1024
# Excel and Word write 10–40 members; each costs an open and a scan.
MAX_MEMBERS = 500
# Our 60 000-row export inflates 14×, what Excel or Word saves less; a zip bomb 1 000×.
MAX_RATIO = 100
# Below this a member may compress better than MAX_RATIO without costing anything to inflate.
RATIO_FLOOR_BYTES = 1 * MiB
# Office writes stored and deflated members only; bzip2 and LZMA would inflate slowly, Deflate64 not at all.
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_DOCTYPE_REACH = 16


class ArchiveError(ValidationError):
    """The archive is refused; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Limits:
    """``part(name)`` → (the most bytes that member may inflate to, what to call it in a message);
    ``total``: the most bytes of all members; ``seconds``: the time budget, as said in a message."""

    part: object
    total: int
    seconds: float


def deadline(seconds):
    return time.monotonic() + seconds


def check_time(file_name, until, seconds):
    if time.monotonic() > until:
        raise ArchiveError(f"Tệp “{file_name}” cần hơn {format_number(seconds)} giây để kiểm tra nên bị từ chối "
                           "để bảo vệ hệ thống; hãy chia thành nhiều tệp nhỏ hơn.")


def inflate(content, *, file_name, expected, limits, until, judge_names=None, scanner=None):
    """Inflate and check every member of ``content``; the member names, or ArchiveError.

    ``expected`` names what the file should have been ("tệp Excel .xlsx").
    ``judge_names(names)`` may refuse the archive from its member names alone,
    before anything is inflated. ``scanner(name)`` gives an object whose
    ``feed(chunk)`` sees each inflated chunk of that member and ``end()`` its
    end (either may raise a ValidationError, which goes through as it is), or
    None when the member needs nothing more.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except Exception as error:  # zipfile raises BadZipFile, ValueError, struct.error… for a damaged directory
        raise ArchiveError(f"Tệp “{file_name}” bị hỏng hoặc không phải {expected}.") from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ArchiveError(f"Tệp “{file_name}” có {format_number(len(members))} thành phần, vượt giới hạn "
                               f"{format_number(MAX_MEMBERS)} nên bị từ chối để bảo vệ hệ thống.")
        names = [member.filename for member in members]
        if len(set(names)) != len(names):
            raise ArchiveError(f"Tệp “{file_name}” bị hỏng: có hai thành phần trùng tên.")
        if judge_names:
            judge_names(names)
        total = 0
        for member in members:
            total += _inflate_member(archive, member, file_name, limits, until, total,
                                     scanner(member.filename) if scanner else None)
    return names


def _inflate_member(archive, member, file_name, limits, until, inflated_before, scan):
    name = member.filename
    if member.compress_type not in METHODS:
        raise ArchiveError(f"Tệp “{file_name}” có thành phần “{name[:80]}” nén theo cách Excel và Word không dùng; "
                           "hãy mở tệp bằng Excel hoặc Word rồi lưu lại.")
    if member.flag_bits & 0x1:
        raise ArchiveError(f"Tệp “{file_name}” có thành phần “{name[:80]}” được mã hóa; "
                           "hãy gỡ mật khẩu rồi lưu lại tệp.")
    cap, kind = limits.part(name)
    ratio_cap = MAX_RATIO * max(member.compress_size, 1)
    size, tail = 0, b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > cap:
                    raise ArchiveError(f"Tệp “{file_name}” khi giải nén lớn bất thường: {kind} “{name[:80]}” vượt "
                                       f"{format_number(cap / MiB)} MB nên tệp bị từ chối để bảo vệ hệ thống.")
                if inflated_before + size > limits.total:
                    raise ArchiveError(f"Tệp “{file_name}” khi giải nén lớn bất thường (hơn "
                                       f"{format_number(limits.total / MiB)} MB) nên bị từ chối để bảo vệ hệ thống.")
                if size > RATIO_FLOOR_BYTES and size > ratio_cap:
                    raise ArchiveError(f"Tệp “{file_name}” khi giải nén lớn bất thường: “{name[:80]}” nở hơn "
                                       f"{MAX_RATIO} lần (dấu hiệu “bom nén”) nên tệp bị từ chối.")
                window = tail + chunk
                if _DOCTYPE.search(window):
                    raise ArchiveError(f"Tệp “{file_name}” chứa khai báo DOCTYPE/ENTITY trong “{name[:80]}”; "
                                       "tệp Excel, Word bình thường không có, nên tệp bị từ chối.")
                tail = window[-_DOCTYPE_REACH:]
                if scan:
                    scan.feed(chunk)
                check_time(file_name, until, limits.seconds)
    except ValidationError:    # ours, or the scanner's
        raise
    except Exception as error:  # BadZipFile (CRC, names), EOFError (cut short), zlib.error, NotImplementedError…
        raise ArchiveError(f"Tệp “{file_name}” bị hỏng: thành phần “{name[:80]}” không giải nén được "
                           f"({_reason(error)}). Hãy mở tệp bằng Excel hoặc Word rồi lưu lại.") from error
    if size != member.file_size:
        raise ArchiveError(f"Tệp “{file_name}” bị hỏng: thành phần “{name[:80]}” khai {format_number(member.file_size)} "
                           f"byte nhưng giải nén được {format_number(size)}. Hãy mở tệp bằng Excel hoặc Word rồi lưu lại.")
    if scan:
        scan.end()
    return size


def _reason(error):
    text = str(error)
    if "CRC" in text:
        return "sai mã kiểm tra CRC"
    if "differ" in text:
        return "tên trong mục lục và trong phần đầu thành phần không khớp"
    if isinstance(error, EOFError):
        return "dữ liệu bị cắt cụt hoặc khai sai kích thước"
    if isinstance(error, zlib.error):
        return "dữ liệu nén không hợp lệ"
    if isinstance(error, (NotImplementedError, RuntimeError)):
        return "mã hóa hoặc cách nén không được hỗ trợ"
    return "cấu trúc tệp nén không hợp lệ"


class StreamScan:
    """Matches of ``pattern`` over a member fed in chunks, each found once even when it straddles two chunks.

    A match is at most ``reach`` bytes long and holds no "<" after its first
    byte (a tag's opening), so two matches never overlap.
    """

    def __init__(self, pattern, reach):
        self.pattern, self.reach, self.carry = pattern, reach, b""

    def feed(self, chunk, final=False):
        """(window, cut, matches): the matches that start before ``cut``; the bytes from ``cut`` on come again next time."""
        window = self.carry + chunk
        cut = len(window) if final else max(len(window) - self.reach, 0)
        matches = []
        for match in self.pattern.finditer(window):
            if match.start() >= cut:
                break
            matches.append(match)
        self.carry = window[cut:]
        return window, cut, matches

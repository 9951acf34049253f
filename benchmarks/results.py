"""One table of every benchmark's figure, its baseline of the same run, the ratio and the goal.

Printed at the end of ``python -m benchmarks`` and written, with the machine's
description, the date and the whole log of the run, to benchmarks/RESULTS.md.
"""

import datetime
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import django
from django.db import connection

from reporting.formatting import format_number

RESULTS_FILE = Path(__file__).resolve().parent / "RESULTS.md"
HEADERS = ("Phép đo", "Kết quả", "Mốc so sánh (cùng lần chạy)", "Tỷ lệ", "Mục tiêu", "Đạt")


@dataclass
class Result:
    measure: str
    value: str
    baseline: str = ""
    ratio: str = ""             # what the figure is to its baseline, in words: "1,32× thời gian", "nhanh gấp 21,6×"
    goal: str = ""
    met: bool | None = None     # None: a figure to know, with no goal of its own

    def cells(self):
        met = {True: "đạt", False: "CHƯA ĐẠT", None: "—"}[self.met]
        return (self.measure, self.value, self.baseline or "—", self.ratio or "—", self.goal or "—", met)


def times(ratio):
    """'1,32×', '21,6×'."""
    return f"{format_number(ratio, 2 if ratio < 10 else 1)}×"


def seconds_text(seconds):
    """'0,55 s', '0,004 s': Vietnamese decimals, a third below 0,1 s."""
    return f"{format_number(seconds, 3 if seconds < 0.1 else 2)} s"


def milliseconds_text(milliseconds):
    return f"{format_number(milliseconds, 1)} ms"


def table(results):
    rows = [HEADERS, *(result.cells() for result in results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(results):
    rows = [HEADERS, *(result.cells() for result in results)]
    lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(HEADERS))
    return "\n".join(lines)


def machine():
    """What ran the benchmarks: the lines a reader needs to compare another run with this one."""
    return [
        f"Máy: {_cpu_model()}, {os.cpu_count()} lõi, {_memory_gib()} GiB RAM; {_os_name()}",
        f"Python {platform.python_version()}, Django {django.get_version()}",
        f"Cơ sở dữ liệu: {_database_version()}",
        f"Bộ nhớ đệm / hàng đợi: {_redis_version()}",
    ]


def write(results, log, started):
    finished = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    text = "\n".join([
        "# Kết quả đo hiệu năng (benchmarks)",
        "",
        f"Chạy `make bench` (`python -m benchmarks{''.join(' ' + arg for arg in sys.argv[1:])}`) từ "
        f"{started:%H:%M} đến {finished:%H:%M} ngày {finished:%d/%m/%Y} (giờ Việt Nam). Tệp này do lần chạy đó "
        "ghi ra; chạy lại để đo trên máy khác.",
        "",
        *(f"- {line}" for line in machine()),
        "",
        markdown_table(results),
        "",
        "Mỗi tỷ lệ so kết quả với mốc so sánh đo trong cùng lần chạy, trên cùng dữ liệu. Dữ liệu: thành phố sinh "
        "tự động theo cơ cấu TP.HCM 2024 (`generate_city`), 36 tháng đã duyệt, danh mục thật.",
        "",
        "Cách đo dưới tải: gunicorn chạy như môi trường thật (DEBUG tắt, Redis dùng chung); 20 máy khách (luồng "
        "của chính tiến trình đo, trên cùng máy) gửi yêu cầu liên tục, không nghỉ (vòng kín), nên khi máy chủ đã "
        "dùng hết CPU thì p50 ≈ 20 ÷ số yêu cầu mỗi giây. Ngày hạn: mỗi đơn vị mở trang nhập liệu rồi gửi mọi ô "
        "với nút Nộp, các đơn vị bắt đầu rải đều trong 60 giây; sau đó đọc lại cơ sở dữ liệu.",
        "",
        "## Nhật ký của lần chạy",
        "",
        "```",
        log.rstrip(),
        "```",
        "",
    ])
    RESULTS_FILE.write_text(text, encoding="utf-8")
    return RESULTS_FILE


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib():
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return "?"
    return format_number(kib / 1024 / 1024, 0)


def _os_name():
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return platform.platform()


def _database_version():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]} ({connection.settings_dict['HOST']})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def _redis_version():
    from django.conf import settings

    if not settings.REDIS_URL:
        return "không có Redis (bộ nhớ đệm trong từng tiến trình)"
    import redis

    try:
        return f"Redis {redis.Redis.from_url(settings.REDIS_URL).info('server')['redis_version']}"
    except redis.RedisError as error:
        return f"Redis không trả lời ({error})"

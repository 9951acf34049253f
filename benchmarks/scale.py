"""What grows with the number of units, on the generated city: PC06's board, the dashboard uncached, the
month's Excel export.

Each is measured as its user meets it, through gunicorn: the board of the open month as PC06 opens it on
deadline day (compressed, as a browser asks for it), the city's dashboard with the cache emptied before
each request (its worst case, after an approval), and the export of the last approved month downloaded
whole. The export's memory is measured in a process of its own: the peak resident memory of a process
that builds and streams the workbook, less that of the same process making a request that builds none.
Goals (issue 20, at 3 347 units): board ≤ 200 ms and ≤ 100 KB sent; dashboard ≤ 300 ms; export ≤ 3 s and
≤ 150 MB.
"""

import os
import statistics
import subprocess
import sys
import time

from django.core.cache import cache
from django.urls import reverse

from benchmarks.load import run_clients
from benchmarks.results import Result, milliseconds_text, seconds_text
from benchmarks.web import ROOT, production_env, request
from reporting.formatting import format_number
from reporting.operations import city_generator

REPEATS = 7
WARM_SECONDS = 3
EXPORT_REPEATS = 3
GOAL_BOARD_MS, GOAL_BOARD_KB = 200, 100
GOAL_DASHBOARD_MS = 300
GOAL_EXPORT_SECONDS, GOAL_EXPORT_MB = 3, 150

# Run in a child process: ``sys.argv[1]`` the path to download ("" for a request that builds nothing) as
# the user ``sys.argv[2]`` (PC06's); prints the process's peak resident memory in KB once the download is read to its end.
MEMORY_PROBE = """
import resource, sys
import django
django.setup()
from django.test import Client
from reporting.models import User
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
client.force_login(User.objects.get(username=sys.argv[2]))
response = client.get(sys.argv[1] or "/thong-bao/", secure=True)
assert response.status_code == 200, response.status_code
for _chunk in (response.streaming_content if response.streaming else [response.content]):
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def timed_get(port, path, cookies, *, gzip=False, before=None):
    """(median milliseconds, last response) of REPEATS requests; ``before`` runs ahead of each one."""
    times, response = [], None
    for _ in range(REPEATS):
        if before:
            before()
        started = time.perf_counter()
        response = request(port, "GET", path, cookies=cookies, gzip=gzip)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (path, response.status)
    return statistics.median(times), response


def board(site, units):
    path = reverse("board", args=[site.open_period.year, site.open_period.month])
    request(site.port, "GET", path, cookies=site.compiler, gzip=True)     # warm-up
    milliseconds, response = timed_get(site.port, path, site.compiler, gzip=True)
    kilobytes = len(response.content) / 1024
    print(f"Bảng tổng hợp của PC06, {format_number(units)} đơn vị: {milliseconds_text(milliseconds)}, "
          f"{format_number(kilobytes, 1)} KB đã nén")
    return Result(f"Bảng tổng hợp PC06, {format_number(units)} đơn vị", f"{milliseconds_text(milliseconds)}, "
                  f"{format_number(kilobytes, 1)} KB nén", goal=f"≤ {GOAL_BOARD_MS} ms, ≤ {GOAL_BOARD_KB} KB",
                  met=milliseconds <= GOAL_BOARD_MS and kilobytes <= GOAL_BOARD_KB)


def dashboard(site, units, leader, workers):
    path = reverse("dashboard", args=[site.last_month.year, site.last_month.month])
    # Every worker first serves the page a while, as a server that has run for some time: what is measured is
    # the dashboard built from an emptied cache, not a process's first request (imports, templates compiled).
    run_clients(site.port, [(leader, [path])] * workers, WARM_SECONDS)
    milliseconds, _ = timed_get(site.port, path, leader, before=cache.clear)
    print(f"Trang điều hành chưa có trong bộ nhớ đệm, {format_number(units)} đơn vị: {milliseconds_text(milliseconds)}")
    return Result(f"Trang điều hành (không bộ nhớ đệm), {format_number(units)} đơn vị",
                  milliseconds_text(milliseconds), goal=f"≤ {GOAL_DASHBOARD_MS} ms",
                  met=milliseconds <= GOAL_DASHBOARD_MS)


def export(site, units):
    path = reverse("export_period", args=[site.last_month.year, site.last_month.month])
    times = []
    for _ in range(EXPORT_REPEATS):
        started = time.perf_counter()
        response = request(site.port, "GET", path, cookies=site.compiler)
        times.append(time.perf_counter() - started)
        assert response.status == 200, response.status
    seconds = statistics.median(times)
    megabytes = (_peak_kb(path) - _peak_kb("")) / 1024
    print(f"Xuất Excel tháng {site.last_month.month}/{site.last_month.year}, {format_number(units)} đơn vị: "
          f"{seconds_text(seconds)}, bộ nhớ thêm {format_number(megabytes, 0)} MB, "
          f"{format_number(len(response.content) / 1024 / 1024, 1)} MB tệp")
    return Result(f"Xuất Excel một tháng, {format_number(units)} đơn vị",
                  f"{seconds_text(seconds)}, {format_number(megabytes, 0)} MB bộ nhớ",
                  goal=f"≤ {GOAL_EXPORT_SECONDS} s, ≤ {GOAL_EXPORT_MB} MB",
                  met=seconds <= GOAL_EXPORT_SECONDS and megabytes <= GOAL_EXPORT_MB)


def _peak_kb(path):
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, path, city_generator.COMPILER], cwd=ROOT, env=production_env(dict(os.environ)),
                          capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1])


def run(site, units, leader, workers):
    print("Theo quy mô:")
    return [board(site, units), dashboard(site, units, leader, workers), export(site, units)]

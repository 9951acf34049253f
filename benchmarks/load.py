"""The dashboard and the entry page under 20 concurrent clients on 127.0.0.1.

Twenty leaders request, with no pause, the city's April 2024 dashboard, its
quarter, six districts' and six wards' (14 pages); then twenty ward officers
each request their own entry page of the open month (the form with last
month's figures beside each cell). The baseline of the same run is the
smallest signed-in page, the officer's notifications (/thong-bao/: the session,
the user, one short list, the site's template) under the same load: the ratio
says what a page costs over the least any signed-in page costs, not over a bare
request. The three are measured in turn, a quarter of the time each round
(``measure_in_turn``): this machine's speed drifts by up to 1,8× within minutes,
and a floor measured a minute before its page gave ratios from 1,28× to 2,06×
for the same page. Goals: p95 ≤ 150 ms and no error; the entry page ≤ 1,5× the
floor.
"""

import random
import threading
import time

from benchmarks.results import Result, milliseconds_text, times
from benchmarks.web import Latencies, request

CLIENTS = 20
GOAL_P95_MS = 150
GOAL_ENTRY_TO_FLOOR = 1.5
FLOOR_PATH = "/thong-bao/"
ROUNDS = 4


def run_clients(port, clients, seconds):
    """``clients``: (cookies, paths) each; each requests a random path of its own with no pause."""
    results, lock = [], threading.Lock()
    stop = time.monotonic() + seconds

    def client(cookies, paths, rng):
        mine = []
        while time.monotonic() < stop:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                status = request(port, "GET", path, cookies=cookies).status
            except OSError:
                status = 0
            mine.append(((time.perf_counter() - started) * 1000, status))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(cookies, paths, random.Random(number)))
               for number, (cookies, paths) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def measure_in_turn(port, measurements, seconds, rounds=ROUNDS):
    """``measurements``: (label, clients) each, run ``seconds`` in all, in ``rounds`` turns: a slower moment of
    the machine falls on every page alike, so their ratios hold."""
    results = {label: [] for label, _ in measurements}
    for _ in range(rounds):
        for label, clients in measurements:
            results[label] += run_clients(port, clients, seconds / rounds)
    latencies = [Latencies(label, results[label], seconds) for label, _ in measurements]
    for measured in latencies:
        print(measured.line())
    return latencies


def page_result(measure_name, latencies, baseline, *, goal_ratio=None):
    """The page against its goals; an error of the baseline in the same run fails it too (the server failed)."""
    errors = latencies.errors + baseline.errors
    ratio = latencies.p95 / baseline.p95
    goal = f"p95 ≤ {GOAL_P95_MS} ms, không lỗi"
    met = latencies.p95 <= GOAL_P95_MS and not errors
    if goal_ratio is not None:
        goal += f", ≤ {times(goal_ratio)} trang nhỏ nhất"
        met = met and ratio <= goal_ratio
    return Result(measure_name, f"p95 {milliseconds_text(latencies.p95)}, lỗi {errors}",
                  f"{FLOOR_PATH} p95 {milliseconds_text(baseline.p95)}", f"{times(ratio)} thời gian", goal, met)


def run(port, *, leaders, officers, dashboards, seconds, workers):
    """``leaders``: cookies; ``officers``: (cookies, their entry page path); both CLIENTS long."""
    print(f"Dưới tải: {CLIENTS} máy khách đồng thời, gunicorn {workers} tiến trình, {seconds:g} s mỗi phép đo "
          f"({ROUNDS} lượt xen kẽ)")
    dashboard_clients = [(cookies, dashboards) for cookies in leaders]
    entry_clients = [(cookies, [path]) for cookies, path in officers]
    # Warm-up: each worker opens its connections and builds (and caches) the pages once.
    run_clients(port, dashboard_clients, 3)
    run_clients(port, entry_clients, 3)
    baseline, dashboard, entry = measure_in_turn(port, [
        (f"{FLOOR_PATH}, trang nhỏ nhất khi đã đăng nhập (mốc so sánh)",
         [(cookies, [FLOOR_PATH]) for cookies, _path in officers]),
        (f"trang điều hành ({len(dashboards)} trang)", dashboard_clients),
        ("trang nhập liệu của phường", entry_clients),
    ], seconds)
    return [
        page_result(f"Trang điều hành, {CLIENTS} người xem đồng thời", dashboard, baseline),
        page_result(f"Trang nhập liệu, {CLIENTS} cán bộ đồng thời", entry, baseline, goal_ratio=GOAL_ENTRY_TO_FLOOR),
    ]

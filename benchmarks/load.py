"""The dashboard under load: 20 concurrent clients against gunicorn on 127.0.0.1, on the city-scale dataset.

``python -m benchmarks.dashboard_load`` (``make bench-load``): generates the
city (359 units × 36 months, approved) into its own database — var/load.sqlite3,
or the database DATABASE_URL names (e.g. PostgreSQL, with REDIS_URL for a
shared cache) — starts gunicorn as production runs it (DEBUG off), logs 20
leaders in, and has each request, with no pause, the city's April 2024
dashboard, a district's and a ward's, for ``--seconds``. The baseline of the
same run is /healthz (one query) under the same load: the ratio says what the
dashboard costs over the bare request.

Prints p50/p95/p99 and errors; exits 1 if p95 is over the goal or any request failed.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20
GOAL_P95_MS = 150
PASSWORD = "tai-thu-nghiem-2024"


def prepare_database(env):
    """Migrate, load the city and its 36 months (committed: gunicorn reads them), create the leaders."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from reporting.choices import AgencyKind, Role
    from reporting.models import Agency, Submission, User

    from . import dataset

    call_command("migrate", verbosity=0)
    compiler = dataset.load_city()
    if not Submission.objects.exists():
        history = dataset.generate_history(compiler)
        print(history.summary())
    leader = User.objects.filter(username="load.leader").first() or User(username="load.leader", role=Role.LEADER)
    leader.set_password(PASSWORD)
    leader.save()
    districts = list(Agency.objects.filter(kind=AgencyKind.DISTRICT, is_reporting_unit=True).values_list("pk", flat=True))
    wards = list(Agency.objects.filter(kind=AgencyKind.WARD, code__startswith="BENCH-").values_list("pk", flat=True))
    return districts, wards


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env, port, workers):
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "de_an_06.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not answer /healthz")


# The proxy in front of gunicorn terminates TLS and says so; the host is an allowed one.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def request(port, method, path, *, cookies=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(PROXY_HEADERS)
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = "https://127.0.0.1/dang-nhap/"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        set_cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, content, dict(re.match(r"([^=]+)=([^;]*)", c).groups() for c in set_cookies)
    finally:
        connection.close()


def log_in(port):
    status, page, cookies = request(port, "GET", "/dang-nhap/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    body = urlencode({"username": "load.leader", "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, _, more = request(port, "POST", "/dang-nhap/", cookies=cookies, body=body)
    if status != 302 or "sessionid" not in more:
        raise RuntimeError(f"login failed: {status}")
    return {**cookies, **more}


def run_clients(port, paths, seconds, sessions):
    """Each client requests a random path with no pause; (milliseconds, status) of every request."""
    results, lock = [], threading.Lock()
    stop = time.monotonic() + seconds

    def client(cookies, rng):
        mine = []
        while time.monotonic() < stop:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                status = request(port, "GET", path, cookies=cookies)[0]
            except OSError:
                status = 0
            mine.append(((time.perf_counter() - started) * 1000, status))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(cookies, random.Random(number)))
               for number, cookies in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(label, results, seconds):
    times = [milliseconds for milliseconds, _ in results]
    errors = sum(status != 200 for _, status in results)
    p95 = percentile(times, 0.95)
    print(f"  {label:<32}: {len(results):>6} yêu cầu ({len(results) / seconds:6.1f}/s), lỗi {errors}, "
          f"p50 {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms, p99 {percentile(times, 0.99):6.1f} ms")
    return p95, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    options = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "de_an_06.settings", "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1",
           "STATIC_ROOT": str(ROOT / "var" / "load-static"), "LOG_LEVEL": "WARNING"}
    if not env.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'load.sqlite3'}"
    districts, wards = prepare_database(env)
    port = free_port()
    server = start_server(env, port, options.workers)
    try:
        sessions = [log_in(port) for _ in range(CLIENTS)]
        april = "/dieu-hanh/2024/4/"
        dashboards = [april, f"{april}?tu=2024-01", *(f"{april}?don-vi={pk}" for pk in districts[:6]),
                      *(f"{april}?don-vi={pk}" for pk in wards[:6])]
        print(f"Trang điều hành dưới tải: {CLIENTS} máy khách đồng thời, gunicorn {options.workers} tiến trình, "
              f"{options.seconds:g} s mỗi phép đo, CSDL {env['DATABASE_URL'].split(':')[0]}, "
              f"bộ nhớ đệm {'Redis' if env.get('REDIS_URL') else 'trong tiến trình'}")
        run_clients(port, dashboards, 3, sessions)        # warm-up: each worker builds and caches its pages
        base_p95, base_errors = summary("/healthz (mốc so sánh)", run_clients(port, ["/healthz"], options.seconds,
                                                                               sessions), options.seconds)
        p95, errors = summary("trang điều hành (14 trang)", run_clients(port, dashboards, options.seconds, sessions),
                              options.seconds)
        print(f"  p95 trang điều hành / p95 /healthz : {p95 / base_p95:.1f}×   (mục tiêu p95 ≤ {GOAL_P95_MS} ms)")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0 if p95 <= GOAL_P95_MS and not errors and not base_errors else 1


if __name__ == "__main__":
    sys.exit(main())

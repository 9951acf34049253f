"""The application served as production serves it, and clients that talk to it over 127.0.0.1.

Shared by the load benchmarks and the test that switches a user between two
web processes: gunicorn with DEBUG off behind a (pretended) TLS proxy,
sessions logged in through the real login form, and latency percentiles.
"""

import http.client
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# The proxy in front of gunicorn terminates TLS and says so; the host is an allowed one.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def production_env(base, **overrides):
    """The environment of a production process: DEBUG off, its own secret, quiet logs."""
    return {**base, "DJANGO_SETTINGS_MODULE": "de_an_06.settings", "DEBUG": "0",
            "SECRET_KEY": base.get("SECRET_KEY") or secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(ROOT / "var" / "load-static"), "LOG_LEVEL": "WARNING", **overrides}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collect_static(env):
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)


def start_server(env, port, workers):
    """gunicorn on 127.0.0.1:port, returned once it answers /healthz."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "de_an_06.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            if request(port, "GET", "/healthz").status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not answer /healthz")


def stop_server(server):
    server.terminate()
    server.wait(timeout=30)


@dataclass
class Response:
    status: int
    content: bytes
    cookies: dict
    location: str


def request(port, method, path, *, cookies=None, body=None, content_type="application/x-www-form-urlencoded",
            gzip=False):
    """``gzip``: ask for a compressed page as a browser does (the content comes back compressed, as sent)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = dict(PROXY_HEADERS)
    if gzip:
        headers["Accept-Encoding"] = "gzip"
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = content_type
        headers["Referer"] = f"https://127.0.0.1{path}"   # Django's CSRF check over HTTPS wants a same-origin referer
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        set_cookies = response.headers.get_all("Set-Cookie") or []
        return Response(response.status, content,
                        dict(re.match(r"([^=]+)=([^;]*)", cookie).groups() for cookie in set_cookies),
                        response.headers.get("Location", ""))
    finally:
        connection.close()


def csrf_token(page):
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()


def log_in(port, username, password):
    """The cookies of a session logged in through the login form."""
    login = request(port, "GET", "/dang-nhap/")
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(login.content)})
    answer = request(port, "POST", "/dang-nhap/", cookies=login.cookies, body=body)
    if answer.status != 302 or "sessionid" not in answer.cookies:
        raise RuntimeError(f"login of {username} failed: {answer.status}")
    return {**login.cookies, **answer.cookies}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Latencies:
    """Milliseconds and HTTP status of every request of one measurement."""

    label: str
    results: list       # (milliseconds, status)
    seconds: float

    @property
    def errors(self):
        return sum(not 200 <= status < 400 for _, status in self.results)

    @property
    def p95(self):
        return percentile([milliseconds for milliseconds, _ in self.results], 0.95)

    def line(self):
        from reporting.formatting import format_number

        times = [milliseconds for milliseconds, _ in self.results]

        def ms(value):
            return f"{format_number(value, 1):>7} ms"

        return (f"  {self.label:<34}: {format_number(len(times)):>6} yêu cầu "
                f"({format_number(len(times) / self.seconds, 1):>6}/s), lỗi {self.errors}, "
                f"p50 {ms(statistics.median(times))}, p95 {ms(self.p95)}, p99 {ms(percentile(times, 0.99))}")

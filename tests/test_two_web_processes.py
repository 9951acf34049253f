"""Two web processes behind one address: a session, an upload and an issued report survive switching between them.

The web tier keeps nothing of its own: sessions live in the database behind
Redis, evidence and issued reports in the storage backend. Two gunicorn
processes on 127.0.0.1 share the test's PostgreSQL database, one Redis and
one MEDIA_ROOT (a local folder standing in for the bucket), the way more
processes are added behind a load balancer; each step is done on one process
and checked on the other.
"""

import os

import pytest
from django.conf import global_settings, settings
from django.db import connection
from urllib3 import encode_multipart_formdata  # comes with boto3 (django-storages[s3])

from benchmarks import web
from reporting.catalog.loading import load_report_settings
from reporting.choices import Role
from reporting.models import Evidence, ReportVersion, Submission
from reporting.submissions import workflow

from . import conftest
from .excel.hostile import pdf
from .submissions.helpers import fill_april

pytestmark = [
    pytest.mark.django_db(transaction=True),   # committed rows: the web processes have their own connections
    pytest.mark.skipif(not settings.REDIS_URL or connection.vendor != "postgresql",
                       reason="cần PostgreSQL và Redis thật (chạy trong CI lượt 2)"),
]
PDF = pdf()       # a real one: evidence uploads are parsed


@pytest.fixture
def people(city, settings):
    """The ward officer and PC06's compiler, hashed as production hashes: the web processes know no MD5."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return {"ward_officer": conftest.make_user("ward_officer", Role.OFFICER, city["ben_nghe"]),
            "compiler": conftest.make_user("compiler", Role.COMPILER, city["pc06"])}


@pytest.fixture
def ports(tmp_path):
    """The ports of two production web processes with the same secret, database, Redis and media folder."""
    database = connection.settings_dict
    env = web.production_env(
        os.environ, DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        REDIS_URL=settings.REDIS_URL, MEDIA_STORAGE="local", MEDIA_ROOT=str(settings.MEDIA_ROOT),
        STATIC_ROOT=str(tmp_path / "static"))   # not var/load-static, which a running benchmark may be serving
    web.collect_static(env)
    servers = []
    try:
        for _ in range(2):
            port = web.free_port()
            servers.append((web.start_server(env, port, workers=1), port))
        yield [port for _, port in servers]
    finally:
        for server, _ in servers:
            web.stop_server(server)


def post_from(port, page, action, cookies, fields):
    """POST ``fields`` to ``action`` as the form on ``page`` does: with that page's CSRF token, as multipart."""
    form = web.request(port, "GET", page, cookies=cookies)
    assert form.status == 200, (page, form.status)
    cookies = {**cookies, **form.cookies}
    body, content_type = encode_multipart_formdata({**fields, "csrfmiddlewaretoken": web.csrf_token(form.content)})
    return web.request(port, "POST", action, cookies=cookies, body=body, content_type=content_type)


def test_a_session_an_upload_and_an_issued_report_survive_switching_between_two_web_processes(city, month, people,
                                                                                               month_outline, ports):
    a, b = ports
    load_report_settings()          # the city has set its report's header: a report can be issued
    submission = fill_april(people["ward_officer"], city, month)
    entry = f"/bao-cao/2024/4/don-vi/{city['ben_nghe'].pk}/"

    # A session opened on A is known to B, and ending it on B ends it on A.
    officer = web.log_in(a, "ward_officer", conftest.PASSWORD)
    page = web.request(b, "GET", entry, cookies=officer)
    assert page.status == 200 and "Phường Bến Nghé" in page.content.decode()
    logout = post_from(b, entry, "/dang-xuat/", officer, {})
    assert logout.status == 302 and logout.location.startswith("/dang-nhap/")
    after = web.request(a, "GET", entry, cookies=officer)
    assert after.status == 302 and after.location.startswith("/dang-nhap/?next=")

    # Evidence uploaded through A is read back from B, byte for byte, out of the shared storage.
    officer = web.log_in(a, "ward_officer", conftest.PASSWORD)
    upload = post_from(a, entry, f"/bao-cao/{submission.pk}/minh-chung/", officer,
                       {"file": ("ke-hoach.pdf", PDF, "application/pdf")})
    assert upload.status == 302 and upload.location == entry
    evidence = Evidence.objects.get(submission=submission)
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == PDF
    download = web.request(b, "GET", f"/minh-chung/{evidence.pk}/", cookies=officer)
    assert download.status == 200 and download.content == PDF

    # A report PC06 finalises on B is served by A as B serves it.
    submission = Submission.objects.get(pk=submission.pk)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.approve(submission, people["compiler"], version=submission.version)
    compiler = web.log_in(b, "compiler", conftest.PASSWORD)
    finalise = post_from(b, "/bao-cao-tong-hop/2024/4/", "/bao-cao-tong-hop/2024/4/hoan-tat/", compiler, {})
    assert finalise.status == 302 and finalise.location == "/bao-cao-tong-hop/2024/4/"
    version = ReportVersion.objects.get(period=month["april"])
    for kind, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        path = f"/bao-cao-tong-hop/ban-hanh/{version.pk}/tep/{kind}/"
        from_a, from_b = web.request(a, "GET", path, cookies=compiler), web.request(b, "GET", path, cookies=compiler)
        assert from_a.status == from_b.status == 200
        assert from_a.content == from_b.content and from_a.content.startswith(magic)

"""Redis down is not an outage: it is only the cache and the broker.

The test starts a redis-server of its own and points the cache and Celery's broker at it, serves
signed-in pages through it, then kills it: the pages still serve (uncached, from the database), a
sign-in still works, PC06 can still return a report, and /healthz answers "degraded" with what is
down. Started again on the same port, the cache is used again, what was invalidated meanwhile is not
served as current, and the return notice that could not be queued goes out on beat's next run.
"""

import datetime
import logging
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from de_an_06.celery import app as celery_app
from reporting import stamps
from reporting.models import Delivery, DeliveryStatus, Notification, Submission
from reporting.submissions import workflow
from reporting.tasks import run_reminders

from . import conftest
from .redis_server import RedisServer, needs_redis_server
from .submissions.helpers import fill_april

pytestmark = [pytest.mark.django_db, needs_redis_server]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def through_redis(redis_server):
    """The cache and the broker on the test's own Redis; tasks queued, not run in the test's thread."""
    caches = {"default": {"BACKEND": "de_an_06.cache.ResilientRedisCache", "LOCATION": redis_server.url,
                          # Asked again 0.2 s after a failure (5 s in production), so the test need not wait.
                          "OPTIONS": {"retry_after": 0.2}}}
    names = ("broker_url", "task_always_eager")
    before = {name: celery_app.conf.get(name) for name in names}
    with override_settings(CACHES=caches):
        celery_app.conf.update(broker_url=redis_server.url, task_always_eager=False)
        try:
            yield redis_server
        finally:
            celery_app.conf.update(before)


@pytest.fixture
def submitted(city, month, people, reminder_rules):
    """Bến Nghé's April, filled and submitted: PC06 can return it (and its people have e-mail addresses)."""
    for user in people.values():
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    submission = fill_april(people["ward_officer"], city, month)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    return Submission.objects.get(pk=submission.pk)


def pages(submission):
    period, agency = submission.period, submission.agency
    return [reverse("board", args=[period.year, period.month]),
            reverse("entry", args=[period.year, period.month, agency.pk]),
            reverse("dashboard", args=[period.year, period.month]),
            reverse("notifications")]


def assert_pages_serve(client, submission):
    for page in pages(submission):
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)


def test_pages_serve_without_redis_and_the_cache_comes_back_with_it(client, submitted, through_redis, caplog):
    client.login(username="compiler", password=conftest.PASSWORD)
    assert_pages_serve(client, submitted)
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    figures_before = stamps.FIGURES.current()           # stored in Redis by the pages above
    assert cache.get(stamps.FIGURES.key) == figures_before

    through_redis.kill()
    with caplog.at_level(logging.WARNING, logger="de_an_06.cache"):
        started = time.monotonic()
        assert_pages_serve(client, submitted)
        assert cache.get("anything") is None
        assert time.monotonic() - started < 5, "a dead Redis must cost milliseconds, not seconds"
        assert client.get("/healthz").json() == {
            "status": "degraded", "database": "ok", "cache": "down", "broker": "down"}
    warnings = [record for record in caplog.records if record.name == "de_an_06.cache"]
    assert len(warnings) == 1 and "Không kết nối được Redis" in warnings[0].getMessage()
    # A cache miss costs a connection refused, not a timeout: well under the 0.25 s connect timeout.
    started = time.perf_counter()
    cache.get("anything")
    assert time.perf_counter() - started < 0.25

    # Signing in needs no Redis: sessions are written to the database, and read from it when the cache misses.
    officer = type(client)()
    response = officer.post(reverse("login"), {"username": "ward_officer", "password": conftest.PASSWORD})
    assert response.status_code == 302
    assert officer.get(reverse("entry", args=[2024, 4, submitted.agency_id])).status_code == 200

    through_redis.start()                               # same port, empty: a restarted cache
    time.sleep(0.3)                                      # past retry_after
    cache.set("sau-su-co", "đọc lại được", 60)
    assert cache.get("sau-su-co") == "đọc lại được"
    assert client.get("/healthz").json()["status"] == "ok"
    assert_pages_serve(client, submitted)


def test_a_report_returned_while_redis_is_unreachable_notifies_its_unit_once_it_answers(
        client, submitted, through_redis, django_capture_on_commit_callbacks):
    client.login(username="compiler", password=conftest.PASSWORD)
    assert_pages_serve(client, submitted)
    figures_before = stamps.FIGURES.current()
    through_redis.pause()                               # its data survives, as behind a broken network

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review", args=[submitted.pk, "tra-lai"]),
                               {"version": submitted.version, "comment": "Thiếu số liệu khai sinh."}, follow=True)
    assert response.status_code == 200
    assert "Đã trả lại báo cáo cho đơn vị." in response.content.decode()
    notices = Delivery.objects.filter(claim__occasion__startswith="tra-lai-")
    # Claimed with the return; not queued, so marked to retry with the reason the admin's log shows.
    assert notices.exists() and set(notices.values_list("status", flat=True)) == {DeliveryStatus.RETRY}
    assert "hàng đợi" in notices.first().last_error
    assert not Notification.objects.exists()

    through_redis.resume()
    time.sleep(0.3)                                      # past retry_after
    # The return moved the figures' stamp on while Redis could not hear it; it is moved on once Redis
    # answers, so no dashboard cached before the outage is read as current after it.
    assert stamps.FIGURES.current() != figures_before
    # Beat's next run (its worker, here in the test's thread) hands the postponed notices out.
    celery_app.conf.task_always_eager = True
    run_reminders((timezone.now() + datetime.timedelta(minutes=2)).isoformat())
    assert set(notices.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    returned = Notification.objects.filter(delivery__claim__occasion__startswith="tra-lai-")
    assert sorted(returned.values_list("user__username", flat=True)) == ["ward_head", "ward_officer"]


def test_a_session_ended_while_redis_was_unreachable_stays_ended_once_it_answers(client, submitted, through_redis):
    client.login(username="compiler", password=conftest.PASSWORD)
    board = pages(submitted)[0]
    assert client.get(board).status_code == 200        # the session is now cached in Redis as well
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    cache.set("bang-tong-hop", "bản cũ", 60)
    through_redis.pause()

    assert client.post(reverse("logout")).status_code == 302    # deleted from the database; Redis did not hear it
    cache.set("bang-tong-hop", "bản mới", 60)                    # nor this

    through_redis.resume()
    time.sleep(0.3)
    replayed = type(client)()
    replayed.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replayed.get(board)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert cache.get("bang-tong-hop") is None                    # not the stale "bản cũ"

"""Exactly once through real Celery workers and a real Redis: duplicate beats, two workers, a broker restart.

Runs on the PostgreSQL + Redis configuration only (SQLite locks the whole
file, and there is no broker on the embedded default). The test starts a
Redis server of its own on a free port, so that killing it cannot disturb
anything else, and two worker processes of two threads each on the test
database. Messages are published the way beat publishes them; every count
at the end is exact: one claim per due message, one delivery per channel and
person, one e-mail per e-mail delivery, one notice per in-app delivery.
"""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from reporting.choices import AgencyKind, Role
from reporting.models import Agency, Delivery, DeliveryStatus, Notification, ReminderClaim
from reporting.periods import default_schedule
from reporting.reminders import planner

from .. import conftest
from ..redis_server import RedisServer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
                       reason="cần PostgreSQL và Redis thật (chạy trong CI lượt 2)"),
]

REPO = Path(settings.BASE_DIR)
# The 5-day reminder of April 2024 and March's escalation are due at this moment.
TEN_APRIL_8AM = datetime.datetime(2024, 4, 10, 8, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
WARDS = 30
WAIT_SECONDS = 90


class Workers:
    """Two ``celery worker`` processes of two threads each, on the test database and the private broker."""

    def __init__(self, broker, tmp_path):
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": broker.url,
            "EMAIL_BACKEND": "tests.reminders.slow_email.SlowFileBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "REMINDER_STUCK_AFTER_SECONDS": "2",
        }
        self.logs = [tmp_path / f"worker-{number}.log" for number in (1, 2)]
        self.processes = []

    def start(self):
        celery = str(Path(sys.executable).with_name("celery"))
        for number, log in enumerate(self.logs, start=1):
            self.processes.append(subprocess.Popen(
                [celery, "-A", "de_an_06", "worker", "--pool", "threads", "--concurrency", "2",
                 "--hostname", f"w{number}@%h", "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
                cwd=REPO, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT))
        wait_for(lambda: all("ready." in log.read_text() for log in self.logs), "both workers ready", self.logs)

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    def emails_sent(self):
        return sum(len(re.findall(rb"^Message-ID: ", path.read_bytes(), re.MULTILINE))
                   for path in self.mail_dir.iterdir())


def wait_for(condition, what, logs=()):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


@pytest.fixture
def many_units(city, people):
    """30 more wards, each with an officer and a head who have e-mail addresses: 60 people, 2 channels each."""
    for number in range(1, WARDS + 1):
        ward = Agency.objects.create(code=f"Q01-T{number:02d}", name=f"Phường thử {number}", kind=AgencyKind.WARD,
                                     parent=city["q1"], valid_to=datetime.date(2025, 6, 30))
        conftest.make_user(f"officer{number}", Role.OFFICER, ward)
        conftest.make_user(f"head{number}", Role.HEAD, ward)
    for user in conftest.User.objects.all():
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    default_schedule().period_for(2024, 4)


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(broker, tmp_path):
    pool = Workers(broker, tmp_path)
    pool.start()
    yield pool
    pool.stop()


def publisher(broker):
    # Not the current app: shared tasks resolve their app through it, and the later tests' eager mode is set on ours.
    return Celery("beat-stand-in", broker=broker.url, set_as_current=False)


def run_reminders(broker, at):
    publisher(broker).send_task("reporting.tasks.run_reminders", kwargs={"at": at.isoformat()})


def expected_claims(at):
    return len(planner.due_messages(at))


def assert_each_message_sent_exactly_once(workers, claims):
    deliveries = Delivery.objects.all()
    assert ReminderClaim.objects.count() == claims
    assert deliveries.exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED]).count() == 0
    in_app = deliveries.filter(channel="in_app", status=DeliveryStatus.SENT).count()
    email = deliveries.filter(channel="email", status=DeliveryStatus.SENT).count()
    assert Notification.objects.count() == in_app > 0
    assert workers.emails_sent() == email > 0
    print(f"{claims} claims, {in_app} notices, {email} e-mails, each once")
    return in_app, email


def settled():
    """Nothing queued or in flight: every delivery is sent (or skipped), none pending or being sent."""
    return (ReminderClaim.objects.exists()
            and not Delivery.objects.exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED]).exists())


def test_duplicate_beats_on_two_workers_send_each_message_once(many_units, broker, workers):
    claims = expected_claims(TEN_APRIL_8AM)
    assert claims > WARDS     # the 5-day reminders of the wards, and more
    for _ in range(4):        # beat fires four times at once; two workers, four threads pick them up
        run_reminders(broker, TEN_APRIL_8AM)
    wait_for(settled, "every delivery sent", workers.logs)
    time.sleep(1)             # a late duplicate would show up now
    in_app, email = assert_each_message_sent_exactly_once(workers, claims)
    # A retried delivery task (the broker redelivers it) finds the delivery sent and does nothing.
    app = publisher(broker)
    for delivery_id in Delivery.objects.values_list("pk", flat=True):
        app.send_task("reporting.tasks.deliver_reminder", args=[delivery_id])
    run_reminders(broker, TEN_APRIL_8AM + datetime.timedelta(minutes=5))
    time.sleep(3)
    assert assert_each_message_sent_exactly_once(workers, claims) == (in_app, email)


def test_a_broker_restart_mid_run_loses_nothing_and_duplicates_nothing(many_units, broker, workers):
    claims = expected_claims(TEN_APRIL_8AM)
    # The runs' clock moves with the real one, so "stuck for 2 seconds" means 2 real seconds.
    started = time.monotonic()

    def now():
        return TEN_APRIL_8AM + datetime.timedelta(seconds=time.monotonic() - started)

    run_reminders(broker, now())
    wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).exists(), "the first delivery", workers.logs)
    broker.kill()             # Redis keeps nothing on disk: the queued deliveries are gone
    lost = Delivery.objects.filter(status=DeliveryStatus.PENDING).count()
    broker.start()
    # In-flight sends finish; what was queued stays pending until beat's next run hands it out again.
    deadline = time.monotonic() + WAIT_SECONDS
    while not settled():
        assert time.monotonic() < deadline, "beat's runs did not hand out the lost deliveries"
        run_reminders(broker, now())
        time.sleep(1)
    time.sleep(1)
    assert lost > 0, "the broker was killed after every delivery had gone: nothing was tested"
    print(f"{lost} deliveries were queued in the killed broker")
    assert_each_message_sent_exactly_once(workers, claims)


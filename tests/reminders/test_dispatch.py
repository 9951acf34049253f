"""Each reminder is claimed once and each channel delivered once; failures are retried, bounded and logged."""

import datetime
import http.server
import io
import json
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from de_an_06.celery import app as celery_app
from reporting.choices import SubmissionStatus
from reporting.models import Delivery, DeliveryStatus, Notification, ReminderClaim, ReminderRule, RuleKind, Submission
from reporting.periods import default_schedule
from reporting.reminders import channels, dispatch
from reporting.submissions import workflow
from reporting.tasks import run_reminders

from .. import conftest
from ..redis_server import free_port

pytestmark = pytest.mark.django_db
TEN_APRIL_8AM = datetime.datetime(2024, 4, 10, 8, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# The 5-day reminder at that moment: Bến Nghé (officer, head), Quận 1 (officer), Sở Tư pháp (officer) —
# four people, two channels each; and March's daily escalation (its deadline passed): Bến Nghé's head and PC06.
PEOPLE_REMINDED = 4


@pytest.fixture
def reachable(people):
    for user in people.values():
        user.email = f"{user.username}@example.vn"
        user.save()
    default_schedule().period_for(2024, 4)
    return people


def april_deliveries():
    return Delivery.objects.filter(claim__period__month=4, claim__rule__kind=RuleKind.BEFORE_DEADLINE)


def test_a_run_sends_each_person_one_email_and_one_notice_and_a_second_run_sends_nothing(reachable):
    run_reminders(TEN_APRIL_8AM.isoformat())
    assert april_deliveries().filter(status=DeliveryStatus.SENT).count() == 2 * PEOPLE_REMINDED
    assert Notification.objects.filter(delivery__in=april_deliveries()).count() == PEOPLE_REMINDED
    sent = len(mail.outbox)
    subjects = [message.subject for message in mail.outbox]
    assert "Nhắc hạn (còn 5 ngày): báo cáo Đề án 06 tháng 4/2024 của Phường Bến Nghé" in subjects
    entry_link = f"http://127.0.0.1:8000/bao-cao/2024/4/don-vi/{reachable['ward_officer'].agency_id}/"
    assert any(message.body.endswith(entry_link) for message in mail.outbox)
    claims = ReminderClaim.objects.count()
    run_reminders(TEN_APRIL_8AM.isoformat())                      # beat fires again
    run_reminders((TEN_APRIL_8AM + datetime.timedelta(minutes=5)).isoformat())
    assert (ReminderClaim.objects.count(), len(mail.outbox)) == (claims, sent)
    assert Notification.objects.count() == Delivery.objects.filter(channel="in_app").count()


def test_a_second_claim_of_the_same_occasion_is_refused(reachable):
    due, _ = dispatch.plan(TEN_APRIL_8AM, dry_run=True)
    assert dispatch.claim(due[0], TEN_APRIL_8AM) is not None
    assert dispatch.claim(due[0], TEN_APRIL_8AM) is None


def test_an_email_failure_is_retried_later_without_repeating_the_in_app_notice(reachable, monkeypatch):
    calls = {"n": 0}
    original = channels.EmailChannel.send

    def flaky(self, delivery):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("Máy chủ thư không trả lời")
        original(self, delivery)

    monkeypatch.setattr(channels.EmailChannel, "send", flaky)
    run_reminders(TEN_APRIL_8AM.isoformat())
    failed = Delivery.objects.get(status=DeliveryStatus.RETRY)
    assert failed.channel == "email" and "không trả lời" in failed.last_error and failed.attempts == 1
    notices = Notification.objects.count()
    assert dispatch.sweep(TEN_APRIL_8AM + datetime.timedelta(minutes=1)) == []        # waits 2 minutes first
    later = TEN_APRIL_8AM + dispatch.retry_delay(1)
    assert dispatch.sweep(later) == [failed.pk]
    assert dispatch.deliver(failed.pk, later) == DeliveryStatus.SENT
    assert Notification.objects.count() == notices
    assert [(m.to, m.subject) for m in mail.outbox].count(([failed.address], failed.claim.subject)) == 1


def test_retries_are_bounded_and_the_last_error_stays_in_the_log(reachable, monkeypatch):
    def broken(self, delivery):
        raise OSError("550 hộp thư không tồn tại")

    monkeypatch.setattr(channels.EmailChannel, "send", broken)
    run_reminders(TEN_APRIL_8AM.isoformat())
    delivery = Delivery.objects.filter(channel="email").first()
    now = TEN_APRIL_8AM
    for _ in range(dispatch.MAX_ATTEMPTS - 1):
        now += datetime.timedelta(hours=1)
        dispatch.deliver(delivery.pk, now)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, dispatch.MAX_ATTEMPTS)
    assert "550" in delivery.last_error
    assert delivery.pk not in dispatch.sweep(now + datetime.timedelta(days=1))


def test_a_delivery_left_sending_by_a_dead_worker_or_pending_by_a_lost_message_is_handed_out_again(reachable):
    due, _ = dispatch.plan(TEN_APRIL_8AM, dry_run=True)
    claim = dispatch.claim(due[0], TEN_APRIL_8AM)                     # claimed, then the broker lost the messages
    first, second = claim.deliveries.all()[:2]
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENDING, attempts=1, updated_at=TEN_APRIL_8AM)
    soon = TEN_APRIL_8AM + datetime.timedelta(minutes=1)
    assert dispatch.sweep(soon) == []
    later = TEN_APRIL_8AM + dispatch.stuck_after()
    assert set(dispatch.sweep(later)) == {first.pk, second.pk}
    assert {dispatch.deliver(first.pk, later), dispatch.deliver(first.pk, later)} == {DeliveryStatus.SENT}
    assert Delivery.objects.get(pk=first.pk).attempts == 2     # the lost attempt and the one that went through


def test_a_person_without_an_email_address_is_logged_as_skipped(people):
    default_schedule().period_for(2024, 4)
    run_reminders(TEN_APRIL_8AM.isoformat())
    skipped = april_deliveries().filter(channel="email")
    assert set(skipped.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}
    assert april_deliveries().filter(channel="in_app", status=DeliveryStatus.SENT).count() == PEOPLE_REMINDED


def test_a_returned_report_notifies_its_unit(reachable, city, django_capture_on_commit_callbacks):
    period = default_schedule().period_for(2024, 4)
    submission = Submission.objects.create(period=period, agency=city["ben_nghe"], status=SubmissionStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_unit(submission, reachable["compiler"], version=submission.version,
                                      comment="Số hồ sơ trực tuyến lớn hơn số tiếp nhận.")
    notices = Notification.objects.filter(delivery__claim__rule__kind=RuleKind.RETURNED)
    assert sorted(notices.values_list("user__username", flat=True)) == ["ward_head", "ward_officer"]
    assert "Số hồ sơ trực tuyến lớn hơn số tiếp nhận." in notices.first().body
    assert len([m for m in mail.outbox if "bị PC06 trả lại" in m.subject]) == 2


def test_a_return_claims_its_notice_in_its_own_transaction(reachable, city):
    period = default_schedule().period_for(2024, 4)
    submission = Submission.objects.create(period=period, agency=city["ben_nghe"], status=SubmissionStatus.SUBMITTED)
    with transaction.atomic():
        workflow.return_to_unit(submission, reachable["compiler"], version=submission.version, comment="Sửa lại.")
        # Before the commit: the notice is a row of the same transaction, not a message to a broker.
        assert Delivery.objects.filter(claim__rule__kind=RuleKind.RETURNED, status=DeliveryStatus.PENDING).count() == 4


def test_a_return_notice_the_broker_cannot_take_waits_for_the_next_run(
        reachable, city, django_capture_on_commit_callbacks, caplog):
    period = default_schedule().period_for(2024, 4)
    submission = Submission.objects.create(period=period, agency=city["ben_nghe"], status=SubmissionStatus.SUBMITTED)
    before = {name: celery_app.conf.get(name) for name in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=f"redis://127.0.0.1:{free_port()}/0", task_always_eager=False)  # nobody there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.return_to_unit(submission, reachable["compiler"], version=submission.version, comment="Sửa lại.")
    finally:
        celery_app.conf.update(before)
    notices = Delivery.objects.filter(claim__rule__kind=RuleKind.RETURNED)
    assert set(notices.values_list("status", flat=True)) == {DeliveryStatus.RETRY}
    assert "Không đưa được 4 lượt gửi vào hàng đợi" in caplog.text
    # Beat's next run, a minute or more later, hands them out.
    run_reminders((timezone.now() + datetime.timedelta(minutes=2)).isoformat())
    assert set(notices.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Notification.objects.filter(delivery__in=notices).count() == 2


class Recorder(http.server.BaseHTTPRequestHandler):
    received = []
    answer = 200

    def do_POST(self):  # noqa: N802 (http.server's name)
        Recorder.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(Recorder.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.REMINDER_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/zalo"
    Recorder.received, Recorder.answer = [], 200
    ReminderRule.objects.update(channels=["webhook"])
    yield Recorder
    server.shutdown()


def test_the_webhook_channel_posts_each_message_once_as_json(reachable, webhook):
    run_reminders(TEN_APRIL_8AM.isoformat())
    claims = ReminderClaim.objects.count()
    assert len(webhook.received) == claims                      # one POST per message, not per person
    april = [payload for payload in webhook.received if payload["period"] == "2024-04"]
    assert {payload["target"] for payload in april} == {"Q01-BNG", "Q01", "STP"}
    assert all(payload["link"].startswith("http://127.0.0.1:8000/bao-cao/2024/4/") for payload in april)


def test_a_webhook_error_status_is_a_failure_to_retry(reachable, webhook):
    webhook.answer = 500
    run_reminders(TEN_APRIL_8AM.isoformat())
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.RETRY}
    assert "500" in Delivery.objects.first().last_error


def test_send_reminders_command_runs_as_at_the_end_of_a_day_and_dry_run_writes_nothing(reachable):
    out = io.StringIO()
    call_command("send_reminders", date="2024-04-10", dry_run=True, stdout=out)
    assert "Nhắc hạn (còn 5 ngày)" in out.getvalue() and "chạy thử: không gửi" in out.getvalue()
    assert not ReminderClaim.objects.exists()
    call_command("send_reminders", date="2024-04-10", stdout=out)
    assert april_deliveries().filter(status=DeliveryStatus.SENT).count() == 2 * PEOPLE_REMINDED
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("send_reminders", date="10/4/2024")


def test_the_bell_counts_unread_notices_and_opening_one_marks_it_read(client, reachable):
    run_reminders(TEN_APRIL_8AM.isoformat())
    officer = reachable["ward_officer"]
    notice = Notification.objects.get(user=officer)
    client.login(username="ward_officer", password=conftest.PASSWORD)
    page = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-count">1<' in page and notice.title in page
    response = client.post(reverse("open_notification", args=[notice.pk]))
    assert response["Location"] == notice.link
    assert Notification.objects.get(pk=notice.pk).read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("notifications")).content.decode()
    others = Notification.objects.exclude(user=officer).first()
    assert client.post(reverse("open_notification", args=[others.pk])).status_code == 404


def test_the_notification_list_costs_the_same_queries_for_many_notices(client, reachable):
    officer = reachable["ward_officer"]
    client.login(username="ward_officer", password=conftest.PASSWORD)
    Notification.objects.create(user=officer, title="một")
    client.get(reverse("notifications"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications"))
    Notification.objects.bulk_create([Notification(user=officer, title=f"số {n}") for n in range(25)])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications"))
    assert len(many) == len(one)

"""Celery tasks: the reminder run (beat, every few minutes) and one delivery per task.

Every task acknowledges late (``acks_late``): a worker that dies mid-task
leaves the message on the broker for another worker, and the claims in the
database make running it twice harmless. Database hiccups are retried a
bounded number of times.

A web process never waits on the broker: what it asks the workers to do is
in the database first (a claim and its deliveries), and ``hand_out`` only
queues it. If the broker cannot be reached the deliveries are marked to retry
and beat's next run hands them out (``dispatch.sweep``).
"""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from reporting.reminders import dispatch

log = logging.getLogger(__name__)
# A web process gives up on an unreachable broker after this long, once, instead of kombu's retries.
BROKER_WAIT_SECONDS = 1
RETRYABLE = {"autoretry_for": (OperationalError,), "max_retries": 3, "retry_backoff": True, "acks_late": True,
             "reject_on_worker_lost": True}


@shared_task(**RETRYABLE)
def run_reminders(at=None):
    """Claim what is due at ``at`` (ISO time; now by default), hand out failed or stranded deliveries again."""
    now = _moment(at)
    _, claimed = dispatch.plan(now)
    for delivery_id in [*claimed, *dispatch.sweep(now)]:
        deliver_reminder.delay(delivery_id, at)
    return len(claimed)


@shared_task(**RETRYABLE)
def deliver_reminder(delivery_id, at=None):
    return dispatch.deliver(delivery_id, _moment(at))


def _moment(at):
    # A run "as at" a given time (tests, catching up) keeps that clock for its deliveries too.
    return datetime.datetime.fromisoformat(at) if at else timezone.now()


def hand_out(delivery_ids):
    """Queue a delivery task for each of these committed deliveries; never raises for an unreachable broker."""
    if not delivery_ids:
        return
    app = deliver_reminder.app
    if app.conf.task_always_eager:          # no broker: the deliveries are sent here and now
        for delivery_id in delivery_ids:
            deliver_reminder.delay(delivery_id)
        return
    options = {"max_retries": 0, "socket_connect_timeout": BROKER_WAIT_SECONDS, "socket_timeout": BROKER_WAIT_SECONDS}
    try:
        with app.connection_for_write(connect_timeout=BROKER_WAIT_SECONDS, transport_options=options) as connection:
            for delivery_id in delivery_ids:
                deliver_reminder.apply_async((delivery_id,), connection=connection, retry=False)
    except Exception as error:  # only publishing runs here: whatever failed, the deliveries are kept to retry
        log.warning("Không đưa được %s lượt gửi vào hàng đợi (%s): gửi lại ở lượt nhắc sau.", len(delivery_ids), error)
        dispatch.postpone(delivery_ids, f"Không kết nối được hàng đợi ({error}); gửi lại ở lượt nhắc sau.")


@shared_task(**RETRYABLE)
def notify_returned(status_change_id):
    """A return notice queued by an earlier version, which claimed it here; a notice claimed already is not again."""
    from reporting.models import StatusChange

    change = StatusChange.objects.select_related("submission__agency", "submission__period").get(pk=status_change_id)
    hand_out(dispatch.plan_returned(change, timezone.now()))

"""Celery tasks: the reminder run (beat, every few minutes) and one delivery per task.

Every task acknowledges late (``acks_late``): a worker that dies mid-task
leaves the message on the broker for another worker, and the claims in the
database make running it twice harmless. Database hiccups are retried a
bounded number of times.
"""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from reporting.reminders import dispatch

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


@shared_task(**RETRYABLE)
def notify_returned(status_change_id):
    from reporting.models import StatusChange

    change = StatusChange.objects.select_related("submission__agency", "submission__period").get(pk=status_change_id)
    for delivery_id in dispatch.plan_returned(change, timezone.now()):
        deliver_reminder.delay(delivery_id)

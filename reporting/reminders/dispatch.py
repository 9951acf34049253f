"""Claim each due message once, then deliver it channel by channel, retrying failures a bounded number of times.

Exactly once: ``claim`` inserts the ReminderClaim and its deliveries in one
transaction; the unique key refuses a second claim of the same occasion, so a
duplicate beat, a retried task or a second worker sends nothing more.
``deliver`` takes a delivery with a conditional UPDATE (pending or due for
retry → sending), so two workers never send the same one. A worker that dies
mid-send leaves it "sending"; ``sweep`` hands it out again after
``stuck_after()`` — the one case where a message may arrive twice (at least once
beats never), and only on that channel.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reporting.choices import Role
from reporting.models.reminders import Channel, Delivery, DeliveryStatus, ReminderClaim, ReminderRule, RuleKind
from reporting.reminders import planner
from reporting.reminders.channels import channel

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def stuck_after():
    """How long a delivery may stay pending or sending before it is presumed lost (a dead worker, a lost message)."""
    return datetime.timedelta(seconds=settings.REMINDER_STUCK_AFTER_SECONDS)


def retry_delay(attempts):
    """2, 4, 8, 16 minutes after the 1st … 4th failure."""
    return datetime.timedelta(minutes=2 ** attempts)


def claim(due, now):
    """The new claim and its deliveries, or None when this occasion was claimed already."""
    try:
        with transaction.atomic():
            claimed = ReminderClaim.objects.create(
                rule=due.rule, period=due.period, target=due.target, occasion=due.occasion, claimed_at=now,
                subject=due.subject, body=due.body, link=due.link)
            Delivery.objects.bulk_create(_deliveries(claimed, due))
    except IntegrityError:
        return None
    return claimed


def _deliveries(claimed, due):
    deliveries = []
    for code in due.rule.channels:
        way = channel(code)
        for person in due.recipients if way.per_person else [None]:
            address = way.address_for(person)
            deliveries.append(Delivery(
                claim=claimed, channel=code, recipient=person, address=address or "",
                status=DeliveryStatus.PENDING if address else DeliveryStatus.SKIPPED,
                last_error="" if address else "Không có địa chỉ nhận cho kênh này."))
    return deliveries


def plan(now, *, dry_run=False):
    """Claim every message due at ``now``; the ids of the deliveries to send (none on a dry run)."""
    due = planner.due_messages(now)
    if dry_run:
        return due, []
    return due, _claim_all(due, now)


def plan_returned(status_change, now):
    return _claim_all(planner.returned_messages(status_change), now)


def plan_returned_to_officers(status_change, now):
    return _claim_all(planner.returned_to_officers_messages(status_change), now)


def remind_pending(period, now):
    """PC06's "Nhắc các đơn vị chưa nộp": claim the messages of ``planner.manual_messages`` now.

    Returns the plan, the units actually reminded (a unit another press claimed a moment ago is not) and the
    deliveries to hand out once the caller's transaction has committed.
    """
    plan = planner.manual_messages(period, manual_rules(), now)
    reminded, ids = {}, []
    for message in plan.due:
        claimed = claim(message, now)
        if claimed:
            reminded[message.target] = message
            ids += list(claimed.deliveries.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    return plan, len(reminded), ids


def manual_rules():
    """The active rules of PC06's reminder button; the first press makes the default one, which PC06 may then edit
    (channels, recipients) or switch off in the admin like any other rule."""
    if not ReminderRule.objects.filter(kind=RuleKind.MANUAL).exists():
        ReminderRule.objects.create(name="PC06 nhắc các đơn vị chưa nộp", kind=RuleKind.MANUAL,
                                    channels=[Channel.IN_APP, Channel.EMAIL], recipient_roles=[Role.OFFICER, Role.HEAD])
    return list(ReminderRule.objects.filter(kind=RuleKind.MANUAL, is_active=True))


def _claim_all(due, now):
    ids = []
    for message in due:
        claimed = claim(message, now)
        if claimed:
            ids += list(claimed.deliveries.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    return ids


def deliver(delivery_id, now=None):
    """Send one delivery if nobody else is; returns its status afterwards."""
    now = now or timezone.now()
    taken = Delivery.objects.filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRY]).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    delivery = Delivery.objects.select_related("claim__period", "recipient").get(pk=delivery_id)
    if not taken:
        return delivery.status
    try:
        channel(delivery.channel).send(delivery)
    except Exception as error:  # any channel failure is logged and retried, never lost
        final = delivery.attempts >= MAX_ATTEMPTS
        log.warning("Gửi %s (%s) lần %s lỗi: %s", delivery.pk, delivery.channel, delivery.attempts, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.RETRY, last_error=str(error)[:2000],
            updated_at=now)
        return DeliveryStatus.FAILED if final else DeliveryStatus.RETRY
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=now, updated_at=now,
                                                   last_error="")
    return DeliveryStatus.SENT


def postpone(delivery_ids, reason, now=None):
    """Deliveries that could not be queued (the broker was down): ``sweep`` hands them out a minute later."""
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.RETRY, last_error=reason[:2000], updated_at=now or timezone.now())


def sweep(now):
    """Deliveries to hand out again: failed ones whose wait is over, and ones a dead worker left behind."""
    ready = []
    retrying = Delivery.objects.filter(status=DeliveryStatus.RETRY).values_list("pk", "attempts", "updated_at")
    ready += [pk for pk, attempts, updated_at in retrying if updated_at + retry_delay(attempts) <= now]
    stuck_before = now - stuck_after()
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lte=stuck_before)
    # Back to "retry" first, so deliver()'s conditional update can take them again.
    stuck_ids = list(stuck.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=stuck_ids, status=DeliveryStatus.SENDING, updated_at__lte=stuck_before).update(
        status=DeliveryStatus.RETRY, last_error="Tiến trình gửi dừng giữa chừng; gửi lại.")
    orphaned = Delivery.objects.filter(status=DeliveryStatus.PENDING, claim__claimed_at__lte=stuck_before)
    return ready + stuck_ids + list(orphaned.values_list("pk", flat=True))

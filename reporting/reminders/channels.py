"""How a delivery reaches a person: one small interface, the implementations named in settings.

``settings.REMINDER_CHANNELS`` maps a channel code to a class with
``per_person`` (one delivery per recipient, or one per message),
``address_for(user)`` (where to send, "" when there is nowhere) and
``send(delivery)`` (raise on failure; the dispatcher logs and retries). A
messaging service officers read (a Zalo Official Account, say) is one more
class and one more setting — or the generic webhook pointed at a bridge.
"""

import json
import urllib.request
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from reporting.models.reminders import Notification


class InAppChannel:
    """The bell: a Notification tied to its delivery, so a retry finds it instead of adding another."""

    per_person = True

    def address_for(self, user):
        return user.username

    def send(self, delivery):
        claim = delivery.claim
        Notification.objects.get_or_create(delivery=delivery, defaults={
            "user": delivery.recipient, "title": claim.subject, "body": claim.body, "link": claim.link})


class EmailChannel:
    """Django's e-mail backend: SMTP from the environment in production, the console by default."""

    per_person = True

    def address_for(self, user):
        return user.email

    def send(self, delivery):
        claim = delivery.claim
        body = f"{claim.body}\n\n{absolute(claim.link)}" if claim.link else claim.body
        send_mail(claim.subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False)


class WebhookChannel:
    """POST the message as JSON to REMINDER_WEBHOOK_URL (a Zalo OA bridge, a chat system); 2xx is success."""

    per_person = False     # one POST per message, naming no one: the bridge knows its audience
    timeout_seconds = 10

    def address_for(self, user):
        return settings.REMINDER_WEBHOOK_URL

    def send(self, delivery):
        claim = delivery.claim
        payload = {"subject": claim.subject, "body": claim.body, "link": absolute(claim.link),
                   "target": claim.target, "period": f"{claim.period.year}-{claim.period.month:02d}",
                   "recipient": delivery.recipient.username if delivery.recipient else ""}
        request = urllib.request.Request(
            delivery.address, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310 (configured URL)
            if not 200 <= response.status < 300:
                raise OSError(f"Webhook trả về mã {response.status}")


def absolute(link):
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link.startswith("/") else link


@cache
def channel(code):
    return import_string(settings.REMINDER_CHANNELS[code])()

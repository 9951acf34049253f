"""The header's bell: how many notifications the user has not read."""

from reporting.models import Notification


def unread_count(request):
    """The bell's number: one COUNT query, none for anonymous visitors."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}

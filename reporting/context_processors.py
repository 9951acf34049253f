"""What every page's header shows: the bell's unread count and whether the user reads the city's figures."""

from . import access
from .models import Notification


def unread_count(request):
    """The bell's number: one COUNT query, none for anonymous visitors."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}


def navigation(request):
    """Links only PC06, leaders and administrators follow (the dashboard); no query."""
    return {"can_read_city": access.can_read_city(getattr(request, "user", None))}

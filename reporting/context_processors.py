"""What every page's header needs to know about the user, without a query."""

from . import access


def navigation(request):
    return {"can_read_city": access.can_read_city(getattr(request, "user", None))}

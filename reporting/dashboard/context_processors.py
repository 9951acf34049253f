"""Whether the header links to the dashboard: only PC06, leaders and administrators read the city's figures."""

from reporting import access


def navigation(request):
    """Links only PC06, leaders and administrators follow (the dashboard); no query."""
    return {"can_read_city": access.can_read_city(getattr(request, "user", None))}

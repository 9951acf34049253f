from reporting import access


def navigation(request):
    """Links only PC06, leaders and administrators follow (the dashboard); no query."""
    return {"can_read_city": access.can_read_city(getattr(request, "user", None))}

"""Reads of the agency catalog, scoped through ``reporting.access``."""

from django.db.models import Count, Prefetch

from reporting.models import Agency


def agencies_for(user, *, kind="", on=None):
    agencies = Agency.objects.visible_to(user).select_related("parent").annotate(child_count=Count("children"))
    if kind:
        agencies = agencies.filter(kind=kind)
    if on:
        agencies = agencies.active_on(on)
    return agencies.order_by("kind", "code")


def agency_detail(user, pk):
    """The agency if the user may read it, with its children and accounts, else None."""
    visible_children = Agency.objects.visible_to(user).order_by("code")
    return (
        Agency.objects.visible_to(user)
        .select_related("parent")
        .prefetch_related(Prefetch("children", queryset=visible_children), "users")
        .filter(pk=pk)
        .first()
    )

"""The bell: a user's in-app notifications, newest first, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from reporting.models import Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user).only("title", "body", "link", "created_at", "read_at")
    page = Paginator(notifications, 30).get_page(request.GET.get("trang"))
    return render(request, "reporting/notifications.html", {"page": page})


@login_required
@require_POST
def open_notification(request, pk):
    """Mark it read and follow its link (only a link inside this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")


"""The bell: a user's in-app notifications, newest first, and marking them read; PC06's reminder button on the board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from reporting import access, periods
from reporting.models import Notification
from reporting.reminders import dispatch
from reporting.tasks import hand_out


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


@login_required
@require_POST
def remind(request, year, month):
    """PC06's "Nhắc các đơn vị chưa nộp": one in-app and e-mail reminder per unit that has not submitted.

    Claimed in this request's transaction like every reminder, handed to the workers after it commits: the page
    never waits on the broker, and a broker that is down delays the messages (beat hands them out) but loses none.
    """
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 mới được nhắc các đơn vị.")
    period = periods.period_or_404(year, month)
    back = redirect(f"{reverse('board', args=[year, month])}?{request.GET.urlencode()}" if request.GET
                    else reverse("board", args=[year, month]))
    if not period.is_open:
        messages.error(request, f"{period.label} đã đóng; không nhắc các đơn vị nữa.")
        return back
    with transaction.atomic():
        plan, reminded, delivery_ids = dispatch.remind_pending(period, timezone.now())
        transaction.on_commit(lambda: hand_out(delivery_ids))
    for level, text in reminder_outcome(period, plan, reminded):
        messages.add_message(request, level, text)
    return back


def reminder_outcome(period, plan, reminded):
    """What PC06 is told after pressing the button: who was reminded, who was left out and why."""
    label = period.label.lower()
    if not plan.pending:
        return [(messages.INFO, f"Mọi đơn vị đã nộp báo cáo {label}; không có đơn vị nào cần nhắc.")]
    if not plan.rules:
        return [(messages.ERROR, "Chức năng nhắc đang tắt: quy tắc nhắc loại “PC06 nhắc ngay” không còn dùng trong "
                                 "Quản trị danh mục. Không gửi nhắc nào.")]
    outcome = []
    if reminded:
        outcome.append((messages.SUCCESS, f"Đã nhắc {reminded} đơn vị chưa nộp báo cáo {label}."))
    # A unit claimed by another press a moment ago is one reminded recently too.
    recent = len(plan.recent) + len({message.target for message in plan.due}) - reminded
    if recent:
        outcome.append((messages.WARNING, f"{recent} đơn vị vừa được nhắc trong 10 phút qua nên không nhắc lại lần nữa."))
    if plan.unreachable:
        names = ", ".join(agency.name for agency in plan.unreachable[:5]) + (", …" if len(plan.unreachable) > 5 else "")
        outcome.append((messages.WARNING, f"{len(plan.unreachable)} đơn vị chưa có tài khoản để nhận nhắc: {names}."))
    return outcome

"""python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]: the reminder run without Celery (cron, demo).

It does what the beat's task does — claim what is due, send it, hand out
failed deliveries again — in this process. With --date it runs as at the end
of that day (23:59 local time), so every reminder of that day is due.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.models import DeliveryStatus
from reporting.reminders import dispatch


class Command(BaseCommand):
    help = "Gửi nhắc hạn, báo quá hạn (không cần Celery): dùng cho cron hoặc máy không có Redis."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="chạy như vào cuối ngày này (năm-tháng-ngày), mặc định: bây giờ")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi, không ghi gì")

    def handle(self, *args, date, dry_run, **options):
        now = _end_of(date) if date else timezone.now()
        due, claimed = dispatch.plan(now, dry_run=dry_run)
        if dry_run:
            for message in due:
                self.stdout.write(f"- {message.subject} → {message.target} ({len(message.recipients)} người nhận)")
            self.stdout.write(f"Đến hạn {len(due)} lượt nhắc (chạy thử: không gửi).")
            return
        results = [dispatch.deliver(delivery_id, now) for delivery_id in [*claimed, *dispatch.sweep(now)]]
        sent = results.count(DeliveryStatus.SENT)
        failed = len(results) - sent
        self.stdout.write(f"Đến hạn {len(due)} lượt nhắc; đã gửi {sent}, lỗi {failed} (sẽ gửi lại ở lần chạy sau).")


def _end_of(text):
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Ngày “{text}” không hợp lệ (dạng năm-tháng-ngày, ví dụ 2024-04-10).") from error
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))

"""Reminders before the deadline, escalation after it, notices of returned reports — and the proof each went once.

PC06 edits the rules (``ReminderRule``) as data. Every message is first
*claimed*: a ``ReminderClaim`` row whose unique key (rule, period, target,
occasion) makes a second claim fail, whoever tries — beat firing twice, a
retried task, a second worker. The claim creates one ``Delivery`` per channel
and recipient in the same transaction; a delivery is sent, retried on failure
and logged on its own, so an e-mail retry never repeats the in-app notice.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from reporting.choices import Role
from reporting.models.organisation import ReportingPeriod


class RuleKind(models.TextChoices):
    BEFORE_DEADLINE = "before", "Nhắc trước hạn (đơn vị chưa nộp)"
    ESCALATION = "escalate", "Báo quá hạn hằng ngày (đơn vị chưa nộp)"
    RETURNED = "returned", "Báo cho đơn vị khi báo cáo bị trả lại"
    # PC06's "Nhắc các đơn vị chưa nộp" on the board: sent when PC06 asks, through the same claims and channels.
    MANUAL = "manual", "PC06 nhắc ngay các đơn vị chưa nộp (nút trên bảng tổng hợp)"


class Channel(models.TextChoices):
    IN_APP = "in_app", "Thông báo trong ứng dụng"
    EMAIL = "email", "Thư điện tử"
    WEBHOOK = "webhook", "Webhook (Zalo OA, hệ thống nhắn tin khác)"


# Who a rule may address: the unit's own people, or PC06 (one digest listing every late unit).
RECIPIENT_ROLES = [(Role.OFFICER, Role.OFFICER.label), (Role.HEAD, Role.HEAD.label),
                   (Role.COMPILER, "PC06 (một bản tổng hợp các đơn vị)")]


def _default_channels():
    return [Channel.IN_APP, Channel.EMAIL]


def _default_roles():
    return [Role.OFFICER, Role.HEAD]


class ReminderRule(models.Model):
    name = models.CharField("tên", max_length=150)
    kind = models.CharField("loại", max_length=10, choices=RuleKind.choices)
    day_offset = models.SmallIntegerField(
        "ngày so với hạn nộp", default=0,
        help_text="Âm: trước hạn (-5 là 5 ngày trước hạn); 0: ngày hạn nộp; dương: sau hạn. "
                  "Báo quá hạn bắt đầu từ ngày này và lặp lại hằng ngày.")
    time_of_day = models.TimeField("giờ gửi (giờ Việt Nam)", default=datetime.time(8, 0))
    # Escalation only: a month still missing after this long is PC06's to settle (close or chase), not a daily mail.
    repeat_days = models.PositiveSmallIntegerField(
        "báo quá hạn tối đa (ngày)", default=60,
        help_text="Chỉ với báo quá hạn: ngừng báo sau chừng này ngày kể từ hạn nộp.")
    channels = models.JSONField("kênh gửi", default=_default_channels,
                                help_text="Danh sách mã kênh: in_app, email, webhook.")
    recipient_roles = models.JSONField("người nhận theo vai trò", default=_default_roles,
                                       help_text="officer (cán bộ nhập liệu), head (lãnh đạo đơn vị), "
                                                 "compiler (PC06: một bản tổng hợp).")
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "quy tắc nhắc hạn"
        verbose_name_plural = "quy tắc nhắc hạn"
        ordering = ["kind", "day_offset", "time_of_day"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        unknown = set(self.channels or []) - set(Channel.values)
        if not self.channels or unknown:
            errors["channels"] = f"Chọn ít nhất một kênh trong: {', '.join(Channel.values)}."
        roles = {code for code, _ in RECIPIENT_ROLES}
        if not self.recipient_roles or set(self.recipient_roles) - roles:
            errors["recipient_roles"] = f"Chọn ít nhất một vai trò trong: {', '.join(sorted(roles))}."
        if self.kind == RuleKind.BEFORE_DEADLINE and self.day_offset > 0:
            errors["day_offset"] = "Nhắc trước hạn phải có số ngày âm hoặc 0 (ngày hạn nộp)."
        if self.kind == RuleKind.ESCALATION and self.day_offset < 1:
            errors["day_offset"] = "Báo quá hạn bắt đầu từ ngày thứ 1 sau hạn nộp trở đi."
        if errors:
            raise ValidationError(errors)


class ReminderClaim(models.Model):
    """One message occasion, claimed before anything is sent: the unique key is the exactly-once guarantee."""

    rule = models.ForeignKey(ReminderRule, verbose_name="quy tắc", on_delete=models.PROTECT, related_name="claims")
    period = models.ForeignKey(ReportingPeriod, verbose_name="kỳ", on_delete=models.CASCADE, related_name="+")
    # The unit's code, or "PC06" for the compilers' digest.
    target = models.CharField("gửi về", max_length=40)
    # The day it is for ("2024-04-16"), or the event it answers ("tra-lai-812").
    occasion = models.CharField("dịp", max_length=40)
    claimed_at = models.DateTimeField("lúc", default=timezone.now)
    subject = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung")
    link = models.CharField("đường dẫn", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "lượt nhắc đã gửi"
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "period", "target", "occasion"], name="one_claim_per_occasion"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.target}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    RETRY = "retry", "Lỗi, sẽ gửi lại"
    FAILED = "failed", "Lỗi, đã thôi gửi"
    SKIPPED = "skipped", "Bỏ qua (không có địa chỉ)"


class Delivery(models.Model):
    """One channel to one person of a claim: sent, retried and logged on its own."""

    claim = models.ForeignKey(ReminderClaim, verbose_name="lượt nhắc", on_delete=models.CASCADE,
                              related_name="deliveries")
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhận", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "nhật ký gửi"
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "channel", "recipient"], name="one_delivery_per_channel_and_person"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address or self.recipient}"


class Notification(models.Model):
    """The in-app notice behind the bell; one per in-app delivery, whatever retries happen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.CASCADE,
                             related_name="notifications")
    delivery = models.OneToOneField(Delivery, verbose_name="lần gửi", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="notification")
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    link = models.CharField("đường dẫn", max_length=255, blank=True)
    created_at = models.DateTimeField("lúc", default=timezone.now)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

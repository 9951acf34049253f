"""Choices shared by models, access rules and forms (English codes, Vietnamese labels)."""

from django.db import models


class AgencyKind(models.TextChoices):
    STEERING = "steering", "Ban Chỉ đạo"
    POLICE = "police", "Công an (cơ quan thường trực)"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "Cấp huyện (quận, huyện, TP Thủ Đức)"
    WARD = "ward", "Cấp xã (phường, xã, thị trấn)"
    OTHER = "other", "Cơ quan khác"


class Role(models.TextChoices):
    OFFICER = "officer", "Cán bộ nhập liệu của đơn vị"
    HEAD = "head", "Lãnh đạo đơn vị (nộp báo cáo)"
    COMPILER = "compiler", "Cán bộ tổng hợp PC06"
    LEADER = "leader", "Lãnh đạo (chỉ xem)"
    ADMIN = "admin", "Quản trị hệ thống"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Đang mở"
    CLOSED = "closed", "Đã đóng"

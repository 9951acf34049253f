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


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    # The officer has prepared the month; the unit's head reviews it, then submits it or returns it to the officer.
    PREPARED = "prepared", "Chờ lãnh đạo đơn vị duyệt"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã duyệt"


# What the figures count: PC06's approved reports, or (for a draft that cannot wait) the submitted ones too.
APPROVED_STATUSES = (SubmissionStatus.APPROVED,)
REPORTED_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class BoardStatus(models.TextChoices):
    """What the review board shows for one unit: the submission status, split by timeliness."""

    NOT_STARTED = "not_started", "Chưa nhập"
    DRAFT = "draft", "Đang nhập"
    PREPARED = "prepared", "Chờ lãnh đạo đơn vị duyệt"
    ON_TIME = "on_time", "Đã nộp đúng hạn"
    LATE = "late", "Đã nộp muộn"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã duyệt"


class CellMark(models.TextChoices):
    """What a unit says instead of a number: nothing happened this month, or the figure is not known.

    "Không phát sinh" is a true zero the unit vouches for; "chưa có số liệu" is missing, never zero:
    the report and the dashboard count it as not reported.
    """

    NONE = "none", "Không phát sinh"
    UNKNOWN = "unknown", "Chưa có số liệu"


class Progress(models.TextChoices):
    """Status of a pilot model or a plan task as a unit reports it."""

    NOT_STARTED = "not_started", "Chưa triển khai"
    IN_PROGRESS = "in_progress", "Đang triển khai"
    DONE = "done", "Đã hoàn thành"


class ChangeSource(models.TextChoices):
    FORM = "form", "Nhập trên trang"
    IMPORT = "import", "Nhập từ Excel"

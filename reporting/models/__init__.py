from .imports import ImportBatch, ImportKind, ImportStatus
from .organisation import Agency, ReportingPeriod, ReportingSchedule, User, previous_month
from .reminders import Channel, Delivery, DeliveryStatus, Notification, ReminderClaim, ReminderRule, RuleKind
from .report import ReportSettings
from .report_versions import NarrativeSection, ReportNarrative, ReportVersion
from .submissions import DataValue, Evidence, StaleSubmission, StatusChange, Submission, ValueChange, WorkflowError

__all__ = [
    "Agency", "Channel", "DataValue", "Delivery", "DeliveryStatus", "Notification", "ReminderClaim", "ReminderRule", "RuleKind", "Evidence", "ImportBatch", "ImportKind", "ImportStatus", "NarrativeSection", "ReportNarrative", "ReportSettings", "ReportVersion", "ReportingPeriod", "ReportingSchedule", "StatusChange", "Submission",
    "StaleSubmission", "User", "ValueChange", "WorkflowError", "previous_month",
]

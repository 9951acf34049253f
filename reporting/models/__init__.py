from reporting.models.imports import ImportBatch, ImportKind, ImportStatus
from reporting.models.organisation import Agency, ReportingPeriod, ReportingSchedule, Share, Succession, User
from reporting.models.reminders import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    ReminderClaim,
    ReminderRule,
    RuleKind,
)
from reporting.models.outline import OutlineItem, ReportOutline
from reporting.models.report import ReportSettings, UnitSignature
from reporting.models.report_versions import PendingSignature, ReportNarrative, ReportVersion
from reporting.models.submissions import (
    ApprovalChain,
    DataValue,
    Evidence,
    StaleSubmission,
    StatusChange,
    Submission,
    ValueChange,
    WorkflowError,
)
from reporting.models.totals import CityTotal, UnitTotal

__all__ = [
    "Agency", "Channel", "CityTotal", "DataValue", "Delivery", "DeliveryStatus", "Notification", "ReminderClaim", "ReminderRule", "RuleKind", "Evidence", "ImportBatch", "ImportKind", "ImportStatus", "OutlineItem", "PendingSignature", "ReportNarrative", "ReportOutline", "ReportSettings", "ReportVersion", "ReportingPeriod", "ReportingSchedule", "Share", "StatusChange", "Succession", "Submission", "UnitSignature",
    "StaleSubmission", "UnitTotal", "User", "ValueChange", "WorkflowError",
]

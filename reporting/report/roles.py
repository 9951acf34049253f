"""Who may change the consolidated report: PC06's compilers (``access.can_review``), for every step."""

from reporting import access
from reporting.models import WorkflowError


def ensure_pc06(user, action):
    """WorkflowError naming ``action`` ("ban hành", "ký", "sửa") unless ``user`` compiles for PC06."""
    if not access.can_review(user):
        raise WorkflowError(f"Chỉ cán bộ tổng hợp PC06 được {action} báo cáo tổng hợp.")

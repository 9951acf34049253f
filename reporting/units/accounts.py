"""Moving a dissolved unit's accounts to the unit that now reports for its area, in one step.

Each moved account is logged in the admin's history (who moved it, from which unit to which),
as an edit in the admin would be.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from reporting import access


def move_problem(agency, successor):
    """Why the accounts of ``agency`` cannot move to ``successor``, in Vietnamese, or ''."""
    if agency.valid_to is None:
        return f"{agency.name} vẫn đang hoạt động; chỉ chuyển tài khoản của đơn vị đã kết thúc hoạt động."
    if successor is None or not agency.successors.filter(pk=successor.pk).exists():
        return "Chọn một đơn vị kế thừa của đơn vị này."
    if successor.valid_to is not None and successor.valid_to <= agency.valid_to:
        return f"{successor.name} cũng đã kết thúc hoạt động."
    return ""


def move_to_successor(agency, successor, by):
    """Move every active account of ``agency`` to ``successor``; returns how many moved."""
    problem = move_problem(agency, successor)
    if problem:
        raise ValidationError(problem)
    accounts = list(agency.users.filter(is_active=True))
    for account in accounts:
        problem = access.role_agency_problem(account.role, successor)
        if problem:
            raise ValidationError(f"{account.username}: {problem}")
    accounts_model = get_user_model()
    content_type = ContentType.objects.get_for_model(accounts_model)
    message = f"Chuyển từ {agency.name} sang {successor.name} (đơn vị kế thừa)."
    with transaction.atomic():
        accounts_model.objects.filter(pk__in=[account.pk for account in accounts]).update(agency=successor)
        LogEntry.objects.bulk_create([
            LogEntry(user_id=by.pk, content_type_id=content_type.pk, object_id=str(account.pk),
                     object_repr=str(account)[:200], action_flag=CHANGE, change_message=message)
            for account in accounts])
    return len(accounts)

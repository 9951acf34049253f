"""The one place that decides what a user may read and change.

Every view, export and import asks these functions (through
``Agency.objects.visible_to`` / ``editable_by`` or ``can_*``) instead of
writing its own ``if``: a rule changed here changes everywhere.

- a unit officer or head reads and changes only their own unit; the officer
  of a district-level unit also reads (never changes) the wards below it;
- where the unit's kind has its head review the month, only the head (or PC06)
  submits it to PC06; the officer prepares it for the head;
- PC06 compilers and administrators read and change every unit;
- leaders read every unit and change nothing.
"""

from django.apps import apps
from django.db.models import Q
from django.http import Http404

from reporting.choices import AgencyKind, Role

READ_EVERYTHING = {Role.COMPILER, Role.LEADER, Role.ADMIN}
CHANGE_EVERYTHING = {Role.COMPILER, Role.ADMIN}
CHANGE_OWN_UNIT = {Role.OFFICER, Role.HEAD}

# The city tree is city -> district -> ward (-> neighbourhood group), so three
# levels below a user's unit cover every descendant while staying one query.
SUBTREE_DEPTH = 3

NOTHING = Q(pk__in=[])


def _is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def subtree(agency_id):
    """A Q on Agency: the unit and every unit below it."""
    q = Q(pk=agency_id)
    lookup = "parent_id"
    for _ in range(SUBTREE_DEPTH):
        q |= Q(**{lookup: agency_id})
        lookup = "parent__" + lookup
    return q


def agency_filter(user, *, for_change):
    """A Q on Agency selecting the units the user may read (or change)."""
    if not _is_active(user):
        return NOTHING
    if user.role in (CHANGE_EVERYTHING if for_change else READ_EVERYTHING):
        return Q()
    if not user.agency_id:
        return NOTHING
    if for_change:
        return Q(pk=user.agency_id) if user.role in CHANGE_OWN_UNIT else NOTHING
    return subtree(user.agency_id)


def in_scope_or_404(queryset, user, agency_path, pk):
    """The object if its agency (reached through ``agency_path``) is visible to the user; else 404.

    404 rather than 403: someone who edits the id in a URL must not learn that it exists.
    """
    agencies = apps.get_model("reporting", "Agency").objects.visible_to(user)   # the models import this module
    found = queryset.filter(pk=pk, **{f"{agency_path}__in": agencies}).first()
    if found is None:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.")
    return found


def agency_or_404(user, pk):
    agencies = apps.get_model("reporting", "Agency").objects.all()
    if _is_active(user) and user.agency_id is not None and user.agency_id == pk:
        # Every scope holds the user's own unit: read it by its key, without the scope's joins (a unit's page
        # opening its own unit is most requests, and on deadline day each unit's first is not cached).
        return agencies.get(pk=pk)
    return in_scope_or_404(agencies, user, "pk", pk)


def may_change(user, agency):
    """``agency_filter(user, for_change=True)`` for one agency already loaded, without a query."""
    if not _is_active(user):
        return False
    if user.role in CHANGE_EVERYTHING:
        return True
    return user.role in CHANGE_OWN_UNIT and user.agency_id is not None and user.agency_id == agency.pk


# Where the unit's kind has its head review the month (``ApprovalChain``), the head hands it to PC06 or returns
# it to the officer; PC06 and administrators may act for any unit, as they may change any unit's figures.
SIGN_OFF = {Role.HEAD, *CHANGE_EVERYTHING}


def may_sign_off(user, agency):
    """Submit the unit's month to PC06 over its officer's work, or return it to the officer."""
    return may_change(user, agency) and user.role in SIGN_OFF


def may_submit(user, agency, *, head_reviews):
    """Hand the unit's month to PC06 directly: anyone who may change it, unless its head reviews first.

    ``head_reviews`` is ``ApprovalChain.head_reviews_for(agency)``, read once by the caller.
    """
    return may_sign_off(user, agency) if head_reviews else may_change(user, agency)


def can_use_admin(user):
    return _is_active(user) and user.role in CHANGE_EVERYTHING


def can_edit_catalogs(user):
    """Catalogs (services, indicators, models, plans, agencies) are PC06's to complete."""
    return _is_active(user) and user.role in CHANGE_EVERYTHING


def can_review(user):
    """Return, approve and reopen submissions: PC06's work as the standing office."""
    return _is_active(user) and user.role in CHANGE_EVERYTHING


def may_issue_reports(user):
    """Number, date and issue the signed consolidated report with the organisation's signature: PC06's văn thư."""
    return can_review(user) and user.records_office


def can_read_city(user):
    """City-wide totals (the dashboard, the city series): PC06, leaders and administrators."""
    return _is_active(user) and user.role in READ_EVERYTHING


def can_manage_accounts(user):
    return _is_active(user) and user.role == Role.ADMIN


def can_move_accounts(user):
    """Moving a dissolved unit's accounts to its successor: PC06 does it on the day of a reorganisation."""
    return _is_active(user) and user.role in (Role.COMPILER, Role.ADMIN)


REPORTING_KINDS = {AgencyKind.POLICE, AgencyKind.DEPARTMENT, AgencyKind.DISTRICT, AgencyKind.WARD, AgencyKind.OTHER}


def role_agency_problem(role, agency):
    """Why this role cannot be held in this agency, in Vietnamese, or ''."""
    if role in CHANGE_OWN_UNIT:
        if agency is None:
            return "Cán bộ của đơn vị phải thuộc một đơn vị."
        if agency.kind not in REPORTING_KINDS:
            return "Đơn vị này không nhập số liệu báo cáo."
    if role == Role.COMPILER and (agency is None or agency.kind != AgencyKind.POLICE):
        return "Cán bộ tổng hợp phải thuộc Công an Thành phố (PC06)."
    return ""

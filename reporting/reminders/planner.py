"""Which messages are due at a moment: the rules applied to the open periods and the units that have not submitted.

Pure reading, no writing: ``dispatch`` claims what this returns. Every time is
local (Asia/Ho_Chi_Minh): "08:00 five days before the deadline" is 08:00 in
the city, and the deadline day ends at midnight there.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from reporting.choices import REPORTED_STATUSES, BoardStatus, PeriodStatus, Role
from reporting.models import ReportingPeriod, Submission, User
from reporting.models.reminders import ReminderClaim, ReminderRule, RuleKind
from reporting.months import Month
from reporting.periods import current_period

PC06_TARGET = "PC06"
UNIT_ROLES = {Role.OFFICER, Role.HEAD}
# PC06's button is pressed by people, twice by mistake or by two compilers at once: a unit reminded this
# recently (by the button or by a rule) is not reminded again.
RECENT = datetime.timedelta(minutes=10)


@dataclass
class Due:
    rule: ReminderRule
    period: ReportingPeriod
    target: str              # the unit's code, or PC06_TARGET for the compilers' digest
    occasion: str            # the local day it is for
    subject: str
    body: str
    link: str
    recipients: list = field(default_factory=list)


def due_messages(now):
    """Every message due at ``now`` (aware) for units that have not submitted, before or after the deadline."""
    local = timezone.localtime(now)
    _ensure_recent_periods(local.date())
    rules = list(ReminderRule.objects.filter(is_active=True, kind__in=[RuleKind.BEFORE_DEADLINE, RuleKind.ESCALATION]))
    if not rules:
        return []
    latest_deadline = local.date() + datetime.timedelta(days=max(-rule.day_offset for rule in rules) + 1)
    periods = ReportingPeriod.objects.filter(status=PeriodStatus.OPEN, deadline__lte=latest_deadline)
    due = []
    for period in periods.select_related("schedule").order_by("deadline"):
        occasions = [(rule, occasion) for rule in rules if (occasion := _occasion(rule, period, local))]
        if occasions:
            due += _messages(period, occasions, local.date())
    return due


def _ensure_recent_periods(today):
    """The month under way and the one whose deadline last passed exist, even if nobody has opened them yet."""
    period = current_period(today)
    before = Month.of(period).previous()
    period.schedule.period_for(before.year, before.month)


def _occasion(rule, period, local):
    """The local day this rule speaks for at ``local``, or None when it is not due now."""
    day = period.deadline + datetime.timedelta(days=rule.day_offset)
    moment = _at(day, rule.time_of_day)
    if local < moment:
        return None
    if rule.kind == RuleKind.ESCALATION:
        # Once a day, at the rule's time, until the unit submits (or the rule's repeat_days run out).
        today_moment = _at(local.date(), rule.time_of_day)
        day = local.date() if local >= today_moment else local.date() - datetime.timedelta(days=1)
        return day.isoformat() if (day - period.deadline).days <= rule.repeat_days else None
    # A reminder before the deadline is sent within a day of its time, and never after the deadline day.
    end_of_deadline_day = _at(period.deadline + datetime.timedelta(days=1), datetime.time())
    return day.isoformat() if local < min(moment + datetime.timedelta(days=1), end_of_deadline_day) else None


def _at(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _messages(period, occasions, today):
    pending = _pending_units(period)
    if not pending:
        return []
    people = _unit_people(pending)
    compilers = list(User.objects.filter(role=Role.COMPILER, is_active=True).order_by("pk"))
    due = []
    for rule, occasion in occasions:
        roles = set(rule.recipient_roles)
        for agency in pending if roles & UNIT_ROLES else []:
            recipients = [user for user in people[agency.pk] if user.role in roles]
            if recipients:      # a unit without accounts has nobody to remind; PC06's digest still names it
                due.append(_unit_message(rule, period, occasion, agency, recipients, today))
        if Role.COMPILER in roles:
            due.append(_digest(rule, period, occasion, pending, compilers, today))
    return due


def _pending_units(period):
    """Units expected in the period (valid then, reporting) without a submitted or approved report."""
    done = Submission.objects.filter(period=period, status__in=REPORTED_STATUSES).values("agency_id")
    return list(period.expected_agencies().exclude(pk__in=done).order_by("kind", "code"))


def _unit_people(agencies):
    people = defaultdict(list)
    for user in User.objects.filter(agency__in=agencies, role__in=UNIT_ROLES, is_active=True).order_by("pk"):
        people[user.agency_id].append(user)
    return people


def _unit_message(rule, period, occasion, agency, recipients, today):
    link = reverse("entry", args=[period.year, period.month, agency.pk])
    deadline = f"{period.deadline:%d/%m/%Y}"
    if rule.kind == RuleKind.ESCALATION:
        late = (today - period.deadline).days
        subject = f"Quá hạn {late} ngày: {agency.name} chưa nộp báo cáo Đề án 06 {period.label.lower()}"
        body = (f"Hạn nộp báo cáo {period.label.lower()} là ngày {deadline}. {agency.name} chưa nộp; "
                "đề nghị hoàn thành và nộp ngay.")
    else:
        left = (period.deadline - today).days
        when = "hôm nay" if left <= 0 else f"còn {left} ngày"
        subject = f"Nhắc hạn ({when}): báo cáo Đề án 06 {period.label.lower()} của {agency.name}"
        body = (f"Hạn nộp báo cáo {period.label.lower()} là ngày {deadline} ({when}). {agency.name} chưa nộp báo cáo; "
                "vui lòng nhập đủ số liệu và nộp trước hạn.")
    return Due(rule, period, agency.code, occasion, subject, body, link, recipients)


def _digest(rule, period, occasion, pending, compilers, today):
    names = "\n".join(f"- {agency.name}" for agency in pending)
    if rule.kind == RuleKind.ESCALATION:
        subject = (f"Quá hạn {(today - period.deadline).days} ngày: {len(pending)} đơn vị chưa nộp báo cáo "
                   f"{period.label.lower()}")
    else:
        subject = f"Nhắc hạn: {len(pending)} đơn vị chưa nộp báo cáo {period.label.lower()}"
    body = f"Hạn nộp: {period.deadline:%d/%m/%Y}. Các đơn vị chưa nộp:\n{names}"
    link = reverse("board", args=[period.year, period.month])
    return Due(rule, period, PC06_TARGET, occasion, subject, body, link, compilers)


def returned_messages(status_change):
    """The notices of a report returned to its unit, one per active rule of that kind."""
    submission = status_change.submission
    agency, period = submission.agency, submission.period
    link = reverse("entry", args=[period.year, period.month, agency.pk])
    subject = f"Báo cáo {period.label.lower()} của {agency.name} bị PC06 trả lại"
    body = f"Nội dung cần sửa: {status_change.comment}\nVui lòng sửa và nộp lại."
    people = list(User.objects.filter(agency=agency, is_active=True).order_by("pk"))
    return [
        Due(rule, period, agency.code, f"tra-lai-{status_change.pk}", subject, body, link,
            [user for user in people if user.role in rule.recipient_roles])
        for rule in ReminderRule.objects.filter(is_active=True, kind=RuleKind.RETURNED)
    ]

def returned_to_officers_messages(status_change):
    """The notices of a month the unit's head returned to its officers: PC06's "returned" rules say by which channels.

    Only the officers receive them: their head made the decision.
    """
    submission = status_change.submission
    agency, period = submission.agency, submission.period
    link = reverse("entry", args=[period.year, period.month, agency.pk])
    subject = f"Báo cáo {period.label.lower()} của {agency.name} được lãnh đạo đơn vị trả lại"
    body = f"Nội dung cần sửa: {status_change.comment}\nVui lòng sửa rồi gửi lãnh đạo đơn vị duyệt lại."
    officers = list(User.objects.filter(agency=agency, role=Role.OFFICER, is_active=True).order_by("pk"))
    return [
        Due(rule, period, agency.code, f"tra-lai-can-bo-{status_change.pk}", subject, body, link, officers)
        for rule in ReminderRule.objects.filter(is_active=True, kind=RuleKind.RETURNED)
    ]



def last_reminded(period, targets=None):
    """Unit code → when it was last sent anything for the period (a reminder, an escalation, a return notice), one query.

    ``targets``: only those unit codes (a page of the board), not every unit reminded.
    """
    claims = ReminderClaim.objects.filter(period=period)
    if targets is not None:
        claims = claims.filter(target__in=targets)
    claims = claims.order_by().values("target").annotate(last=Max("claimed_at"))
    return {claim["target"]: claim["last"] for claim in claims}


@dataclass
class ManualPlan:
    """What PC06's "Nhắc các đơn vị chưa nộp" would send at a moment, and whom it leaves out and why."""

    pending: int = 0                                 # units that have not submitted
    rules: int = 0                                   # active rules of the button (PC06 may switch it off)
    due: list = field(default_factory=list)          # one Due per unit and rule
    recent: list = field(default_factory=list)       # units reminded within RECENT
    unreachable: list = field(default_factory=list)  # units with no active account a rule addresses


def manual_messages(period, rules, now):
    """One message per unit of the period that has not submitted (not started, draft, prepared, returned) and per rule."""
    local = timezone.localtime(now)
    pending = _pending_units(period)
    plan = ManualPlan(pending=len(pending), rules=len(rules))
    if not pending or not rules:
        return plan
    statuses = dict(Submission.objects.filter(period=period, agency__in=pending).values_list("agency_id", "status"))
    people = _unit_people(pending)
    reminded = last_reminded(period)
    # To the minute: two presses in the same minute are one occasion, which the claim's unique key sends once.
    occasion = f"nhac-tay-{local:%Y-%m-%d-%H%M}"
    for agency in pending:
        last = reminded.get(agency.code)
        if last and now - last < RECENT:
            plan.recent.append(agency)
            continue
        status = BoardStatus(statuses.get(agency.pk, BoardStatus.NOT_STARTED))
        messages = []
        for rule in rules:
            recipients = [user for user in people[agency.pk] if user.role in rule.recipient_roles]
            if recipients:
                messages.append(_manual_message(rule, period, occasion, agency, status, recipients, local.date()))
        plan.due += messages
        if not messages:
            plan.unreachable.append(agency)
    return plan


def _manual_message(rule, period, occasion, agency, status, recipients, today):
    left = (period.deadline - today).days
    when = f"còn {left} ngày" if left > 0 else "hôm nay" if left == 0 else f"đã quá hạn {-left} ngày"
    subject = f"PC06 nhắc: {agency.name} chưa nộp báo cáo Đề án 06 {period.label.lower()}"
    body = (f"Hạn nộp báo cáo {period.label.lower()} là ngày {period.deadline:%d/%m/%Y} ({when}). "
            f"Báo cáo của {agency.name} đang ở trạng thái “{status.label}”; PC06 đề nghị hoàn thành và nộp ngay.")
    link = reverse("entry", args=[period.year, period.month, agency.pk])
    return Due(rule, period, agency.code, occasion, subject, body, link, recipients)

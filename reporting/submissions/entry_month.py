"""What the entry page reads of one unit's month besides its cells: one query, two before the unit's first save.

On deadline day every unit opens and saves its page again and again. The period and the unit (with
the access check) only change with the catalogs: they are kept in the cache under ``stamps.CATALOG``,
per month, unit and what the access check reads of the user (``access.agency_filter``), each 404 on
a miss saying why as before. Compiling their queries cost more CPU than the rest of the read. The
submission comes in one query, with whether its head reviews the month, whether evidence is attached
and whether the head returned it as subqueries; a month the unit has not saved yet asks
``ApprovalChain`` alone, which no stamp follows.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Subquery

from reporting import access, periods, stamps
from reporting.choices import SubmissionStatus
from reporting.models import Agency, ApprovalChain, Evidence, ReportingPeriod, StatusChange, Submission

UNIT_MONTH_CACHE_SECONDS = 60 * 60    # as a sheet: bounds how stale an edit that sends no signal can leave it
# The cached models' classes and columns: a deploy that changes either reads none of the pickles written before.
SHAPE = hashlib.sha256(";".join(
    f"{stamps.shape_of(model)}({','.join(f.attname for f in model._meta.concrete_fields)})"
    for model in (ReportingPeriod, Agency)).encode()).hexdigest()[:10]


@dataclass
class EntryMonth:
    period: ReportingPeriod
    agency: Agency
    submission: Submission | None
    head_reviews: bool                      # ``ApprovalChain.head_reviews_for(agency)``
    evidence: list = field(default_factory=list)
    head_return: StatusChange | None = None  # the head's return to the officer, when it is the month's last change


def read(user, year, month, agency_pk):
    """The unit's month as ``user`` may read it; 404 as ``periods.period_or_404`` and ``access.agency_or_404``."""
    period, agency = unit_month(user, year, month, agency_pk)
    submission = (
        # No order: there is one submission per unit and month, and the model's order joins the period and unit.
        Submission.objects.filter(period=period, agency=agency).order_by()
        .select_related("submitted_by", "updated_by")
        .annotate(head_reviews=_head_reviews(agency),
                  has_evidence=Exists(Evidence.objects.filter(submission=OuterRef("pk"))),
                  last_from=_last_status_change("from_status"), last_to=_last_status_change("to_status"))
        .first()
    )
    if submission is None:
        return EntryMonth(period, agency, None, ApprovalChain.head_reviews_for(agency))
    submission.period, submission.agency = period, agency
    returned = (submission.last_from, submission.last_to) == (SubmissionStatus.PREPARED, SubmissionStatus.DRAFT)
    return EntryMonth(
        period, agency, submission, submission.head_reviews,
        evidence=list(submission.evidence.select_related("uploaded_by")) if submission.has_evidence else [],
        head_return=(submission.status_changes.select_related("changed_by").first()
                     if returned and submission.head_reviews else None),
    )


def unit_month(user, year, month, agency_pk):
    """(period, agency) of the entry page, from the cache when it is there; 404 when either is."""
    key = stamps.cache_key("entry-unit-month", year, month, agency_pk, user.is_active, user.role, user.agency_id,
                           stamps=[stamps.CATALOG], shape=SHAPE)
    found = cache.get(key)
    if found is None:
        period = periods.period_or_404(year, month)
        agency = access.agency_or_404(user, agency_pk)
        found = (period, agency)
        cache.set(key, found, UNIT_MONTH_CACHE_SECONDS)
    return found


def _head_reviews(agency):
    """``ApprovalChain.head_reviews_for(agency)`` as a subquery."""
    return Exists(ApprovalChain.objects.filter(kind=agency.kind, head_reviews=True))


def _last_status_change(field_name):
    # StatusChange's own order: the latest first.
    return Subquery(StatusChange.objects.filter(submission=OuterRef("pk")).order_by("-changed_at", "-pk")
                    .values(field_name)[:1])

"""What the entry page reads of one unit's month besides its cells: one query once the unit has saved it.

On deadline day every unit opens and saves its page again and again. The period, the unit (through
the access check), its submission, whether its head reviews the month, whether evidence is attached
and whether the head returned the month were a query each; they now come as one: the submission,
joined to its period and unit, the rest as subqueries. A month the unit has not saved yet reads the
period (created on demand) and the unit as before, each 404 saying why.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery

from reporting import access, periods
from reporting.choices import SubmissionStatus
from reporting.models import Agency, ApprovalChain, Evidence, ReportingPeriod, StatusChange, Submission


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
    submission = (
        Submission.objects
        .filter(agency_id=agency_pk, agency__in=Agency.objects.visible_to(user),
                period__schedule__name=periods.DEFAULT_SCHEDULE_NAME, period__year=year, period__month=month)
        .select_related("period__schedule", "agency", "submitted_by", "updated_by")
        .annotate(head_reviews=_head_reviews("agency__kind"),
                  has_evidence=Exists(Evidence.objects.filter(submission=OuterRef("pk"))),
                  last_from=_last_status_change("from_status"), last_to=_last_status_change("to_status"))
        .first()
    )
    if submission is None:
        period = periods.period_or_404(year, month)
        agency = access.in_scope_or_404(Agency.objects.annotate(head_reviews=_head_reviews("kind")), user, "pk",
                                        agency_pk)
        return EntryMonth(period, agency, None, agency.head_reviews)
    returned = (submission.last_from, submission.last_to) == (SubmissionStatus.PREPARED, SubmissionStatus.DRAFT)
    return EntryMonth(
        submission.period, submission.agency, submission, submission.head_reviews,
        evidence=list(submission.evidence.select_related("uploaded_by")) if submission.has_evidence else [],
        head_return=(submission.status_changes.select_related("changed_by").first()
                     if returned and submission.head_reviews else None),
    )


def _head_reviews(kind_path):
    """``ApprovalChain.head_reviews_for`` as a subquery on the unit's kind."""
    return Exists(ApprovalChain.objects.filter(kind=OuterRef(kind_path), head_reviews=True))


def _last_status_change(field_name):
    # StatusChange's own order: the latest first.
    return Subquery(StatusChange.objects.filter(submission=OuterRef("pk")).order_by("-changed_at", "-pk")
                    .values(field_name)[:1])

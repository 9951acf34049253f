"""What the entry page reads of one unit's month besides its cells: one query.

On deadline day every unit opens and saves its page again and again. The period and the unit (with
the access check) only change with the catalogs: they are kept in the cache under ``stamps.CATALOG``,
the period per month, the unit per unit and what the access check reads of the user
(``access.agency_filter``), each 404 on a miss saying why as before; so is whether the unit's head
reviews (``ApprovalChain.reviewing_kinds``).
The submission comes in one query with its submitter's name, whether evidence is attached and its last
change of status (whether the head returned it), written in SQL once: compiling the same query through
the ORM cost five times the rest of the read, on every request of the page and of each save.
"""

import hashlib
from dataclasses import dataclass, field

from reporting import access, periods, stamps
from reporting.choices import SubmissionStatus
from reporting.models import Agency, ApprovalChain, Evidence, ReportingPeriod, StatusChange, Submission, User

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
    head_reviews = ApprovalChain.head_reviews_for(agency)
    submission = next(iter(Submission.objects.raw(_MONTH_SQL, [period.pk, agency.pk])), None)
    if submission is None:
        return EntryMonth(period, agency, None, head_reviews)
    submission.period, submission.agency = period, agency
    if submission.submitted_by_id:
        # What the page says of who submitted: "bởi <full name or user name>".
        submission.submitted_by = User(pk=submission.submitted_by_id, username=submission.submitter_username,
                                       first_name=submission.submitter_first_name,
                                       last_name=submission.submitter_last_name)
    returned = (submission.last_from, submission.last_to) == (SubmissionStatus.PREPARED, SubmissionStatus.DRAFT)
    return EntryMonth(
        period, agency, submission, head_reviews,
        evidence=list(submission.evidence.select_related("uploaded_by")) if submission.has_evidence else [],
        head_return=(submission.status_changes.select_related("changed_by").first()
                     if returned and head_reviews else None),
    )


# The month's submission (one per unit and month), its submitter's name, whether evidence is attached, and
# the statuses of its last change (StatusChange's own order: the latest first). Portable SQL: PostgreSQL in
# production, SQLite for ``make run``. The columns are named: a prepared ``s.*`` fails once a migration adds
# one (settings: prepared statements).
_MONTH_SQL = f"""
SELECT {", ".join(f"s.{field.column}" for field in Submission._meta.concrete_fields)},
       u.username AS submitter_username, u.first_name AS submitter_first_name,
       u.last_name AS submitter_last_name,
       EXISTS (SELECT 1 FROM {Evidence._meta.db_table} e WHERE e.submission_id = s.id) AS has_evidence,
       (SELECT c.from_status FROM {StatusChange._meta.db_table} c WHERE c.submission_id = s.id
        ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) AS last_from,
       (SELECT c.to_status FROM {StatusChange._meta.db_table} c WHERE c.submission_id = s.id
        ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) AS last_to
FROM {Submission._meta.db_table} s LEFT JOIN {User._meta.db_table} u ON u.id = s.submitted_by_id
WHERE s.period_id = %s AND s.agency_id = %s
"""


def unit_month(user, year, month, agency_pk):
    """(period, agency) of the entry page, from the cache when it is there; 404 when either is.

    The period is kept apart from the unit: every unit opens the same month, so on deadline day only the
    first page of each process reads it. Shared by the process's requests (``stamps.kept``): read only.
    """
    period_key = stamps.cache_key("entry-period", year, month, stamps=[stamps.CATALOG], shape=SHAPE)
    unit_key = stamps.cache_key("entry-unit", agency_pk, user.is_active, user.role, user.agency_id,
                                stamps=[stamps.CATALOG], shape=SHAPE)
    period = stamps.kept(period_key, lambda: periods.period_or_404(year, month), UNIT_MONTH_CACHE_SECONDS)
    return period, stamps.kept(unit_key, lambda: access.agency_or_404(user, agency_pk), UNIT_MONTH_CACHE_SECONDS)

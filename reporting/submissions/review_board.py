"""PC06's review board: every unit expected in a month × its status, one page of units at a time.

At the scale of the country (3 347 communes since 2025) the whole table was a megabyte of HTML (issue 20).
The board shows a page of units, those that need something first, under the counts of every status that
the database aggregates for the whole month, so nothing left for a later page goes unsaid: each chip
filters to its units, and the page says how many are left and links to the next. Every filter, order and
page is in the query string, so each link keeps the others.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Case, CharField, Count, F, FilteredRelation, IntegerField, Q, Value, When
from django.utils.http import urlencode

from reporting.choices import AgencyKind, BoardStatus, SubmissionStatus
from reporting.formatting import format_percent
from reporting.models import Agency
from reporting.reminders.planner import last_reminded

PAGE_SIZE = 50
KIND, PARENT, STATUS_FILTER, SORT, PAGE = "loai", "quan", "trang-thai", "sap-xep", "trang"

# The table's fixed order, which PC06's review queue (``queue.py``) follows too: by kind of unit, the wards of
# a parent together, then by code.
BOARD_ORDER = ("kind", "parent__code", "code")

# What needs something first: a month the unit must redo, then those not sent (not started, being typed,
# with the unit's head), then those awaiting PC06's review, then the approved. On time and late share a rank,
# so the reports awaiting review stay in the review queue's order.
NEEDS_FIRST = {
    BoardStatus.RETURNED: 0, BoardStatus.NOT_STARTED: 1, BoardStatus.DRAFT: 2, BoardStatus.PREPARED: 3,
    BoardStatus.LATE: 4, BoardStatus.ON_TIME: 4, BoardStatus.APPROVED: 5,
}
SORTS = {
    "": "Cần xử lý trước (bị trả lại, chưa nộp, chờ duyệt)",
    "thu-tu": "Thứ tự bảng (loại, cấp trên, mã)",
    "nop-som": "Nộp sớm trước",
    "nop-muon": "Nộp muộn trước",
    "don-vi": "Tên đơn vị (A → Z)",
}
# A unit that never submitted goes last when sorting by time, in the table's order.
ORDERINGS = {
    "": ("needs_first", *BOARD_ORDER),
    "thu-tu": BOARD_ORDER,
    "nop-som": (F("first_submitted_at").asc(nulls_last=True), *BOARD_ORDER),
    "nop-muon": (F("first_submitted_at").desc(nulls_last=True), *BOARD_ORDER),
}


@dataclass
class BoardRow:
    agency: Agency                 # with its parent
    status: BoardStatus
    first_submitted_at: object
    submitted_at: object
    last_reminded: object = None   # when the unit was last sent a reminder or notice for this period, or None

    @property
    def was_resubmitted(self):
        return bool(self.first_submitted_at and self.submitted_at and self.submitted_at != self.first_submitted_at)


@dataclass
class Pager:
    number: int
    pages: int
    first: int         # the position of the page's first unit among those filtered, from 1
    last: int
    total: int         # units filtered (all pages)
    previous_query: str | None
    next_query: str | None

    @property
    def remaining(self):
        """Units on the pages after this one."""
        return self.total - self.last


def with_status(agencies, period):
    """The agencies annotated with their ``board_status`` for the period, its rank and submission times, in SQL.

    The same rule as ``Submission.board_status``, plus "not started" for a unit with no submission.
    """
    rank = Case(*[When(board_status=status, then=Value(position)) for status, position in NEEDS_FIRST.items()],
                output_field=IntegerField())
    return agencies.annotate(
        this_month=FilteredRelation("submissions", condition=Q(submissions__period=period)),
        board_status=Case(
            When(this_month__pk__isnull=True, then=Value(BoardStatus.NOT_STARTED.value)),
            When(this_month__status=SubmissionStatus.SUBMITTED, this_month__is_late=True,
                 then=Value(BoardStatus.LATE.value)),
            When(this_month__status=SubmissionStatus.SUBMITTED, then=Value(BoardStatus.ON_TIME.value)),
            default=F("this_month__status"), output_field=CharField()),
        first_submitted_at=F("this_month__first_submitted_at"),
        submitted_at=F("this_month__submitted_at"),
    ).annotate(needs_first=rank)


def board_page(user, period, filters):
    """One page of the board and the month's counts, in a fixed number of queries whatever the number of units.

    ``filters`` may hold ``loai`` (agency kind), ``quan`` (a parent unit: it and its units), ``trang-thai`` (a
    BoardStatus: only those rows; the counts stay those of the kind and parent chosen, so each chip says how many
    it would show), ``sap-xep`` (one of ``SORTS``) and ``trang`` (the page); anything else in them is ignored.
    """
    chosen = _chosen(filters)
    scope = period.expected_agencies().visible_to(user)
    agencies = scope.filter(kind=chosen[KIND]) if chosen[KIND] else scope
    if chosen[PARENT]:
        agencies = agencies.filter(Q(pk=chosen[PARENT]) | Q(parent_id=chosen[PARENT]))
    agencies = with_status(agencies, period)
    counts = dict(agencies.order_by().values_list("board_status").annotate(units=Count("pk")))
    expected = sum(counts.values())
    status = chosen[STATUS_FILTER]
    total = counts.get(status, 0) if status else expected
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(chosen.pop(PAGE), pages)
    offset = (number - 1) * PAGE_SIZE
    shown = agencies.filter(board_status=status) if status else agencies
    rows = _page_rows(shown.select_related("parent"), chosen[SORT], offset)
    reminded = last_reminded(period, targets=[agency.code for agency in rows])
    reported = sum(counts.get(value, 0) for value in (BoardStatus.ON_TIME, BoardStatus.LATE, BoardStatus.APPROVED))
    return {
        "rows": [BoardRow(agency, BoardStatus(agency.board_status), agency.first_submitted_at, agency.submitted_at,
                          reminded.get(agency.code)) for agency in rows],
        "chips": _chips(chosen, counts, expected),
        "expected": expected,
        "reported": reported,
        "completeness": format_percent(reported, expected) or "0%",
        "kinds": AgencyKind.choices, "kind": chosen[KIND], "parents": _parents(user, scope), "parent": chosen[PARENT],
        "status": status, "sort": chosen[SORT], "sorts": list(SORTS.items()),
        "pager": Pager(number, pages, offset + 1 if rows else 0, offset + len(rows), total,
                       _query({**chosen, PAGE: number - 1}) if number > 1 else None,
                       _query({**chosen, PAGE: number + 1}) if number < pages else None),
        # Where the reminder button comes back to: this very page.
        "query": _query({**chosen, PAGE: number}),
    }


def _chosen(filters):
    """What the query string asks for, each value checked: "" (or page 1) for anything else."""
    kind, parent = filters.get(KIND, ""), filters.get(PARENT, "")
    status, sort, page = filters.get(STATUS_FILTER, ""), filters.get(SORT, ""), filters.get(PAGE, "")
    return {
        KIND: kind if kind in AgencyKind.values else "",
        PARENT: parent if parent.isdigit() else "",
        STATUS_FILTER: status if status in BoardStatus.values else "",
        SORT: sort if sort in SORTS else "",
        PAGE: max(int(page), 1) if page.isdigit() else 1,
    }


def _page_rows(agencies, sort, offset):
    if sort != "don-vi":
        return list(agencies.order_by(*ORDERINGS[sort])[offset:offset + PAGE_SIZE])
    # No database sorts Vietnamese the same way: the names of every unit filtered are sorted here, the page read after.
    names = sorted(agencies.values_list("pk", "name", "code"), key=lambda unit: (vietnamese_order(unit[1]), unit[2]))
    shown = [pk for pk, _, _ in names[offset:offset + PAGE_SIZE]]
    by_pk = {agency.pk: agency for agency in agencies.filter(pk__in=shown)}
    return [by_pk[pk] for pk in shown]


def _parents(user, scope):
    """What the parent select offers: each parent of an expected unit, both visible to the user, but the root of
    the tree (the steering committee, the parent of every unit since 2025), which would filter nothing out."""
    return (Agency.objects.visible_to(user).filter(pk__in=scope.values("parent_id"), parent__isnull=False)
            .order_by("kind", "code"))


def _chips(chosen, counts, total):
    """The status chips: links that filter the table, keeping the kind, parent and order chosen (from page 1)."""
    chips = [{"status": "", "label": "Tất cả", "count": total, "query": _query({**chosen, STATUS_FILTER: ""}),
              "current": not chosen[STATUS_FILTER]}]
    chips += [{"status": value, "label": value.label, "count": counts.get(value, 0),
               "query": _query({**chosen, STATUS_FILTER: value.value}), "current": chosen[STATUS_FILTER] == value}
              for value in BoardStatus]
    return chips


def _query(chosen):
    """The query string of what is chosen, the first page and defaults left out."""
    return urlencode({name: value for name, value in chosen.items() if value and not (name == PAGE and value == 1)})


# Vietnamese letters that are letters of their own in the alphabet (a ă â, d đ, e ê, o ô ơ, u ư), each sorted
# after its base letter; the five tone marks only break ties.
_OWN_LETTERS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}


@lru_cache(maxsize=8192)   # the board sorts every unit's name (3 347 in the country) at each request
def vietnamese_order(text):
    """A sort key that puts "Đa Kao" after "Dĩ An" and before "Gò Vấp", and "Phường 2" before "Phường 10".

    Python compares code points, which would put every Đ and every accented capital after Z.
    """
    key = []
    for part in re.findall(r"\d+|\D+", unicodedata.normalize("NFD", text.lower())):
        if part.isdigit():
            key.append((0, int(part), ()))
            continue
        letters = []
        for char in part.replace("đ", "d\u0335"):
            if unicodedata.combining(char):
                if letters and (char in _OWN_LETTERS or char == "\u0335"):
                    letters[-1] = (letters[-1][0], _OWN_LETTERS.get(char, 1))
            else:
                letters.append((char, 0))
        key.append((1, 0, tuple(letters)))
    return tuple(key), unicodedata.normalize("NFC", text)

"""After a refused save: what the other editor changed, merged with what this user typed, cell by cell.

A cell only the other editor changed takes their value: re-posting the page
as it was would silently revert it. A cell both changed, to different values,
is a conflict: the page shows their value in the field and the user's beside
it, so the next save keeps the user's only if they type it again.
"""

from dataclasses import dataclass

from reporting.submissions.selectors import display_value
from reporting.submissions.store import CellValue


@dataclass(frozen=True)
class CellConflict:
    key: str
    label: str
    who: str
    at: object
    theirs: str
    yours: str


def merge(changes, typed, stored, labels):
    """(key → CellValue to show, conflicts) from the other editors' ``changes`` since the user loaded the page.

    ``typed``: key → CellValue the user posted; ``stored``: key → CellValue now in the database.
    """
    loaded, last = {}, {}
    for change in changes:
        loaded.setdefault(change.key, change.old_value)     # what the user saw when the page was loaded
        last[change.key] = change
    shown, conflicts = {}, []
    for key, change in last.items():
        if key not in typed:
            continue                                        # evidence and other rows without a field
        mine, theirs = typed[key].audit_text, stored.get(key, CellValue()).audit_text
        shown[key] = stored.get(key, CellValue())
        if mine not in (loaded[key], theirs):
            conflicts.append(CellConflict(key, labels.get(key, key), _name(change.changed_by), change.changed_at,
                                          display_value(theirs), display_value(mine)))
    return shown, conflicts


def _name(user):
    return user.get_full_name() or user.username

"""Generation stamps: how a cache shared by every web process learns that what it holds is stale.

Each kind of cached object carries its stamp's current number in its key; a
change moves the number on, which orphans every key built before (they expire
on their own). No list of keys to find and delete. The number moves twice:
at once, for readers inside the changing transaction, and again when it
commits, because a page built in between from the data being replaced would
otherwise be cached under the new number.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone


class Stamp:
    def __init__(self, key):
        self.key = key

    def current(self):
        return cache.get_or_set(self.key, 1, None)

    def bump(self, **_signal_arguments):
        """Everything cached under this stamp is stale (a signal receiver, or called after a bulk write)."""
        self._next()
        transaction.on_commit(self._next)

    def _next(self):
        try:
            cache.incr(self.key)
        except ValueError:           # never set, or evicted: any new value orphans the old keys
            cache.set(self.key, int(timezone.now().timestamp() * 1000), None)


# Any edit of the catalogs (agencies, services, indicators, models, plans, tasks and who reports or
# leads what; receivers in apps.py): units' sheets and the indicators' kinds are cached under it.
CATALOG = Stamp("catalog:generation")

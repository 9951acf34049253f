"""Generation stamps: how a cache shared by every web process learns that what it holds is stale.

Each kind of cached object carries its stamp's current number in its key; a
change moves the number on, which orphans every key built before (they expire
on their own). No list of keys to find and delete. The number moves twice:
at once, for readers inside the changing transaction, and again when it
commits, because a page built in between from the data being replaced would
otherwise be cached under the new number.

Keys also carry the shape of what they hold (``shape_of``): a deploy that
moves or changes a cached class reads none of the pickles written before it.
"""

import dataclasses
import hashlib

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


def shape_of(*classes):
    """A short tag of the classes' module, name and fields: it changes when one of them is moved or reshaped."""
    described = ";".join(
        f"{cls.__module__}.{cls.__qualname__}({','.join(f.name for f in dataclasses.fields(cls))})"
        if dataclasses.is_dataclass(cls) else f"{cls.__module__}.{cls.__qualname__}"
        for cls in classes)
    return hashlib.sha256(described.encode()).hexdigest()[:10]


def cache_key(name, *parts, stamps, shape):
    """``name:shape:the stamps' numbers:parts``, the one form of every key the app caches under."""
    return ":".join([name, shape, *(str(stamp.current()) for stamp in stamps), *(str(part) for part in parts)])


# Any edit of the catalogs (agencies, periods, services and their measures, indicators, models and their
# programmes, plans, their targets and tasks, who reports or leads what, whose head reviews; receivers in
# apps.py): units' sheets, approval chains, what a range takes the last month of, and the dashboards are cached
# under it.
CATALOG = Stamp("catalog:generation")
# Any change of a submission's status (reporting.submissions.workflow): what counts as reported or
# approved, so every dashboard.
FIGURES = Stamp("figures:generation")

"""Generation stamps: how a cache shared by every web process learns that what it holds is stale.

Each kind of cached object carries its stamp's current number in its key; a
change moves the number on, which orphans every key built before (they expire
on their own). No list of keys to find and delete. The number moves twice:
at once, for readers inside the changing transaction, and again when it
commits, because a page built in between from the data being replaced would
otherwise be cached under the new number.

Keys also carry the shape of what they hold (``shape_of``): a deploy that
moves or changes a cached class reads none of the pickles written before it.

So what is cached under a stamped key never changes while the key lives, and
a process may keep its own copy of what it read (``kept``): the entry page
reads a unit's sheet on every request, and unpickling it from Redis cost more
than the rest of the read. A stamp starts from the clock, not from 1, so that
a Redis emptied by a restart never gives a key again to other contents.
"""

import contextvars
import dataclasses
import hashlib
import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

# A copy kept in a process lives at most this long: what an edit that moves no stamp (a repair in SQL) is
# picked up after, beyond the shared entry's own timeout.
KEPT_SECONDS = 60
KEPT_ENTRIES = 256      # the sheets of a few kinds of unit and years, and the last pages' sections


def _fresh_number():
    return time.time_ns() // 1000       # microseconds: no run of bumps since a restart outpaces them


# The stamps a request has read, each read once (a page builds several keys under one stamp, and each read is a
# round trip to Redis); None outside a request. Filled while a request is served (``remember_during_requests``).
_read_in_request = contextvars.ContextVar("stamps_read_in_request", default=None)


class Stamp:
    def __init__(self, key):
        self.key = key

    def current(self):
        read = _read_in_request.get()
        if read is None:
            return cache.get_or_set(self.key, _fresh_number, None)
        if self.key not in read:
            read[self.key] = cache.get_or_set(self.key, _fresh_number, None)
        return read[self.key]

    def bump(self, **_signal_arguments):
        """Everything cached under this stamp is stale (a signal receiver, or called after a bulk write)."""
        self._next()
        transaction.on_commit(self._next)

    def _next(self):
        try:
            cache.incr(self.key)
        except ValueError:           # never set, or evicted: any new value orphans the old keys
            cache.set(self.key, _fresh_number(), None)
        read = _read_in_request.get()
        if read is not None:
            read.pop(self.key, None)


def remember_during_requests():
    """Each request reads a stamp once, however many keys it builds: connected once, in apps.py."""
    request_started.connect(_begin_request, dispatch_uid="stamps.begin_request")
    request_finished.connect(_end_request, dispatch_uid="stamps.end_request")


def _begin_request(**_signal_arguments):
    _read_in_request.set({})


def _end_request(**_signal_arguments):
    _read_in_request.set(None)


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


class _Kept:
    """This process's copies of values cached under stamped keys, the least recently read dropped first."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()      # key → (time.monotonic() it expires at, value)

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key, value, timeout):
        with self.lock:
            self.entries[key] = (time.monotonic() + min(timeout, KEPT_SECONDS), value)
            self.entries.move_to_end(key)
            while len(self.entries) > KEPT_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_kept = _Kept()


def kept(key, build, timeout):
    """The value cached under ``key`` (built by ``cache_key``): this process's copy, else the shared cache's,
    else ``build()`` shared for ``timeout`` seconds. The value is shared by the process's requests: read only."""
    value = _kept.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, timeout)
        _kept.put(key, value, timeout)
    return value


def local_copy(key):
    """This process's copy of the value under ``key``, or None."""
    return _kept.get(key)


def keep_local(key, value, timeout):
    """A copy in this process only: for a caller that writes the shared cache in a form of its own."""
    _kept.put(key, value, timeout)


def forget_kept():
    """Drop this process's copies (the tests, after emptying the shared cache)."""
    _kept.clear()

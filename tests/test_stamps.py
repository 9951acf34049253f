"""Stamped keys: what a process keeps of them, and stamps that never give a key again to other contents."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from reporting import stamps

pytestmark = pytest.mark.django_db

STAMP = stamps.Stamp("test:generation")


def key():
    return stamps.cache_key("test-value", stamps=[STAMP], shape="x")


def test_a_value_read_once_is_read_again_from_the_process_without_the_shared_cache():
    built = []
    first = stamps.kept(key(), lambda: built.append(1) or {"a": 1}, 60)
    cache.delete(key())             # the shared copy gone: this process still has its own
    assert stamps.kept(key(), lambda: built.append(1) or {"a": 2}, 60) is first
    assert built == [1]


def test_a_moved_stamp_names_another_key_so_the_value_is_built_again(django_capture_on_commit_callbacks):
    assert stamps.kept(key(), lambda: "before", 60) == "before"
    with django_capture_on_commit_callbacks(execute=True):
        STAMP.bump()
    assert stamps.kept(key(), lambda: "after", 60) == "after"


def test_another_process_reads_the_shared_copy():
    stamps.kept(key(), lambda: "shared", 60)
    stamps.forget_kept()            # as a process that never read it
    assert stamps.kept(key(), lambda: "built again", 60) == "shared"


def test_a_process_copy_lives_at_most_kept_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(stamps.time, "monotonic", lambda: clock[0])
    stamps.kept(key(), lambda: "old", 3600)
    cache.set(key(), "repaired", 3600)         # as an edit in SQL that moves no stamp, once the entry expired
    clock[0] += stamps.KEPT_SECONDS - 1
    assert stamps.kept(key(), lambda: "built", 3600) == "old"
    clock[0] += 2
    assert stamps.kept(key(), lambda: "built", 3600) == "repaired"


def test_a_process_keeps_a_bounded_number_of_copies():
    for number in range(stamps.KEPT_ENTRIES + 10):
        stamps.keep_local(f"test:{number}", number, 60)
    assert stamps.local_copy("test:0") is None
    assert stamps.local_copy(f"test:{stamps.KEPT_ENTRIES + 9}") == stamps.KEPT_ENTRIES + 9


def test_a_stamp_the_cache_lost_starts_again_from_the_clock_not_from_a_number_already_used():
    first = STAMP.current()
    for _ in range(5):
        STAMP._next()
    cache.clear()                   # Redis restarted empty
    assert STAMP.current() > first + 5


def test_a_request_reads_a_stamp_once_and_sees_its_own_moves():
    request_started.send(sender=None)
    try:
        seen = STAMP.current()
        cache.incr(STAMP.key)           # another process moves it: this request goes on with what it read
        assert STAMP.current() == seen
        STAMP._next()                   # this request moves it: it reads it again
        assert STAMP.current() == seen + 2
    finally:
        request_finished.send(sender=None)
    cache.incr(STAMP.key)
    assert STAMP.current() == seen + 3  # outside a request every read asks the cache

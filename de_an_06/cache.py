"""A Redis cache that a Redis outage turns into no cache at all, instead of an error on every page.

Redis only holds what can be computed or read again (dashboards, units'
sheets, the cache stamps, copies of sessions written to the database) and
carries Celery's messages. So when Redis cannot be reached, every read is a
miss and every write is dropped, a warning is logged (at most once a minute
per process), and the pages are built from the database as if nothing were
cached. After a failure Redis is not asked again for a few seconds, and its
socket timeouts are short: a stopped server costs a page milliseconds, an
unreachable host at most one timeout every few seconds. When it answers again
the cache is used again, once the writes this process missed are replayed as
invalidations: a key that could not be set or deleted is deleted, a stamp
that could not be moved on is moved on, so nothing cached before the outage
(a dashboard, a session since ended) is served as current after it.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)   # BusyLoadingError (a restart) is a ConnectionError
DELETE, INCR = "delete", "incr"
# Missed writes remembered for the replay (some 10 MB); past this many, entries are left to expire (every entry
# has a timeout, a session's at most SESSION_COOKIE_AGE), and the log says so.
MAX_REMEMBERED = 100_000


class Outage:
    """What this process knows about one Redis server being unreachable; shared by every thread's cache object."""

    _by_location = {}
    _registry_lock = threading.Lock()

    def __init__(self, location):
        self.location = location
        self.lock = threading.Lock()
        self.retry_at = 0.0         # time.monotonic() before which Redis is not asked
        self.since = None           # when this outage began (None while Redis answers)
        self.warned_at = None
        self.missed = {}            # key → DELETE or INCR: writes to replay once Redis answers
        self.lost_some = False      # more were missed than remembered (logged once)

    @classmethod
    def of(cls, location):
        with cls._registry_lock:
            return cls._by_location.setdefault(location, cls(location))

    def waiting(self):
        return time.monotonic() < self.retry_at

    def began(self, error, *, retry_after, warn_every):
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + retry_after
            self.since = self.since or now
            warn = self.warned_at is None or now - self.warned_at >= warn_every
            if warn:
                self.warned_at = now
        if warn:
            log.warning("Không kết nối được Redis (%s): chạy không có bộ nhớ đệm (%s). Thử lại sau %s giây.",
                        self.location, error, retry_after)

    def ended(self):
        if self.since is None:
            return
        with self.lock:
            since, self.since, self.retry_at = self.since, None, 0.0
        if since is not None:
            log.info("Redis (%s) hoạt động lại sau %.0f giây: dùng lại bộ nhớ đệm.", self.location,
                     time.monotonic() - since)

    def remember(self, keys, action):
        with self.lock:
            full = False
            for key in keys:
                if len(self.missed) >= MAX_REMEMBERED and key not in self.missed:
                    full = True
                    break
                if self.missed.get(key) != INCR:        # moving a stamp on also invalidates what it held
                    self.missed[key] = action
            first_loss, self.lost_some = full and not self.lost_some, self.lost_some or full
        if first_loss:
            log.warning("Redis (%s) ngừng quá lâu: quá %s thay đổi bộ nhớ đệm chưa ghi được, phần còn lại tự hết hạn.",
                        self.location, MAX_REMEMBERED)

    def take_missed(self):
        with self.lock:
            missed, self.missed, self.lost_some = self.missed, {}, False
        return missed


_clients = {}
_clients_lock = threading.Lock()


def _shared_client(key, make):
    """``make()``'s client, made once per process and ``key``: a ``redis.Redis`` and its pool are thread-safe."""
    client = _clients.get(key)
    if client is None:
        with _clients_lock:
            if key not in _clients:
                _clients[key] = make()
            client = _clients[key]
    return client


class ResilientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, each operation falling back to "not cached" when Redis cannot be reached."""

    def __init__(self, servers, *, retry_after=5.0, warn_every=60.0, **options):
        super().__init__(servers, **options)
        self.outage = Outage.of(servers[0])
        self.retry_after, self.warn_every = retry_after, warn_every
        made_with = repr(sorted(self._pool_options.items()))
        self._client_keys = [(server, self._pool_class, self._client, made_with) for server in servers]

    def get_client(self, key=None, *, write=False):
        # Django wraps the server's pool in a new redis.Redis at every operation (several a page), and each
        # thread's cache object has pools of its own; one client per server and process is enough (issue 20).
        index = self._get_connection_pool_index(write)
        return _shared_client(self._client_keys[index], lambda: self._client(
            connection_pool=self._pool_class.from_url(self._servers[index], **self._pool_options)))

    def _attempt(self, operation, fallback, *, missed=(), action=DELETE):
        if self.outage.waiting():
            self.outage.remember(missed, action)
            return fallback
        try:
            if self.outage.missed:
                self._replay()
            result = operation()
        except UNREACHABLE as error:
            self.outage.began(error, retry_after=self.retry_after, warn_every=self.warn_every)
            self.outage.remember(missed, action)
            return fallback
        self.outage.ended()
        return result

    def _replay(self):
        missed = self.outage.take_missed()
        try:
            stale = [key for key, action in missed.items() if action == DELETE]
            if stale:
                super().delete_many(stale)
            for key in [key for key, action in missed.items() if action == INCR]:
                try:
                    super().incr(key, 1)
                except ValueError:      # gone meanwhile: the next reader starts it afresh
                    pass
        except UNREACHABLE:
            for action in (DELETE, INCR):
                self.outage.remember([key for key, done in missed.items() if done == action], action)
            raise

    def ping(self):
        """Whether Redis answers now, asked even while waiting to retry; an answer ends the outage."""
        try:
            self.get_client(write=True).ping()
            if self.outage.missed:
                self._replay()
        except UNREACHABLE as error:
            self.outage.began(error, retry_after=self.retry_after, warn_every=self.warn_every)
            return False
        self.outage.ended()
        return True

    def add(self, key, value, timeout):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).add(key, value, timeout), False)

    def get(self, key, default):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).get(key, default), default)

    def set(self, key, value, timeout):
        self._attempt(lambda: super(ResilientRedisCacheClient, self).set(key, value, timeout), None, missed=[key])

    def touch(self, key, timeout):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).touch(key, timeout), False)

    def delete(self, key):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).delete(key), False, missed=[key])

    def get_many(self, keys):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).get_many(keys), {})

    def has_key(self, key):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).has_key(key), False)

    def incr(self, key, delta):
        missing = object()
        value = self._attempt(lambda: super(ResilientRedisCacheClient, self).incr(key, delta), missing,
                              missed=[key], action=INCR)
        if value is missing:            # what a key that is not cached answers
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout):
        self._attempt(lambda: super(ResilientRedisCacheClient, self).set_many(data, timeout), None,
                      missed=list(data))

    def delete_many(self, keys):
        keys = list(keys)
        self._attempt(lambda: super(ResilientRedisCacheClient, self).delete_many(keys), None, missed=keys)

    def clear(self):
        return self._attempt(lambda: super(ResilientRedisCacheClient, self).clear(), False)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to no cache while Redis is unreachable.

    OPTIONS: ``retry_after`` (seconds during which Redis is not asked after a failure, 5),
    ``warn_every`` (seconds between two warnings of the same outage, 60); the rest go to redis-py,
    with connect and read timeouts of a quarter and half a second unless set.
    """

    def __init__(self, server, params):
        options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ResilientRedisCacheClient
        self.location = self._servers[0]        # the primary, which ping() asks

    def ping(self):
        return self._cache.ping()

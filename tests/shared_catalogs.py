"""The real catalogs, loaded once for each run of consecutive tests that ask for them, and never committed.

Loading fixtures/ takes seconds and two hundred tests ask for it. pytest-django runs each test in a
transaction it rolls back; when tests asking for the catalogs follow one another, each now starts inside
an outer transaction that already holds them, so its own transaction is a savepoint: rolling it back
undoes what the test did and leaves the catalogs as loaded for the next one.

The outer transaction is rolled back before any other test that uses the database, because:
- a test that does not ask for the catalogs may rely on an empty database (a second city, counted rows);
- a transactional test (``transaction=True``, the live server, the browser tests) commits, and other
  connections must see its rows; it flushes the database after, which takes the migrations' rows away
  as well, and the catalogs are then loaded again for the next test that asks.
Nothing is committed: PostgreSQL and SQLite keep the same empty test database between runs of tests.
"""

import io

from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

# What makes pytest-django run a test as a TransactionTestCase (pytest_django/fixtures.py, _django_db_helper):
# one of these fixtures, or the marker's first two arguments.
COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _commits(transaction=False, reset_sequences=False, *_, **__):
    return transaction or reset_sequences


def takes_shared_catalogs(item):
    """Whether this test asks for the catalogs and runs in a transaction rolled back after it."""
    marker = item.get_closest_marker("django_db")
    commits = COMMITTING_FIXTURES & set(item.fixturenames) or marker and _commits(*marker.args, **marker.kwargs)
    return "catalogs" in item.fixturenames and not commits


class SharedCatalogs:
    """The outer transaction holding the catalogs, open while consecutive database tests take them."""

    def __init__(self, db_blocker):
        self.db_blocker = db_blocker
        self.atomic = None
        self.connection = None

    def prepare_for(self, item):
        """Called just before pytest-django opens ``item``'s own transaction."""
        if takes_shared_catalogs(item):
            if not self.holds():
                self.close()
                self.open()
        else:
            self.close()

    def holds(self):
        """Open, outermost, and not spoilt by a test (a failed savepoint, a connection closed inside it)."""
        return (self.atomic is not None and connection.atomic_blocks[:1] == [self.atomic]
                and not connection.needs_rollback and not connection.closed_in_transaction)

    def open(self):
        with self.db_blocker.unblock():
            self.connection = connections[DEFAULT_DB_ALIAS]
            self.atomic = transaction.atomic()
            # What Django's TestCase marks its own transactions with: a durable block inside is allowed.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            try:
                call_command("load_catalogs", stdout=io.StringIO())
            except BaseException:
                self.close()
                raise
            # The load moved the cache's generation stamps; each test starts with an empty cache.
            cache.clear()

    def close(self):
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        # Under the browser tests Playwright's event loop runs in this thread and Django gives the code a
        # connection of its own: the transaction is rolled back on the connection that began it.
        here = connections[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            with self.db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
        finally:
            connections[DEFAULT_DB_ALIAS] = here

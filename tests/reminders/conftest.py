"""The reminder tests run the Celery tasks in-process (eagerly) on every configuration.

On the PostgreSQL + Redis run the app publishes to the real broker; these tests
check the logic with a controlled clock, so they keep the tasks in the test's
thread. test_worker.py drives real workers through a broker of its own.
"""

import pytest


@pytest.fixture(autouse=True)
def tasks_in_process(eager_tasks):
    """Every reminder test runs its tasks in the test's thread (``eager_tasks`` is in tests/conftest.py)."""


@pytest.fixture(autouse=True)
def default_rules(reminder_rules):
    """Every reminder test starts from the shipped rules."""

"""The reminder tests run the Celery tasks in-process (eagerly) on every configuration.

On the PostgreSQL + Redis run the app publishes to the real broker; these tests
check the logic with a controlled clock, so they keep the tasks in the test's
thread. test_worker.py drives real workers through a broker of its own.
"""

import pytest

from de_an_06.celery import app as celery_app


@pytest.fixture(autouse=True)
def eager_tasks():
    names = ("task_always_eager", "task_eager_propagates")
    before = {name: celery_app.conf.get(name) for name in names}
    celery_app.conf.update({name: True for name in names})
    yield
    celery_app.conf.update(before)


@pytest.fixture(autouse=True)
def default_rules(reminder_rules):
    """Every reminder test starts from the shipped rules."""

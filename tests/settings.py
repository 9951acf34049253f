"""The settings the test suite imports: the project's own, with DEBUG=1 in the environment as `make run` has it.

DEBUG is off unless set, and off it needs a real SECRET_KEY; the suite must run on a fresh clone with
no variable set. pytest-django turns DEBUG off for every test anyway, so the variable only chooses the
development defaults at import (its secret key, no HTTPS redirect, static files read from the apps).
Set in the environment, not here, so that the processes the tests start (manage.py, Celery workers)
import the same settings. A test of production settings passes DEBUG=0 and de_an_06.settings itself.
"""

import os
from urllib.parse import urlparse

os.environ.setdefault("DEBUG", "1")


def _own_redis_database(url, worker):
    """``url`` on the Redis database after its own by the worker's number: gw0 keeps it, gw1 the next…"""
    parsed = urlparse(url)
    database = int(parsed.path.lstrip("/") or 0) + int(worker.removeprefix("gw"))
    return parsed._replace(path=f"/{database}").geturl()


# Under pytest -n (make test) each worker runs its own tests at the same time as the others, on a database
# of its own (pytest-django names it after the worker) and here a Redis database of its own: one worker's
# cache.clear() or queued tasks must not reach another's tests. In the environment, so that the processes
# a test starts (gunicorn, Celery) use the same; once, marked: they import these settings too, with the
# worker's name inherited and maybe a Redis of the test's own (tests/redis_server.py) to keep as given.
SPLIT_MARK = "REDIS_URL_OF_TEST_WORKER"
if os.environ.get("REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get(SPLIT_MARK):
    os.environ["REDIS_URL"] = _own_redis_database(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])
    os.environ[SPLIT_MARK] = "1"

from de_an_06.settings import *  # noqa: E402, F403

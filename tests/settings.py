"""The settings the test suite imports: the project's own, with DEBUG=1 in the environment as `make run` has it.

DEBUG is off unless set, and off it needs a real SECRET_KEY; the suite must run on a fresh clone with
no variable set. pytest-django turns DEBUG off for every test anyway, so the variable only chooses the
development defaults at import (its secret key, no HTTPS redirect, static files read from the apps).
Set in the environment, not here, so that the processes the tests start (manage.py, Celery workers)
import the same settings. A test of production settings passes DEBUG=0 and de_an_06.settings itself.
"""

import os

os.environ.setdefault("DEBUG", "1")

from de_an_06.settings import *  # noqa: E402, F403

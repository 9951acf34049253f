"""Python's cyclic garbage collector held off while an import reads, stages or writes a workbook's rows.

A history workbook makes and drops some hundred thousand objects (its rows, their values, their audit
lines), none of them in a reference cycle: reference counting frees them. Counting them as they are made,
the collector would also run its full pass, over every object of the process (Django's and the app's
modules), several times an import: 0,06–0,1 s of a 10 000-row import's 0,6 s (benchmarks/history_import.py).
It runs again as usual once the step is done.
"""

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """The collector off for the block (or the decorated function), on again after; left off if it was off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

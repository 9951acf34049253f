"""The benchmarks keep working: both import paths run on a small generated file and write the same rows."""

import pytest

from benchmarks import dataset, history_import
from reporting.models import ValueChange

pytestmark = pytest.mark.django_db


def test_both_history_import_paths_write_every_generated_row_and_ours_audits_each():
    user = dataset.load_city()
    content = dataset.history_workbook(dataset.history_rows(120))

    def ours_with_audit():
        return (*history_import.ours(content, user), ValueChange.objects.count())

    _, (stored, changes, audited) = history_import.timed(ours_with_audit)
    assert (stored, changes, audited) == (120, 120, 120)
    _, (stored, totals) = history_import.timed(lambda: history_import.baseline(content))
    assert stored == 120 and totals["new"] == 120

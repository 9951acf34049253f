"""10 000 rows of multi-unit history: django-import-export's default per-row import against ours.

The baseline is a plain ``ModelResource`` for DataValue, as its documentation
builds one: each row finds its unit, period and submission, then the value,
and saves it; it writes no audit. Ours reads, validates and plans the whole
file (``reporting.excel.history``), stages it and applies it with an audit row per
changed cell. Each runs in a transaction that is rolled back, so both start
from the same database.
"""

import time

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from import_export import fields, resources, widgets

from benchmarks.results import Result, seconds_text, times
from reporting.excel import history, staging, value_table
from reporting.formatting import format_number
from reporting.models import Agency, DataValue, ImportKind, Submission
from reporting.operations import city_generator
from reporting.periods import default_schedule

ROWS = 10_000
GOAL_SECONDS = 3.0
GOAL_RATIO = 10.0


class DataValueResource(resources.ModelResource):
    submission = fields.Field(attribute="submission", column_name="submission",
                              widget=widgets.ForeignKeyWidget(Submission))
    key = fields.Field(attribute="key", column_name=value_table.KEY)
    number = fields.Field(attribute="number", column_name=value_table.VALUE, widget=widgets.DecimalWidget())

    class Meta:
        model = DataValue
        fields = ("submission", "key", "number")
        import_id_fields = ("submission", "key")

    def before_import(self, dataset, **kwargs):
        # The file names the unit and month; the submission they make is found row by row below.
        dataset.append_col([None] * dataset.height, header="submission")

    def before_import_row(self, row, **kwargs):
        agency = Agency.objects.get(code=row[value_table.AGENCY_CODE])
        period = default_schedule().period_for(int(row[value_table.YEAR]), int(row[value_table.MONTH]))
        row["submission"] = Submission.objects.get_or_create(agency=agency, period=period)[0].pk


class Rollback(Exception):
    pass


def timed(function):
    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = function()
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - started, result


def baseline(content):
    data = tablib.Dataset().load(content, format="xlsx")
    result = DataValueResource().import_data(data, dry_run=False, raise_errors=True)
    return DataValue.objects.count(), result.totals


def ours(content, user):
    upload = SimpleUploadedFile("lich-su.xlsx", content)
    plan = history.read(upload, user)
    assert not plan.problems, plan.problems[:5]
    batch = staging.stage(plan, user=user, kind=ImportKind.HISTORY, upload=upload)
    staging.apply(batch, user)
    return DataValue.objects.count(), len(plan.changes)


def run():
    user = city_generator.load_city()
    # Warm both paths up (imports, caches, the catalog) on a small file, so that neither pays for starting.
    warm_up = city_generator.history_workbook(city_generator.history_rows(100))
    timed(lambda: ours(warm_up, user))
    timed(lambda: baseline(warm_up))
    content = city_generator.history_workbook(city_generator.history_rows(ROWS))
    ours_seconds, (ours_count, changes) = timed(lambda: ours(content, user))
    base_seconds, (base_count, _) = timed(lambda: baseline(content))
    assert ours_count == base_count == ROWS, (ours_count, base_count)  # both wrote every row
    ratio = base_seconds / ours_seconds
    print(f"Nhập lịch sử {format_number(ROWS)} dòng, {format_number(len(content) / 1024)} KB "
          f"({format_number(changes)} ô thay đổi, mỗi ô một dòng lịch sử thay đổi): django-import-export "
          f"{seconds_text(base_seconds)}, reporting.excel.history {seconds_text(ours_seconds)}")
    return [Result(f"Nhập Excel lịch sử {format_number(ROWS)} dòng", seconds_text(ours_seconds),
                   f"django-import-export từng dòng {seconds_text(base_seconds)}", f"nhanh gấp {times(ratio)}",
                   f"≥ {times(GOAL_RATIO)} (và ≤ {format_number(GOAL_SECONDS)} s)",
                   ours_seconds <= GOAL_SECONDS and ratio >= GOAL_RATIO)]

"""Consolidating the city's months from the database, against two baselines measured in the same run.

On 36 months of approved history of the generated city (``dataset.generate_history``):

- ``consolidation.figures`` of one month against the bare SQL aggregate over
  the same rows (a hand-written ``SELECT key, SUM(number) … GROUP BY key``):
  what the application adds on top of the database's own work. Goal ≤ 1,5×
  (issue 20); consolidation reads the totals kept at approval, and both must
  find the same numbers.
- the same consolidation of a month, a year and 36 months against loading
  every value into Python and adding it up in loops (what an ORM-only first
  version would do): how much aggregating in SQL saves.
- ``compose``: the whole document of the report (figures, notes, tasks,
  models), with the number of queries it sends.
"""

import statistics
import time
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.results import Result, seconds_text, times
from indicators.models import Indicator, IndicatorKind, Measure
from reporting import cells
from reporting.choices import SubmissionStatus
from reporting.figures import consolidation
from reporting.formatting import format_number
from reporting.models import DataValue, Submission
from reporting.report.compose import compose
from reporting.report.spans import range_label

REPORT_MONTH = (2024, 4)
YEAR = 2024
REPEATS = 9
PAIRED_REPEATS = 31     # two runs of some milliseconds each: many, so that the ratio is not the noise's
LOOP_REPEATS = 3        # the Python loop over 36 months takes seconds: three are enough for a median
GOAL_SQL_RATIO = 1.5


def median_seconds(function, repeats=REPEATS):
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def paired_median_seconds(first, second, repeats=PAIRED_REPEATS):
    """Medians of ``first`` and ``second`` run in turn: a busy moment of the machine slows both, not one."""
    timings = ([], [])
    for _ in range(repeats):
        for function, times_of in zip((first, second), timings):
            started = time.perf_counter()
            function()
            times_of.append(time.perf_counter() - started)
    return statistics.median(timings[0]), statistics.median(timings[1])


def queries_of(function):
    """How many SQL queries ``function`` sends (counted on a run of its own: counting costs time)."""
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def bare_sql_totals(period):
    """BASELINE: the month's approved numbers summed per cell by one hand-written query, nothing else."""
    values, submissions = DataValue._meta.db_table, Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.key, SUM(v.number) FROM {values} v JOIN {submissions} s ON s.id = v.submission_id "
            "WHERE s.period_id = %s AND s.status = %s AND v.number IS NOT NULL GROUP BY v.key",
            [period.pk, SubmissionStatus.APPROVED],
        )
        return {key: Decimal(str(total)) for key, total in cursor.fetchall()}


def python_loop_figures(periods):
    """BASELINE, not the application's way: every approved value of the range loaded into Python, added in loops.

    It folds the months by consolidation's rules (a running total or a stock,
    an indicator or a service's measure to date, takes its last month,
    everything else adds up), so both give the same numbers and only the way differs.
    """
    position = {period.pk: index for index, period in enumerate(sorted(periods, key=lambda p: (p.year, p.month)))}
    last_month_kinds = (IndicatorKind.CUMULATIVE, IndicatorKind.STOCK)
    last_month_only = {cells.indicator_key(code) for code, kind in Indicator.objects.values_list("code", "kind")
                       if kind in last_month_kinds}
    running_measures = set(Measure.objects.filter(cumulative=True).values_list("code", flat=True))
    by_key = {}
    # At its best: plain tuples of the three columns it adds up (values_list), no model objects.
    values = (DataValue.objects.filter(submission__period__in=periods, submission__status=SubmissionStatus.APPROVED,
                                       number__isnull=False)
              .values_list("key", "submission__period_id", "number").iterator(chunk_size=10_000))
    for key, period_id, number in values:
        months = by_key.setdefault(key, {})
        month = position[period_id]
        months[month] = months.get(month, 0) + number
    figures = {}
    for key, months in by_key.items():
        last_only = key in last_month_only or cells.service_measure(key) in running_measures
        figures[key] = months[max(months)] if last_only else sum(months.values())
    return figures


def numbers_in(periods):
    return DataValue.objects.filter(submission__period__in=periods, submission__status=SubmissionStatus.APPROVED,
                                    number__isnull=False).count()


def measure_against_bare_sql(month):
    # Warm-up, and both must find the same numbers.
    assert consolidation.figures([month]).values == bare_sql_totals(month), "consolidation differs from the bare SQL"
    ours_seconds, sql_seconds = paired_median_seconds(lambda: consolidation.figures([month]),
                                                      lambda: bare_sql_totals(month))
    ratio = ours_seconds / sql_seconds
    label = f"Tổng hợp 1 tháng ({format_number(numbers_in([month]))} số, {queries_of(lambda: consolidation.figures([month]))} truy vấn)"
    print(f"  {label}: {seconds_text(ours_seconds)}; SQL thuần {seconds_text(sql_seconds)} → {times(ratio)}")
    return Result(label, seconds_text(ours_seconds), f"SQL thuần {seconds_text(sql_seconds)}",
                  f"{times(ratio)} thời gian", f"≤ {times(GOAL_SQL_RATIO)}", ratio <= GOAL_SQL_RATIO)


def measure_against_python_loop(periods):
    first, last = periods[0], periods[-1]
    sql_seconds, sql_figures = median_seconds(lambda: consolidation.figures(periods), LOOP_REPEATS)
    loop_seconds, loop_figures = median_seconds(lambda: python_loop_figures(periods), LOOP_REPEATS)
    assert loop_figures == sql_figures.values, "the baseline must find the same numbers as the SQL"
    label = f"Tổng hợp {range_label(first, last)} ({format_number(numbers_in(periods))} số)"
    print(f"  {label}: SQL {seconds_text(sql_seconds)}, vòng lặp Python {seconds_text(loop_seconds)}")
    return Result(label, f"SQL {seconds_text(sql_seconds)}", f"vòng lặp Python {seconds_text(loop_seconds)}",
                  f"nhanh gấp {times(loop_seconds / sql_seconds)}")


def measure_compose(month, year, periods):
    results = []
    for first, last in ((month, month), (year[0], year[-1]), (periods[0], periods[-1])):
        arguments = {} if first == last else {"first": first}
        compose(last, **arguments)      # warm-up: templates and settings
        seconds, _ = median_seconds(lambda: compose(last, **arguments), 5)
        queries = queries_of(lambda: compose(last, **arguments))
        label = f"Soạn báo cáo {range_label(first, last)} (compose)"
        print(f"  {label}: {seconds_text(seconds)}, {queries} truy vấn")
        results.append(Result(label, f"{seconds_text(seconds)}, {queries} truy vấn"))
    return results


def run(periods):
    month = next(period for period in periods if (period.year, period.month) == REPORT_MONTH)
    year = [period for period in periods if period.year == YEAR]
    print(f"Tổng hợp số liệu (trung vị {PAIRED_REPEATS} lần xen kẽ với SQL thuần; {LOOP_REPEATS} lần với vòng lặp "
          f"Python)")
    results = [measure_against_bare_sql(month)]
    results += [measure_against_python_loop(chosen) for chosen in ([month], year, periods)]
    results += measure_compose(month, year, periods)
    return results

"""The consolidated BÁO CÁO of a city-scale month, composed from the database and rendered to PDF and DOCX.

On 36 months of approved history of 359 units (``dataset.generate_history``)
it measures, as medians after a warm-up:

- ``compose`` of April 2024, of the year 2024 and of all 36 months, with the
  number of queries each sends: the figures are added up in SQL
  (``reporting.consolidation``), compared with a baseline that loads every
  value of the range into Python and adds it up in loops;
- the April 2024 report (about 15 pages) rendered to PDF (WeasyPrint) and DOCX
  (python-docx). PC06 renders the report again after every edit before
  signing, so both must come back while the person waits: ≤ 2 s for the PDF,
  ≤ 0.5 s for the DOCX (the exit status). When LibreOffice is installed, the
  same DOCX converted to PDF by it, the way a server without WeasyPrint would
  (a fresh headless process each time, as a web request would start it).

The generated months are written in a transaction rolled back at the end, so
a run on a DATABASE_URL leaves that database as it found it.
"""

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from weasyprint import HTML

from indicators.models import Indicator, IndicatorKind
from reporting import consolidation
from reporting.choices import SubmissionStatus
from reporting.formatting import format_number
from reporting.models import DataValue, ReportingPeriod, Submission
from reporting.report.compose import compose, range_label
from reporting.report.document import Table
from reporting.report.render_docx import to_docx
from reporting.report.render_html import to_html
from reporting.report.render_pdf import to_pdf

from . import dataset

REPORT_MONTH = (2024, 4)
YEAR = 2024
REPEATS = 5
BASELINE_REPEATS = 3        # the Python loop over 36 months takes seconds: three are enough for a median
LIBREOFFICE_REPEATS = 3     # each run starts LibreOffice (≈ 2 s): three are enough for a median
GOAL_PDF_SECONDS = 2.0
GOAL_DOCX_SECONDS = 0.5


def median_seconds(function, repeats=REPEATS):
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def seconds_text(seconds, width=6):
    """" 0,25 s", "0,004 s": Vietnamese decimals (a third below 0,1 s), right-aligned in ``width`` characters."""
    return f"{format_number(seconds, 3 if seconds < 0.1 else 2):>{width}} s"


def pdf_pages(document):
    # The PDF's page objects are compressed; WeasyPrint's own layout says how many there are.
    return len(HTML(string=to_html(document)).render().pages)


def queries_of(function):
    """How many SQL queries ``function`` sends (counted on a run of its own: counting costs time)."""
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


# --- the baseline of the consolidation ---------------------------------------------------


def python_loop_figures(periods):
    """BASELINE, not the application's way: every approved value of the range loaded into Python, added in loops.

    What a first version written with the ORM alone would do. It folds the
    months by consolidation's rules (a running total or a stock takes its last
    month, everything else adds up), so both give the same numbers and only
    the way differs.
    """
    position = {period.pk: index for index, period in enumerate(sorted(periods, key=lambda p: (p.year, p.month)))}
    last_month_kinds = (IndicatorKind.CUMULATIVE, IndicatorKind.STOCK)
    last_month_only = {f"ind.{code}" for code, kind in Indicator.objects.values_list("code", "kind")
                       if kind in last_month_kinds}
    by_key = {}
    values = DataValue.objects.filter(submission__period__in=periods,
                                      submission__status=SubmissionStatus.APPROVED).select_related("submission")
    for value in values:
        if value.number is None:
            continue
        months = by_key.setdefault(value.key, {})
        month = position[value.submission.period_id]
        months[month] = months.get(month, 0) + value.number
    figures = {}
    for key, months in by_key.items():
        figures[key] = months[max(months)] if key in last_month_only else sum(months.values())
    return figures


# --- compose over three ranges ---------------------------------------------------------------


def measure_range(periods):
    """Compose's median and queries, and consolidation's SQL against the Python loop, for consecutive ``periods``."""
    first, last = periods[0], periods[-1]
    arguments = {} if first == last else {"first": first}
    compose(last, **arguments)      # warm-up: templates, settings, the database's caches
    compose_seconds, document = median_seconds(lambda: compose(last, **arguments))
    queries = queries_of(lambda: compose(last, **arguments))
    sql_seconds, sql_figures = median_seconds(lambda: consolidation.figures(periods), BASELINE_REPEATS)
    loop_seconds, loop_figures = median_seconds(lambda: python_loop_figures(periods), BASELINE_REPEATS)
    assert loop_figures == sql_figures.values, "the baseline must find the same numbers as the SQL"
    cells = DataValue.objects.filter(submission__period__in=periods, number__isnull=False).count()
    print(f"  {range_label(first, last):<34}: {seconds_text(compose_seconds)}, {queries} truy vấn")
    print(f"      cộng {format_number(cells)} số: SQL {seconds_text(sql_seconds, 0)}, vòng lặp Python "
          f"{seconds_text(loop_seconds, 0)} — SQL gấp {format_number(loop_seconds / sql_seconds, 1)}× "
          f"vòng lặp Python")
    return document


def measure_compose(periods):
    """April 2024, the year 2024 and every generated month; returns April's document for the renderers."""
    month = next(period for period in periods if (period.year, period.month) == REPORT_MONTH)
    year = [period for period in periods if period.year == YEAR]
    print(f"Tổng hợp báo cáo từ CSDL (compose; trung vị {REPEATS} lần, phép cộng trung vị {BASELINE_REPEATS} lần)")
    document = measure_range([month])
    measure_range(year)
    measure_range(periods)
    return document


# --- render the month -----------------------------------------------------------------------


def libreoffice_seconds(docx_content):
    """Median seconds of ``libreoffice --headless --convert-to pdf``; None without LibreOffice."""
    program = shutil.which("libreoffice") or shutil.which("soffice")
    if not program:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx_content)
        # Its own profile: a LibreOffice the user has open would otherwise take the job and skew the time.
        command = [program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                   "--convert-to", "pdf", "--outdir", folder, str(source)]

        def convert():
            subprocess.run(command, check=True, capture_output=True, timeout=120)

        convert()   # the first start creates the profile: not part of a conversion
        seconds, _ = median_seconds(convert, LIBREOFFICE_REPEATS)
        return seconds


def measure_render(document):
    # Warm both up (fonts, templates, imports) so that neither pays for starting.
    to_pdf(document)
    to_docx(document)
    pdf_seconds, pdf = median_seconds(lambda: to_pdf(document))
    docx_seconds, docx = median_seconds(lambda: to_docx(document))
    tables = sum(isinstance(block, Table) for block in document.blocks)
    print(f"Kết xuất báo cáo tháng {REPORT_MONTH[1]}/{REPORT_MONTH[0]}: {pdf_pages(document)} trang "
          f"({format_number(len(document.blocks))} khối, {tables} bảng, {len(document.footnotes)} chú thích; "
          f"trung vị {REPEATS} lần)")
    print(f"  PDF  (HTML → WeasyPrint)       : {seconds_text(pdf_seconds)}   (mục tiêu ≤ "
          f"{format_number(GOAL_PDF_SECONDS)} s), {format_number(len(pdf) / 1024)} KB")
    print(f"  DOCX (python-docx)             : {seconds_text(docx_seconds)}   (mục tiêu ≤ "
          f"{format_number(GOAL_DOCX_SECONDS, 1)} s), {format_number(len(docx) / 1024)} KB")
    office_seconds = libreoffice_seconds(docx)
    if office_seconds is None:
        print("  LibreOffice DOCX → PDF         : bỏ qua (không có lệnh libreoffice trên máy này)")
    else:
        print(f"  LibreOffice DOCX → PDF         : {seconds_text(office_seconds)}   "
              f"(gấp {format_number(office_seconds / pdf_seconds, 1)}× WeasyPrint; trung vị {LIBREOFFICE_REPEATS} lần)")
    return pdf_seconds <= GOAL_PDF_SECONDS and docx_seconds <= GOAL_DOCX_SECONDS


# --- the run -----------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def analyze_tables():
    """On PostgreSQL, refresh the planner's statistics, as autovacuum would have after the months came in.

    ANALYZE runs inside the transaction and counts the rows it inserted.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (DataValue, Submission, ReportingPeriod):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def run():
    compiler = dataset.load_city()
    goals_met = False
    try:
        with transaction.atomic():
            history = dataset.generate_history(compiler)
            print(history.summary())
            analyze_tables()
            document = measure_compose(history.periods)
            goals_met = measure_render(document)
            raise Rollback
    except Rollback:
        pass
    return goals_met

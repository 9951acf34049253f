"""Every benchmark on a generated city, one table at the end: ``python -m benchmarks`` (``make bench``).

It runs on a database of its own, dropped and created again at each run:
PostgreSQL's ``de_an_06_bench`` on 127.0.0.1 by default (``make bench``
starts the server if needed), or the one BENCH_DATABASE_URL names (a
``sqlite:///`` file too). The web processes share Redis's database 2 as their
cache, as production shares its Redis (BENCH_REDIS_URL; empty for none).

The run: the 10 000-row import (rolled back), then the city's 36 months of
approved history (committed), consolidation and the report, then gunicorn
(DEBUG off) under 20 concurrent clients and the deadline-day storm of every
unit submitting within a minute. The table and the log are written to
benchmarks/RESULTS.md. Exits 1 when a goal is missed.
"""

import argparse
import contextlib
import datetime
import io
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/de_an_06_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/2"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each measurement under load")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1, help="gunicorn processes")
    parser.add_argument("--no-write", action="store_true", help="print the table without writing RESULTS.md")
    parser.add_argument("--units", type=int, default=None,
                        help="reporting units of the generated city (3347: the whole country's communes); "
                             "default: the catalog's 2024 city")
    options = parser.parse_args()
    started = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    database = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    recreate_database(database)
    empty_cache(redis_url)
    # One secret for this process and the web processes: the storm's sessions are opened here.
    # DEBUG on at import as for `make run`, so `python -m benchmarks` also runs alone; turned off before measuring.
    os.environ.update({"DJANGO_SETTINGS_MODULE": "de_an_06.settings", "DATABASE_URL": database,
                       "REDIS_URL": redis_url, "SECRET_KEY": secrets.token_urlsafe(48), "DEBUG": "1"})
    log = io.StringIO()
    with contextlib.redirect_stdout(Tee(sys.stdout, log)):
        results = run_all(options)
    from benchmarks.results import table, write

    print()
    print(table(results))
    if not options.no_write:
        print(f"\nĐã ghi {write(results, log.getvalue(), started).relative_to(ROOT)}")
    sys.exit(0 if all(result.met is not False for result in results) else 1)


def run_all(options):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Measure as production runs: with DEBUG on, Django also keeps every query it sends.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from benchmarks import city, consolidate, history_import, load, report_render, scale, submission_storm

    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']}), "
          f"bộ nhớ đệm: {'Redis' if settings.REDIS_URL else 'trong tiến trình'}")
    results = history_import.run()
    generated = city.generate(options.units)
    results += consolidate.run(generated.periods)
    results += report_render.run(generated.periods)
    connection.close()      # gunicorn's workers take over the database
    with city.served(generated, options.workers) as site:
        results += scale.run(site, generated.units, site.leaders[0], options.workers)
        results += load.run(site.port, leaders=site.leaders, officers=site.officers, dashboards=site.dashboards,
                            seconds=options.seconds, workers=options.workers)
        results += submission_storm.run(site.port, site.open_period, site.storm_units)
    return results


def recreate_database(url):
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return
    import psycopg

    name = parsed.path.lstrip("/")
    maintenance = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def empty_cache(url):
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()


class Tee(io.TextIOBase):
    """Prints and keeps: the run's log goes to the screen and into RESULTS.md."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self):
        for stream in self.streams:
            stream.flush()


if __name__ == "__main__":
    main()

"""Run every benchmark on a fresh database: ``python -m benchmarks``.

Without DATABASE_URL it uses its own SQLite file (var/bench.sqlite3), never
the demo's; with DATABASE_URL it runs on that database, e.g. PostgreSQL.
Exits 1 when a benchmark misses its goal.
"""

import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "de_an_06.settings")
    if not os.environ.get("DATABASE_URL"):
        database = Path(__file__).resolve().parent.parent / "var" / "bench.sqlite3"
        database.parent.mkdir(exist_ok=True)
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    # Measure as production runs: with DEBUG on, Django also logs every query it sends.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from . import history_import, report_render

    print(f"Cơ sở dữ liệu: {django.db.connection.vendor}")
    goals_met = [history_import.run(), report_render.run()]
    sys.exit(0 if all(goals_met) else 1)


if __name__ == "__main__":
    main()

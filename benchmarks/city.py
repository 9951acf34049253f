"""The generated city the benchmarks run on, and the city served by gunicorn to its users.

``generate`` writes 36 months of approved history of the catalog's 2024 city
(committed: the web processes read it). ``served`` starts gunicorn as
production runs it and hands out what the load benchmarks need: leaders and
ward heads logged in through the login form, and the month after the history
open for every unit to submit.
"""

import contextlib
import datetime
import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.urls import reverse

from benchmarks import web
from benchmarks.load import CLIENTS
from reporting.choices import AgencyKind, Role
from reporting.models import Agency, CityTotal, DataValue, ReportingPeriod, Submission, UnitTotal, User
from reporting.months import Month
from reporting.operations import city_generator
from reporting.periods import default_schedule

PASSWORD = "tai-thu-nghiem-2024"
DASHBOARD_MONTH = (2024, 4)


def generate(units=None):
    """The city's 36 months of approved history: the catalog's 2024 city, or one of ``units`` reporting units."""
    compiler = city_generator.load_city(units=units)
    history = city_generator.generate_history(compiler)
    print(history.summary())
    analyze_tables()
    return history


def analyze_tables():
    """On PostgreSQL, refresh the planner's statistics, as autovacuum would have after the months came in."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (DataValue, Submission, ReportingPeriod, UnitTotal, CityTotal):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@dataclass
class Site:
    port: int
    leaders: list           # cookies of CLIENTS sessions of a leader
    officers: list          # (cookies, own entry page) of CLIENTS ward heads
    dashboards: list        # the dashboard pages the leaders read
    open_period: ReportingPeriod
    storm_units: list       # (agency pk, cookies, entry page, values) of every unit expected in open_period
    compiler: dict          # cookies of a PC06 compiler's session
    last_month: ReportingPeriod     # the last month of approved history


@contextlib.contextmanager
def served(history, workers):
    env = web.production_env(dict(os.environ))
    web.collect_static(env)
    port = web.free_port()
    server = web.start_server(env, port, workers)
    try:
        yield site(port, history)
    finally:
        web.stop_server(server)


def site(port, history):
    last = history.periods[-1]
    following = Month.of(last).next()
    open_period = default_schedule().period_for(following.year, following.month)
    units = list(open_period.expected_agencies().order_by("kind", "code"))
    heads = unit_heads(units)
    wards = [unit for unit in units if unit.kind == AgencyKind.WARD][:CLIENTS]
    leader = User.objects.create(username="bench.leader", role=Role.LEADER, password=make_password(PASSWORD))
    compiler = User.objects.get(username=city_generator.COMPILER)     # the one who approved the history
    compiler.password = make_password(PASSWORD)
    compiler.save(update_fields=["password"])
    return Site(
        compiler=web.log_in(port, compiler.username, PASSWORD),
        last_month=last,
        port=port,
        leaders=[web.log_in(port, leader.username, PASSWORD) for _ in range(CLIENTS)],
        officers=[(web.log_in(port, heads[ward.pk].username, PASSWORD), entry_path(open_period, ward))
                  for ward in wards],
        dashboards=dashboard_paths(),
        open_period=open_period,
        storm_units=[(unit.pk, session_cookies(heads[unit.pk]), entry_path(open_period, unit),
                      history.catalog.values(unit, open_period)) for unit in units],
    )


def unit_heads(units):
    """agency pk → the head of that unit, who submits its report; one password hash for all (it is slow on purpose)."""
    password = make_password(PASSWORD)
    User.objects.bulk_create([User(username=f"bench.head.{unit.code.lower()}", role=Role.HEAD, agency=unit,
                                   password=password) for unit in units])
    return {user.agency_id: user for user in User.objects.filter(role=Role.HEAD, agency__in=units)}


def session_cookies(user):
    """A session as the login form would open it, made directly: the storm measures submitting, not hundreds of logins."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def entry_path(period, agency):
    return reverse("entry", args=[period.year, period.month, agency.pk])


def dashboard_paths():
    """The city's month and quarter, six districts' and six wards' months."""
    april = reverse("dashboard", args=DASHBOARD_MONTH)
    districts = Agency.objects.filter(kind=AgencyKind.DISTRICT, is_reporting_unit=True).values_list("pk", flat=True)
    wards = Agency.objects.filter(kind=AgencyKind.WARD, is_reporting_unit=True).active_on(
        datetime.date(*DASHBOARD_MONTH, 1)).values_list("pk", flat=True)
    return [april, f"{april}?tu=2024-01", *(f"{april}?don-vi={pk}" for pk in districts[:6]),
            *(f"{april}?don-vi={pk}" for pk in wards[:6])]

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import OperationalError

from reporting.operations import views as healthz_views

ROOT = Path(__file__).resolve().parent.parent


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_THOUSAND_SEPARATOR


def _manage(*args, **env):
    """manage.py on the project's own settings (not the tests'), with DEBUG, SECRET_KEY and ALLOWED_HOSTS as given."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "de_an_06.settings", **env},
                          capture_output=True, text=True, timeout=120)


PRINT_DEBUG = ("shell", "--no-imports", "-c",
               "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY[:8])")


def test_debug_is_off_unless_the_environment_turns_it_on():
    unset = _manage(*PRINT_DEBUG, SECRET_KEY="a-real-secret-key")
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.split() == ["False", "a-real-s"]
    local = _manage(*PRINT_DEBUG, DEBUG="1")           # what `make run` sets: the development key is allowed
    assert local.returncode == 0, local.stderr
    assert local.stdout.split() == ["True", "dev-only"]


def test_make_run_turns_debug_on_for_every_step_of_the_local_demo():
    # Each step's Python is replaced by `printenv DEBUG`: migrate, the catalogs, the demo accounts and
    # signer, the reminders' run and runserver each print what they would run with.
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run(["make", "-s", "-o", ".venv/.installed", "run", "PY=printenv DEBUG #"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stdout.splitlines() if not line.startswith("Đề án 06:")]
    assert steps == ["1"] * 6


def test_production_configuration_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="baocao.example.gov.vn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    for debug in ({"DEBUG": "0"}, {}):                  # said, or not said at all
        result = _manage("check", ALLOWED_HOSTS="baocao.example.gov.vn", **debug)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_object_storage_refuses_to_start_without_a_bucket():
    result = _manage("check", MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="", DEBUG="1")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE=s3" in result.stderr


def test_healthz_answers_ok_and_names_what_it_checked(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    redis = {"cache": "ok", "broker": "ok"} if settings.REDIS_URL else {}
    assert response.json() == {"status": "ok", "database": "ok", **redis}


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_without_its_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr(healthz_views, "connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down" and response.json()["database"] == "down"


PRINT_DATABASE_OPTIONS = ("shell", "--no-imports", "-c", "from django.conf import settings; "
                          "options = settings.DATABASES['default']['OPTIONS']; "
                          "print(options.get('server_side_binding'), options.get('prepare_threshold'))")


def test_postgresql_prepares_repeated_statements_unless_a_pooler_needs_them_off():
    database = "postgres://postgres@127.0.0.1:5432/any"
    prepared = _manage(*PRINT_DATABASE_OPTIONS, DEBUG="1", DATABASE_URL=database)
    assert prepared.returncode == 0, prepared.stderr
    assert prepared.stdout.split() == ["True", "5"]
    pooled = _manage(*PRINT_DATABASE_OPTIONS, DEBUG="1", DATABASE_URL=database, DB_PREPARED_STATEMENTS="0")
    assert pooled.stdout.split() == ["None", "None"]

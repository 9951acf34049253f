"""docker-compose.yml and the Dockerfile stay consistent with the app they deploy.

No Docker engine runs in CI, so what can be checked without one is checked here:
every service is health-checked and started in order, the commands name modules
that exist, the image gets the same Debian packages as `make`, and the web
health check really passes against a running server.
"""

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_every_service_is_health_checked():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "beat"}
    assert [name for name, service in SERVICES.items() if "healthcheck" not in service] == []


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_database_and_broker(name):
    depends = SERVICES[name]["depends_on"]
    assert depends == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    environment = SERVICES[name]["environment"]
    assert environment["DEBUG"] == "0"
    assert environment["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"] == "redis://redis:6379/0"


def test_commands_name_modules_that_exist():
    assert "gunicorn de_an_06.wsgi" in SERVICES["web"]["command"]
    importlib.import_module("de_an_06.wsgi")
    for name in ("worker", "beat"):
        command = SERVICES[name]["command"]
        assert command[:3] == ["celery", "-A", "de_an_06"]
    assert importlib.import_module("de_an_06").celery_app.main == "de_an_06"


def test_image_runs_with_debug_off_whatever_its_environment():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = re.sub(r"\\\n\s*", " ", dockerfile)        # one line per instruction
    assert re.search(r"^ENV\b.*\bDEBUG=0\b", instructions, re.M), "the Dockerfile must set DEBUG=0 itself"


def test_image_installs_the_debian_packages_make_installs():
    script = (ROOT / "scripts" / "system-deps.sh").read_text()
    make_packages = set(shlex.split(re.search(r"^packages=\((.*)\)$", script, re.M).group(1)))
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert all(package in dockerfile for package in make_packages), make_packages


@pytest.mark.django_db(transaction=True)
def test_web_health_check_passes_against_a_running_server(live_server):
    probe = SERVICES["web"]["healthcheck"]["test"][-1].replace("http://127.0.0.1:8000", live_server.url)
    result = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "ALLOWED_HOSTS": "localhost"},
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_image_build_step_collects_static_files_for_production(tmp_path):
    # The Dockerfile runs this; the manifest storage fails on a stylesheet that references a missing file.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "de_an_06.settings", "DEBUG": "0",
           "SECRET_KEY": "collectstatic-only", "ALLOWED_HOSTS": "build", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert '"css/app.css"' in manifest and '"admin/css/base.css"' in manifest

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_THOUSAND_SEPARATOR


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_configuration_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="baocao.example.gov.vn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="baocao.example.gov.vn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_object_storage_refuses_to_start_without_a_bucket():
    result = _manage("check", MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE=s3" in result.stderr


def test_healthz_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}

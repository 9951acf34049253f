"""The real services behind DATABASE_URL and REDIS_URL, when CI points the suite at them.

On the embedded default (SQLite, no Redis) the Redis checks are skipped and the
fallbacks are asserted instead, so each configuration proves what it runs on.
"""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from de_an_06.celery import app as celery_app

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL chưa đặt: chạy trên cấu hình nhúng")
needs_postgresql = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                      reason="SQLite không có câu lệnh chuẩn bị sẵn: chạy trong CI lượt 2")


@pytest.mark.django_db
def test_database_is_the_one_database_url_names():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_embedded_default_needs_no_redis():
    if REDIS_URL:
        pytest.skip("REDIS_URL đã đặt")
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert celery_app.conf.task_always_eager


@needs_redis
def test_cache_round_trip_through_redis():
    assert settings.CACHES["default"]["BACKEND"] == "de_an_06.cache.ResilientRedisCache"
    key = f"test:{uuid.uuid4()}"
    cache.set(key, {"kỳ": "Tháng 4/2024"}, timeout=30)
    assert cache.get(key) == {"kỳ": "Tháng 4/2024"}
    cache.delete(key)


@needs_redis
def test_celery_broker_is_redis_and_answers():
    assert not celery_app.conf.task_always_eager
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1)
        assert broker.transport.driver_type == "redis"


@needs_postgresql
@pytest.mark.django_db
def test_on_postgresql_a_statement_run_five_times_is_planned_once():
    with connection.cursor() as cursor:
        for number in range(6):
            cursor.execute("SELECT %s::integer + 1", [number])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        assert any("$1::integer + 1" in statement for statement, in cursor.fetchall())

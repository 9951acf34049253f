"""What the load balancer and docker-compose ask of a web process."""

import functools

import redis
from celery import current_app
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse

OK, DOWN = "ok", "down"


def healthz(request):
    """Whether this process can serve: ``ok``; ``degraded`` (200) without Redis; ``down`` (503) without its database.

    Without Redis every page still serves, uncached, and what is to be sent waits in the database:
    operators should hear of it, the load balancer should not take the process out. Without the
    database nothing serves. The body names each part checked: the database always, the cache and the
    broker when Redis is configured.
    """
    checks = {"database": _database()}
    if hasattr(cache, "ping"):                      # de_an_06.cache.ResilientRedisCache
        checks["cache"] = OK if cache.ping() else DOWN
    broker = current_app.conf.broker_url
    if not current_app.conf.task_always_eager and broker.startswith(("redis://", "rediss://")):
        same_server = "cache" in checks and broker == cache.location
        checks["broker"] = checks["cache"] if same_server else _broker(broker)
    if checks["database"] == DOWN:
        return JsonResponse({"status": "down", **checks}, status=503)
    return JsonResponse({"status": "degraded" if DOWN in checks.values() else OK, **checks})


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return DOWN
    return OK


def _broker(url):
    try:
        _broker_client(url).ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        return DOWN
    return OK


@functools.cache
def _broker_client(url):
    return redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)

"""The Celery app. Broker and behaviour come from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "de_an_06.settings")

app = Celery("de_an_06")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

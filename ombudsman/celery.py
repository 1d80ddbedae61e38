"""The Celery app. Broker and behaviour come from Django settings (CELERY_* names)."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# filesystem:// (the demo's broker) writes each message whole before a worker can see it.
TRANSPORT_ALIASES["filesystem"] = "ombudsman.filesystem_broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")

app = Celery("ombudsman")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

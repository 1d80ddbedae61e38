import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, URLs, models) lives as long as the worker: keep it out
# of the garbage collector's full passes, which otherwise walk all of it and add tens of
# milliseconds to one request in twenty (see benchmarks/pages_bench.py).
gc.collect()
gc.freeze()

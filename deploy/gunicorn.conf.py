"""gunicorn in production: docker-compose and the Dockerfile start it with `-c deploy/gunicorn.conf.py`.

It sits behind nginx (deploy/nginx.conf), which holds slow clients and buffers whole request
bodies, so a request reaches gunicorn complete. gunicorn is still safe on its own: threaded
workers (gthread) keep serving while a few threads wait on slow connections (sync workers were
three slots that three clients trickling a body could fill), and a connection that sends nothing
is handed back to the main loop after a few seconds instead of holding a thread.

Environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (worker processes, default 3),
GUNICORN_THREADS (threads per worker, default 16).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))

timeout = 60  # a worker whose main loop is silent this long is restarted
graceful_timeout = 30
keepalive = 5  # seconds an idle kept-alive connection stays open

# Request line and headers: small and few (nginx refuses larger ones first).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"

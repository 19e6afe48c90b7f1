"""gunicorn settings for `make run`; override any of them with GUNICORN_CMD_ARGS."""

import os

bind = os.environ.get("BANBAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BANBAN_WORKERS", "2"))
worker_class = "sync"
timeout = 30
# Never preload: each worker builds its own eventsourcing application after the fork,
# so database connections are never shared between processes.
preload_app = False
accesslog = "-"

"""gunicorn settings for `make run`; override any of them with GUNICORN_CMD_ARGS."""

import os
import sys

bind = os.environ.get("BANBAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BANBAN_WORKERS", "2"))
worker_class = "sync"
timeout = 30
# Never preload: each worker builds its own eventsourcing application after the fork,
# so database connections are never shared between processes.
preload_app = False
accesslog = "-"


def post_worker_init(worker):
    """Open this worker's store and catch its views up as it boots (after the fork).

    A configuration that cannot work (a wrong CIPHER_KEY) stops the server: a worker that
    exits with gunicorn's boot-error code makes the arbiter halt instead of restarting it.
    """
    from gunicorn.arbiter import Arbiter

    from app.config import ConfigError

    store = worker.wsgi.extensions.get("banban.store")
    if store is None:
        return
    try:
        store.cards()
        store.reminders()
        store.people()
        store.publications()
    except ConfigError as error:
        worker.log.error("cannot start: %s", error.message)
        sys.exit(Arbiter.WORKER_BOOT_ERROR)
    except Exception as error:
        worker.log.warning("store not opened at boot, will retry on first request: %r", error)
    slow_ms = worker.wsgi.config.get("BANBAN_GC_FREEZE_MS")
    if slow_ms:
        from app.collector import Collector

        worker.banban_collector = Collector(slow_ms).install()


def post_request(worker, req, environ, resp):
    """After the response is sent: freeze what the worker keeps if a full garbage collection
    was slow (app/collector.py), so that no leader's request pays for the next one."""
    collector = getattr(worker, "banban_collector", None)
    if collector is not None and collector.after_response():
        import gc

        worker.log.info("a full garbage collection was slow: %d objects frozen",
                        gc.get_freeze_count())


# The view runner beside the workers (BANBAN_VIEW_RUNNER=1, as `make run` sets): one
# `flask projections run` process, started with the server and stopped with it, so that the
# views are caught up and each day's report parts made outside the leaders' requests (the
# first page of a day would otherwise make a county's parts itself: seconds, not milliseconds).
# Its handle is kept on the arbiter (which a reload keeps; this module is read again), and the
# kernel ends it if the arbiter dies without stopping it.


def _ended_with_parent():
    """In the runner before it starts: be sent SIGTERM when the arbiter dies (Linux)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def when_ready(server):
    if os.environ.get("BANBAN_VIEW_RUNNER") != "1":
        return
    import subprocess

    server.banban_runner = subprocess.Popen(
        [sys.executable, "-m", "flask", "projections", "run"],
        env={**os.environ, "FLASK_APP": "wsgi"}, preexec_fn=_ended_with_parent)
    server.log.info("view runner started (pid %s)", server.banban_runner.pid)


def on_exit(server):
    runner = getattr(server, "banban_runner", None)
    if runner is not None and runner.poll() is None:
        runner.terminate()  # it stops after the pass it is in (a digest it claimed is sent)
        try:
            runner.wait(timeout=server.cfg.graceful_timeout)
        except Exception:
            runner.kill()

"""Run the real app under gunicorn on a free loopback port, for tests that need real processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment_for(store_env: dict[str, str]) -> dict[str, str]:
    """Process environment that points the app at the test's store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "BANBAN_"))}
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        env.update(BANBAN_STORE="sqlite", BANBAN_SQLITE_PATH=store_env["SQLITE_DBNAME"])
    else:
        env.update(BANBAN_STORE="postgres",
                   **{k: v for k, v in store_env.items() if k.startswith("POSTGRES_")})
    return env


class Gunicorn:
    """gunicorn serving an app (wsgi:app unless told) with N workers until stopped.

    `env` adds to the process environment and `options` to gunicorn's command line (the
    benchmarks run their baseline app and longer timeouts this way).
    """

    def __init__(self, store_env: dict[str, str], workers: int = 2, *, app: str = "wsgi:app",
                 env: dict[str, str] | None = None, options: Sequence[str] = ()):
        self.port = free_port()
        self._log = tempfile.TemporaryFile()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null", *options, app],
            cwd=ROOT, env=environment_for(store_env) | (env or {}),
            stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start within 30 s")

    def request(self, method: str, path: str, token: str, body: dict | None = None):
        """(status, json) of one HTTP request."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def log(self) -> str:
        """What gunicorn and the app printed so far (errors are logged there)."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

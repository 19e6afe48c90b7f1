"""`make run` serves with the view runner beside the workers (BANBAN_VIEW_RUNNER=1 in
gunicorn.conf.py): it starts with the server, makes the day's report parts without any request
asking for them, and stops with the server."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request

from domain.application import Banban
from tests.conftest import TODAY
from tests.e2e.server import ROOT, Gunicorn, environment_for


def kept_parts(store_env: dict[str, str]) -> int:
    answer = subprocess.run([sys.executable, "-m", "flask", "projections", "status"], cwd=ROOT,
                            env={**environment_for(store_env), "FLASK_APP": "wsgi"},
                            capture_output=True, text=True, check=True)
    return int(re.search(r"report parts: (\d+) kept", answer.stdout).group(1))


def test_the_runner_starts_and_stops_with_the_server(store_env):
    banban = Banban(env=store_env, clock=lambda: TODAY)
    try:
        banban.register_user("office_r", "office", actor="test")
        banban.register_user("agent_r", "agent", actor="test")
        banban.sign_project("office_r", signed_on=TODAY, name="旁跑项目", investor="某公司",
                            industry="新材料", investment=1_000, chief_agent="agent_r")
    finally:
        banban.close()
    assert kept_parts(store_env) == 0
    server = Gunicorn(store_env, 1, env={"BANBAN_VIEW_RUNNER": "1"})
    try:
        pid = runner_pid(server)
        deadline = time.monotonic() + 180
        # No request is made: the runner alone makes the current periods' parts.
        while kept_parts(store_env) == 0:
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.5)
    finally:
        server.stop()
    assert gone(pid)


def runner_pid(server: Gunicorn) -> int:
    deadline = time.monotonic() + 180
    while not (found := re.search(r"view runner started \(pid (\d+)\)", server.log())):
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.2)
    return int(found.group(1))


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "zombie" in status.read()
    except FileNotFoundError:
        return True


def test_the_runner_ends_when_the_server_is_killed(store_env):
    server = Gunicorn(store_env, 1, env={"BANBAN_VIEW_RUNNER": "1"})
    try:
        pid = runner_pid(server)
        server.process.send_signal(signal.SIGKILL)  # no hook runs: the kernel tells the runner
        server.process.wait()
        deadline = time.monotonic() + 120
        while not gone(pid):
            assert time.monotonic() < deadline, "the runner outlived the server"
            time.sleep(0.2)
    finally:
        server.stop()


def test_without_the_setting_no_runner_starts(store_env):
    server = Gunicorn(store_env, 1)
    try:
        # A page answered: the server is past the point where it would start the runner.
        with urllib.request.urlopen(f"{server.url}/login", timeout=120) as answer:
            assert answer.status == 200
        assert "view runner started" not in server.log()
    finally:
        server.stop()

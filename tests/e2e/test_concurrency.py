"""Concurrent writers through gunicorn with two workers: optimistic concurrency holds."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from domain.application import Banban
from tests.conftest import TODAY
from tests.e2e.server import Gunicorn


@pytest.fixture
def served(store_env):
    """(gunicorn with 2 workers, {username: token}, project id) on a fresh store."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    tokens = {}
    for username, role in [("office", "office"), ("zhang", "agent"), ("li", "agent")]:
        banban.register_user(username, role, actor="test")
        tokens[username] = banban.issue_token(username, actor="test")
    project = banban.sign_project("office", signed_on=date(2026, 1, 5), name="并发测试项目",
                                  investor="某公司", industry="电子信息", investment=1_000_000,
                                  chief_agent="zhang", co_agents=["li"])
    banban.close()
    server = Gunicorn(store_env, workers=2)
    yield server, tokens, project["id"]
    server.stop()


def _at_once(calls):
    """Run the callables in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_clients_with_the_same_expected_version_one_wins_one_gets_409(served):
    server, tokens, project_id = served
    path = f"/api/projects/{project_id}/events"
    version = 1
    for round_ in range(15):
        bodies = [{"type": "visit_logged", "expected_version": version,
                   "occurred_on": "2026-02-01", "purpose": f"{who} 第{round_}轮"}
                  for who in ("zhang", "li")]
        results = _at_once([
            lambda b=bodies[0]: server.request("POST", path, tokens["zhang"], b),
            lambda b=bodies[1]: server.request("POST", path, tokens["li"], b),
        ])
        statuses = sorted(status for status, _ in results)
        assert statuses == [201, 409], (results, server.log()[-3000:])
        conflict = next(body for status, body in results if status == 409)
        assert conflict["code"] == "version_conflict"
        assert conflict["field"] == "expected_version"
        version += 1

    status, history = server.request("GET", path, tokens["office"])
    assert status == 200
    assert history["version"] == version == 16
    assert [e["version"] for e in history["events"]] == list(range(1, 17))

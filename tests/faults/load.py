"""A load of writes over HTTP for the fault tests, the score of every answer, and the log check.

Writers post `visit_logged` events to projects they share, each with a purpose no other write
has (`w<writer>-<n>`), so that every event in the log can be traced to the one request that
made it. A writer learns a project's version only from the server: the 201 of its own write,
the `current_version` of a 409, or a fresh read after a request that got no answer.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import urllib.error
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.application import Banban
from tests.conftest import TODAY
from tests.e2e.server import Gunicorn

# What a request can meet when its worker dies under it or the server is restarting.
NO_ANSWER = (urllib.error.URLError, ConnectionError, http.client.HTTPException, TimeoutError,
             json.JSONDecodeError)


@dataclass(frozen=True)
class Write:
    """One attempted write: the project, the version it expected, and its unique purpose."""

    project_id: str
    expected_version: int
    purpose: str


@dataclass
class Ledger:
    """What the server answered to each write; appended to by many threads at once."""

    accepted: dict[Write, int] = field(default_factory=dict)  # write -> the version it made
    rejected: dict[Write, dict] = field(default_factory=dict)  # write -> its 409 body
    unanswered: list[Write] = field(default_factory=list)  # no HTTP answer at all
    other: list[tuple[Write, int, Any]] = field(default_factory=list)  # any other status
    reads_failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def note(self, write: Write, status: int | None, body: Any) -> int | None:
        """Score one answer; return the project's version it teaches (None: unknown now)."""
        with self._lock:
            if status == 201:
                self.accepted[write] = body["version"]
                return body["version"]
            if status == 409:
                self.rejected[write] = body
                return body.get("current_version")
            if status is None:
                self.unanswered.append(write)
            else:
                self.other.append((write, status, body))
            return None

    def attempts(self) -> int:
        return len(self.accepted) + len(self.rejected) + len(self.unanswered) + len(self.other)


def seed_store(store_env: dict[str, str], projects: int) -> tuple[str, list[str]]:
    """Register an office user and an agent, sign `projects` projects; (office token, ids)."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    try:
        for username, role in [("office", "office"), ("zhang", "agent")]:
            banban.register_user(username, role, actor="test")
        token = banban.issue_token("office", actor="test")
        ids = [str(banban.sign_project(
            "office", signed_on=date(2026, 1, 5), name=f"故障测试项目{n}", investor="某公司",
            industry="电子信息", investment=1_000_000, chief_agent="zhang")["id"])
            for n in range(projects)]
    finally:
        banban.close()
    return token, ids


def call(server: Gunicorn, method: str, path: str, token: str,
         body: dict | None = None) -> tuple[int | None, Any]:
    """(status, json) of one request, or (None, the error) when no answer came."""
    try:
        return server.request(method, path, token, body)
    except NO_ANSWER as error:
        return None, error


def write_load(server: Gunicorn, token: str, project_ids: list[str], *, writers: int,
               writes: int, seed: int, read_every: int = 0,
               stop: threading.Event | None = None, ledger: Ledger | None = None) -> Ledger:
    """Run `writers` threads of `writes` writes each on random shared projects; the ledger.

    With `read_every` = k, each writer also lists the projects after every k-th write (which
    makes the web worker catch its views up). `stop` ends the writers early. A ledger given
    is filled as the answers come (to watch the load from another thread).
    """
    ledger = Ledger() if ledger is None else ledger
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        known: dict[str, int | None] = dict.fromkeys(project_ids)
        start.wait()
        for i in range(writes):
            if stop is not None and stop.is_set():
                return
            project_id = rng.choice(project_ids)
            if known[project_id] is None:
                known[project_id] = _read_version(server, token, project_id, ledger)
                if known[project_id] is None:
                    continue
            write = Write(project_id, known[project_id], f"w{n}-{i}")
            status, body = call(server, "POST", f"/api/projects/{project_id}/events", token, {
                "type": "visit_logged", "expected_version": write.expected_version,
                "occurred_on": "2026-02-01", "purpose": write.purpose})
            known[project_id] = ledger.note(write, status, body)
            if read_every and i % read_every == 0:
                call(server, "GET", "/api/projects", token)

    def guarded(n: int) -> None:
        try:
            writer(n)
        except BaseException as error:  # reported by the caller: a thread must not fail silently
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return ledger


def _read_version(server: Gunicorn, token: str, project_id: str, ledger: Ledger) -> int | None:
    status, body = call(server, "GET", f"/api/projects/{project_id}", token)
    if status == 200:
        return body["version"]
    with ledger._lock:
        ledger.reads_failed += 1
    time.sleep(0.05)  # the server is restarting a worker: do not spin
    return None


def logged_visits(store_env: dict[str, str], project_ids: list[str]) -> dict[str, list[dict]]:
    """Each project's history as the store holds it, read by a fresh application."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    try:
        return {project_id: banban.history(project_id) for project_id in project_ids}
    finally:
        banban.close()


def check_log(histories: dict[str, list[dict]], ledger: Ledger) -> dict[str, int]:
    """Assert the log holds every accepted write once, at the version its 201 gave (the one
    after the version it expected), and no rejected write; return each project's final
    version."""
    for project_id, events in histories.items():
        assert [e["version"] for e in events] == list(range(1, len(events) + 1)), project_id
        assert [e["type"] for e in events[1:]] == ["visit_logged"] * (len(events) - 1)
    where = {(project_id, e["data"]["purpose"]): e["version"]
             for project_id, events in histories.items() for e in events[1:]}
    purposes = Counter(e["data"]["purpose"] for events in histories.values()
                       for e in events[1:])
    duplicated = [purpose for purpose, count in purposes.items() if count > 1]
    assert duplicated == [], f"written twice: {duplicated[:10]}"
    lost = {w: v for w, v in ledger.accepted.items()
            if where.get((w.project_id, w.purpose)) != v}
    assert lost == {}, f"acknowledged but not in the log at their version: {list(lost)[:10]}"
    # Optimistic concurrency: a write is accepted only on top of the version it expected.
    jumped = {w: v for w, v in ledger.accepted.items() if v != w.expected_version + 1}
    assert jumped == {}, f"accepted on another version than expected: {list(jumped)[:10]}"
    recorded_anyway = [w for w in ledger.rejected if (w.project_id, w.purpose) in where]
    assert recorded_anyway == [], f"answered 409 but recorded: {recorded_anyway[:10]}"
    return {project_id: events[-1]["version"] for project_id, events in histories.items()}

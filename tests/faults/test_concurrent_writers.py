"""16 concurrent writers share 5 projects under gunicorn: nothing lost, nothing twice, 409s,
and every event linked once into the hash chain, in the log's order."""

from __future__ import annotations

import time

import pytest

from app.audit.records import verify_store
from domain.application import Banban
from tests.conftest import TODAY
from tests.e2e.server import Gunicorn
from tests.faults.load import check_log, logged_visits, seed_store, write_load

pytestmark = pytest.mark.faults

WRITERS, WRITES, PROJECTS = 16, 1_000, 5


def test_concurrent_writers_lose_nothing_and_every_rejection_is_a_409(store_env):
    token, ids = seed_store(store_env, PROJECTS)
    server = Gunicorn(store_env, workers=2)
    try:
        started = time.monotonic()
        ledger = write_load(server, token, ids, writers=WRITERS, writes=WRITES, seed=6)
        elapsed = time.monotonic() - started
        listed = server.request("GET", "/api/projects", token)
        log = server.log()
    finally:
        server.stop()
    print(f"{ledger.attempts()} writes in {elapsed:.1f} s: {len(ledger.accepted)} accepted, "
          f"{len(ledger.rejected)} rejected")

    # Every write was answered, and every answer was a 201 or a 409.
    assert ledger.unanswered == [] and ledger.other == [], (ledger.other[:5], log[-3000:])
    assert ledger.attempts() == WRITERS * WRITES
    # Each 409 names the version the writer had missed; it is ahead of the one it expected.
    assert all(body["code"] == "version_conflict" and body["current_version"] > w.expected_version
               for w, body in ledger.rejected.items())
    assert ledger.rejected and ledger.accepted  # the writers really did collide

    histories = logged_visits(store_env, ids)
    versions = check_log(histories, ledger)
    # The log holds nothing but the accepted writes: each project's version counts them.
    for project_id in ids:
        accepted = sum(1 for w in ledger.accepted if w.project_id == project_id)
        assert versions[project_id] == 1 + accepted, project_id
    # The views (read through the API) agree with the log.
    status, body = listed
    assert status == 200
    assert {p["id"]: p["version"] for p in body["projects"]} == versions
    # Each write's link was made in its own transaction: once each, in the log's order.
    banban = Banban(env=store_env, clock=lambda: TODAY)
    try:
        verdict = verify_store(banban)
    finally:
        banban.close()
    assert verdict.intact, (verdict.finding, verdict.unlinked[:3])
    assert verdict.linked > sum(len(events) for events in histories.values())  # and the users'

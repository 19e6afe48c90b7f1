"""Odd input never reaches the store or crashes a request; roles hold for leaders' instructions."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError

from domain.application import Banban
from domain.errors import ConcurrentUpdate
from tests.conftest import TODAY
from tests.e2e.helpers import event_path
from tests.e2e.test_api_errors import assert_error, assert_unchanged


@pytest.mark.parametrize("purpose", ["a\u0000b", "\ud800", "bell\u0007"])
def test_text_that_cannot_be_stored_is_422_naming_the_field(api, project, purpose):
    body = {"type": "visit_logged", "expected_version": 1, "purpose": purpose}
    response = api("zhang").post(event_path(project["id"]), data=json.dumps(body),
                                 content_type="application/json")
    assert_error(response, 422, "invalid_field", "purpose")
    assert_unchanged(api, project)


def test_json_nested_too_deep_is_400(api, project):
    response = api("zhang").post(event_path(project["id"]), data="[" * 100_000,
                                 content_type="application/json")
    assert_error(response, 400, "malformed_json", "body")
    assert_unchanged(api, project)


@pytest.mark.parametrize("query, field", [
    ({"version": str(2**63)}, "version"), ({"version": "0"}, "version"),
    ({"as_of": "yesterday"}, "as_of"), ({"phaze": "land"}, "phaze")])
def test_odd_query_parameters_are_422_naming_them(api, project, query, field):
    path = "/api/projects" if "phaze" in query else f"/api/projects/{project['id']}"
    assert_error(api("zhang").get(path, query_string=query), 422, "invalid_field", field)


def test_money_beyond_the_cap_is_422(api, project):
    response = api("li").post(event_path(project["id"]), json={
        "type": "progress_reported", "expected_version": 1, "investment_completed": 10**40})
    assert_error(response, 422, "invalid_field", "investment_completed")
    assert_unchanged(api, project)


def test_an_id_with_a_trailing_newline_is_422(api, project):
    response = api("zhang").post(event_path(project["id"]), json={
        "type": "approval_applied", "expected_version": 1, "approval_id": "A1\n",
        "item": "环评", "department": "县生态环境局"})
    assert_error(response, 422, "invalid_field", "approval_id")


def test_a_leaders_instruction_is_recorded_by_the_leader_or_the_office_naming_one(api, project):
    path, pid = event_path(project["id"]), project["id"]
    by_agent = api("zhang").post(path, json={"type": "instruction_given", "expected_version": 1,
                                             "instruction": "加快进度", "leader": "leader"})
    assert_error(by_agent, 403, "forbidden", None)
    unnamed = api("office").post(path, json={"type": "instruction_given",
                                             "expected_version": 1, "instruction": "加快进度"})
    assert_error(unnamed, 422, "required", "leader")
    assert_unchanged(api, project)
    named = api("office").post(path, json={"type": "instruction_given", "expected_version": 1,
                                           "instruction": "加快进度", "leader": "leader"})
    assert named.status_code == 201
    own = api("leader").post(path, json={"type": "instruction_given", "expected_version": 2,
                                         "instruction": "本周解决"})
    assert own.status_code == 201
    instructions = api("auditor").get(f"/api/projects/{pid}").get_json()["instructions"]
    assert [(i["leader"], i["actor"]) for i in instructions] == [("leader", "office"),
                                                                ("leader", "leader")]


def test_an_agent_cannot_void_what_the_office_recorded(api, project):
    path = event_path(project["id"])
    assert api("office").post(path, json={"type": "visit_logged", "expected_version": 1,
                                          "purpose": "办公室走访"}).status_code == 201
    response = api("zhang").post(path, json={"type": "corrected", "expected_version": 2,
                                             "corrects_version": 2, "action": "void",
                                             "reason": "不对"})
    assert_error(response, 403, "forbidden", None)
    assert_unchanged(api, project, version=2)


def test_a_snapshot_is_stored_with_the_event_that_makes_it_due_or_neither_is(
        api, banban, project, monkeypatch):
    path, version = event_path(project["id"]), 1
    for _ in range(98):
        version = api("zhang").post(path, json={"type": "visit_logged", "expected_version":
                                                version, "purpose": "走访"}).get_json()["version"]
    snapshots = banban.snapshots.recorder

    def refuse(*args, **kwargs):
        raise OperationalError("database is locked")

    # What inserts the snapshots in the write's transaction: PostgreSQL's, SQLite's.
    inserting = ("_insert_stored_events" if hasattr(snapshots, "_insert_stored_events")
                 else "_insert_events")
    monkeypatch.setattr(snapshots, inserting, refuse)
    body = {"type": "visit_logged", "expected_version": 99, "purpose": "第100次"}
    assert_error(api("zhang").post(path, json=body), 503, "store_unavailable", None)
    assert banban.project(project["id"])["version"] == 99
    assert list(banban.snapshots.get(UUID(project["id"]))) == []
    monkeypatch.undo()

    response = api("zhang").post(path, json=body)
    assert response.status_code == 201, response.get_json()
    assert [s.originator_version for s in banban.snapshots.get(UUID(project["id"]))] == [100]


def test_a_lost_race_reports_the_version_that_won(banban, tokens, project):
    """Two workers load the same version; the loser's 409 says where the project is now."""
    pid = UUID(project["id"])
    stale = banban.repository.get(pid)
    loser = Banban(env=banban.env, clock=lambda: TODAY)
    try:
        # The loser's write read version 1 just before the winner saved version 2.
        loser._writes.repository.get = lambda *args, **kwargs: stale
        banban.record(pid, "zhang", "visit_logged", expected_version=1,
                      occurred_on=date(2026, 2, 1), fields={"purpose": "先到"})
        with pytest.raises(ConcurrentUpdate) as caught:
            loser.record(pid, "li", "visit_logged", expected_version=1,
                         occurred_on=date(2026, 2, 1), fields={"purpose": "后到"})
    finally:
        loser.close()
    assert caught.value.actual_version == 2

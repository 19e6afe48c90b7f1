"""Who may record what through the API: team agents, the office, leaders, auditors."""

from __future__ import annotations

import pytest

from domain.fields import EVENT_TYPES
from tests.e2e.helpers import (
    history,
    post_event,
    post_sequence,
    recorder,
    resolve,
    scenario,
    state,
)


def assert_forbidden(response) -> None:
    assert response.status_code == 403, response.get_json()
    body = response.get_json()
    assert (body["status"], body["code"], body["field"]) == (403, "forbidden", None)
    assert body["message"]


def _refused_for_each_type(api, pid: str, user: str, types, version: int) -> None:
    """`user` gets 403 for every type (with a valid body); the history does not move."""
    before = history(api, pid)
    statuses = {}
    for event_type in types:
        _, body = scenario(event_type)
        response = post_event(api, user, pid, event_type, resolve(body, version), version)
        statuses[event_type] = (response.status_code, response.get_json()["code"])
    assert statuses == {t: (403, "forbidden") for t in types}
    assert history(api, pid) == before


@pytest.mark.parametrize("event_type", list(EVENT_TYPES))
def test_agent_not_on_the_team_is_refused_every_type(api, project, event_type):
    pid = project["id"]
    steps, body = scenario(event_type)
    version = post_sequence(api, pid, steps, project["version"])
    before = history(api, pid)

    assert_forbidden(post_event(api, "wang", pid, event_type, body, version))

    assert history(api, pid) == before
    assert state(api, pid)["version"] == version
    # the same body was valid: an allowed user records it
    response = post_event(api, recorder(event_type), pid, event_type, body, version)
    assert response.status_code == 201, response.get_json()


def test_reassigned_team_moves_the_right_to_record(api, project):
    pid = project["id"]
    assert_forbidden(post_event(api, "wang", pid, "visit_logged", {"purpose": "走访"}, 1))

    post_sequence(api, pid, [("office", "team_assigned", {
        "chief_agent": "wang", "co_agents": ["li"], "reason": "张调任其他项目"})], 1)
    assert state(api, pid)["team"] == {"chief_agent": "wang", "co_agents": ["li"],
                                       "leader": "leader"}

    response = post_event(api, "wang", pid, "visit_logged", {"purpose": "新首席首次走访"}, 2)
    assert response.status_code == 201, response.get_json()
    assert_forbidden(post_event(api, "zhang", pid, "visit_logged", {"purpose": "走访"}, 3))
    assert_forbidden(post_event(api, "zhang", pid, "corrected", {
        "corrects_version": 3, "action": "void", "reason": "不是我记的"}, 3))
    assert post_event(api, "li", pid, "problem_raised", {"title": "环评排队"}, 3
                      ).status_code == 201

    events = history(api, pid)["events"]
    assert [(e["type"], e["actor"]) for e in events] == [
        ("signed", "office"), ("team_assigned", "office"), ("visit_logged", "wang"),
        ("problem_raised", "li")]
    listed = api("auditor").get("/api/projects", query_string={"agent": "zhang"}).get_json()
    assert listed["count"] == 0
    listed = api("auditor").get("/api/projects", query_string={"agent": "wang"}).get_json()
    assert [p["id"] for p in listed["projects"]] == [pid]


def test_co_agent_records_like_the_chief(api, project):
    pid = project["id"]
    version = post_sequence(api, pid, [
        ("li", "milestone_reached", {"milestone": "project_filed"}),
        ("li", "approval_applied", {"approval_id": "AP-1", "item": "环评", "department": "环保局"}),
        ("li", "corrected", {"corrects_version": 3, "action": "amend", "reason": "部门名称",
                             "changes": {"department": "县生态环境局"}}),
    ], 1)
    assert version == 4
    assert state(api, pid)["approvals"][0]["department"] == "县生态环境局"


def test_leader_records_instructions_only(api, project):
    pid = project["id"]
    response = post_event(api, "leader", pid, "instruction_given", {"instruction": "加快用地报批"}, 1)
    assert response.status_code == 201, response.get_json()
    assert state(api, pid)["instructions"][0]["actor"] == "leader"

    _refused_for_each_type(api, pid, "leader",
                           [t for t in EVENT_TYPES if t != "instruction_given"], 2)


def test_leader_may_instruct_on_a_project_that_is_not_theirs(api, project):
    other = api("office").post("/api/projects", json={
        "name": "佩美项目", "investor": "佩美公司", "industry": "电子", "investment": 300_000_000,
        "signed_on": "2026-03-01", "chief_agent": "wang"}).get_json()
    assert other["leader"] is None
    response = post_event(api, "leader", other["id"], "instruction_given", {"instruction": "督办"}, 1)
    assert response.status_code == 201, response.get_json()


def test_auditor_records_nothing(api, project):
    _refused_for_each_type(api, project["id"], "auditor", list(EVENT_TYPES), 1)
    assert_forbidden(api("auditor").post("/api/projects", json={
        "name": "审计项目", "investor": "某公司", "industry": "电子", "investment": 1,
        "signed_on": "2026-03-01", "chief_agent": "zhang"}))
    assert api("auditor").get("/api/projects").get_json()["count"] == 1


def test_auditor_reads_everything(api, project):
    pid = project["id"]
    post_sequence(api, pid, [("zhang", "visit_logged", {"purpose": "走访"})], 1)
    assert api("auditor").get(f"/api/projects/{pid}").get_json()["version"] == 2
    assert len(api("auditor").get(f"/api/projects/{pid}/events").get_json()["events"]) == 2
    assert api("auditor").get(f"/api/projects/{pid}", query_string={"version": 1}
                              ).get_json()["visit_count"] == 0


def test_office_records_every_type_including_corrections(api, project):
    pid = project["id"]
    # A project holds one park-entry review at a time and passes one: the convening, the
    # opinions and the conclusion are recorded as the steps before meeting its condition.
    review = ("park_review_convened", "park_review_opinion_given", "park_review_concluded")
    order = [t for t in EVENT_TYPES
             if t not in ("suspended", "terminated", *review)] + ["terminated"]
    version = project["version"]
    for index, event_type in enumerate(order):
        steps, body = scenario(event_type, tag=str(index), by="office")
        version = post_sequence(api, pid, steps + [("office", event_type, body)], version)

    events = history(api, pid)["events"]
    assert {e["actor"] for e in events} == {"office"}
    assert {e["type"] for e in events} == set(EVENT_TYPES) | {"signed"}
    assert state(api, pid)["status"] == "terminated"
    # on a terminated project only a correction is still recorded: the office voids the visit
    visit = next(e["version"] for e in events if e["type"] == "visit_logged")
    response = post_event(api, "office", pid, "corrected", {
        "corrects_version": visit, "action": "void", "reason": "重复记录"}, version)
    assert response.status_code == 201, response.get_json()
    assert history(api, pid)["events"][visit - 1]["void"] is True


@pytest.mark.parametrize("target_type, fields", [
    ("team_assigned", {"chief_agent": "li", "co_agents": ["zhang"]}),
    ("service_rated", {"rating": 3, "agent": "zhang"}),
])
def test_agent_may_not_correct_an_office_only_event(api, project, target_type, fields):
    pid = project["id"]
    version = post_sequence(api, pid, [("office", target_type, fields)], 1)
    correction = {"corrects_version": 2, "action": "void", "reason": "记错了"}
    before = history(api, pid)

    for agent in ("zhang", "li"):  # both on the team after either event
        assert_forbidden(post_event(api, agent, pid, "corrected", correction, version))
    assert history(api, pid) == before

    response = post_event(api, "office", pid, "corrected", correction, version)
    assert response.status_code == 201, response.get_json()
    events = history(api, pid)["events"]
    assert (events[1]["void"], events[1]["corrected_by"]) == (True, [3])


def test_agent_may_not_correct_the_signing(api, project):
    pid = project["id"]
    assert_forbidden(post_event(api, "zhang", project["id"], "corrected", {
        "corrects_version": 1, "action": "amend", "reason": "投资额有误",
        "changes": {"investment": 9_000_000_000}}, 1))
    assert state(api, pid)["investment"] == 10_000_000_000
    response = post_event(api, "office", pid, "corrected", {
        "corrects_version": 1, "action": "amend", "reason": "投资额有误",
        "changes": {"investment": 9_000_000_000}}, 1)
    assert response.status_code == 201, response.get_json()
    assert state(api, pid)["investment"] == 9_000_000_000

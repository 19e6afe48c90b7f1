"""Recording every event type through POST /api/projects/<id>/events, and reading it back."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app import create_app
from domain.fields import EVENT_TYPES, default_of, fields_of
from tests.conftest import TODAY, app_config
from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import (
    CARRIED,
    EVENT_DAY,
    LAST,
    history,
    post_event,
    post_sequence,
    recorder,
    scenario,
    state,
)


def _by_id(items: list[dict], item_id: str) -> dict:
    matches = [item for item in items if item["id"] == item_id]
    assert len(matches) == 1, (item_id, items)
    return matches[0]


def _milestone(s: dict, code: str) -> dict:
    return next(m for m in s["milestones"] if m["milestone"] == code)


def _check_state(event_type: str, s: dict, body: dict, made: dict, v: int, actor: str) -> None:
    """What the project's state must show after one `event_type` event at version v."""
    on = EVENT_DAY
    if event_type == "team_assigned":
        assert s["team"] == {"chief_agent": "li", "co_agents": ["zhang"], "leader": "leader"}
        assert (s["chief_agent"], s["co_agents"]) == ("li", ["zhang"])
        assert s["team_history"][-1] == {
            "version": v, "occurred_on": on, "actor": actor, "chief_agent": "li",
            "co_agents": ["zhang"], "leader": "leader", "reason": body["reason"]}
    elif event_type == "milestone_planned":
        assert _milestone(s, "land_approved")["planned_on"] == "2027-03-31"
        assert s["next_milestone"] == {"milestone": "land_approved", "planned_on": "2027-03-31"}
        assert s["plan_history"][-1] == {
            "milestone": "land_approved", "planned_on": "2027-03-31", "previous": None,
            "reason": None, "version": v, "occurred_on": on, "actor": actor}
    elif event_type == "milestone_reached":
        assert _milestone(s, "land_approved") | {"planned_on": None} == {
            "milestone": "land_approved", "phase": "land", "planned_on": None,
            "reached_on": on, "reached_version": v}
        assert s["phase"] == "land"
    elif event_type == "approval_applied":
        approval = _by_id(s["approvals"], made["approval_id"])
        assert approval == {"id": made["approval_id"], "item": "能评", "department": "县发改委",
                            "status": "applied", "applied_on": on, "decided_on": None,
                            "reason": None, "commitment": None, "version": v}
    elif event_type == "approval_granted":
        approval = _by_id(s["approvals"], "AP-1")
        assert (approval["status"], approval["decided_on"]) == ("granted", on)
        assert approval["commitment"] == {"missing_documents": ["水保方案"],
                                          "due_on": "2026-12-20", "fulfilled_on": None}
    elif event_type == "approval_rejected":
        approval = _by_id(s["approvals"], "AP-1")
        assert (approval["status"], approval["decided_on"], approval["reason"]) == (
            "rejected", on, "材料不全")
    elif event_type == "commitment_fulfilled":
        assert _by_id(s["approvals"], "AP-1")["commitment"]["fulfilled_on"] == on
    elif event_type == "problem_raised":
        problem = _by_id(s["problems"], made["problem_id"])
        assert {k: problem[k] for k in ("title", "description", "same_day", "responsible_unit",
                                        "status", "raised_on", "raised_by", "version")} == {
            "title": "征地拆迁进度慢", "description": "还有3户未签约", "same_day": True,
            "responsible_unit": "县自然资源局", "status": "open", "raised_on": on,
            "raised_by": actor, "version": v}
        assert s["open_problems"] == 1
    elif event_type.startswith("problem_"):
        problem = _by_id(s["problems"], "PB-1")
        what = event_type.removeprefix("problem_")
        assert problem["log"][-1] == {"what": what, "occurred_on": on, "actor": actor,
                                      "version": v, "text": body.get("plan") or body.get(
                                          "note") or body.get("resolution") or body.get("reason")}
        expected = {
            "plan_proposed": {"plan": {"text": "协调供电公司", "proposed_on": on,
                                       "due_on": "2026-11-30"}, "status": "open"},
            "escalated": {"escalated_to": "leader", "leader": "leader", "status": "open"},
            "followed_up": {"status": "open", "last_activity_on": on},
            "resolved": {"status": "resolved", "resolved_on": on, "resolution": "已通电"},
            "reopened": {"status": "open", "resolved_on": None, "resolution": None},
        }[what]
        assert {k: problem[k] for k in expected} == expected
        assert s["open_problems"] == (0 if what == "resolved" else 1)
    elif event_type == "progress_reported":
        assert s["investment_completed"] == 1_500_000_000
        assert s["progress"][-1] == {"occurred_on": on, "investment_completed": 1_500_000_000,
                                     "note": "厂房基础完工", "version": v, "actor": actor}
    elif event_type == "visit_logged":
        assert s["visit_count"] == 1
        assert s["last_visit"] == {"occurred_on": on, "actor": actor, "purpose": "了解投产计划",
                                   "met_with": "王总", "version": v}
    elif event_type == "instruction_given":
        assert s["instructions"] == [{"occurred_on": on, "actor": actor, "instruction": "三天内解决",
                                      "leader": "leader", "problem_id": "PB-1", "version": v}]
        assert _by_id(s["problems"], "PB-1")["log"][-1]["what"] == "instruction"
    elif event_type == "service_rated":
        assert s["ratings"] == [{"occurred_on": on, "rating": 4, "agent": "zhang",
                                 "comment": "服务及时", "version": v}]
        assert s["average_rating"] == 4.0
    elif event_type in ("suspended", "resumed", "terminated"):
        status = {"suspended": "suspended", "resumed": "active", "terminated": "terminated"}
        assert s["status"] == status[event_type]
        assert s["status_reason"] == body.get("reason")
    elif event_type == "corrected":
        assert (s["visit_count"], s["last_visit"]["purpose"]) == (1, "了解用工需求")
    elif event_type == "park_review_convened":
        assert s["park_reviews"] == [{
            "id": made["review_id"], "convened_on": on, "departments": body["departments"],
            "opinion_within_working_days": 5, "note": "入园会审", "opinions": [], "concluded_on": None, "passed": None,
            "conditions": [], "version": v}]
        assert {(w["party"], w["name"], w["item"]["within_working_days"])
                for w in s["waiting_on"] if w["item"]["kind"] == "park_review"} == {
            ("department", name, 5) for name in body["departments"]}
    elif event_type == "park_review_opinion_given":
        assert s["park_reviews"][0]["opinions"] == [{
            "department": "县住建局", "opinion": "agree_with_conditions",
            "conditions": body["conditions"], "note": "现场核查", "given_on": on,
            "recorded_by": actor, "version": v}]
        assert [w["name"] for w in s["waiting_on"] if w["item"]["kind"] == "park_review"] == [
            "县自然资源局"]
    elif event_type == "park_review_concluded":
        review = s["park_reviews"][0]
        assert (review["concluded_on"], review["passed"], review["conditions"]) == (
            on, True, [CARRIED | {"number": 1, "met_on": None, "met_note": None}])
        assert _milestone(s, "park_review_passed")["reached_on"] == on
        assert [(w["party"], w["item"]) for w in s["waiting_on"]
                if w["item"]["kind"] == "condition"] == [("investor", {
                    "kind": "condition", "id": "PR-1#1", "title": "环评批复前不得开工"})]
    elif event_type == "park_review_condition_met":
        assert s["park_reviews"][0]["conditions"] == [
            CARRIED | {"number": 1, "met_on": on, "met_note": "环评已批复"}]
        assert [w for w in s["waiting_on"] if w["item"]["kind"] == "condition"] == []
    else:  # pragma: no cover - a new event type needs its check here
        pytest.fail(f"no state check for {event_type}")


# What the server adds to the body: the whole resulting team; what a correction corrected.
SERVER_MADE = {
    "team_assigned": {"leader": "leader"},
    "corrected": {"corrected_type": "visit_logged", "previous": {"purpose": "了解投产计划"}},
}


@pytest.mark.parametrize("event_type", list(EVENT_TYPES))
def test_record_every_event_type(api, project, event_type):
    pid = project["id"]
    steps, body = scenario(event_type)
    version = post_sequence(api, pid, steps, project["version"])
    before = history(api, pid)
    actor = recorder(event_type)

    response = post_event(api, actor, pid, event_type, body, version, occurred_on=EVENT_DAY)

    assert response.status_code == 201, response.get_json()
    recorded = response.get_json()
    made = {k: recorded[k] for k in ("approval_id", "problem_id", "review_id") if k in recorded}
    assert recorded == {"id": pid, "version": version + 1, "type": event_type} | made
    if event_type == "approval_applied":
        assert re.fullmatch(r"AP-[0-9a-f]{8}", made["approval_id"])
    elif event_type == "problem_raised":
        assert re.fullmatch(r"PB-[0-9a-f]{8}", made["problem_id"])
    elif event_type == "park_review_convened":
        assert re.fullmatch(r"PR-[0-9a-f]{8}", made["review_id"])
    else:
        assert made == {}

    after = history(api, pid)
    assert after["project_id"] == pid and after["version"] == version + 1
    assert len(after["events"]) == version + 1
    event = after["events"][-1]
    expected_data = ({name: default_of(spec) for name, spec in fields_of(event_type).items()}
                     | {k: (version if v == LAST else v) for k, v in body.items()} | made
                     | SERVER_MADE.get(event_type, {}))
    assert {k: event[k] for k in ("version", "type", "actor", "occurred_on", "data",
                                  "corrected_by", "void")} == {
        "version": version + 1, "type": event_type, "actor": actor, "occurred_on": EVENT_DAY,
        "data": expected_data, "corrected_by": [], "void": False}
    recorded_at = datetime.fromisoformat(event["recorded_at"])
    assert recorded_at.tzinfo is not None
    assert recorded_at >= datetime.fromisoformat(before["events"][-1]["recorded_at"])
    if event_type == "corrected":  # the corrected event is marked, not rewritten
        target = after["events"][version - 1]
        assert target["corrected_by"] == [version + 1] and target["void"] is False
        assert target["data"] == before["events"][version - 1]["data"]
    else:
        assert after["events"][:-1] == before["events"]

    s = state(api, pid)
    assert s["id"] == pid and s["version"] == version + 1
    assert s["last_event"] == {"type": event_type, "version": version + 1, "actor": actor,
                               "occurred_on": EVENT_DAY, "recorded_at": event["recorded_at"]}
    assert s["updated_at"] == event["recorded_at"]
    _check_state(event_type, s, body, made, version + 1, actor)


def test_server_made_ids_are_usable_later(api, project):
    pid = project["id"]
    applied = post_event(api, "zhang", pid, "approval_applied",
                         {"item": "施工许可", "department": "县住建局"}, 1).get_json()
    raised = post_event(api, "zhang", pid, "problem_raised", {"title": "缺少施工用水"}, 2).get_json()
    approval_id, problem_id = applied["approval_id"], raised["problem_id"]
    assert approval_id.startswith("AP-") and problem_id.startswith("PB-")

    post_sequence(api, pid, [
        ("zhang", "approval_granted", {"approval_id": approval_id}),
        ("zhang", "problem_resolved", {"problem_id": problem_id, "resolution": "已接入市政管网"}),
        ("leader", "instruction_given", {"instruction": "做好回访", "problem_id": problem_id}),
    ], 3, occurred_on=TODAY.isoformat())

    s = state(api, pid)
    assert _by_id(s["approvals"], approval_id)["status"] == "granted"
    problem = _by_id(s["problems"], problem_id)
    assert problem["status"] == "resolved"
    assert [entry["what"] for entry in problem["log"]] == ["raised", "resolved", "instruction"]
    data = [event["data"] for event in history(api, pid)["events"]]
    assert data[1]["approval_id"] == data[3]["approval_id"] == approval_id
    assert data[2]["problem_id"] == data[4]["problem_id"] == data[5]["problem_id"] == problem_id


def test_client_given_ids_are_kept(api, project):
    pid = project["id"]
    applied = post_event(api, "zhang", pid, "approval_applied",
                         {"approval_id": "EIA-2026.07", "item": "环评", "department": "县生态环境局"}, 1)
    raised = post_event(api, "li", pid, "problem_raised",
                        {"problem_id": "power_line-1", "title": "高压线迁改"}, 2)

    assert applied.status_code == raised.status_code == 201
    # the server made no id, so it returns none
    assert applied.get_json() == {"id": pid, "version": 2, "type": "approval_applied"}
    assert raised.get_json() == {"id": pid, "version": 3, "type": "problem_raised"}
    s = state(api, pid)
    assert [a["id"] for a in s["approvals"]] == ["EIA-2026.07"]
    assert [p["id"] for p in s["problems"]] == ["power_line-1"]
    events = history(api, pid)["events"]
    assert events[1]["data"]["approval_id"] == "EIA-2026.07"
    assert events[2]["data"]["problem_id"] == "power_line-1"
    # and later events find them by those ids
    post_sequence(api, pid, [("zhang", "approval_rejected",
                              {"approval_id": "EIA-2026.07", "reason": "选址不符"})], 3,
                  occurred_on=TODAY.isoformat())
    assert state(api, pid)["approvals"][0]["status"] == "rejected"


def test_occurred_on_defaults_to_the_app_clock_today(api, project):
    pid = project["id"]
    response = post_event(api, "zhang", pid, "visit_logged", {"purpose": "走访企业"}, 1)

    assert response.status_code == 201
    assert history(api, pid)["events"][-1]["occurred_on"] == TODAY.isoformat() == "2026-11-25"
    assert state(api, pid)["last_visit"]["occurred_on"] == TODAY.isoformat()


def test_occurred_on_default_follows_a_different_app_clock(store_env, tokens, project):
    """The default is the app's clock, not the machine's date: another clock, another default."""
    other = create_app(app_config(store_env, clock=lambda: date(2026, 6, 1)))
    try:
        response = other.test_client().post(
            f"/api/projects/{project['id']}/events",
            headers={"Authorization": f"Bearer {tokens['zhang']}"},
            json={"type": "visit_logged", "expected_version": 1, "purpose": "走访企业"})
        assert response.status_code == 201, response.get_json()
        assert other.test_client().get(
            f"/api/projects/{project['id']}/events",
            headers={"Authorization": f"Bearer {tokens['zhang']}"},
        ).get_json()["events"][-1]["occurred_on"] == "2026-06-01"
    finally:
        other.extensions["banban.store"].close()


def test_versions_count_up_one_per_event(api, project):
    pid = project["id"]
    versions = []
    for i, purpose in enumerate(["第一次走访", "第二次走访", "第三次走访"]):
        response = post_event(api, "li", pid, "visit_logged", {"purpose": purpose}, 1 + i)
        versions.append(response.get_json()["version"])
    assert versions == [2, 3, 4]
    events = history(api, pid)["events"]
    assert [e["version"] for e in events] == [1, 2, 3, 4]
    assert [e["type"] for e in events] == ["signed"] + ["visit_logged"] * 3
    assert [e["actor"] for e in events] == ["office", "li", "li", "li"]
    s = state(api, pid)
    assert (s["visit_count"], s["last_visit"]["purpose"]) == (3, "第三次走访")


def test_sign_a_project(api, tokens):
    response = api("office").post("/api/projects", json=SIGNING)

    assert response.status_code == 201, response.get_json()
    signed = response.get_json()
    assert {k: signed[k] for k in SIGNING if k not in ("chief_agent", "co_agents", "leader")} == {
        k: v for k, v in SIGNING.items() if k not in ("chief_agent", "co_agents", "leader")}
    assert (signed["version"], signed["phase"], signed["status"]) == (1, "signing", "active")
    assert signed["team"] == {"chief_agent": "zhang", "co_agents": ["li"], "leader": "leader"}
    assert signed["last_event"]["type"] == "signed" and signed["last_event"]["actor"] == "office"
    assert signed["last_event"]["occurred_on"] == "2026-01-05"
    assert state(api, signed["id"]) == signed
    events = history(api, signed["id"])["events"]
    assert [(e["version"], e["type"], e["actor"], e["occurred_on"]) for e in events] == [
        (1, "signed", "office", "2026-01-05")]
    # No county is listed here: the project names none (it is the home county's).
    assert events[0]["data"] == {k: v for k, v in SIGNING.items() if k != "signed_on"} | {
        "county": None, "confirmed": []}
    assert events[0]["recorded_at"] == signed["recorded_at"] == signed["updated_at"]

"""Reading through the API: the project list, time travel, the OpenAPI document, /api/me."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from domain.fields import EVENT_TYPES
from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import history, post_sequence, state

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _sign(api, name: str, chief: str, co_agents: list[str], **more) -> str:
    response = api("office").post("/api/projects", json=SIGNING | {
        "name": name, "chief_agent": chief, "co_agents": co_agents} | more)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def three_projects(api, project) -> dict[str, str]:
    """luli: land phase, active (zhang, li); peimei: signing, suspended (wang), 100 million
    yuan by 佩美科技 with no leader; hengda: construction, active (li, wang)."""
    luli = project["id"]
    post_sequence(api, luli, [("zhang", "milestone_reached", {"milestone": "land_approved"})], 1)
    peimei = _sign(api, "佩美电子", "wang", [], investor="佩美科技有限公司",
                   investment=100_000_000, leader=None)
    post_sequence(api, peimei, [("wang", "suspended", {"reason": "资金调整"})], 1)
    hengda = _sign(api, "恒达新能源", "li", ["wang"])
    post_sequence(api, hengda, [
        ("li", "milestone_reached", {"milestone": "construction_started"})], 1)
    return {"luli": luli, "peimei": peimei, "hengda": hengda}


def _listed(api, **query) -> list[str]:
    response = api("leader").get("/api/projects", query_string=query)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["count"] == len(body["projects"])
    return [p["name"] for p in body["projects"]]


def test_list_without_filters_gives_every_project_in_signing_order(api, three_projects):
    response = api("auditor").get("/api/projects").get_json()
    assert response["count"] == 3
    assert [p["id"] for p in response["projects"]] == [
        three_projects["luli"], three_projects["peimei"], three_projects["hengda"]]
    luli = response["projects"][0]
    assert {k: luli[k] for k in ("version", "phase", "status", "chief_agent", "co_agents",
                                 "leader", "investment", "signed_on")} == {
        "version": 2, "phase": "land", "status": "active", "chief_agent": "zhang",
        "co_agents": ["li"], "leader": "leader", "investment": 10_000_000_000,
        "signed_on": "2026-01-05"}
    assert luli["last_event"]["type"] == "milestone_reached"
    assert "milestones" not in luli  # the list gives summaries


@pytest.mark.parametrize("query, names", [
    ({"phase": "signing"}, ["佩美电子"]),
    ({"phase": "land"}, ["鲁丽绿色新材料产业园"]),
    ({"phase": "construction"}, ["恒达新能源"]),
    ({"phase": "operation"}, []),
    ({"status": "active"}, ["鲁丽绿色新材料产业园", "恒达新能源"]),
    ({"status": "suspended"}, ["佩美电子"]),
    ({"status": "terminated"}, []),
    ({"agent": "zhang"}, ["鲁丽绿色新材料产业园"]),
    ({"agent": "li"}, ["鲁丽绿色新材料产业园", "恒达新能源"]),
    ({"agent": "wang"}, ["佩美电子", "恒达新能源"]),
    ({"agent": "leader"}, []),
    ({"agent": "wang", "status": "active"}, ["恒达新能源"]),
    ({"agent": "li", "phase": "land", "status": "active"}, ["鲁丽绿色新材料产业园"]),
], ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None)
def test_list_filters(api, three_projects, query, names):
    assert _listed(api, **query) == names


@pytest.mark.parametrize("query, names", [
    ({"q": "新能源"}, ["恒达新能源"]),
    ({"q": "ＰＥＩ 佩美 科技"}, []),
    ({"q": "佩美 科技"}, ["佩美电子"]),  # the investor's name
    ({"q": "鲁丽集团"}, ["鲁丽绿色新材料产业园", "恒达新能源"]),
    ({"sort": "name"}, ["恒达新能源", "鲁丽绿色新材料产业园", "佩美电子"]),  # pinyin order
    ({"sort": "name", "order": "desc"}, ["佩美电子", "鲁丽绿色新材料产业园", "恒达新能源"]),
    ({"sort": "investment", "order": "asc"}, ["佩美电子", "恒达新能源", "鲁丽绿色新材料产业园"]),
    ({"sort": "phase", "order": "desc"}, ["恒达新能源", "鲁丽绿色新材料产业园", "佩美电子"]),
    ({"sort": "late", "q": "鲁丽"}, ["恒达新能源", "鲁丽绿色新材料产业园"]),
    ({"filter": "supervised"}, ["鲁丽绿色新材料产业园", "恒达新能源"]),
    ({"filter": "supervised", "q": "恒达"}, ["恒达新能源"]),
    ({"filter": "mine"}, []),  # the leader is on no team
], ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None)
def test_list_search_and_sort_as_the_page_does(api, three_projects, query, names):
    assert _listed(api, **query) == names


def test_mine_is_the_readers_team_within_the_other_filters(api, three_projects):
    def mine(**query):
        body = api("wang").get("/api/projects", query_string={"filter": "mine", **query})
        return [p["name"] for p in body.get_json()["projects"]]

    assert mine() == ["佩美电子", "恒达新能源"]
    assert mine(status="active") == ["恒达新能源"]
    assert mine(agent="li") == ["恒达新能源"]
    assert mine(agent="zhang") == []


def test_list_totals_are_of_the_projects_listed(api, three_projects):
    body = api("office").get("/api/projects", query_string={"q": "鲁丽集团"}).get_json()
    assert body["totals"] == {"count": 2, "investment": 20_000_000_000,
                              "investment_completed": 0}
    assert api("office").get("/api/projects").get_json()["totals"]["investment"] == \
        20_100_000_000


@pytest.mark.parametrize("name, value", [("sort", "colour"), ("order", "up"),
                                         ("filter", "all"), ("q", "字" * 101)])
def test_an_unknown_list_parameter_value_is_refused_naming_it(api, three_projects, name, value):
    response = api("office").get("/api/projects", query_string={name: value})
    assert response.status_code == 422
    body = response.get_json()
    assert (body["code"], body["field"]) == ("invalid_field", name)


def test_list_follows_later_events(api, three_projects):
    post_sequence(api, three_projects["peimei"], [("wang", "resumed", {})], 2)
    assert _listed(api, status="suspended") == []
    assert _listed(api, status="active") == ["鲁丽绿色新材料产业园", "佩美电子", "恒达新能源"]


def test_version_gives_the_old_state(api, project):
    pid = project["id"]
    post_sequence(api, pid, [
        ("zhang", "milestone_reached", {"milestone": "project_filed"}),
        ("zhang", "milestone_reached", {"milestone": "land_approved"}),
        ("li", "progress_reported", {"investment_completed": 800_000_000}),
        ("zhang", "corrected", {"corrects_version": 4, "action": "amend", "reason": "口径",
                                "changes": {"investment_completed": 700_000_000}}),
    ], 1)
    rows = [(s["version"], s["phase"], s["investment_completed"], s["last_event"]["type"])
            for s in (state(api, pid, version=v) for v in range(1, 6))]
    assert rows == [(1, "signing", 0, "signed"), (2, "signing", 0, "milestone_reached"),
                    (3, "land", 0, "milestone_reached"),
                    (4, "land", 800_000_000, "progress_reported"),
                    (5, "land", 700_000_000, "corrected")]
    assert state(api, pid) == state(api, pid, version=5)
    assert state(api, pid, version=1) | {"recorded_at": None} == project | {"recorded_at": None}


def test_long_lived_project_reads_the_same_past_the_snapshot_interval(api, banban, project):
    """Banban snapshots a project every 100 events; reads and rules hold across a snapshot."""
    pid = project["id"]
    steps = [("zhang", "problem_raised", {"problem_id": "PB-1", "title": "用电"})]
    steps += [("li", "visit_logged", {"purpose": f"第{i}次走访"}) for i in range(1, 103)]
    assert post_sequence(api, pid, steps, 1) == 104
    assert [snap.originator_version for snap in banban.snapshots.get(UUID(pid))] == [100]

    s = state(api, pid)
    assert (s["version"], s["visit_count"], s["last_visit"]["purpose"]) == (104, 102, "第102次走访")
    assert [state(api, pid, version=v)["visit_count"] for v in (50, 99, 100, 101)] == [
        48, 97, 98, 99]
    assert [e["version"] for e in history(api, pid)["events"]] == list(range(1, 105))
    # dates read back from a snapshot still compare as dates: rules answer, not crash
    too_early = api("zhang").post(f"/api/projects/{pid}/events", json={
        "type": "problem_resolved", "expected_version": 104, "problem_id": "PB-1",
        "resolution": "已通电", "occurred_on": "2026-11-01"})
    assert too_early.status_code == 422, too_early.get_json()
    assert too_early.get_json()["code"] == "date_order"
    # correcting an event from before the snapshot replays the whole history
    post_sequence(api, pid, [("zhang", "corrected", {
        "corrects_version": 3, "action": "void", "reason": "重复"})], 104)
    s = state(api, pid)
    assert (s["version"], s["visit_count"], s["last_visit"]["purpose"]) == (105, 101, "第102次走访")
    assert state(api, pid, version=104)["visit_count"] == 102
    assert history(api, pid)["events"][2]["void"] is True


@pytest.fixture
def recorded(api, project) -> tuple[str, list[datetime]]:
    """A project at version 3 (signed, visit, visit) and the recorded_at of each event."""
    pid = project["id"]
    post_sequence(api, pid, [("zhang", "visit_logged", {"purpose": "一访"}),
                             ("zhang", "visit_logged", {"purpose": "二访"})], 1)
    times = [datetime.fromisoformat(e["recorded_at"]) for e in history(api, pid)["events"]]
    assert all(t.tzinfo is not None for t in times) and times == sorted(times)
    return pid, times


def _as_of(api, pid: str, moment: str):
    return api("auditor").get(f"/api/projects/{pid}", query_string={"as_of": moment})


@pytest.mark.parametrize("index", [0, 1, 2])
def test_as_of_the_recorded_at_of_an_event_gives_its_version(api, recorded, index):
    pid, times = recorded
    response = _as_of(api, pid, times[index].isoformat())
    assert response.status_code == 200, response.get_json()
    s = response.get_json()
    assert s["version"] == index + 1
    assert s["visit_count"] == index
    assert (s["last_visit"] or {}).get("purpose") == [None, "一访", "二访"][index]


def test_as_of_between_two_events_gives_the_earlier(api, recorded):
    pid, times = recorded
    just_before = times[2] - timedelta(microseconds=1)
    assert just_before >= times[1]
    assert _as_of(api, pid, just_before.isoformat()).get_json()["version"] == 2


def test_as_of_in_the_future_gives_the_current_state(api, recorded):
    pid, times = recorded
    later = (times[2] + timedelta(days=1)).isoformat()
    assert _as_of(api, pid, later).get_json()["version"] == 3


def test_as_of_with_an_offset_is_read_as_given(api, recorded):
    pid, times = recorded
    for tz in (timezone.utc, SHANGHAI, timezone(timedelta(hours=-5))):
        moment = times[1].astimezone(tz).isoformat()
        response = _as_of(api, pid, moment)
        assert response.status_code == 200, (moment, response.get_json())
        assert response.get_json()["version"] == 2, moment


def test_naive_as_of_is_read_as_shanghai_time(api, recorded):
    pid, times = recorded
    shanghai_wall_clock = times[1].astimezone(SHANGHAI).replace(tzinfo=None).isoformat()
    assert _as_of(api, pid, shanghai_wall_clock).get_json()["version"] == 2
    # the same instant's UTC wall clock, read as Shanghai time, is 8 hours earlier:
    # before the project existed
    utc_wall_clock = times[2].astimezone(timezone.utc).replace(tzinfo=None).isoformat()
    response = _as_of(api, pid, utc_wall_clock)
    assert response.status_code == 404, response.get_json()
    assert response.get_json()["code"] == "project_not_found"


# ---- the OpenAPI document ----------------------------------------------------------------

@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/openapi.json")  # served without a token
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_openapi_document_lists_every_path(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"]
    paths = spec["paths"]
    assert set(paths) >= {"/api/projects", "/api/projects/{project_id}",
                          "/api/projects/{project_id}/events", "/api/me"}
    assert set(paths["/api/projects"]) >= {"get", "post"}
    assert set(paths["/api/projects/{project_id}/events"]) >= {"get", "post"}
    assert "get" in paths["/api/projects/{project_id}"] and "get" in paths["/api/me"]
    query = {p["name"] for p in paths["/api/projects"]["get"]["parameters"] if p["in"] == "query"}
    assert query >= {"phase", "status", "agent"}
    query = {p["name"] for p in paths["/api/projects/{project_id}"]["get"]["parameters"]
             if p["in"] == "query"}
    assert query >= {"version", "as_of"}
    post = paths["/api/projects/{project_id}/events"]["post"]
    assert set(post["responses"]) >= {"201", "400", "401", "403", "404", "409", "422"}
    assert post["responses"]["409"]["content"]["application/json"]["schema"]["allOf"][0] == {
        "$ref": "#/components/schemas/Error"}


def _camel(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.split("_")) + "Event"


def test_openapi_has_a_schema_for_each_event_type(spec):
    schemas = spec["components"]["schemas"]
    assert _camel("milestone_reached") == "MilestoneReachedEvent"
    for event_type, (_, fields) in EVENT_TYPES.items():
        schema = schemas[_camel(event_type)]
        assert set(schema["properties"]) == {"type", "expected_version", "occurred_on"} | set(
            fields), event_type
        assert set(schema["required"]) == {"type", "expected_version"} | {
            name for name, f in fields.items() if f.required}, event_type
    one_of = spec["paths"]["/api/projects/{project_id}/events"]["post"]["requestBody"][
        "content"]["application/json"]["schema"]["oneOf"]
    assert [ref["$ref"] for ref in one_of] == [
        f"#/components/schemas/{_camel(t)}" for t in EVENT_TYPES]


def test_openapi_has_the_error_schema(spec):
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) >= {"status", "code", "message", "field", "current_version"}
    assert error["properties"]["status"]["type"] == "integer"


# ---- /api/me ----------------------------------------------------------------------------

@pytest.mark.parametrize("username, role", [("zhang", "agent"), ("office", "office"),
                                            ("leader", "leader"), ("auditor", "auditor")])
def test_me_is_the_tokens_user(api, tokens, username, role):
    response = api(username).get("/api/me")
    assert response.status_code == 200
    me = response.get_json()
    assert (me["username"], me["role"], me["disabled"]) == (username, role, False)
    assert "password_hash" not in me and "tokens" not in me
    assert datetime.fromisoformat(me["created_at"]).tzinfo is not None


def test_the_history_filters_by_type_and_actor(api, project):
    pid = project["id"]
    post_sequence(api, pid, [("zhang", "visit_logged", {"purpose": "一访"}),
                             ("li", "visit_logged", {"purpose": "二访"}),
                             ("zhang", "milestone_reached", {"milestone": "project_filed"})], 1)
    path = f"/api/projects/{pid}/events"
    visits = api("auditor").get(path, query_string={"type": "visit_logged"}).get_json()
    assert [e["data"]["purpose"] for e in visits["events"]] == ["一访", "二访"]
    assert visits["version"] == 4
    by_zhang = api("auditor").get(path, query_string={"actor": "zhang"}).get_json()
    assert [e["version"] for e in by_zhang["events"]] == [2, 4]
    both = api("auditor").get(path, query_string={"actor": "zhang", "type": "visit_logged"})
    assert [e["version"] for e in both.get_json()["events"]] == [2]
    bad = api("auditor").get(path, query_string={"type": "party"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "type"

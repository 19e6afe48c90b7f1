"""Every error answer of the API: status, code, field, and nothing recorded."""

from __future__ import annotations

import uuid

import pytest

from domain.users import user_id
from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import event_path, history, post_event, post_sequence, state

VISIT = {"type": "visit_logged", "expected_version": 1, "purpose": "走访企业"}


def assert_error(response, status: int, code: str, field: str | None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["status"], body["code"], body["field"]) == (status, code, field), body
    assert isinstance(body["message"], str) and body["message"]
    return body


def assert_unchanged(api, project: dict, version: int = 1) -> None:
    """The project is still at `version` and its history has exactly `version` events."""
    s = state(api, project["id"])
    assert s["version"] == version
    events = history(api, project["id"])
    assert events["version"] == version and len(events["events"]) == version


def _count_projects(api) -> int:
    return api("auditor").get("/api/projects").get_json()["count"]


# ---- 400: the body is not a JSON object -------------------------------------------------

@pytest.mark.parametrize("data, content_type", [
    ('{"type": "visit_logged", "expected_version": 1, "purpose": "走', "application/json"),
    ('["visit_logged", 1]', "application/json"),
    ('"visit_logged"', "application/json"),
    ("null", "application/json"),
    ('{"type": "visit_logged", "expected_version": 1, "purpose": "走访"}', "text/plain"),
    ("type=visit_logged&expected_version=1&purpose=x", "application/x-www-form-urlencoded"),
], ids=["truncated", "array", "string", "null", "text-plain", "form"])
def test_body_that_is_not_a_json_object_is_400(api, project, data, content_type):
    response = api("zhang").post(event_path(project["id"]), data=data, content_type=content_type)
    assert_error(response, 400, "malformed_json", "body")
    assert_unchanged(api, project)


def test_truncated_json_when_signing_is_400(api, project):
    response = api("office").post("/api/projects", data='{"name": "鲁丽',
                                  content_type="application/json")
    assert_error(response, 400, "malformed_json", "body")
    assert _count_projects(api) == 1


@pytest.mark.parametrize("data, content_type", [
    ('["鲁丽绿色新材料产业园"]', "application/json"),
    ('{"name": "鲁丽绿色新材料产业园"}', "text/plain"),
], ids=["array", "text-plain"])
def test_signing_body_that_is_not_a_json_object_is_400(api, project, data, content_type):
    response = api("office").post("/api/projects", data=data, content_type=content_type)
    assert _count_projects(api) == 1
    assert_error(response, 400, "malformed_json", "body")


# ---- 422: invalid fields ----------------------------------------------------------------

def test_missing_expected_version_is_422(api, project):
    body = {k: v for k, v in VISIT.items() if k != "expected_version"}
    response = api("zhang").post(event_path(project["id"]), json=body)
    assert assert_error(response, 422, "invalid_field", "expected_version")["errors"] == {
        "expected_version": ["Missing data for required field."]}
    assert_unchanged(api, project)


@pytest.mark.parametrize("event_type", ["project_signed", "Visit_Logged", "", 7, None, "signed"])
def test_unknown_type_is_422(api, project, event_type):
    response = api("zhang").post(event_path(project["id"]), json=VISIT | {"type": event_type})
    body = assert_error(response, 422, "invalid_field", "type")
    assert "visit_logged" in body["message"]
    assert_unchanged(api, project)


def test_missing_type_is_422(api, project):
    body = {k: v for k, v in VISIT.items() if k != "type"}
    assert_error(api("zhang").post(event_path(project["id"]), json=body),
                 422, "invalid_field", "type")
    assert_unchanged(api, project)


@pytest.mark.parametrize("event_type", [["visit_logged"], {"name": "visit_logged"}],
                         ids=["list", "object"])
def test_unhashable_type_is_422(api, project, event_type):
    response = api("zhang").post(event_path(project["id"]), json=VISIT | {"type": event_type})
    assert_error(response, 422, "invalid_field", "type")
    assert_unchanged(api, project)


@pytest.mark.parametrize("event_type, fields, field", [
    ("progress_reported", {"investment_completed": "x"}, "investment_completed"),
    ("progress_reported", {"investment_completed": 1.5}, "investment_completed"),
    ("progress_reported", {"investment_completed": -1}, "investment_completed"),
    ("service_rated", {"rating": 9}, "rating"),
    ("service_rated", {"rating": 0}, "rating"),
    ("milestone_reached", {"milestone": "ground_broken"}, "milestone"),
    ("milestone_planned", {"milestone": "land_approved", "planned_on": "2027-02-30"},
     "planned_on"),
    ("visit_logged", {"purpose": "走访", "occurred_on": "25/11/2026"}, "occurred_on"),
    ("visit_logged", {"purpose": "走访", "occurred_on": None}, "occurred_on"),
    ("visit_logged", {"purpose": "   "}, "purpose"),
    ("visit_logged", {}, "purpose"),
    ("visit_logged", {"purpose": "走访", "expected_version": "1"}, "expected_version"),
    ("visit_logged", {"purpose": "走访", "expected_version": 0}, "expected_version"),
    ("problem_raised", {"title": "停电", "problem_id": "PB 1"}, "problem_id"),
    ("team_assigned", {"chief_agent": "Zhang San"}, "chief_agent"),
    ("problem_escalated", {"problem_id": "PB-1", "escalated_to": "mayor"}, "escalated_to"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_invalid_field_value_is_422_naming_the_field(api, project, event_type, fields, field):
    body = {"type": event_type, "expected_version": 1} | fields
    actor = "office" if event_type in ("team_assigned", "service_rated") else "zhang"
    response = api(actor).post(event_path(project["id"]), json=body)
    error = assert_error(response, 422, "invalid_field", field)
    assert field in error["errors"]
    assert_unchanged(api, project)


@pytest.mark.parametrize("path, body, field", [
    ("/api/projects", SIGNING | {"investment": 0}, "investment"),
    ("/api/projects", SIGNING | {"co_agents": ["li", "li"]}, "co_agents"),
    ("events", {"type": "team_assigned", "expected_version": 1, "chief_agent": "li",
                "co_agents": ["wang", "wang"]}, "co_agents"),
    ("events", {"type": "corrected", "expected_version": 1, "corrects_version": 1,
                "action": "amend", "reason": "更正", "changes": {"investment": "x"}},
     "changes.investment"),
], ids=["zero-investment", "duplicate-co-agents", "team-duplicates", "amendment-value"])
def test_invalid_value_found_by_the_domain_is_invalid_field(api, project, path, body, field):
    path = event_path(project["id"]) if path == "events" else path
    response = api("office").post(path, json=body)
    assert response.status_code == 422
    assert_unchanged(api, project)
    assert _count_projects(api) == 1
    assert_error(response, 422, "invalid_field", field)


def test_invalid_investment_when_signing_is_422(api, project):
    response = api("office").post("/api/projects", json=SIGNING | {"investment": "x"})
    assert_error(response, 422, "invalid_field", "investment")
    assert _count_projects(api) == 1


def test_unknown_extra_field_is_422(api, project):
    response = api("zhang").post(event_path(project["id"]), json=VISIT | {"colour": "红"})
    assert assert_error(response, 422, "invalid_field", "colour")["errors"] == {
        "colour": ["Unknown field."]}
    assert_unchanged(api, project)


def test_field_of_another_event_type_is_422(api, project):
    response = api("zhang").post(event_path(project["id"]), json=VISIT | {"rating": 5})
    assert_error(response, 422, "invalid_field", "rating")
    assert_unchanged(api, project)


# ---- 422: broken domain rules -----------------------------------------------------------

@pytest.mark.parametrize("setup, event_type, fields, code, field", [
    ([("zhang", "milestone_reached", {"milestone": "project_filed"})],
     "milestone_reached", {"milestone": "project_filed"}, "milestone_already_reached",
     "milestone"),
    ([("zhang", "milestone_reached", {"milestone": "land_approved"})],
     "milestone_reached", {"milestone": "project_filed"}, "phase_regression", "milestone"),
    ([], "problem_resolved", {"problem_id": "PB-404", "resolution": "已解决"},
     "unknown_problem", "problem_id"),
    ([], "approval_granted", {"approval_id": "AP-404"}, "unknown_approval", "approval_id"),
    ([], "visit_logged", {"purpose": "走访", "occurred_on": "2026-01-04"}, "before_signing",
     "occurred_on"),
    ([], "visit_logged", {"purpose": "走访", "occurred_on": "2026-11-26"}, "future_date",
     "occurred_on"),
    ([], "resumed", {}, "not_suspended", "type"),
    ([("zhang", "suspended", {"reason": "资金调整"})], "visit_logged", {"purpose": "走访"},
     "project_suspended", "type"),
    ([], "service_rated", {"rating": 5, "agent": "wang"}, "not_on_team", "agent"),
    ([], "team_assigned", {"chief_agent": "nobody"}, "unknown_user", "chief_agent"),
], ids=["milestone-twice", "phase-regression", "unknown-problem", "unknown-approval",
        "before-signing", "future-date", "not-suspended", "suspended", "not-on-team",
        "unknown-user"])
def test_broken_rule_is_422_with_the_rules_code(api, project, setup, event_type, fields, code,
                                                 field):
    version = post_sequence(api, project["id"], setup, 1)
    before = history(api, project["id"])
    actor = "office" if event_type in ("team_assigned", "service_rated") else "zhang"
    response = post_event(api, actor, project["id"], event_type, fields, version)
    assert_error(response, 422, code, field)
    assert_unchanged(api, project, version)
    assert history(api, project["id"]) == before


def test_signing_in_the_future_is_422(api, project):
    response = api("office").post("/api/projects", json=SIGNING | {"signed_on": "2026-11-26"})
    assert_error(response, 422, "future_date", "signed_on")
    assert _count_projects(api) == 1


# ---- 401: no or bad credentials ---------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {}, {"Authorization": ""}, {"Authorization": "Bearer "}, {"Authorization": "Basic b2ZmaWNl"},
    {"Authorization": "Bearer not-a-token"}, {"Authorization": "Bearer zhang.forged-secret"},
    {"Authorization": "Bearer nobody.secret"},
], ids=["none", "empty", "bearer-blank", "basic", "garbage", "forged", "unknown-user"])
def test_no_or_bad_token_is_401(client, api, project, headers):
    response = client.post(event_path(project["id"]), json=VISIT, headers=headers)
    assert_error(response, 401, "unauthenticated", "Authorization")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for path in ("/api/projects", f"/api/projects/{project['id']}", "/api/me"):
        assert_error(client.get(path, headers=headers), 401, "unauthenticated", "Authorization")
    assert_unchanged(api, project)


def test_other_users_token_with_changed_secret_is_401(client, api, project, tokens):
    username, _, secret = tokens["office"].rpartition(".")
    forged = f"{username}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    response = client.post(event_path(project["id"]), json=VISIT,
                           headers={"Authorization": f"Bearer {forged}"})
    assert_error(response, 401, "unauthenticated", "Authorization")
    assert_unchanged(api, project)


def test_disabled_users_token_is_401(api, banban, project):
    assert post_event(api, "zhang", project["id"], "visit_logged", {"purpose": "走访"}, 1
                      ).status_code == 201
    banban.disable_user("zhang", actor="office", reason="调离")

    response = post_event(api, "zhang", project["id"], "visit_logged", {"purpose": "再走访"}, 2)
    assert_error(response, 401, "unauthenticated", "Authorization")
    assert_error(api("zhang").get("/api/me"), 401, "unauthenticated", "Authorization")
    assert_unchanged(api, project, 2)
    assert api("li").get("/api/me").status_code == 200  # other tokens still work


# ---- 403: not allowed -------------------------------------------------------------------

@pytest.mark.parametrize("user, event_type, fields", [
    ("auditor", "visit_logged", {"purpose": "走访"}),
    ("auditor", "instruction_given", {"instruction": "加快进度"}),
    ("leader", "visit_logged", {"purpose": "走访"}),
    ("leader", "milestone_reached", {"milestone": "project_filed"}),
    ("wang", "visit_logged", {"purpose": "走访"}),
    ("zhang", "team_assigned", {"chief_agent": "li"}),
    ("zhang", "service_rated", {"rating": 5}),
])
def test_not_allowed_is_403(api, project, user, event_type, fields):
    response = post_event(api, user, project["id"], event_type, fields, 1)
    assert_error(response, 403, "forbidden", None)
    assert_unchanged(api, project)


@pytest.mark.parametrize("user", ["zhang", "leader", "auditor"])
def test_only_the_office_signs_projects(api, project, user):
    response = api(user).post("/api/projects", json=SIGNING | {"name": f"{user}的项目"})
    assert_error(response, 403, "forbidden", None)
    assert _count_projects(api) == 1


# ---- 404: unknown project ---------------------------------------------------------------

def test_unknown_project_is_404(api, project):
    missing = str(uuid.uuid4())
    assert_error(api("zhang").get(f"/api/projects/{missing}"), 404, "project_not_found",
                 "project_id")
    assert_error(api("zhang").get(f"/api/projects/{missing}/events"), 404, "project_not_found",
                 "project_id")
    response = api("zhang").post(event_path(missing), json=VISIT)
    assert_error(response, 404, "project_not_found", "project_id")
    assert_unchanged(api, project)
    assert _count_projects(api) == 1


def test_id_of_another_kind_of_aggregate_is_not_a_project(api, project):
    """Users live in the same event store: a user's id is still an unknown project."""
    user_aggregate = str(user_id("zhang"))
    for query in ({}, {"version": 1}, {"as_of": "2030-01-01T00:00:00"}):
        assert_error(api("zhang").get(f"/api/projects/{user_aggregate}", query_string=query),
                     404, "project_not_found", "project_id")
    assert_error(api("zhang").get(event_path(user_aggregate)), 404, "project_not_found",
                 "project_id")
    assert_error(api("zhang").post(event_path(user_aggregate), json=VISIT), 404,
                 "project_not_found", "project_id")
    assert api("zhang").get("/api/me").get_json()["username"] == "zhang"  # the user is intact


@pytest.mark.parametrize("method, path", [
    ("get", "/api/projects/not-a-uuid"), ("get", "/api/projects/not-a-uuid/events"),
    ("post", "/api/projects/not-a-uuid/events")])
def test_project_id_that_is_not_a_uuid_is_404_project_not_found(api, project, method, path):
    kwargs = {"json": {"type": "visit_logged", "expected_version": 1, "purpose": "走访"}}
    response = getattr(api("zhang"), method)(path, **(kwargs if method == "post" else {}))
    assert_error(response, 404, "project_not_found", "project_id")


def test_as_of_before_the_project_existed_is_404(api, project):
    response = api("zhang").get(f"/api/projects/{project['id']}",
                                query_string={"as_of": "2026-01-05T00:00:00+08:00"})
    assert_error(response, 404, "project_not_found", "project_id")


# ---- 409: stale expected_version --------------------------------------------------------

@pytest.mark.parametrize("expected_version", [1, 3])
def test_stale_expected_version_is_409(api, project, expected_version):
    assert post_event(api, "li", project["id"], "visit_logged", {"purpose": "走访"}, 1
                      ).status_code == 201
    before = history(api, project["id"])

    response = api("zhang").post(event_path(project["id"]),
                                 json=VISIT | {"expected_version": expected_version})
    body = assert_error(response, 409, "version_conflict", "expected_version")
    assert body["current_version"] == 2
    assert_unchanged(api, project, 2)
    assert history(api, project["id"]) == before


def test_conflict_is_reported_before_a_broken_rule(api, project):
    post_sequence(api, project["id"], [("zhang", "milestone_reached",
                                        {"milestone": "project_filed"})], 1)
    response = post_event(api, "zhang", project["id"], "milestone_reached",
                          {"milestone": "project_filed"}, 1)
    assert assert_error(response, 409, "version_conflict", "expected_version"
                        )["current_version"] == 2
    assert_unchanged(api, project, 2)


# ---- 422: time-travel queries -----------------------------------------------------------

def test_version_beyond_current_is_422(api, project):
    response = api("zhang").get(f"/api/projects/{project['id']}", query_string={"version": 2})
    assert_error(response, 422, "unknown_version", "version")
    assert state(api, project["id"], version=1)["version"] == 1


@pytest.mark.parametrize("version", ["0", "-1", "two"])
def test_version_that_is_not_a_positive_integer_is_422(api, project, version):
    response = api("zhang").get(f"/api/projects/{project['id']}",
                                query_string={"version": version})
    assert_error(response, 422, "invalid_field", "version")


def test_version_and_as_of_together_is_422(api, project):
    response = api("zhang").get(f"/api/projects/{project['id']}",
                                query_string={"version": 1, "as_of": project["recorded_at"]})
    body = assert_error(response, 422, "version_and_as_of", "as_of")
    assert "not both" in body["message"]


def test_as_of_that_is_not_a_datetime_is_422(api, project):
    response = api("zhang").get(f"/api/projects/{project['id']}",
                                query_string={"as_of": "yesterday"})
    assert_error(response, 422, "invalid_field", "as_of")


@pytest.mark.parametrize("query, field", [({"phase": "build"}, "phase"),
                                          ({"status": "paused"}, "status"),
                                          ({"agent": "Zhang San"}, "agent")])
def test_bad_list_filter_is_422(api, project, query, field):
    response = api("zhang").get("/api/projects", query_string=query)
    assert_error(response, 422, "invalid_field", field)

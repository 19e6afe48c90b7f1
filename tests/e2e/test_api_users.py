"""The office's users through the API, as on its pages: list, create (the password answered
once), rename, reset the password, disable, enable and sign out, each recorded with who did
it; a county's office manages its county's users only; every refusal names its field and
records nothing."""

from __future__ import annotations

import pytest

from tests.e2e.test_counties import (
    ANFU,
    XINGAN,
    province,  # noqa: F401 - a fixture
)
from tests.e2e.web import (  # noqa: F401 - a fixture
    PASSWORD,
    overtaken,
    password_hash,
    sign_in,
)
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture

NEWCOMER = {"username": "sunli", "display_name": "孙丽", "role": "agent"}


def listed(api) -> dict[str, dict]:
    answer = api("office").get("/api/users")
    assert answer.status_code == 200, answer.get_json()
    return {u["username"]: u for u in answer.get_json()["users"]}


def history(api, username: str) -> list[tuple[str, str]]:
    body = api("office").get(f"/api/users/{username}").get_json()
    return [(change["type"], change["actor"]) for change in body["history"]]


def test_the_office_lists_its_users_with_name_role_scope_and_state(api):
    users = listed(api)
    assert users["zhang"] == {"username": "zhang", "display_name": "zhang", "role": "agent",
                              "scope": None, "disabled": False}
    assert {"office", "li", "leader", "auditor"} <= set(users)
    for role in ("zhang", "leader", "auditor"):
        answer = api(role).get("/api/users")
        assert (answer.status_code, answer.get_json()["code"]) == (403, "forbidden")


def test_the_office_creates_a_user_who_signs_in_with_the_password_answered_once(app, api):
    answer = api("office").post("/api/users", json=NEWCOMER)
    assert answer.status_code == 201, answer.get_json()
    made = answer.get_json()
    password = made.pop("password")
    assert made == NEWCOMER | {"scope": None, "disabled": False}
    assert sign_in(app.test_client(), "sunli", password).status_code == 302
    assert "password" not in api("office").get("/api/users/sunli").get_json()
    assert history(api, "sunli") == [("Registered", "office")]


@pytest.mark.parametrize("body, code, field", [
    (NEWCOMER | {"username": "zhang"}, "duplicate_username", "username"),
    (NEWCOMER | {"username": "Sun Li"}, "invalid_field", "username"),
    (NEWCOMER | {"display_name": " "}, "invalid_field", "display_name"),
    (NEWCOMER | {"display_name": "孙\u202e丽"}, "invalid_field", "display_name"),
    (NEWCOMER | {"role": "boss"}, "invalid_field", "role"),
    (NEWCOMER | {"scope": "36082"}, "invalid_field", "scope"),
    (NEWCOMER | {"scope": "360829"}, "unknown_county", "scope"),  # no county is listed
    (NEWCOMER | {"scope": "province"}, "no_county_listed", "scope"),
    ({"username": "sunli", "role": "agent"}, "invalid_field", "display_name"),
], ids=["taken", "shape", "blank", "direction-control", "role", "county-shape",
        "county-unlisted", "province-without-counties", "no-name"])
def test_a_refused_creation_names_the_field_and_records_nothing(api, body, code, field):
    before = listed(api)
    answer = api("office").post("/api/users", json=body)
    assert answer.status_code == 422
    assert (answer.get_json()["code"], answer.get_json()["field"]) == (code, field)
    assert listed(api) == before


def test_the_office_renames_resets_disables_enables_and_signs_out_with_history(app, api):
    office = api("office")
    renamed = office.post("/api/users/li/rename", json={"display_name": "李娜"})
    assert (renamed.status_code, renamed.get_json()["display_name"]) == (200, "李娜")

    browser = app.test_client()
    assert sign_in(browser, "li").status_code == 302
    reset = office.post("/api/users/li/password")
    assert reset.status_code == 200
    password = reset.get_json()["password"]
    assert browser.get("/board").status_code == 302  # the session ended with the old password
    assert sign_in(app.test_client(), "li", PASSWORD).status_code != 302
    assert sign_in(browser, "li", password).status_code == 302

    disabled = office.post("/api/users/li/disable", json={"reason": "调离"})
    assert (disabled.status_code, disabled.get_json()["disabled"]) == (200, True)
    assert browser.get("/board").status_code == 302
    assert api("li").get("/api/me").status_code == 401  # their token stops working
    enabled = office.post("/api/users/li/enable")
    assert (enabled.status_code, enabled.get_json()["disabled"]) == (200, False)
    assert api("li").get("/api/me").status_code == 200

    assert sign_in(browser, "li", password).status_code == 302
    assert office.post("/api/users/li/sign-out").status_code == 204
    assert browser.get("/board").status_code == 302

    body = office.get("/api/users/li").get_json()
    assert [(c["type"], c["actor"]) for c in body["history"]][1:] == [
        ("TokenIssued", "test"), ("Renamed", "office"), ("PasswordSet", "office"),
        ("Disabled", "office"), ("Enabled", "office"), ("SignedOutEverywhere", "office")]
    assert body["history"][4]["reason"] == "调离"


@pytest.mark.parametrize("path, body, code, field", [
    ("/api/users/li/rename", {"display_name": "li"}, "no_change", "display_name"),
    ("/api/users/li/rename", {"display_name": ""}, "invalid_field", "display_name"),
    ("/api/users/li/rename", {}, "invalid_field", "display_name"),
    ("/api/users/li/enable", None, "no_change", "username"),
    ("/api/users/li/disable", {"reason": "x\u0000"}, "invalid_field", "reason"),
])
def test_a_refused_change_names_the_field_and_records_nothing(api, path, body, code, field):
    before = history(api, "li")
    answer = api("office").post(path, json=body)
    assert answer.status_code == 422
    assert (answer.get_json()["code"], answer.get_json()["field"]) == (code, field)
    assert history(api, "li") == before


def test_a_change_overtaken_at_the_same_moment_is_409_and_records_nothing(
        api, banban, monkeypatch):
    before = history(api, "li")
    overtaken(banban, monkeypatch,
              lambda: banban.rename_user("li", "李娜", actor="office"))
    answer = api("office").post("/api/users/li/disable", json={"reason": "调离"})
    assert answer.status_code == 409
    body = answer.get_json()
    assert (body["code"], body["field"]) == ("version_conflict", None)
    assert "'li' was changed by someone else at the same moment" in body["message"]
    assert "current_version" not in body
    after = history(api, "li")
    assert after[:len(before)] == before
    assert [kind for kind, _ in after[len(before):]] == ["Renamed"]
    assert not api("office").get("/api/users/li").get_json()["disabled"]


def test_the_office_issues_an_api_token_answered_once_that_works_until_disabled(app, api):
    issued = api("office").post("/api/users/li/token")
    assert issued.status_code == 201, issued.get_json()
    token = issued.get_json()["token"]
    assert issued.get_json()["username"] == "li" and token.startswith("li.")
    client = app.test_client()
    mine = client.get("/api/projects", headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    assert history(api, "li")[-1] == ("TokenIssued", "office")
    assert token not in str(api("office").get("/api/users/li").get_json())
    api("office").post("/api/users/li/disable", json={})
    refused = client.get("/api/projects", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def test_disabling_twice_is_no_change(api):
    assert api("office").post("/api/users/wang/disable", json={}).status_code == 200
    again = api("office").post("/api/users/wang/disable", json={})
    assert (again.status_code, again.get_json()["code"]) == (422, "no_change")


@pytest.mark.parametrize("path", ["/api/users/li", "/api/users/li/rename",
                                  "/api/users/li/password", "/api/users/li/disable",
                                  "/api/users/li/enable", "/api/users/li/token"])
def test_only_the_office_manages_a_user(api, path):
    before = history(api, "li")
    answer = api("zhang").get(path) if path == "/api/users/li" else \
        api("zhang").post(path, json={"display_name": "张冒充"} if "rename" in path else {})
    assert (answer.status_code, answer.get_json()["code"]) == (403, "forbidden")
    nobody = api("office").get("/api/users/nobody")
    assert (nobody.status_code, nobody.get_json()["code"]) == (404, "user_not_found")
    assert history(api, "li") == before


def test_a_county_office_manages_only_its_county_and_the_province_office_every_one(
        province):  # noqa: F811 - the fixture
    mine = {u["username"] for u in province.get("office_a", "/api/users").get_json()["users"]}
    assert mine == {"office_a", "agent_a", "agent_a2", "leader_a", "auditor_a"}
    every = {u["username"] for u in province.get("office_p", "/api/users").get_json()["users"]}
    assert {"agent_b", "office_p", "agent_a"} <= every
    assert next(u for u in province.get("office_p", "/api/users").get_json()["users"]
                if u["username"] == "agent_b")["scope"] == XINGAN

    for path, body in (("/api/users/agent_b/disable", {}),
                       ("/api/users/agent_b/rename", {"display_name": "冒名"}),
                       ("/api/users/agent_b/sign-out", {})):
        refused = province.post("office_a", path, body)
        assert (refused.status_code, refused.get_json()["code"]) == (403, "forbidden"), path
    elsewhere = province.post("office_a", "/api/users", NEWCOMER | {"scope": XINGAN})
    assert elsewhere.status_code == 403
    assert province.get("office_p", "/api/users/agent_b").get_json()["history"][-1]["type"] \
        == "TokenIssued"

    made = province.post("office_a", "/api/users", NEWCOMER)
    assert (made.status_code, made.get_json()["scope"]) == (201, ANFU)
    refused = province.post("office_p", "/api/users", NEWCOMER | {"username": "zhou",
                                                                  "scope": "province"})
    assert (refused.get_json()["code"], refused.get_json()["field"]) == ("agent_in_province",
                                                                         "scope")
    made = province.post("office_p", "/api/users", NEWCOMER | {"username": "zhou",
                                                               "scope": XINGAN})
    assert (made.status_code, made.get_json()["scope"]) == (201, XINGAN)
    assert province.post("office_p", "/api/users/agent_b/disable", {}).status_code == 200


def test_the_openapi_document_describes_the_users_api(client):
    document = client.get("/api/openapi.json").get_json()
    paths = document["paths"]
    scope = document["components"]["schemas"]["NewUser"]["properties"]["scope"]
    assert scope["pattern"] == "^([0-9]{6}|province)$"  # the whole value, either way
    assert set(paths["/api/users"]) >= {"get", "post"}
    for action in ("rename", "password", "disable", "enable", "sign-out"):
        assert "post" in paths[f"/api/users/{{username}}/{action}"], action
    created = paths["/api/users"]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["schema"]["$ref"].endswith("/CreatedUser")

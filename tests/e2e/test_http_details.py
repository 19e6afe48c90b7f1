"""HTTP details, as an attacker probed them: a 405 says what is allowed, nothing behind sign-in
may be cached, and the OpenAPI document states every refusal the API makes."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest

from tests.e2e.conftest import SIGNING
from tests.e2e.server import ROOT
from tests.e2e.web import password_hash, sign_in, web_tokens  # noqa: F401 - fixtures


@pytest.fixture
def tokens(web_tokens):  # noqa: F811 - users who sign in on the pages as well
    return web_tokens


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


# ---- 405 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/api/projects", {"GET", "POST"}),
    ("PUT", "/api/me", {"GET"}),
    ("TRACE", "/api/projects/{id}", {"GET"}),
    ("PATCH", "/api/dispatch/weekly/2026-W48/publish", {"POST"}),
])
def test_an_api_method_not_allowed_says_which_are(client, tokens, project, method, path,
                                                  allowed):
    answer = client.open(path.replace("{id}", project["id"]), method=method,
                         headers={"Authorization": f"Bearer {tokens['office']}"})
    assert answer.status_code == 405
    assert answer.get_json()["code"] == "method_not_allowed"
    assert allowed <= {m.strip() for m in answer.headers.get("Allow", "").split(",")}


def test_a_page_method_not_allowed_says_which_are(client, tokens):
    sign_in(client, "zhang")
    answer = client.delete("/board")
    assert answer.status_code == 405
    assert "GET" in answer.headers.get("Allow", "")
    answer = client.get("/logout")
    assert answer.status_code == 405 and answer.headers.get("Allow", "").count("POST") == 1


# ---- Cache-Control ---------------------------------------------------------------------------


def test_every_api_answer_to_a_signed_request_is_not_stored(api, project):
    for answer in [api("zhang").get("/api/me"), api("zhang").get("/api/projects"),
                   api("zhang").get(f"/api/projects/{project['id']}"),
                   api("zhang").get(f"/api/projects/{project['id']}/events"),
                   api("zhang").get("/api/boards/zhang"),
                   api("leader").get("/api/dispatch/weekly"),
                   api("zhang").get("/api/projects/nope"),
                   api("zhang").post("/api/projects", json=SIGNING)]:
        assert answer.headers.get("Cache-Control") == "no-store", answer.request.path


@pytest.mark.parametrize("user, paths", [
    ("zhang", ["/board", "/projects", "/projects/{id}", "/projects/{id}/record/visit_logged"]),
    ("office", ["/projects/new", "/dispatch/weekly", "/dispatch/weekly/2026-W48.xlsx"]),
    ("auditor", ["/audit", "/audit/projects/{id}/history", "/audit/projects/{id}/as-of",
                 "/audit/projects/{id}/diff"]),
])
def test_every_signed_in_page_is_not_stored(client, project, user, paths):
    sign_in(client, user)
    for path in paths:
        answer = client.get(path.replace("{id}", project["id"]))
        assert answer.status_code == 200, path
        assert "no-store" in answer.headers.get("Cache-Control", ""), path


# ---- the OpenAPI document --------------------------------------------------------------------


def schema_of(spec: dict, path: str, name: str, method: str = "get") -> dict:
    """The documented schema of a parameter, or of a property of a request body component."""
    if path.startswith("#"):
        return {**spec["components"]["schemas"][path[1:]]["properties"][name]}
    parameters = [*spec["paths"][path].get("parameters", []),
                  *spec["paths"][path][method].get("parameters", [])]
    parameter = next(p for p in parameters if p["name"] == name)
    return {**parameter["schema"], "description": parameter.get("description", "")}


def valid(schema: dict, value) -> bool:
    return jsonschema_rs.validator_for(schema).is_valid(value)


def documented_codes(spec: dict, path: str, method: str, status: int) -> set[str]:
    """The error codes the document gives for an answer of an operation."""
    schema = spec["paths"][path][method]["responses"][str(status)]["content"][
        "application/json"]["schema"]
    return {code for part in schema["allOf"] if "properties" in part
            for code in part["properties"]["code"]["enum"]}


@pytest.mark.parametrize("where, name", [
    ("#SignProject", "signed_on"), ("#VisitLoggedEvent", "occurred_on"),
    ("#MilestonePlannedEvent", "planned_on"), ("#ApprovalGrantedEvent", "commitment_due_on"),
    ("/api/projects/{project_id}", "as_of"), ("/api/dispatch/{cadence}/{period}", "as_known_at"),
])
def test_the_document_states_the_year_range_of_dates_and_moments(spec, where, name):
    schema = schema_of(spec, where, name)
    moment = "T" if name.startswith("as_") else ""
    day = ("{}T08:30:00" if moment else "{}").format
    assert valid(schema, day("2026-11-20")) and valid(schema, day("1900-01-01"))
    assert valid(schema, day("2099-12-31")) and valid(schema, day("2024-02-29"))
    for far in ("0001-01-01", "1899-12-31", "2100-01-01", "9999-12-31", "2026-02-29"):
        assert not valid(schema, day(far)), far
    assert "1900" in schema.get("description", "") and "2099" in schema["description"]


def test_the_document_states_the_year_range_of_period_ids(spec):
    schema = schema_of(spec, "/api/dispatch/{cadence}/{period}", "period")
    assert all(valid(schema, i) for i in ("2026-W48", "2026-W53", "1900-01-H1", "2099-Q4"))
    assert not any(valid(schema, i) for i in ("0000-W00", "2025-W53", "2026-13", "2026-11-H3",
                                               "2026-Q5", "2100-01", "1899-Q4"))


def test_the_document_states_that_version_and_as_of_exclude_each_other(api, spec, project):
    path = "/api/projects/{project_id}"
    assert "version_and_as_of" in documented_codes(spec, path, "get", 422)
    assert "not both" in schema_of(spec, path, "as_of")["description"]
    answer = api("zhang").get(f"/api/projects/{project['id']}",
                              query_string={"version": 1, "as_of": "2026-11-20T10:00:00"})
    assert answer.status_code == 422 and answer.get_json()["code"] == "version_and_as_of"


def test_the_document_states_that_boards_are_for_agents(api, spec):
    assert "not_an_agent" in documented_codes(spec, "/api/boards/{username}", "get", 422)
    answer = api("office").get("/api/boards/leader")
    assert answer.status_code == 422 and answer.get_json()["code"] == "not_an_agent"


@pytest.mark.parametrize("where, name, long", [
    ("#SignProject", "name", False), ("#ProblemRaisedEvent", "title", False),
    ("#VisitLoggedEvent", "purpose", True)])
def test_the_document_states_which_characters_text_refuses(spec, where, name, long):
    schema = schema_of(spec, where, name)
    assert valid(schema, "安福电子信息产业园") and valid(schema, "Caf\u00e9 (二期)")
    for bad in ("a\x00b", "a\x07", "\u202eexe", "a\u2028b", "a\u0085", "\u009b", "\u200b",
                " \u3000 ", "\u2066x", "", "\U000e0041"):
        assert not valid(schema, bad), ascii(bad)
    assert valid(schema, "一\n二\t三") is long
    assert valid(schema, "a\u200db") is long  # zero-width characters: long text only


def test_no_answer_is_left_to_a_default_response(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert "default" not in operation["responses"], (method, path)
            assert {"401", "503"} <= set(operation["responses"]), (method, path)


# Codes of refusals made outside the API: loading a calendar, registering a user, a trend's
# length (pages only), an operator accepting unlinked events (flask audit accept), listing a
# county (flask counties add).
NOT_THE_APIS = {"invalid_calendar_file", "duplicate_username", "invalid_count",
                "changed_since", "duplicate_county", "name_mismatch"}


def test_every_code_the_domain_refuses_with_is_in_the_document(spec):
    raised = set()
    for module in (ROOT / "domain").glob("*.py"):
        raised |= set(re.findall(r'code="([a-z_]+)"', module.read_text(encoding="utf-8")))
    documented = {code for path, operations in spec["paths"].items()
                  for method, operation in operations.items() if method != "parameters"
                  for status in operation["responses"] if status.startswith("4")
                  for code in documented_codes(spec, path, method, int(status))}
    assert raised - NOT_THE_APIS <= documented, raised - NOT_THE_APIS - documented

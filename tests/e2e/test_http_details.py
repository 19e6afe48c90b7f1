"""HTTP details, as an attacker probed them: a 405 says what is allowed, and nothing behind
sign-in may be cached."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SIGNING
from tests.e2e.web import password_hash, sign_in, web_tokens  # noqa: F401 - fixtures


@pytest.fixture
def tokens(web_tokens):  # noqa: F811 - users who sign in on the pages as well
    return web_tokens


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

"""Text that lies about itself, as an attacker sent it: characters that reverse, hide or break
what a reader sees, names made of nothing visible, and bytes that are not text. Each is refused
naming the field, by the API and by the forms alike, and nothing is recorded."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest

from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import event_path, post_sequence
from tests.e2e.test_api_errors import assert_error, assert_unchanged
from tests.e2e.test_web_agents import record_page, submit, versions
from tests.e2e.web import csrf_token, errors_of, sign_form, sign_in
from tests.e2e.web import password_hash, web_tokens  # noqa: F401 - fixtures

# (what it is, a short text carrying it)
LIES = [
    ("right-to-left override", "安福\u202egpj.exe"),
    ("left-to-right isolate", "安福\u2066产业园"),
    ("line separator", "安福\u2028产业园"),
    ("paragraph separator", "安福\u2029产业园"),
    ("next line (C1)", "安福\u0085产业园"),
    ("C1 control", "安福\u009b产业园"),
    ("zero-width space", "安福\u200b产业园"),
    ("zero-width joiner", "安福\u200d产业园"),
    ("byte order mark", "\ufeff安福产业园"),
    ("soft hyphen", "安福\u00ad产业园"),
]
NOTHING_VISIBLE = ["\u200b", "\u200b\u200b\u200b", " \u3000\u200b ", "\u2800", "\u3164",
                   "\ufe0f", "\U000e0041"]


@pytest.fixture
def tokens(web_tokens):  # noqa: F811 - users who sign in on the pages as well
    return web_tokens


def count(api) -> int:
    return api("office").get("/api/projects").get_json()["count"]


# ---- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("what, name", LIES, ids=[what for what, _ in LIES])
def test_a_project_name_with_a_lying_character_is_refused(api, what, name):
    answer = api("office").post("/api/projects", json={**SIGNING, "name": name})
    body = assert_error(answer, 422, "invalid_field", "name")
    assert "U+" in body["message"]  # it says which character
    assert count(api) == 0


@pytest.mark.parametrize("name", NOTHING_VISIBLE, ids=ascii)
def test_a_project_name_of_invisible_characters_is_blank(api, name):
    answer = api("office").post("/api/projects", json={**SIGNING, "name": name})
    body = assert_error(answer, 422, "invalid_field", "name")
    assert "blank" in body["message"]
    assert count(api) == 0


@pytest.mark.parametrize("field, body", [
    ("title", {"type": "problem_raised", "title": "用电\u2028未接入"}),
    ("met_with", {"type": "visit_logged", "purpose": "走访", "met_with": "王总\u0085"}),
    ("item", {"type": "approval_applied", "item": "环评\u202e",
                           "department": "县生态环境局"}),
    ("purpose", {"type": "visit_logged", "purpose": "走访\u202e企业"}),
    ("note", {"type": "visit_logged", "purpose": "走访", "note": "第一行\u2029第二行"}),
    ("purpose", {"type": "visit_logged", "purpose": "\u200b\n\u3000"}),
])
def test_event_text_that_lies_is_refused_naming_the_field(api, project, field, body):
    answer = api("zhang").post(event_path(project["id"]), json={**body, "expected_version": 1})
    assert_error(answer, 422, "invalid_field", field)
    assert_unchanged(api, project)


def test_a_list_item_of_nothing_visible_is_refused(api, project):
    post_sequence(api, project["id"], [("zhang", "approval_applied", {
        "approval_id": "AP-1", "item": "环评", "department": "县生态环境局"})], 1,
        occurred_on="2026-11-10")
    answer = api("zhang").post(event_path(project["id"]), json={
        "type": "approval_granted", "expected_version": 2, "approval_id": "AP-1",
        "missing_documents": ["水保方案", "\u200b"], "commitment_due_on": "2026-12-20"})
    assert_error(answer, 422, "invalid_field", "missing_documents.1")
    assert_unchanged(api, project, version=2)


def test_a_correction_cannot_bring_a_lying_character_in(api, project):
    post_sequence(api, project["id"], [("zhang", "visit_logged", {"purpose": "走访"})], 1,
                  occurred_on="2026-11-10")
    answer = api("zhang").post(event_path(project["id"]), json={
        "type": "corrected", "expected_version": 2, "corrects_version": 2, "action": "amend",
        "reason": "记录有误", "changes": {"purpose": "走访\u202e企业"}})
    assert_error(answer, 422, "invalid_field", "changes.purpose")
    assert_unchanged(api, project, version=2)


def test_long_text_keeps_its_line_breaks_and_tabs_and_every_text_is_stored_as_nfc(api, project):
    answer = api("zhang").post(event_path(project["id"]), json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访\n\t了解\r\n用工",
        "met_with": "Cafe\u0301 王总 "})
    assert answer.status_code == 201, answer.get_json()
    data = api("auditor").get(f"/api/projects/{project['id']}/events").get_json()[
        "events"][-1]["data"]
    assert data["purpose"] == "走访\n\t了解\r\n用工"
    assert data["met_with"] == "Caf\u00e9 王总"


# ---- the forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("what, name", LIES, ids=[what for what, _ in LIES])
def test_the_signing_form_refuses_a_lying_name_next_to_the_field(client, api, tokens, what, name):
    sign_in(client, "office")
    answer = sign_form(client, name=name)
    assert answer.status_code == 422
    assert errors_of(answer.get_data(as_text=True), "name")
    assert count(api) == 0


def test_a_name_of_zero_width_spaces_is_a_missing_name_on_the_form(client, api, tokens):
    sign_in(client, "office")
    answer = sign_form(client, name="\u200b\u200b\u200b", park="\u200b")
    assert answer.status_code == 422
    assert errors_of(answer.get_data(as_text=True), "name") == ["该字段是必填字段。"]
    assert not errors_of(answer.get_data(as_text=True), "park")  # blank: left out
    assert count(api) == 0


def test_an_event_form_refuses_a_lying_title(client, api, project):
    sign_in(client, "zhang")
    answer = submit(client, project["id"], "problem_raised", {"title": "用电\u202e未接入"})
    assert answer.status_code == 422
    assert errors_of(answer.get_data(as_text=True), "title")
    assert versions(api, project["id"]) == project["version"]


def test_a_form_sent_with_bytes_that_are_not_utf8_is_refused_naming_the_field(
        client, api, tokens):
    sign_in(client, "office")
    token = csrf_token(client.get("/projects/new").get_data(as_text=True))
    fields = {"csrf_token": token, "investor": "培美集团", "industry": "新材料",
              "investment": "50000", "chief_agent": "zhang", "signed_on": "2026-11-02"}
    body = "&".join(f"{k}={quote(v)}" for k, v in fields.items()) + "&name=a%FF%FEb"
    answer = client.post("/projects/new", data=body,
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert errors_of(text, "name")
    assert "%FF" not in html.unescape(text)
    assert count(api) == 0


def test_a_form_with_invalid_utf8_in_a_long_text_is_refused(client, api, project):
    sign_in(client, "zhang")
    page = client.get(record_page(project["id"], "visit_logged")).get_data(as_text=True)
    body = (f"csrf_token={quote(csrf_token(page))}&expected_version=1"
            f"&occurred_on=2026-11-20&purpose=%E8%B5%B0%E8%AE%BF%C0%80")
    answer = client.post(record_page(project["id"], "visit_logged"), data=body,
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 422
    assert errors_of(answer.get_data(as_text=True), "purpose")
    assert versions(api, project["id"]) == project["version"]

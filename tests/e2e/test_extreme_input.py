"""Extreme input, as an attacker sent it: dates and moments far outside any county's record and
numbers that are not amounts get a clear refusal naming the field, never a 500, and nothing is
recorded."""

from __future__ import annotations

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.fields import EVENT_TYPES, fields_of
from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import event_path
from tests.e2e.test_api_errors import assert_error, assert_unchanged
from tests.e2e.test_web_agents import record_page, submit, versions
from tests.e2e.web import csrf_token, errors_of, sign_form, sign_in
from tests.e2e.web import password_hash, web_tokens  # noqa: F401 - fixtures

FAR_MOMENTS = ["0001-01-01T00:00:00", "9999-12-31T23:59:59Z", "1899-12-31T23:59:59+08:00",
               "2100-01-01T00:00:00"]
FAR_DATES = ["0001-01-01", "1899-12-31", "2100-01-01", "9999-12-31"]
NOT_AMOUNTS = ["sNaN", "NaN", "-Infinity", "1e999999999", "1E+3", "-5", "0x10", "1_000", "١٢"]


@pytest.fixture
def tokens(web_tokens):  # noqa: F811 - users who sign in on the pages as well
    return web_tokens


# ---- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", FAR_MOMENTS)
def test_a_dispatch_report_as_known_at_a_moment_out_of_range_is_422(api, moment):
    answer = api("leader").get("/api/dispatch/weekly/2026-W47",
                               query_string={"as_known_at": moment})
    body = assert_error(answer, 422, "invalid_field", "as_known_at")
    assert "1900" in body["message"] and "2099" in body["message"]


@pytest.mark.parametrize("moment", FAR_MOMENTS)
def test_a_project_as_of_a_moment_out_of_range_is_422(api, project, moment):
    answer = api("zhang").get(f"/api/projects/{project['id']}", query_string={"as_of": moment})
    assert_error(answer, 422, "invalid_field", "as_of")


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize("field, body", [
    ("occurred_on", {"type": "visit_logged", "purpose": "走访"}),
    ("planned_on", {"type": "milestone_planned", "milestone": "land_approved",
                    "occurred_on": "2026-11-20"}),
    ("commitment_due_on", {"type": "approval_granted", "approval_id": "AP-1",
                           "missing_documents": ["水保方案"], "occurred_on": "2026-11-20"}),
])
def test_an_event_dated_out_of_range_is_422_and_records_nothing(api, project, day, field, body):
    answer = api("zhang").post(event_path(project["id"]),
                               json={**body, "expected_version": 1, field: day})
    assert_error(answer, 422, "invalid_field", field)
    assert_unchanged(api, project)


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_signing_dated_out_of_range_is_422(api, project, day):
    answer = api("office").post("/api/projects", json={**SIGNING, "signed_on": day})
    assert_error(answer, 422, "invalid_field", "signed_on")
    assert api("office").get("/api/projects").get_json()["count"] == 1


# ---- the audit pages -------------------------------------------------------------------------


@pytest.fixture
def auditor(client, tokens):
    assert sign_in(client, "auditor").status_code == 302
    return client


@pytest.mark.parametrize("at", ["0001-01-01 00:00:00", "9999-12-31T23:59:59Z",
                                "1899-12-31T23:59", "2100-01-01T00:00"])
def test_the_audit_as_of_page_refuses_a_moment_out_of_range(auditor, project, at):
    answer = auditor.get(f"/audit/projects/{project['id']}/as-of", query_string={"at": at})
    assert answer.status_code == 422
    text = html.unescape(answer.get_data(as_text=True))
    assert "1900" in text and "2099" in text and 'type="datetime-local"' in text


@pytest.mark.parametrize("end", ["from", "to"])
def test_the_audit_diff_page_refuses_a_moment_out_of_range(auditor, project, end):
    answer = auditor.get(f"/audit/projects/{project['id']}/diff",
                         query_string={end: "0001-01-01 00:00:00"})
    assert answer.status_code == 422
    assert "1900" in html.unescape(answer.get_data(as_text=True))


# ---- the forms -------------------------------------------------------------------------------


def field_errors(answer, name: str) -> list[str]:
    """The errors a form page shows next to the field `name`."""
    return errors_of(answer.get_data(as_text=True), name)


@pytest.mark.parametrize("amount", NOT_AMOUNTS)
def test_the_signing_form_refuses_an_investment_that_is_not_a_plain_amount(
        client, api, tokens, amount):
    sign_in(client, "office")
    answer = sign_form(client, investment=amount)
    assert answer.status_code == 422, answer.status_code
    assert field_errors(answer, "investment")
    assert api("office").get("/api/projects").get_json()["count"] == 0


@pytest.mark.parametrize("amount", NOT_AMOUNTS)
def test_the_progress_form_refuses_an_amount_that_is_not_a_plain_amount(
        client, api, project, amount):
    sign_in(client, "li")
    answer = submit(client, project["id"], "progress_reported",
                    {"investment_completed": amount})
    assert answer.status_code == 422, answer.status_code
    assert field_errors(answer, "investment_completed")
    assert versions(api, project["id"]) == project["version"]


def test_plain_amounts_with_spaces_or_full_width_digits_are_taken(client, api, project):
    sign_in(client, "li")
    answer = submit(client, project["id"], "progress_reported",
                    {"investment_completed": " １２３４.５ "})
    assert answer.status_code == 302, answer.get_data(as_text=True)[-1500:]
    assert api("auditor").get(f"/api/projects/{project['id']}").get_json()[
        "investment_completed"] == 12_345_000


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2100-01-01"])
def test_the_signing_form_refuses_a_date_out_of_range(client, api, tokens, day):
    sign_in(client, "office")
    answer = sign_form(client, signed_on=day)
    assert answer.status_code == 422
    assert field_errors(answer, "signed_on")
    assert api("office").get("/api/projects").get_json()["count"] == 0


def test_an_event_form_refuses_a_date_out_of_range(client, api, project):
    sign_in(client, "zhang")
    answer = submit(client, project["id"], "milestone_planned",
                    {"milestone": "land_approved", "planned_on": "9999-12-31"})
    assert answer.status_code == 422
    assert field_errors(answer, "planned_on")
    answer = submit(client, project["id"], "visit_logged", {"purpose": "走访"},
                    occurred_on="0001-01-01")
    assert answer.status_code == 422
    assert field_errors(answer, "occurred_on")
    assert versions(api, project["id"]) == project["version"]
    assert client.get(record_page(project["id"], "visit_logged")).status_code == 200


# ---- anything at all -------------------------------------------------------------------------

ODD_VALUES = st.one_of(st.sampled_from(
    ["0001-01-01", "9999-12-31", "2026-11-20", "sNaN", "1e999999999", "-0", "1" * 40, "1", "2",
     "0.00001", "amend", "void", "zhang", "leader", "land_approved", "", "\u202e", "%FF"]),
    st.text(max_size=30))


@st.composite
def forms(draw) -> tuple[str, dict[str, str]]:
    """An event type (or the signing) and odd values for some of its form's fields."""
    event_type = draw(st.sampled_from(["signed", *EVENT_TYPES]))
    names = [*fields_of(event_type), *(("signed_on",) if event_type == "signed" else (
        "occurred_on", "expected_version", "step", "correction_reason", "amend_occurred_on"))]
    return event_type, draw(st.dictionaries(st.sampled_from(names), ODD_VALUES))


def test_no_form_input_is_a_server_error(client, api, project):
    """Whatever is posted to any form, the answer is a page, never a 500."""
    sign_in(client, "office")
    token = csrf_token(client.get("/projects/new").get_data(as_text=True))

    @settings(max_examples=1_000, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(form=forms())
    def post(form):
        event_type, data = form
        path = "/projects/new" if event_type == "signed" else record_page(project["id"],
                                                                          event_type)
        answer = client.post(path, data={**data, "csrf_token": token})
        assert answer.status_code < 500, (event_type, data)

    post()

"""Sense checks on the pages: an unusual value is shown next to its field with a box to confirm
it, nothing is recorded; ticked and sent again, it is recorded."""

from __future__ import annotations

from tests.e2e.conftest import SIGNING
from tests.e2e.web import (  # noqa: F401 - fixtures
    errors_of,
    password_hash,
    post_form,
    sign_form,
    sign_in,
)

# The API's users sign in on the pages too.
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture


def test_a_duplicate_name_is_confirmed_by_a_box_on_the_signing_form(client, api):
    sign_in(client, "office")
    assert sign_form(client, name="培美新材料").status_code in (302, 303)
    count = len(api("office").get("/api/projects").get_json()["projects"])

    answer = sign_form(client, name="培美 新材料")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert errors_of(html, "name") == ["本县已有同名项目。"]
    assert 'name="confirmed" value="duplicate_name"' in html
    assert len(api("office").get("/api/projects").get_json()["projects"]) == count

    again = sign_form(client, name="培美 新材料", confirmed="duplicate_name")
    assert again.status_code in (302, 303), again.get_data(as_text=True)
    assert len(api("office").get("/api/projects").get_json()["projects"]) == count + 1


def test_an_investment_above_the_total_is_confirmed_on_the_report_form(client, api,
                                                                      project):
    sign_in(client, "zhang")
    path = f"/projects/{project['id']}/record/progress_reported"
    above = str(SIGNING["investment"] // 10_000 * 2)  # 万元

    fields = {"investment_completed": above, "expected_version": "1",
              "occurred_on": "2026-11-20"}
    answer = post_form(client, path, fields)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert errors_of(html, "investment_completed") == ["超过了项目总投资。"]
    assert 'name="confirmed" value="investment_above_total"' in html

    recorded = post_form(client, path, fields | {"confirmed": "investment_above_total"})
    assert recorded.status_code in (302, 303), recorded.get_data(as_text=True)
    events = api("auditor").get(f"/api/projects/{project['id']}/events").get_json()["events"]
    assert events[-1]["data"]["confirmed"] == ["investment_above_total"]

"""The office's teams page: the county's projects with their teams by display name, and a form
per project that records a team change (团队调整) through the project's own form and rules,
coming back to the page."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web import csrf_token, errors_of, password_hash, sign_in  # noqa: F401
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("tokens")


@pytest.fixture
def named(banban):
    """The agents and the leader shown by their names."""
    for username, name in (("zhang", "张伟"), ("li", "李娜"), ("wang", "王强"),
                           ("leader", "刘建国")):
        banban.rename_user(username, name, actor="test")


def team_form(client, project_id: str) -> tuple[str, dict]:
    """The teams page, and what its form for the project sends as it stands."""
    page = client.get("/office/teams").get_data(as_text=True)
    form = re.search(r'<form method="post" action="(/projects/' + project_id
                     + r'/record/team_assigned\?next=[^"]+)".*?</form>', page, re.DOTALL)
    assert form, page
    values = dict(re.findall(r'name="(csrf_token|occurred_on|expected_version)"[^>]*'
                             r'value="([^"]*)"', form.group(0)))
    return form.group(1).replace("&amp;", "&"), values


def test_the_teams_page_shows_each_team_by_name_and_is_in_the_office_menu(client, project,
                                                                          named):
    sign_in(client, "office")
    page = client.get("/office/teams")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/office/teams"' in html and "代办队伍" in html
    assert "鲁丽绿色新材料产业园" in html
    assert "首席代办员 张伟 · 代办员 李娜 · 分管县领导 刘建国" in html
    assert "调整团队" in html
    # One form per project, its fields' ids unique on the page.
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_a_team_change_from_the_page_is_recorded_with_its_reason_and_comes_back(
        client, api, project, named):
    sign_in(client, "office")
    action, values = team_form(client, project["id"])
    answer = client.post(action, data=values | {
        "chief_agent": "wang", "co_agents": ["zhang"], "leader": "leader",
        "reason": "分工调整"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/office/teams"

    state = api("office").get(f"/api/projects/{project['id']}").get_json()
    assert (state["chief_agent"], state["co_agents"]) == ("wang", ["zhang"])
    last = api("office").get(f"/api/projects/{project['id']}/events").get_json()["events"][-1]
    assert (last["type"], last["actor"], last["data"]["reason"]) == (
        "team_assigned", "office", "分工调整")
    html = client.get("/office/teams").get_data(as_text=True)
    assert "首席代办员 王强 · 代办员 张伟" in html and "已记录" in html


def test_a_refused_team_change_is_shown_next_to_its_field_and_records_nothing(
        client, api, project, named):
    sign_in(client, "office")
    action, values = team_form(client, project["id"])
    answer = client.post(action, data=values | {"chief_agent": "zhang", "co_agents": ["zhang"],
                                                "reason": "试试"})
    assert answer.status_code == 422
    assert errors_of(answer.get_data(as_text=True), "co_agents") == [
        "首席代办员不能同时是代办员。"]
    assert api("office").get(f"/api/projects/{project['id']}").get_json()["version"] == 1


def test_a_suspended_project_says_why_its_team_cannot_change_now(client, api, project):
    assert api("office").post(f"/api/projects/{project['id']}/events", json={
        "type": "suspended", "expected_version": 1, "reason": "资金调整"}).status_code == 201
    sign_in(client, "office")
    html = client.get("/office/teams").get_data(as_text=True)
    assert "调整团队" not in html and "暂停" in html


def test_only_the_office_sees_the_teams_page_and_a_next_elsewhere_is_not_followed(
        app, client, project):
    agent = app.test_client()
    sign_in(agent, "zhang")
    assert agent.get("/office/teams").status_code == 403
    sign_in(client, "office")
    action, values = team_form(client, project["id"])
    answer = client.post(action.split("?")[0] + "?next=//example.com/", data=values | {
        "chief_agent": "wang", "reason": "x"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/projects/{project['id']}"

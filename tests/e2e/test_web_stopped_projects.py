"""A suspended or terminated project shows no milestone as on plan (正常): a suspended one owes
nothing meanwhile, a terminated one owes nothing at all."""

from __future__ import annotations

from tests.e2e.helpers import post_event
from tests.e2e.web import password_hash, sign_in  # noqa: F401 - a fixture
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture


def _planned(api, project_id):
    assert post_event(api, "office", project_id, "milestone_planned", {
        "milestone": "land_approved", "planned_on": "2026-12-31"}, 1).status_code == 201


def test_a_terminated_project_shows_its_plan_dropped_not_on_plan(client, api, project):
    _planned(api, project["id"])
    assert post_event(api, "office", project["id"], "terminated",
                      {"reason": "企业撤资"}, 2).status_code == 201
    sign_in(client, "zhang")

    page = client.get(f"/projects/{project['id']}").get_data(as_text=True)
    board = client.get("/board").get_data(as_text=True)

    assert ">正常<" not in page and "项目已终止，不再考核" in page
    assert ">正常<" not in board


def test_a_suspended_project_shows_its_next_milestone_without_a_colour(client, api, project):
    _planned(api, project["id"])
    assert post_event(api, "office", project["id"], "suspended",
                      {"reason": "企业资金周转"}, 2).status_code == 201
    sign_in(client, "zhang")

    board = client.get("/board").get_data(as_text=True)
    [card] = api("zhang").get("/api/boards/zhang").get_json()["projects"]

    assert card["next_milestone"]["colour"] is None
    assert ">正常<" not in board and "暂停" in board

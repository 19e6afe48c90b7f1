"""My reminders through the API: one appears when the office records a commitment due tomorrow,
it is per person, and reading it is kept."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import TODAY
from tests.e2e.helpers import post_event

TOMORROW = (TODAY + timedelta(days=1)).isoformat()


def _commitment_due_tomorrow(api, project_id):
    assert post_event(api, "office", project_id, "approval_applied", {
        "approval_id": "A1", "item": "环评", "department": "生态环境局"}, 1).status_code == 201
    assert post_event(api, "office", project_id, "approval_granted", {
        "approval_id": "A1", "missing_documents": ["环评报告"],
        "commitment_due_on": TOMORROW}, 2).status_code == 201


def test_a_commitment_due_tomorrow_is_a_reminder_of_the_chief_agent(api, project):
    assert api("zhang").get("/api/reminders").get_json() == {"unread": 0, "reminders": []}

    _commitment_due_tomorrow(api, project["id"])

    mine = api("zhang").get("/api/reminders").get_json()
    assert mine["unread"] == 1
    [found] = mine["reminders"]
    assert (found["kind"], found["subject"]["id"], found["due_on"], found["project_id"],
            found["read"]) == ("due_soon", "A1", TOMORROW, project["id"], False)
    assert api("li").get("/api/reminders").get_json()["unread"] == 0


def test_reading_a_reminder_is_kept_for_that_person_only(api, project):
    assert post_event(api, "leader", project["id"], "instruction_given",
                      {"instruction": "本周内解决用地问题"}, 1).status_code == 201
    [found] = api("zhang").get("/api/reminders").get_json()["reminders"]

    answer = api("zhang").post("/api/reminders/read", json={"ids": [found["id"]]})

    assert answer.status_code == 200 and answer.get_json() == {"marked": 1, "unread": 0}
    assert api("zhang").get("/api/reminders?unread=true").get_json()["reminders"] == []
    assert api("zhang").get("/api/reminders").get_json()["reminders"][0]["read"] is True
    assert api("li").get("/api/reminders").get_json()["unread"] == 1
    assert api("li").post("/api/reminders/read", json={}).get_json() == {"marked": 1,
                                                                         "unread": 0}


def test_reminders_need_a_token(client):
    assert client.get("/api/reminders").status_code == 401

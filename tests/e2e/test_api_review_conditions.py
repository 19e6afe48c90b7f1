"""A park-entry review's conditions through the API: recorded with whose they are and when
due, met one by one, and every bad one refused naming it with nothing recorded."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import history, post_event, post_sequence, state
from tests.e2e.test_api_errors import assert_error

DEPARTMENT = "县住建局"
REVIEW = [
    ("zhang", "park_review_convened", {"review_id": "PR-1", "departments": [DEPARTMENT]}),
    ("zhang", "park_review_opinion_given", {"review_id": "PR-1", "department": DEPARTMENT,
                                            "opinion": "agree"}),
]


def concluded(api, pid, conditions) -> int:
    version = post_sequence(api, pid, REVIEW, 1)
    return post_sequence(api, pid, [("zhang", "park_review_concluded", {
        "review_id": "PR-1", "passed": True, "conditions": conditions})], version)


def overdue(api) -> list[tuple[str, int]]:
    (card,) = api("zhang").get("/api/boards/zhang").get_json()["projects"]
    return [(f["subject"]["id"], f["working_days_late"]) for f in card["flags"]
            if f["rule"] == "condition_overdue"]


def test_conditions_are_recorded_waited_on_and_met_one_by_one(api, project):
    pid = project["id"]
    version = concluded(api, pid, [
        "环评批复前不得开工",
        {"text": "补充消防设计", "party": "department", "department": DEPARTMENT,
         "due_on": "2026-11-20"}])

    s = state(api, pid)
    assert s["park_reviews"][0]["conditions"] == [
        {"text": "环评批复前不得开工", "party": "investor", "department": None, "due_on": None,
         "number": 1, "met_on": None, "met_note": None},
        {"text": "补充消防设计", "party": "department", "department": DEPARTMENT,
         "due_on": "2026-11-20", "number": 2, "met_on": None, "met_note": None}]
    waits = {(w["party"], w["name"], w["item"]["id"]) for w in s["waiting_on"]
             if w["item"]["kind"] == "condition"}
    assert waits == {("investor", project["investor"], "PR-1#1"),
                     ("department", DEPARTMENT, "PR-1#2")}
    # Due on 2026-11-20 (a Friday) and not met on the tests' today, 2026-11-25.
    assert overdue(api) == [("PR-1#2", 3)]

    response = post_event(api, "zhang", pid, "park_review_condition_met",
                          {"review_id": "PR-1", "condition": 2, "note": "已补充"}, version)
    assert response.status_code == 201, response.get_json()
    s = state(api, pid)
    assert [w["item"]["id"] for w in s["waiting_on"] if w["item"]["kind"] == "condition"] == [
        "PR-1#1"]
    assert overdue(api) == []


@pytest.mark.parametrize("condition, code, field", [
    ({"text": "补充消防设计", "party": "everyone"}, "invalid_field", "conditions.0.party"),
    ({"text": "补充消防设计", "party": "department"}, "required", "conditions.0.department"),
    ({"text": "补充消防设计", "due_on": "2026-02-30"}, "invalid_field", "conditions.0.due_on"),
    ({"text": "补充消防设计", "due_on": "2026-11-01"}, "date_order", "conditions.0.due_on"),
    ({"text": "补充消防设计", "department": DEPARTMENT}, "department_for_investor",
     "conditions.0.department"),
    ({"text": "补充消防设计", "owner": "x"}, "invalid_field", "conditions.0.owner"),
])
def test_a_bad_condition_is_refused_naming_it_and_nothing_is_recorded(
        api, project, condition, code, field):
    pid = project["id"]
    version = post_sequence(api, pid, REVIEW, 1)
    before = history(api, pid)

    response = post_event(api, "zhang", pid, "park_review_concluded", {
        "review_id": "PR-1", "passed": True, "conditions": [condition]}, version)

    assert_error(response, 422, code, field)
    assert history(api, pid) == before


@pytest.mark.parametrize("fields, code, field", [
    ({"review_id": "PR-1", "condition": 2}, "unknown_condition", "condition"),
    ({"review_id": "PR-9", "condition": 1}, "unknown_review", "review_id"),
    ({"review_id": "PR-1", "condition": 0}, "invalid_field", "condition"),
])
def test_meeting_an_unknown_condition_is_refused_and_nothing_is_recorded(
        api, project, fields, code, field):
    pid = project["id"]
    version = concluded(api, pid, ["环评批复前不得开工"])
    before = history(api, pid)

    response = post_event(api, "zhang", pid, "park_review_condition_met", fields, version)

    assert_error(response, 422, code, field)
    assert history(api, pid) == before


def test_a_review_is_not_convened_while_another_is_open(api, project):
    pid = project["id"]
    version = post_sequence(api, pid, REVIEW[:1], 1)

    response = post_event(api, "zhang", pid, "park_review_convened",
                          {"review_id": "PR-2", "departments": [DEPARTMENT]}, version)
    assert_error(response, 422, "park_review_open", "type")
    assert "PR-1" in response.get_json()["message"]
    assert history(api, pid)["version"] == version
    document = api("zhang").get("/api/openapi.json").get_json()
    assert "park_review_open" in str(document["paths"]["/api/projects/{project_id}/events"])

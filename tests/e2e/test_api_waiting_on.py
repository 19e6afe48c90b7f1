"""Whom a project waits on, through the API: on the project and on its card in the list."""

from __future__ import annotations

from datetime import date

from domain.calendar import PACKAGE_CALENDAR
from tests.e2e.helpers import post_sequence, state

LAND_BUREAU = "县自然资源局"


def test_a_pending_approval_shows_its_department_on_the_project_and_its_card(api, project):
    pid = project["id"]
    post_sequence(api, pid, [("zhang", "approval_applied", {
        "approval_id": "A1", "item": "用地预审", "department": LAND_BUREAU})], 1)

    # Judged on the tests' today, 2026-11-25: 11 working days after 2026-11-10.
    department = {"party": "department", "name": LAND_BUREAU, "since": "2026-11-10",
                  "item": {"kind": "approval", "id": "A1", "title": "用地预审"},
                  "working_days": 11}
    # Nothing ahead is planned: the team owes a plan for the park review since the signing.
    team = {"party": "team", "name": "zhang", "since": "2026-01-05",
            "item": {"kind": "milestone", "id": "park_review_passed",
                     "title": "park_review_passed"},
            "working_days": PACKAGE_CALENDAR.working_days_between(date(2026, 1, 5),
                                                                  date(2026, 11, 25))}
    assert state(api, pid)["waiting_on"] == [team, department]
    listed = api("leader").get("/api/projects").get_json()["projects"]
    assert [p["waiting_on"] for p in listed if p["id"] == pid] == [[team, department]]


def test_a_granted_approval_and_a_suspension_leave_no_one_waited_on(api, project):
    pid = project["id"]
    post_sequence(api, pid, [
        ("zhang", "approval_applied", {"approval_id": "A1", "item": "用地预审",
                                       "department": LAND_BUREAU}),
        ("zhang", "milestone_planned", {"milestone": "land_approved",
                                        "planned_on": "2026-12-30"}),
        ("zhang", "approval_granted", {"approval_id": "A1"}),
    ], 1)
    assert state(api, pid)["waiting_on"] == []

    post_sequence(api, pid, [("zhang", "approval_applied", {
        "approval_id": "A2", "item": "环评", "department": "县生态环境局"}),
        ("office", "suspended", {"reason": "资金调整"})], 4)
    assert state(api, pid)["waiting_on"] == []


def test_an_opinion_waited_on_beyond_its_clock_says_when_it_was_due_and_how_late(api, project):
    pid = project["id"]
    post_sequence(api, pid, [
        ("zhang", "milestone_planned", {"milestone": "park_review_passed",
                                        "planned_on": "2026-12-30"}),
        ("zhang", "park_review_convened", {"review_id": "PR-1", "departments": [LAND_BUREAU]}),
    ], 1, occurred_on="2026-11-19")

    # Convened on Thursday 2026-11-19 with the county's 3 working days: due on Tuesday
    # 2026-11-24, one working day late on the tests' today, 2026-11-25.
    opinion = {"party": "department", "name": LAND_BUREAU, "since": "2026-11-19",
               "item": {"kind": "park_review", "id": "PR-1", "title": "PR-1",
                        "within_working_days": 3, "due_on": "2026-11-24",
                        "working_days_late": 1},
               "working_days": 4}
    assert state(api, pid)["waiting_on"] == [opinion]
    listed = api("leader").get("/api/projects").get_json()["projects"]
    assert [p["waiting_on"] for p in listed if p["id"] == pid] == [[opinion]]
    [flag] = api("zhang").get("/api/boards/zhang").get_json()["projects"][0]["flags"]
    assert (flag["rule"], flag["subject"]["id"], flag["due_on"], flag["working_days_late"]) == (
        "opinion_overdue", f"PR-1:{LAND_BUREAU}", "2026-11-24", 1)

"""Plain-data views of a project: milestones in order, the next milestone, the summary."""

from __future__ import annotations

from datetime import date

import pytest

from domain.lifecycle import MILESTONES
from domain.views import milestones, next_milestone, project_summary, project_view


def test_milestones_are_listed_in_lifecycle_order_with_plan_and_actual(make_project, record):
    project = make_project()
    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 6, 1))
    record(project, "milestone_reached", on=date(2024, 5, 20), milestone="land_approved")

    rows = milestones(project)

    assert [row["milestone"] for row in rows] == list(MILESTONES)
    land = rows[list(MILESTONES).index("land_approved")]
    assert land == {
        "milestone": "land_approved", "phase": "land", "planned_on": date(2024, 6, 1),
        "reached_on": date(2024, 5, 20), "reached_version": 3,
    }


def test_the_next_milestone_is_the_earliest_planned_one_not_yet_reached(make_project, record):
    project = make_project()
    assert next_milestone(project) is None
    record(project, "milestone_planned", milestone="land_delivered", planned_on=date(2024, 5, 1))
    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 6, 1))
    record(project, "milestone_planned", milestone="construction_started",
           planned_on=date(2024, 5, 1))

    assert next_milestone(project) == {
        "milestone": "land_delivered", "planned_on": date(2024, 5, 1),
    }
    record(project, "milestone_reached", milestone="land_delivered")
    assert next_milestone(project)["milestone"] == "construction_started"


def test_the_summary_counts_open_problems(make_project, record):
    project = make_project()
    for problem_id in ("P1", "P2"):
        record(project, "problem_raised", problem_id=problem_id, title="a problem")
    record(project, "problem_resolved", problem_id="P1", resolution="done")

    summary = project_summary(project)

    assert (summary["open_problems"], summary["version"], summary["phase"]) == (1, 4, "signing")


def test_a_project_without_ratings_has_no_average(make_project):
    assert project_view(make_project())["average_rating"] is None


def test_changing_a_view_does_not_change_the_project(make_project, record):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")
    view = project_view(project)

    view["last_visit"].clear()
    view["team_history"].clear()

    assert (len(project.last_visit), len(project.team_history)) == (5, 1)

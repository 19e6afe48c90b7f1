"""Each event type, recorded in a valid situation, changes the project's state as it should."""

from __future__ import annotations

from datetime import date

import pytest

from domain.fields import EVENT_TYPES
from domain.views import project_view

# For every event type: the events recorded before it (type, fields), and its own fields.
# A new event type without an entry here fails test_every_event_type_can_be_recorded.
VALID_SITUATIONS = {
    "team_assigned": ([], {"chief_agent": "wang", "co_agents": ["li", "zhang"]}),
    "milestone_planned": ([], {"milestone": "land_approved", "planned_on": date(2024, 6, 1)}),
    "milestone_reached": ([], {"milestone": "land_approved"}),
    "approval_applied": ([], {"approval_id": "A1", "item": "环评", "department": "生态环境局"}),
    "approval_granted": (
        [("approval_applied", {"approval_id": "A1", "item": "环评", "department": "生态环境局"})],
        {"approval_id": "A1"},
    ),
    "approval_rejected": (
        [("approval_applied", {"approval_id": "A1", "item": "环评", "department": "生态环境局"})],
        {"approval_id": "A1", "reason": "incomplete file"},
    ),
    "commitment_fulfilled": (
        [
            ("approval_applied", {"approval_id": "A1", "item": "环评", "department": "生态环境局"}),
            ("approval_granted", {"approval_id": "A1", "missing_documents": ["land deed"],
                                  "commitment_due_on": date(2024, 5, 1)}),
        ],
        {"approval_id": "A1"},
    ),
    "problem_raised": ([], {"problem_id": "P1", "title": "power line in the way"}),
    "problem_plan_proposed": (
        [("problem_raised", {"problem_id": "P1", "title": "power line in the way"})],
        {"problem_id": "P1", "plan": "move 190 towers"},
    ),
    "problem_escalated": (
        [("problem_raised", {"problem_id": "P1", "title": "power line in the way"})],
        {"problem_id": "P1", "escalated_to": "office"},
    ),
    "problem_followed_up": (
        [("problem_raised", {"problem_id": "P1", "title": "power line in the way"})],
        {"problem_id": "P1", "note": "called the grid company"},
    ),
    "problem_resolved": (
        [("problem_raised", {"problem_id": "P1", "title": "power line in the way"})],
        {"problem_id": "P1", "resolution": "line moved"},
    ),
    "problem_reopened": (
        [
            ("problem_raised", {"problem_id": "P1", "title": "power line in the way"}),
            ("problem_resolved", {"problem_id": "P1", "resolution": "line moved"}),
        ],
        {"problem_id": "P1", "reason": "one tower left"},
    ),
    "progress_reported": ([], {"investment_completed": 200_000_000}),
    "visit_logged": ([], {"purpose": "weekly visit"}),
    "instruction_given": ([], {"instruction": "finish the land approval this month"}),
    "service_rated": ([], {"rating": 5}),
    "park_review_convened": ([], {"review_id": "R1", "departments": ["自然资源局", "住建局"]}),
    "park_review_opinion_given": (
        [("park_review_convened", {"review_id": "R1", "departments": ["自然资源局"]})],
        {"review_id": "R1", "department": "自然资源局", "opinion": "agree_with_conditions",
         "conditions": [{"text": "补充水保方案", "party": "investor", "department": None,
                         "due_on": "2024-06-28"}]},
    ),
    "park_review_concluded": (
        [("park_review_convened", {"review_id": "R1", "departments": ["自然资源局"]}),
         ("park_review_opinion_given", {"review_id": "R1", "department": "自然资源局",
                                        "opinion": "agree"})],
        {"review_id": "R1", "passed": True, "conditions": [
            {"text": "环评批复前不得开工", "party": "department", "department": "县生态环境局",
             "due_on": None}]},
    ),
    "park_review_condition_met": (
        [("park_review_convened", {"review_id": "R1", "departments": ["自然资源局"]}),
         ("park_review_opinion_given", {"review_id": "R1", "department": "自然资源局",
                                        "opinion": "agree"}),
         ("park_review_concluded", {"review_id": "R1", "passed": True,
                                    "conditions": ["环评批复前不得开工"]})],
        {"review_id": "R1", "condition": 1, "note": "环评已批复"},
    ),
    "suspended": ([], {"reason": "investor reviewing funding"}),
    "resumed": ([("suspended", {"reason": "investor reviewing funding"})], {}),
    "terminated": ([], {"reason": "investor withdrew"}),
    "corrected": (
        [("milestone_reached", {"milestone": "land_approved"})],
        {"corrects_version": 2, "action": "void", "reason": "entered on the wrong project"},
    ),
}


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_type_can_be_recorded_in_a_valid_situation(event_type, make_project, record):
    project = make_project()
    before, fields = VALID_SITUATIONS[event_type]
    for prior_type, prior_fields in before:
        record(project, prior_type, **prior_fields)
    version = project.version

    record(project, event_type, **fields)

    assert project.version == version + 1
    assert project.pending_events[-1].originator_version == version + 1
    assert project.last_event["type"] == event_type
    assert project.last_event["version"] == version + 1
    fact = project.fact(version + 1)
    assert fact["type"] == event_type
    assert {name: fact["data"][name] for name in fields} == fields


def test_signing_opens_an_active_project_in_the_signing_phase(make_project):
    project = make_project(signed_on=date(2024, 3, 1), park="工业园", leader="boss")

    assert (project.version, project.phase, project.status) == (1, "signing", "active")
    assert project.signed_on == date(2024, 3, 1)
    assert (project.name, project.investment, project.park) == (
        "Luli new materials", 1_500_000_000, "工业园"
    )
    assert project.team == ["zhang", "li"]
    assert project.team_history == [{
        "version": 1, "occurred_on": date(2024, 3, 1), "actor": "office",
        "chief_agent": "zhang", "co_agents": ["li"], "leader": "boss", "reason": None,
    }]
    assert project.last_event["type"] == "signed"


def test_team_assigned_changes_the_team_and_keeps_the_leader_when_omitted(make_project, record):
    project = make_project(leader="boss")

    record(project, "team_assigned", actor="office", chief_agent="wang",
           co_agents=["li", "zhang"], reason="zhang moved to another project")

    assert (project.chief_agent, project.co_agents, project.leader) == (
        "wang", ["li", "zhang"], "boss"
    )
    assert len(project.team_history) == 2
    assert project.team_history[-1]["reason"] == "zhang moved to another project"
    assert project.team_history[-1]["version"] == 2


def test_milestone_planned_sets_the_plan_and_a_replan_keeps_the_previous_date(
    make_project, record
):
    project = make_project()

    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 6, 1))
    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 7, 1),
           reason="the county plan changes first")

    assert project.plan["land_approved"] == {"planned_on": date(2024, 7, 1), "version": 3}
    assert [(h["planned_on"], h["previous"]) for h in project.plan_history] == [
        (date(2024, 6, 1), None), (date(2024, 7, 1), date(2024, 6, 1)),
    ]


def test_milestone_reached_records_its_date_and_moves_the_phase_forward(make_project, record):
    project = make_project()

    record(project, "milestone_reached", on=date(2024, 4, 2), milestone="construction_started")

    assert project.reached["construction_started"] == {
        "reached_on": date(2024, 4, 2), "version": 2, "actor": "zhang",
    }
    assert project.phase == "construction"


def test_an_earlier_milestone_of_the_current_phase_can_still_be_reached(make_project, record):
    project = make_project()
    record(project, "milestone_reached", milestone="land_delivered")

    record(project, "milestone_reached", milestone="land_approved")

    assert project.phase == "land"
    assert set(project.reached) == {"land_delivered", "land_approved"}


def test_approval_applied_opens_an_approval_item(make_project, record):
    project = make_project()

    record(project, "approval_applied", on=date(2024, 4, 2), approval_id="A1", item="环评",
           department="生态环境局")

    approval = project.approvals["A1"]
    assert (approval["status"], approval["applied_on"], approval["item"]) == (
        "applied", date(2024, 4, 2), "环评"
    )


def test_approval_granted_decides_the_item_without_a_commitment(make_project, record):
    project = make_project()
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")

    record(project, "approval_granted", on=date(2024, 4, 5), approval_id="A1")

    approval = project.approvals["A1"]
    assert (approval["status"], approval["decided_on"], approval["commitment"]) == (
        "granted", date(2024, 4, 5), None
    )


def test_approval_granted_with_missing_documents_opens_a_commitment(make_project, record):
    project = make_project()
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")

    record(project, "approval_granted", approval_id="A1", missing_documents=["land deed"],
           commitment_due_on=date(2024, 5, 1))

    assert project.approvals["A1"]["commitment"] == {
        "missing_documents": ["land deed"], "due_on": date(2024, 5, 1), "fulfilled_on": None,
    }


def test_approval_rejected_records_the_reason(make_project, record):
    project = make_project()
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")

    record(project, "approval_rejected", approval_id="A1", reason="incomplete file")

    assert project.approvals["A1"]["status"] == "rejected"
    assert project.approvals["A1"]["reason"] == "incomplete file"


def test_commitment_fulfilled_closes_the_commitment(make_project, record):
    project = make_project()
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")
    record(project, "approval_granted", approval_id="A1", missing_documents=["land deed"],
           commitment_due_on=date(2024, 5, 1))

    record(project, "commitment_fulfilled", on=date(2024, 4, 20), approval_id="A1")

    assert project.approvals["A1"]["commitment"]["fulfilled_on"] == date(2024, 4, 20)


def test_problem_raised_opens_a_problem_with_its_log(make_project, record):
    project = make_project()

    record(project, "problem_raised", on=date(2024, 4, 2), problem_id="P1",
           title="power line in the way", same_day=True)

    problem = project.problems["P1"]
    assert (problem["status"], problem["raised_on"], problem["same_day"]) == (
        "open", date(2024, 4, 2), True
    )
    assert [entry["what"] for entry in problem["log"]] == ["raised"]


@pytest.fixture
def with_problem(make_project, record):
    """A project with one open problem, P1, raised on 2024-04-01."""
    project = make_project()
    record(project, "problem_raised", on=date(2024, 4, 1), problem_id="P1",
           title="power line in the way")
    return project


def test_problem_plan_proposed_sets_the_plan(with_problem, record):
    record(with_problem, "problem_plan_proposed", on=date(2024, 4, 3), problem_id="P1",
           plan="move 190 towers", due_on=date(2024, 5, 10))

    problem = with_problem.problems["P1"]
    assert problem["plan"] == {
        "text": "move 190 towers", "proposed_on": date(2024, 4, 3), "due_on": date(2024, 5, 10),
    }
    assert problem["log"][-1]["what"] == "plan_proposed"


def test_problem_escalated_to_a_leader_names_the_leader(with_problem, record):
    record(with_problem, "problem_escalated", problem_id="P1", escalated_to="leader",
           leader="boss")

    problem = with_problem.problems["P1"]
    assert (problem["escalated_to"], problem["leader"], problem["status"]) == (
        "leader", "boss", "open"
    )


def test_problem_followed_up_adds_to_the_log_and_the_last_activity(with_problem, record):
    record(with_problem, "problem_followed_up", on=date(2024, 4, 9), problem_id="P1",
           note="called the grid company")

    problem = with_problem.problems["P1"]
    assert problem["log"][-1]["text"] == "called the grid company"
    assert problem["last_activity_on"] == date(2024, 4, 9)


def test_problem_resolved_closes_the_problem(with_problem, record):
    record(with_problem, "problem_resolved", on=date(2024, 4, 9), problem_id="P1",
           resolution="line moved")

    problem = with_problem.problems["P1"]
    assert (problem["status"], problem["resolved_on"], problem["resolution"]) == (
        "resolved", date(2024, 4, 9), "line moved"
    )
    assert project_view(with_problem)["open_problems"] == 0


def test_problem_reopened_opens_it_again(with_problem, record):
    record(with_problem, "problem_resolved", problem_id="P1", resolution="line moved")

    record(with_problem, "problem_reopened", problem_id="P1", reason="one tower left")

    problem = with_problem.problems["P1"]
    assert (problem["status"], problem["resolved_on"], problem["resolution"]) == (
        "open", None, None
    )
    assert [entry["what"] for entry in problem["log"]] == ["raised", "resolved", "reopened"]


def test_progress_reported_sets_the_investment_completed(make_project, record):
    project = make_project()

    record(project, "progress_reported", investment_completed=200_000_000)
    record(project, "progress_reported", investment_completed=200_000_000, note="no change")

    assert project.investment_completed == 200_000_000
    assert len(project.progress) == 2


def test_visit_logged_adds_a_visit(make_project, record):
    project = make_project()

    record(project, "visit_logged", actor="li", purpose="weekly visit", met_with="the CFO")

    assert project.visit_count == 1
    assert project.last_visit == {
        "occurred_on": date(2024, 4, 1), "actor": "li", "purpose": "weekly visit",
        "met_with": "the CFO", "version": 2,
    }


def test_instruction_given_about_a_problem_is_logged_on_the_problem(with_problem, record):
    record(with_problem, "instruction_given", actor="boss", instruction="solve it this week",
           problem_id="P1")

    assert with_problem.instructions[-1]["instruction"] == "solve it this week"
    assert with_problem.problems["P1"]["log"][-1]["what"] == "instruction"


def test_service_rated_adds_a_rating_for_an_agent_of_the_team(make_project, record):
    project = make_project()

    record(project, "service_rated", actor="office", rating=5, agent="li")
    record(project, "service_rated", actor="office", rating=4)

    assert [(r["rating"], r["agent"]) for r in project.ratings] == [(5, "li"), (4, None)]
    assert project_view(project)["average_rating"] == 4.5


def test_suspended_sets_the_status_and_its_reason(make_project, record):
    project = make_project()

    record(project, "suspended", reason="investor reviewing funding")

    assert (project.status, project.status_reason) == ("suspended", "investor reviewing funding")


def test_resumed_makes_a_suspended_project_active(make_project, record):
    project = make_project()
    record(project, "suspended", reason="investor reviewing funding")

    record(project, "resumed", note="funding confirmed")

    assert (project.status, project.status_reason) == ("active", None)


def test_terminated_ends_the_project(make_project, record):
    project = make_project()

    record(project, "terminated", actor="office", reason="investor withdrew")

    assert (project.status, project.status_reason) == ("terminated", "investor withdrew")


def test_approval_applied_without_an_id_gets_one_made_by_the_server(make_project, record):
    project = make_project()

    made = record(project, "approval_applied", item="环评", department="生态环境局")

    assert set(made) == {"approval_id"}
    assert made["approval_id"] in project.approvals


def test_problem_raised_without_an_id_gets_one_made_by_the_server(make_project, record):
    project = make_project()

    made = record(project, "problem_raised", title="power line in the way")

    assert set(made) == {"problem_id"}
    assert project.problems[made["problem_id"]]["title"] == "power line in the way"


def test_a_client_given_approval_id_is_kept_and_nothing_is_made(make_project, record):
    project = make_project()

    made = record(project, "approval_applied", approval_id="EIA-1", item="环评",
                  department="生态环境局")

    assert made == {}
    assert list(project.approvals) == ["EIA-1"]


def test_a_client_given_problem_id_is_kept_and_nothing_is_made(make_project, record):
    project = make_project()

    made = record(project, "problem_raised", problem_id="grid-1", title="power line")

    assert made == {}
    assert list(project.problems) == ["grid-1"]


def test_other_events_make_no_ids(make_project, record):
    assert record(make_project(), "visit_logged", purpose="weekly visit") == {}


def test_text_fields_are_stored_stripped(make_project, record):
    project = make_project()

    record(project, "visit_logged", purpose="  weekly visit \n")

    assert project.last_visit["purpose"] == "weekly visit"

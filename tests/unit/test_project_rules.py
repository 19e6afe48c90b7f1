"""Every rule of the Project aggregate refuses with a DomainError naming its code and field,
and a refused command leaves the project exactly as it was."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError, InvalidValue
from domain.fields import EVENT_TYPES

# Valid fields for each event type on its own; whether the situation allows it is the test's.
FIELDS = {
    "team_assigned": {"chief_agent": "wang"},
    "milestone_planned": {"milestone": "land_approved", "planned_on": date(2024, 6, 1)},
    "milestone_reached": {"milestone": "land_approved"},
    "approval_applied": {"approval_id": "A9", "item": "环评", "department": "生态环境局"},
    "approval_granted": {"approval_id": "A1"},
    "approval_rejected": {"approval_id": "A1", "reason": "incomplete"},
    "commitment_fulfilled": {"approval_id": "A1"},
    "problem_raised": {"problem_id": "P9", "title": "a problem"},
    "problem_plan_proposed": {"problem_id": "P1", "plan": "a plan"},
    "problem_escalated": {"problem_id": "P1", "escalated_to": "office"},
    "problem_followed_up": {"problem_id": "P1", "note": "a note"},
    "problem_resolved": {"problem_id": "P1", "resolution": "done"},
    "problem_reopened": {"problem_id": "P1", "reason": "not done"},
    "progress_reported": {"investment_completed": 1},
    "visit_logged": {"purpose": "a visit"},
    "instruction_given": {"instruction": "do it"},
    "service_rated": {"rating": 3},
    "park_review_convened": {"review_id": "R9", "departments": ["县自然资源局"]},
    "park_review_opinion_given": {"review_id": "R1", "department": "县自然资源局",
                                  "opinion": "agree"},
    "park_review_concluded": {"review_id": "R1", "passed": False},
    "park_review_condition_met": {"review_id": "R1", "condition": 1},
    "suspended": {"reason": "paused"},
    "resumed": {},
    "terminated": {"reason": "gone"},
    "corrected": {"corrects_version": 1, "action": "amend", "reason": "typo",
                  "changes": {"name": "Luli"}},
}
NOT_CORRECTIONS = sorted(set(EVENT_TYPES) - {"corrected"})


def test_every_event_type_has_fields_for_these_tests():
    assert set(FIELDS) == set(EVENT_TYPES)


def test_a_milestone_cannot_be_reached_twice(make_project, record, refused):
    project = make_project()
    record(project, "milestone_reached", milestone="land_approved")

    refused(project, "milestone_reached", milestone="land_approved",
            code="milestone_already_reached", field="milestone")


def test_a_reached_milestone_cannot_be_planned(make_project, record, refused):
    project = make_project()
    record(project, "milestone_reached", milestone="land_approved")

    refused(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 9, 1),
            code="milestone_already_reached", field="milestone")


def test_the_phase_never_goes_back_to_an_earlier_phase(make_project, record, refused):
    project = make_project()
    record(project, "milestone_reached", milestone="construction_started")

    refused(project, "milestone_reached", milestone="land_approved",
            code="phase_regression", field="milestone")
    refused(project, "milestone_reached", milestone="project_filed",
            code="phase_regression", field="milestone")


@pytest.fixture
def busy_project(make_project, record):
    """A project with an open problem P1 and an applied approval A1."""
    project = make_project()
    record(project, "problem_raised", problem_id="P1", title="a problem")
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")
    return project


@pytest.mark.parametrize("event_type", NOT_CORRECTIONS)
def test_nothing_but_a_correction_is_recorded_after_termination(
    busy_project, record, refused, event_type
):
    record(busy_project, "terminated", actor="office", reason="investor withdrew")

    refused(busy_project, event_type, **FIELDS[event_type],
            code="project_terminated", field="type")


@pytest.mark.parametrize("event_type", sorted(set(NOT_CORRECTIONS) - {"resumed"}))
def test_only_the_resumption_is_recorded_while_suspended(
    busy_project, record, refused, event_type
):
    record(busy_project, "suspended", reason="investor reviewing funding")

    refused(busy_project, event_type, **FIELDS[event_type],
            code="project_suspended", field="type")


def test_a_project_that_is_not_suspended_cannot_be_resumed(make_project, refused):
    refused(make_project(), "resumed", code="not_suspended", field="type")


@pytest.mark.parametrize("event_type", [
    "problem_plan_proposed", "problem_escalated", "problem_followed_up", "problem_resolved",
    "problem_reopened",
])
def test_a_problem_event_needs_a_known_problem(busy_project, refused, event_type):
    refused(busy_project, event_type, **(FIELDS[event_type] | {"problem_id": "nope"}),
            code="unknown_problem", field="problem_id")


def test_an_instruction_about_a_problem_needs_a_known_problem(busy_project, refused):
    refused(busy_project, "instruction_given", actor="boss", instruction="do it",
            problem_id="nope", code="unknown_problem", field="problem_id")


@pytest.mark.parametrize("event_type", [
    "approval_granted", "approval_rejected", "commitment_fulfilled",
])
def test_an_approval_event_needs_a_known_approval(busy_project, refused, event_type):
    refused(busy_project, event_type, **(FIELDS[event_type] | {"approval_id": "nope"}),
            code="unknown_approval", field="approval_id")


@pytest.mark.parametrize("event_type", [
    "problem_plan_proposed", "problem_escalated", "problem_followed_up", "problem_resolved",
])
def test_a_resolved_problem_takes_no_work_until_reopened(busy_project, record, refused,
                                                         event_type):
    record(busy_project, "problem_resolved", problem_id="P1", resolution="done")

    refused(busy_project, event_type, **FIELDS[event_type],
            code="problem_not_open", field="problem_id")


def test_an_open_problem_cannot_be_reopened(busy_project, refused):
    refused(busy_project, "problem_reopened", problem_id="P1", reason="again",
            code="problem_not_resolved", field="problem_id")


def test_a_problem_cannot_be_resolved_before_it_was_raised(make_project, record, refused):
    project = make_project()
    record(project, "problem_raised", on=date(2024, 4, 10), problem_id="P1", title="a problem")

    refused(project, "problem_resolved", on=date(2024, 4, 9), problem_id="P1",
            resolution="done", code="date_order", field="occurred_on")


def test_a_problem_plan_cannot_be_due_before_it_was_proposed(busy_project, refused):
    refused(busy_project, "problem_plan_proposed", on=date(2024, 4, 10), problem_id="P1",
            plan="a plan", due_on=date(2024, 4, 9), code="date_order", field="due_on")


def test_escalating_to_a_leader_names_the_leader(busy_project, refused):
    refused(busy_project, "problem_escalated", problem_id="P1", escalated_to="leader",
            code="required", field="leader")


@pytest.mark.parametrize("event_type", ["milestone_reached", "visit_logged", "problem_raised"])
def test_nothing_happens_before_the_signing(make_project, refused, event_type):
    project = make_project(signed_on=date(2024, 3, 1))

    refused(project, event_type, **FIELDS[event_type], on=date(2024, 2, 29),
            code="before_signing", field="occurred_on")


def test_a_milestone_cannot_be_planned_before_the_signing(make_project, refused):
    project = make_project(signed_on=date(2024, 3, 1))

    refused(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 2, 1),
            code="before_signing", field="planned_on")


def test_an_event_cannot_happen_in_the_future(make_project, refused):
    refused(make_project(), "visit_logged", purpose="a visit", on=date(2024, 6, 2),
            today=date(2024, 6, 1), code="future_date", field="occurred_on")


def test_a_project_cannot_be_signed_in_the_future(make_project):
    with pytest.raises(DomainError) as info:
        make_project(signed_on=date(2024, 6, 2), today=date(2024, 6, 1))

    assert (info.value.code, info.value.field) == ("future_date", "signed_on")


@pytest.mark.parametrize("investment", [-1, 0, "100", 1.5, True])
def test_the_investment_is_a_positive_whole_number_of_yuan(make_project, investment):
    with pytest.raises(InvalidValue) as info:
        make_project(investment=investment)

    assert info.value.field == "investment"


@pytest.mark.parametrize("amount", [-1, "100", 2.5])
def test_investment_completed_is_a_whole_non_negative_number(make_project, refused, amount):
    refused(make_project(), "progress_reported", investment_completed=amount,
            error=InvalidValue, code="invalid_field", field="investment_completed")


def test_investment_completed_never_decreases(make_project, record, refused):
    project = make_project()
    record(project, "progress_reported", investment_completed=500)

    refused(project, "progress_reported", investment_completed=499,
            code="investment_decreased", field="investment_completed")


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5"])
def test_a_rating_is_from_1_to_5(make_project, refused, rating):
    refused(make_project(), "service_rated", actor="office", rating=rating,
            error=InvalidValue, code="invalid_field", field="rating")


def test_only_an_agent_of_the_team_can_be_rated(make_project, refused):
    refused(make_project(), "service_rated", actor="office", rating=4, agent="wang",
            code="not_on_team", field="agent")


def test_replanning_a_milestone_needs_a_reason(make_project, record, refused):
    project = make_project()
    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 6, 1))

    refused(project, "milestone_planned", milestone="land_approved",
            planned_on=date(2024, 7, 1), code="reason_required", field="reason")


def test_replanning_a_milestone_to_the_same_date_is_no_change(make_project, record, refused):
    project = make_project()
    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 6, 1))

    refused(project, "milestone_planned", milestone="land_approved",
            planned_on=date(2024, 6, 1), reason="again", code="no_change", field="planned_on")


@pytest.mark.parametrize("decision", ["approval_granted", "approval_rejected"])
def test_an_approval_is_decided_once(busy_project, record, refused, decision):
    record(busy_project, "approval_granted", approval_id="A1")

    refused(busy_project, decision, **FIELDS[decision],
            code="approval_not_pending", field="approval_id")


def test_an_approval_cannot_be_granted_before_it_was_applied_for(make_project, record, refused):
    project = make_project()
    record(project, "approval_applied", on=date(2024, 4, 10), approval_id="A1", item="环评",
           department="生态环境局")

    refused(project, "approval_granted", on=date(2024, 4, 9), approval_id="A1",
            code="date_order", field="occurred_on")


def test_missing_documents_need_a_commitment_due_date(busy_project, refused):
    refused(busy_project, "approval_granted", approval_id="A1", missing_documents=["deed"],
            code="required", field="commitment_due_on")


def test_a_commitment_due_date_needs_missing_documents(busy_project, refused):
    refused(busy_project, "approval_granted", approval_id="A1",
            commitment_due_on=date(2024, 5, 1), code="required", field="missing_documents")


def test_a_commitment_cannot_be_due_before_the_grant(busy_project, refused):
    refused(busy_project, "approval_granted", on=date(2024, 4, 10), approval_id="A1",
            missing_documents=["deed"], commitment_due_on=date(2024, 4, 9),
            code="date_order", field="commitment_due_on")


def test_a_commitment_is_fulfilled_once(busy_project, record, refused):
    record(busy_project, "approval_granted", approval_id="A1", missing_documents=["deed"],
           commitment_due_on=date(2024, 5, 1))
    record(busy_project, "commitment_fulfilled", approval_id="A1")

    refused(busy_project, "commitment_fulfilled", approval_id="A1",
            code="no_open_commitment", field="approval_id")


def test_an_approval_without_a_commitment_has_none_to_fulfil(busy_project, record, refused):
    record(busy_project, "approval_granted", approval_id="A1")

    refused(busy_project, "commitment_fulfilled", approval_id="A1",
            code="no_open_commitment", field="approval_id")


@pytest.mark.parametrize("event_type, fields", [
    ("approval_applied", {"approval_id": "A1", "item": "能评", "department": "发改委"}),
    ("problem_raised", {"problem_id": "P1", "title": "the same id"}),
])
def test_an_item_id_is_used_once_per_project(busy_project, refused, event_type, fields):
    refused(busy_project, event_type, **fields, code="duplicate_id", field=next(iter(fields)))


@pytest.mark.parametrize("item_id", ["", "-starts-with-dash", "has space", "x" * 65, 7])
def test_a_client_given_id_must_look_like_an_id(make_project, refused, item_id):
    refused(make_project(), "problem_raised", problem_id=item_id, title="a problem",
            error=InvalidValue, code="invalid_field", field="problem_id")


def test_an_unknown_field_is_refused_by_name(make_project, refused):
    refused(make_project(), "visit_logged", purpose="a visit", colour="red",
            error=InvalidValue, code="invalid_field", field="colour")


def test_an_unknown_signing_field_is_refused_by_name(make_project):
    with pytest.raises(InvalidValue) as info:
        make_project(colour="red")

    assert info.value.field == "colour"


@pytest.mark.parametrize("event_type", ["signed", "milestone_missed", ""])
def test_an_unknown_event_type_is_refused(make_project, refused, event_type):
    refused(make_project(), event_type, error=InvalidValue, code="invalid_field", field="type")


def test_a_required_field_is_named_when_missing(make_project, refused):
    refused(make_project(), "milestone_reached", error=InvalidValue,
            code="required", field="milestone")


def test_a_milestone_is_one_of_the_lifecycle_codes(make_project, refused):
    refused(make_project(), "milestone_reached", milestone="groundbreaking",
            error=InvalidValue, code="invalid_field", field="milestone")


def test_the_chief_agent_cannot_also_be_a_co_agent_at_signing(make_project):
    with pytest.raises(DomainError) as info:
        make_project(chief_agent="zhang", co_agents=["li", "zhang"])

    assert (info.value.field, info.value.code) == ("co_agents", "chief_agent_also_co_agent")


def test_the_chief_agent_cannot_also_be_a_co_agent_in_a_new_team(make_project, refused):
    refused(make_project(), "team_assigned", actor="office", chief_agent="wang",
            co_agents=["wang"], error=DomainError, code="chief_agent_also_co_agent",
            field="co_agents")


def test_a_co_agent_is_listed_once(make_project):
    with pytest.raises(InvalidValue) as info:
        make_project(co_agents=["li", "li"])

    assert info.value.field == "co_agents"


@pytest.mark.parametrize("leader", [None, "boss"])
def test_assigning_the_same_team_is_no_change(make_project, refused, leader):
    project = make_project(leader="boss")

    refused(project, "team_assigned", actor="office", chief_agent="zhang", co_agents=["li"],
            leader=leader, code="no_change", field="chief_agent")


def test_assigning_the_same_co_agents_in_another_order_is_no_change(make_project, refused):
    project = make_project(co_agents=["li", "wang"])

    refused(project, "team_assigned", actor="office", chief_agent="zhang",
            co_agents=["wang", "li"], code="no_change", field="chief_agent")

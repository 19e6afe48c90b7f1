"""What a project's state allows: the domain says which event types it can take now, and why
not the others, by the rules that would refuse them."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError
from domain.fields import EVENT_TYPES
from tests.unit.test_project_rules import FIELDS


def offered(project) -> dict[str, str | None]:
    return {t: project.why_not(t) for t in EVENT_TYPES}


def test_a_new_project_offers_no_action_on_items_it_does_not_have(make_project):
    reasons = offered(make_project())
    assert {t for t, why in reasons.items() if why} == {
        "approval_granted", "approval_rejected", "commitment_fulfilled",
        "problem_plan_proposed", "problem_escalated", "problem_followed_up",
        "problem_resolved", "problem_reopened", "park_review_opinion_given",
        "park_review_concluded", "park_review_condition_met", "resumed"}
    assert reasons["problem_resolved"] == "no_open_problem"
    assert reasons["problem_reopened"] == "no_resolved_problem"
    assert reasons["approval_granted"] == "no_pending_approval"
    assert reasons["commitment_fulfilled"] == "no_open_commitment"
    assert reasons["resumed"] == "not_suspended"
    assert reasons["park_review_concluded"] == "no_open_review"


def test_items_make_their_actions_possible_and_their_end_removes_them(make_project, record):
    project = make_project()
    record(project, "problem_raised", problem_id="P1", title="道路未通")
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")
    assert project.why_not("problem_resolved") is None
    assert project.why_not("problem_reopened") == "no_resolved_problem"
    assert project.why_not("approval_granted") is None
    record(project, "problem_resolved", problem_id="P1", resolution="已通")
    record(project, "approval_granted", approval_id="A1", missing_documents=["水保方案"],
           commitment_due_on=date(2024, 5, 1))
    assert project.why_not("problem_resolved") == "no_open_problem"
    assert project.why_not("problem_reopened") is None
    assert project.why_not("approval_granted") == "no_pending_approval"
    assert project.why_not("commitment_fulfilled") is None


def test_a_suspended_project_offers_its_resumption_and_corrections_only(make_project, record):
    project = make_project()
    record(project, "suspended", reason="资金调整")
    assert {t for t, why in offered(project).items() if why is None} == {"resumed", "corrected"}
    assert project.why_not("visit_logged") == "project_suspended"


def test_a_terminated_project_offers_corrections_only(make_project, record):
    project = make_project()
    record(project, "terminated", reason="退出")
    assert {t for t, why in offered(project).items() if why is None} == {"corrected"}
    assert project.why_not("resumed") == "project_terminated"


def test_milestones_of_a_passed_phase_are_not_offered(make_project, record):
    project = make_project()
    record(project, "milestone_reached", milestone="construction_started")
    left = project.milestones_left()
    assert "land_approved" not in left and "construction_started" not in left
    assert left[0] == "construction_permitted" and "operating" in left


@pytest.mark.parametrize("state", ["new", "suspended", "terminated"])
def test_what_is_not_offered_is_what_the_rules_refuse(make_project, record, state):
    project = make_project()
    if state != "new":
        record(project, state, reason="x")
    for event_type, why in offered(project).items():
        if why is None:
            continue
        with pytest.raises(DomainError) as refusal:
            record(project, event_type, **FIELDS[event_type])
        assert refusal.value.code in (why, "unknown_problem", "unknown_approval",
                                      "unknown_review",
                                      "problem_not_resolved", "no_open_commitment"), event_type

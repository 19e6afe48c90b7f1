"""Corrections: a later event amends or voids an earlier one, and the state is folded again."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError, InvalidValue


@pytest.fixture
def correct(record):
    """Record a correction of one version: amend with `changes`, or void without."""

    def correct_(project, version, action="amend", *, reason="entered wrongly", **kwargs):
        return record(project, "corrected", corrects_version=version, action=action,
                      reason=reason, **kwargs)

    return correct_


@pytest.fixture
def refused_correction(refused):
    """Expect a correction to be refused with this code and field, changing nothing."""

    def refused_(project, version, action="amend", *, code, field, **kwargs):
        return refused(project, "corrected", corrects_version=version, action=action,
                       reason="entered wrongly", code=code, field=field, **kwargs)

    return refused_


def test_amending_a_milestones_date_changes_when_it_was_reached(make_project, record, correct):
    project = make_project()
    record(project, "milestone_reached", on=date(2024, 4, 1), milestone="land_approved")

    correct(project, 2, changes={"occurred_on": "2024-03-20"})

    assert project.reached["land_approved"]["reached_on"] == date(2024, 3, 20)
    assert project.fact(2)["occurred_on"] == date(2024, 3, 20)


def test_amending_a_progress_report_changes_the_investment_completed(
    make_project, record, correct
):
    project = make_project()
    record(project, "progress_reported", investment_completed=5_000)

    correct(project, 2, changes={"investment_completed": 50_000})

    assert project.investment_completed == 50_000
    assert [p["investment_completed"] for p in project.progress] == [50_000]


def test_voiding_a_milestone_brings_the_phase_back_and_it_can_be_reached_again(
    make_project, record, correct
):
    project = make_project()
    record(project, "milestone_reached", milestone="land_approved")

    correct(project, 2, "void")

    assert (project.phase, project.reached) == ("signing", {})
    record(project, "milestone_reached", on=date(2024, 4, 5), milestone="land_approved")
    assert project.reached["land_approved"]["version"] == 4


def test_a_corrected_fact_remembers_its_corrections(make_project, record, correct):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")

    correct(project, 2, changes={"purpose": "monthly visit"})
    correct(project, 2, "void")

    assert project.fact(2)["corrected_by"] == [3, 4]
    assert project.fact(2)["void"] is True
    assert (project.visit_count, project.last_visit) == (0, None)
    assert project.last_event["type"] == "corrected"
    assert project.last_event["version"] == 4


def test_the_signing_can_be_amended(make_project, correct):
    project = make_project(signed_on=date(2024, 3, 1))

    correct(project, 1, changes={"occurred_on": "2024-02-01", "investment": 2_000_000_000})

    assert (project.signed_on, project.investment) == (date(2024, 2, 1), 2_000_000_000)


def test_the_signing_cannot_be_voided(make_project, refused_correction):
    refused_correction(make_project(), 1, "void", code="not_correctable",
                       field="corrects_version")


def test_a_correction_cannot_be_corrected(make_project, record, correct, refused_correction):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")
    correct(project, 2, changes={"purpose": "monthly visit"})

    refused_correction(project, 3, "void", code="not_correctable", field="corrects_version")


def test_a_voided_event_cannot_be_corrected_again(make_project, record, correct,
                                                  refused_correction):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")
    correct(project, 2, "void")

    refused_correction(project, 2, changes={"purpose": "x"}, code="already_void",
                       field="corrects_version")


@pytest.mark.parametrize("ahead", [1, 2])
def test_a_correction_names_a_version_already_recorded(make_project, record, refused_correction,
                                                       ahead):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")

    refused_correction(project, project.version + ahead, "void", code="unknown_version",
                       field="corrects_version")


def test_voiding_a_problem_that_was_later_resolved_breaks_history(
    make_project, record, refused_correction
):
    project = make_project()
    record(project, "problem_raised", problem_id="P1", title="a problem")
    record(project, "problem_resolved", problem_id="P1", resolution="done")

    refused_correction(project, 2, "void", code="correction_breaks_history",
                       field="corrects_version")


def test_amending_a_date_to_before_the_signing_breaks_history(make_project, record,
                                                              refused_correction):
    project = make_project(signed_on=date(2024, 3, 1))
    record(project, "visit_logged", purpose="weekly visit")

    refused_correction(project, 2, changes={"occurred_on": "2024-02-01"},
                       code="correction_breaks_history", field="corrects_version")


def test_amending_a_progress_report_below_an_earlier_one_breaks_history(
    make_project, record, refused_correction
):
    project = make_project()
    record(project, "progress_reported", investment_completed=5_000)
    record(project, "progress_reported", investment_completed=8_000)

    refused_correction(project, 3, changes={"investment_completed": 4_000},
                       code="correction_breaks_history", field="corrects_version")


def test_an_amended_date_cannot_be_in_the_future(make_project, record, refused_correction):
    project = make_project()
    record(project, "visit_logged", on=date(2024, 4, 1), purpose="weekly visit")

    refused_correction(project, 2, changes={"occurred_on": "2024-06-02"},
                       on=date(2024, 6, 1), today=date(2024, 6, 1),
                       code="future_date", field="changes.occurred_on")


@pytest.mark.parametrize("version, name, value", [
    (2, "problem_id", "P2"),
    (3, "approval_id", "A2"),
    (1, "chief_agent", "wang"),
    (1, "co_agents", ["wang"]),
    (1, "leader", "boss"),
    (2, "colour", "red"),
])
def test_identities_the_team_and_unknown_fields_cannot_be_amended(
    make_project, record, refused_correction, version, name, value
):
    project = make_project()
    record(project, "problem_raised", problem_id="P1", title="a problem")
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")

    refused_correction(project, version, changes={name: value}, error=DomainError,
                       code="not_amendable", field=f"changes.{name}")


@pytest.mark.parametrize("version, changes, field", [
    (2, {"investment_completed": -1}, "changes.investment_completed"),
    (1, {"investment": 0}, "changes.investment"),
    (2, {"occurred_on": "next week"}, "changes.occurred_on"),
])
def test_amended_values_are_checked_like_recorded_ones(
    make_project, record, refused_correction, version, changes, field
):
    project = make_project()
    record(project, "progress_reported", investment_completed=5_000)

    refused_correction(project, version, changes=changes, error=InvalidValue,
                       code="invalid_field", field=field)


def test_an_amendment_needs_changes(make_project, record, refused_correction):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")

    refused_correction(project, 2, error=InvalidValue, code="required", field="changes")


def test_a_void_takes_no_changes(make_project, record, refused_correction):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")

    refused_correction(project, 2, "void", changes={"purpose": "x"}, error=DomainError,
                       code="void_with_changes", field="changes")


def test_a_correction_is_allowed_after_termination(make_project, record, correct):
    project = make_project()
    record(project, "visit_logged", purpose="weekly visit")
    record(project, "terminated", actor="office", reason="investor withdrew")

    correct(project, 2, changes={"purpose": "farewell visit"})

    assert project.last_visit["purpose"] == "farewell visit"
    assert project.status == "terminated"


def test_voiding_the_termination_makes_the_project_active_again(make_project, record, correct):
    project = make_project()
    record(project, "terminated", actor="office", reason="wrong project")

    correct(project, 2, "void")

    assert (project.status, project.status_reason) == ("active", None)
    record(project, "visit_logged", purpose="weekly visit")


def test_a_correction_is_allowed_while_suspended(make_project, record, correct):
    project = make_project()
    record(project, "progress_reported", investment_completed=5_000)
    record(project, "suspended", reason="investor reviewing funding")

    correct(project, 2, changes={"investment_completed": 6_000})

    assert (project.status, project.investment_completed) == ("suspended", 6_000)


def test_voiding_a_suspension_that_was_resumed_breaks_history(make_project, record,
                                                              refused_correction):
    project = make_project()
    record(project, "suspended", reason="investor reviewing funding")
    record(project, "resumed")

    refused_correction(project, 2, "void", code="correction_breaks_history",
                       field="corrects_version")


def test_voiding_a_team_change_restores_the_previous_team(make_project, record, correct):
    project = make_project(chief_agent="zhang", co_agents=["li"])
    record(project, "team_assigned", actor="office", chief_agent="wang", co_agents=[])

    correct(project, 2, "void", actor="office")

    assert project.team == ["zhang", "li"]
    assert len(project.team_history) == 1


def test_a_correction_cannot_happen_before_the_signing(make_project, record, refused_correction):
    project = make_project(signed_on=date(2024, 3, 1))
    record(project, "visit_logged", purpose="weekly visit")

    refused_correction(project, 2, "void", on=date(2024, 2, 1), code="before_signing",
                       field="occurred_on")

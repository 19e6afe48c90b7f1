"""Rules that hold by business date, whatever order events are entered in."""

from __future__ import annotations

from datetime import date

from domain.errors import InvalidValue


def test_a_later_phase_cannot_begin_before_an_earlier_phases_milestone(make_project, record,
                                                                        refused):
    project = make_project()
    record(project, "milestone_reached", milestone="land_approved", on=date(2024, 6, 1))
    refused(project, "milestone_reached", milestone="construction_started",
            on=date(2024, 5, 1), code="date_order", field="occurred_on")
    record(project, "milestone_reached", milestone="construction_started", on=date(2024, 6, 1))
    assert project.phase == "construction"


def test_milestones_of_one_phase_may_be_reached_in_any_order(make_project, record):
    project = make_project()
    record(project, "milestone_reached", milestone="land_delivered", on=date(2024, 6, 1))
    record(project, "milestone_reached", milestone="land_approved", on=date(2024, 5, 1))
    assert set(project.reached) == {"land_delivered", "land_approved"}


def test_a_milestone_of_a_phase_already_passed_cannot_be_planned(make_project, record, refused):
    project = make_project()
    record(project, "milestone_reached", milestone="construction_started")
    refused(project, "milestone_planned", milestone="land_delivered",
            planned_on=date(2024, 9, 1), code="phase_passed", field="milestone")


def test_a_late_progress_report_must_fit_between_its_neighbours_by_business_date(
        make_project, record, refused):
    project = make_project()
    record(project, "progress_reported", investment_completed=100, on=date(2024, 4, 1))
    record(project, "progress_reported", investment_completed=300, on=date(2024, 6, 1))
    refused(project, "progress_reported", investment_completed=400, on=date(2024, 5, 1),
            code="investment_decreased", field="investment_completed")
    refused(project, "progress_reported", investment_completed=50, on=date(2024, 5, 1),
            code="investment_decreased", field="investment_completed")
    record(project, "progress_reported", investment_completed=200, on=date(2024, 5, 1))
    # the figure to date is the latest report by business date, not the last entered
    assert project.investment_completed == 300


def test_a_team_assignment_records_the_whole_resulting_team(make_project, record):
    project = make_project(leader="boss")
    record(project, "team_assigned", actor="office", chief_agent="li", co_agents=["zhang"])
    event = project.pending_events[-1]
    assert (event.chief_agent, event.co_agents, event.leader) == ("li", ["zhang"], "boss")


def test_a_correction_records_what_it_corrected_and_the_values_before(make_project, record):
    project = make_project()
    record(project, "visit_logged", purpose="first", on=date(2024, 4, 1))
    record(project, "corrected", actor="office", corrects_version=2, action="amend",
           reason="typo", changes={"purpose": "second", "occurred_on": "2024-04-02"})
    amend = project.pending_events[-1]
    assert (amend.corrected_type, amend.previous) == (
        "visit_logged", {"purpose": "first", "occurred_on": "2024-04-01"})
    record(project, "corrected", actor="office", corrects_version=2, action="void",
           reason="never happened")
    void = project.pending_events[-1]
    assert void.previous == {"occurred_on": "2024-04-02", "purpose": "second", "met_with": None,
                             "note": None}


def test_text_with_control_characters_or_lone_surrogates_is_refused(make_project, refused):
    for bad in ("a\x00b", "\ud800", "line\x1bescape"):
        refused(make_project(), "visit_logged", purpose=bad, error=InvalidValue,
                code="invalid_field", field="purpose")


def test_long_text_keeps_line_breaks_and_tabs(make_project, record):
    project = make_project()
    record(project, "visit_logged", purpose="first line\n\tsecond line")
    assert project.last_visit["purpose"] == "first line\n\tsecond line"


def test_ids_and_money_have_limits(make_project, refused):
    refused(make_project(), "approval_applied", approval_id="A1\n", item="EIA",
            department="ecology", error=InvalidValue, code="invalid_field", field="approval_id")
    refused(make_project(), "progress_reported", investment_completed=10**15 + 1,
            error=InvalidValue, code="invalid_field", field="investment_completed")

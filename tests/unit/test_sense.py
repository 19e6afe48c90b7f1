"""Sense checks (domain.sense): an unusual value is refused naming its check and field, nothing
is recorded, and the same value with its check's code in `confirmed` is recorded, keeping it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidValue
from domain.sense import Known, Unusual, name_key

TOTAL = 1_500_000_000  # make_project's total investment


def test_an_investment_above_the_total_is_refused(make_project, record, refused):
    project = make_project()

    error = refused(project, "progress_reported", investment_completed=TOTAL + 1,
                    code="investment_above_total", field="investment_completed", error=Unusual)

    assert error.codes == ["investment_above_total"]
    assert "confirmed" in error.message


def test_an_investment_above_the_total_confirmed_is_recorded_with_its_confirmation(
        make_project, record):
    project = make_project()

    record(project, "progress_reported", investment_completed=TOTAL + 1,
           confirmed=["investment_above_total"])

    assert project.investment_completed == TOTAL + 1
    assert project.pending_events[-1].confirmed == ["investment_above_total"]


def test_the_total_itself_is_usual(make_project, record):
    project = make_project()

    record(project, "progress_reported", investment_completed=TOTAL)

    assert project.pending_events[-1].confirmed == []


def test_a_jump_of_more_than_the_total_in_one_report_is_refused(make_project, record, refused):
    project = make_project(investment=100)
    record(project, "progress_reported", investment_completed=150, on=date(2024, 4, 1),
           confirmed=["investment_above_total"])

    error = refused(project, "progress_reported", investment_completed=300, on=date(2024, 5, 1),
                    code="investment_above_total", field="investment_completed", error=Unusual)

    # Both checks find it: both must be confirmed.
    assert error.codes == ["investment_above_total", "investment_jump"]
    with pytest.raises(Unusual) as info:
        record(project, "progress_reported", investment_completed=300, on=date(2024, 5, 1),
               confirmed=["investment_above_total"])
    assert info.value.codes == ["investment_jump"]
    record(project, "progress_reported", investment_completed=300, on=date(2024, 5, 1),
           confirmed=["investment_above_total", "investment_jump"])
    assert project.investment_completed == 300


def test_a_confirmation_of_nothing_unusual_is_not_kept(make_project, record):
    project = make_project()

    record(project, "progress_reported", investment_completed=5,
           confirmed=["investment_jump"])

    assert project.pending_events[-1].confirmed == []


def test_a_date_before_2000_is_refused_unless_confirmed(make_project, record, refused):
    project = make_project(signed_on=date(1998, 5, 1), confirmed=["date_too_early"])

    refused(project, "milestone_planned", milestone="land_approved",
            planned_on=date(1999, 12, 31), code="date_too_early", field="planned_on",
            error=Unusual)
    record(project, "milestone_planned", milestone="land_approved",
           planned_on=date(1999, 12, 31), confirmed=["date_too_early"])

    assert project.pending_events[-1].confirmed == ["date_too_early"]


def test_a_date_more_than_30_years_ahead_is_refused_unless_confirmed(make_project, record,
                                                                   refused):
    project = make_project()  # today is 2024-12-31

    record(project, "problem_raised", problem_id="P1", title="用地")
    refused(project, "problem_plan_proposed", problem_id="P1", plan="a plan",
            due_on=date(2055, 1, 1), code="date_too_far", field="due_on", error=Unusual)
    record(project, "problem_plan_proposed", problem_id="P1", plan="a plan",
           due_on=date(2054, 12, 31))
    record(project, "approval_applied", approval_id="A1", item="环评", department="环保")
    refused(project, "approval_granted", approval_id="A1", commitment_due_on=date(2060, 1, 1),
            missing_documents=["x"], code="date_too_far", field="commitment_due_on",
            error=Unusual)


def test_a_signing_before_2000_is_refused_unless_confirmed(make_project):
    with pytest.raises(Unusual) as info:
        make_project(signed_on=date(1998, 5, 1))
    assert (info.value.code, info.value.field) == ("date_too_early", "signed_on")

    project = make_project(signed_on=date(1998, 5, 1), confirmed=["date_too_early"])
    assert project.pending_events[0].confirmed == ["date_too_early"]


def test_a_duplicate_name_in_the_county_is_refused_unless_confirmed(make_project):
    known = Known(names=lambda: ["鲁丽 新材料", "其他"])

    with pytest.raises(Unusual) as info:
        make_project(name="鲁丽新材料", known=known)
    assert (info.value.code, info.value.field) == ("duplicate_name", "name")

    project = make_project(name="鲁丽新材料", known=known, confirmed=["duplicate_name"])
    assert project.pending_events[0].confirmed == ["duplicate_name"]


def test_names_compare_by_width_case_and_spaces():
    assert name_key("Luli  ＡＢ 新材料") == name_key("luliab新材料")
    assert name_key("鲁丽一期") != name_key("鲁丽二期")


def test_an_unknown_confirmation_is_an_invalid_value(make_project, record):
    project = make_project()

    with pytest.raises(InvalidValue) as info:
        record(project, "progress_reported", investment_completed=5, confirmed=["whatever"])
    assert info.value.field == "confirmed"


def test_a_correction_checks_the_values_it_changes(make_project, record, refused):
    project = make_project(investment=100)
    record(project, "progress_reported", investment_completed=50)
    report = project.version

    refused(project, "corrected", corrects_version=report, action="amend", reason="typo",
            changes={"investment_completed": 150}, code="investment_above_total",
            field="changes.investment_completed", error=Unusual)
    refused(project, "corrected", corrects_version=1, action="amend", reason="typo",
            changes={"investment": 40}, code="investment_above_total",
            field="changes.investment", error=Unusual)
    record(project, "corrected", corrects_version=report, action="amend", reason="typo",
           changes={"investment_completed": 150}, confirmed=["investment_above_total"])

    assert project.investment_completed == 150
    assert project.pending_events[-1].confirmed == ["investment_above_total"]


def test_a_correction_renaming_to_another_projects_name_is_refused(make_project, record):
    known = Known(names=lambda: ["其他项目"])
    project = make_project(name="鲁丽")

    with pytest.raises(Unusual) as info:
        project.record("corrected", actor="office", occurred_on=date(2024, 4, 1),
                       today=date(2024, 12, 31), known=known, corrects_version=1,
                       action="amend", reason="typo", changes={"name": "其他 项目"})
    assert (info.value.code, info.value.field) == ("duplicate_name", "changes.name")


def test_a_replay_does_not_check_again(make_project, record, replay):
    project = make_project()
    record(project, "progress_reported", investment_completed=TOTAL * 2,
           confirmed=["investment_above_total"])

    again = replay(project.collect_events())

    assert again.investment_completed == TOTAL * 2

"""Whom a project waits on (rule 9 of domain.obligations): each party on a constructed history,
counted in working days as lateness is."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import PACKAGE_CALENDAR
from domain.history import History
from domain.obligations import counted, waiting_on, waits_now

RECORDED = date(2026, 12, 31)
SIGNED = date(2026, 9, 1)  # a Tuesday


@pytest.fixture
def project(make_project):
    project = make_project(signed_on=SIGNED, today=RECORDED, park="安福工业园")
    # A plan ahead, so that the team owes no milestone plan unless a test says so.
    project.record("milestone_planned", actor="zhang", occurred_on=SIGNED, today=RECORDED,
                   milestone="project_filed", planned_on=date(2026, 12, 1))
    return project


def waits(project, day):
    """(party, name, item id, since, working days) of each wait on day."""
    return [(w.party, w.name, w.item["id"], w.since, w.working_days)
            for w in waiting_on(History(project), day, PACKAGE_CALENDAR)]


def on_land_bureau(since, working_days):
    """The wait of approval A1 on 县自然资源局 (as `apply` records it)."""
    return [("department", "县自然资源局", "A1", since, working_days)]


def apply(at, project, on, approval_id="A1", department="县自然资源局"):
    at(project, on, "approval_applied", approval_id=approval_id, item="用地预审",
       department=department)


def test_a_pending_approval_waits_on_its_department_in_working_days(project, at):
    apply(at, project, date(2026, 11, 2))  # a Monday

    assert waits(project, date(2026, 11, 2)) == on_land_bureau(date(2026, 11, 2), 0)
    assert waits(project, date(2026, 11, 9)) == on_land_bureau(date(2026, 11, 2), 5)


def test_a_wait_is_counted_to_the_day_judged_on_and_not_before_it_began(project, at):
    apply(at, project, date(2026, 11, 2))

    assert waits(project, date(2026, 10, 30)) == []


def test_a_wait_across_the_spring_festival_counts_only_working_days(make_project, at):
    project = make_project(signed_on=date(2026, 2, 2), today=RECORDED)
    at(project, date(2026, 2, 2), "milestone_planned", milestone="project_filed",
       planned_on=date(2026, 6, 1))
    apply(at, project, date(2026, 2, 13))  # the Friday before the holiday

    # Saturday 14 February is a make-up working day; 15-23 February are the holiday.
    assert waits(project, date(2026, 2, 23)) == on_land_bureau(date(2026, 2, 13), 1)
    assert waits(project, date(2026, 2, 24)) == on_land_bureau(date(2026, 2, 13), 2)


def test_a_granted_or_refused_approval_waits_on_no_one(project, at):
    apply(at, project, date(2026, 11, 2))
    apply(at, project, date(2026, 11, 2), approval_id="A2", department="县住建局")
    at(project, date(2026, 11, 5), "approval_granted", approval_id="A1")
    at(project, date(2026, 11, 6), "approval_rejected", approval_id="A2", reason="材料不全")

    assert [w[:3] for w in waits(project, date(2026, 11, 4))] == [
        ("department", "县住建局", "A2"), ("department", "县自然资源局", "A1")]
    assert waits(project, date(2026, 11, 6)) == []


def test_missing_documents_under_a_commitment_wait_on_the_investor(project, at):
    apply(at, project, date(2026, 11, 2))
    at(project, date(2026, 11, 3), "approval_granted", approval_id="A1",
       missing_documents=["图纸"], commitment_due_on=date(2026, 11, 20))

    assert waits(project, date(2026, 11, 5)) == [
        ("investor", "Luli Group", "A1", date(2026, 11, 3), 2)]
    at(project, date(2026, 11, 6), "commitment_fulfilled", approval_id="A1")
    assert waits(project, date(2026, 11, 6)) == []


def test_construction_start_after_the_permit_is_the_investors_to_reach(project, at):
    at(project, date(2026, 11, 2), "milestone_reached", milestone="construction_permitted")

    assert waits(project, date(2026, 11, 4)) == [
        ("investor", "Luli Group", "construction_started", date(2026, 11, 2), 2)]
    at(project, date(2026, 11, 5), "milestone_reached", milestone="construction_started")
    assert [w[0] for w in waits(project, date(2026, 11, 5))] == ["team"]  # for the next plan


def test_the_team_owes_a_plan_when_nothing_ahead_is_planned(project, at):
    at(project, date(2026, 11, 2), "milestone_reached", milestone="park_review_passed")
    at(project, date(2026, 11, 3), "milestone_reached", milestone="project_filed")

    assert waits(project, date(2026, 11, 2)) == []  # project_filed is still planned ahead
    assert waits(project, date(2026, 11, 4)) == [
        ("team", "zhang", "land_approved", date(2026, 11, 3), 1)]
    at(project, date(2026, 11, 5), "milestone_planned", milestone="land_approved",
       planned_on=date(2027, 3, 1))
    assert waits(project, date(2026, 11, 5)) == []


def test_a_project_outside_a_park_owes_no_park_review_plan(make_project, at):
    project = make_project(signed_on=SIGNED, today=RECORDED)

    assert waits(project, date(2026, 9, 2)) == [("team", "zhang", "project_filed", SIGNED, 1)]


def test_a_problem_without_its_plan_waits_on_the_team(project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="电力接入")

    assert waits(project, date(2026, 11, 3)) == [
        ("team", "zhang", "P1", date(2026, 11, 2), 1)]
    at(project, date(2026, 11, 3), "problem_plan_proposed", problem_id="P1", plan="协调供电公司")
    assert waits(project, date(2026, 11, 3)) == []


def test_a_problem_escalated_to_a_leader_waits_on_them_until_an_instruction(project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="电力接入")
    at(project, date(2026, 11, 3), "problem_escalated", problem_id="P1", escalated_to="leader",
       leader="liu")

    assert waits(project, date(2026, 11, 5)) == [("leader", "liu", "P1", date(2026, 11, 3), 2)]
    at(project, date(2026, 11, 6), "instruction_given", actor="liu", problem_id="P1",
       instruction="限期解决", leader="liu")
    # The instruction came; the problem still has no plan: the team again.
    assert waits(project, date(2026, 11, 6)) == [("team", "zhang", "P1", date(2026, 11, 2), 4)]


def test_a_problem_escalated_to_the_office_waits_on_it_until_it_acts(project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="电力接入")
    at(project, date(2026, 11, 2), "problem_plan_proposed", problem_id="P1", plan="协调")
    at(project, date(2026, 11, 3), "problem_escalated", problem_id="P1", escalated_to="office")

    assert waits(project, date(2026, 11, 4)) == [("office", None, "P1", date(2026, 11, 3), 1)]
    at(project, date(2026, 11, 5), "problem_followed_up", actor="office", problem_id="P1",
       note="已约谈")
    assert waits(project, date(2026, 11, 5)) == []


def test_a_solved_problem_waits_on_no_one(project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="电力接入")
    at(project, date(2026, 11, 3), "problem_resolved", problem_id="P1", resolution="已接入")

    assert waits(project, date(2026, 11, 3)) == []


def test_a_correction_voiding_the_grant_opens_the_wait_again(project, at):
    apply(at, project, date(2026, 11, 2))
    at(project, date(2026, 11, 4), "approval_granted", approval_id="A1")
    granted = project.version
    assert waits(project, date(2026, 11, 9)) == []

    at(project, date(2026, 11, 10), "corrected", actor="office",
       corrects_version=granted, action="void", reason="批复未下达")

    assert waits(project, date(2026, 11, 9)) == on_land_bureau(date(2026, 11, 2), 5)


def test_a_suspended_project_waits_on_no_one_and_its_days_while_suspended_do_not_count(
        project, at):
    apply(at, project, date(2026, 11, 2))
    at(project, date(2026, 11, 4), "suspended", actor="office", reason="资金")
    at(project, date(2026, 11, 11), "resumed", actor="office")

    assert waits(project, date(2026, 11, 6)) == []
    # 3 November, 11 to 13 November: the five days suspended (4-10 November) do not count.
    assert waits(project, date(2026, 11, 13)) == on_land_bureau(date(2026, 11, 2), 4)


def test_a_terminated_project_waits_on_no_one(project, at):
    apply(at, project, date(2026, 11, 2))
    at(project, date(2026, 11, 4), "terminated", actor="office", reason="退出")

    assert waits(project, date(2026, 11, 9)) == []


def test_the_longest_wait_comes_first(project, at):
    apply(at, project, date(2026, 11, 2))
    at(project, date(2026, 10, 26), "problem_raised", problem_id="P1", title="电力接入")

    assert [w[0] for w in waits(project, date(2026, 11, 4))] == ["team", "department"]


def test_the_waits_a_card_keeps_count_the_same_days_on_any_later_day(project, at):
    apply(at, project, date(2026, 11, 2))
    at(project, date(2026, 11, 4), "suspended", actor="office", reason="资金")
    at(project, date(2026, 11, 11), "resumed", actor="office")
    at(project, date(2026, 11, 12), "problem_raised", problem_id="P1", title="电力接入")
    kept = waits_now(project)

    for day in (date(2026, 11, 12), date(2026, 11, 20), date(2027, 1, 4)):
        found = [w.row() for w in waiting_on(History(project), day, PACKAGE_CALENDAR)]
        assert [{k: v for k, v in w.items() if k != "paused"}
                for w in counted(kept, day, PACKAGE_CALENDAR)] == found

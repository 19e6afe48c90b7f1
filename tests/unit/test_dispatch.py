"""Dispatch reports: each section by business date, late entries, corrections, the half-month
split, working days across the 2026 National Day week, and the roll-up into enclosing periods.

2026 by the official calendar: Mid-Autumn Fri 25 to Sun 27 September and National Day Thu 1 to
Wed 7 October are days off; Sunday 20 September and Saturday 10 October are worked.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from time import monotonic

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import dispatch
from domain.calendar import PACKAGE_CALENDAR
from domain.dispatch import HEADLINE
from domain.dispatch_parts import kept_until, making_for, out_of_time
from domain.dispatch_trend import trend_part, trend_point
from domain.errors import DomainError
from domain.history import READ_TYPES, History
from domain.project import FactsOf
from domain.periods import CADENCES, Period
from tests.unit.test_replay import COMMANDS, PRELUDE
from tests.unit.test_replay import SIGNED_ON as RANDOM_START
from tests.unit.test_replay import TODAY as RANDOM_TODAY

RECORDED = date(2026, 12, 31)  # the recording's "today": events may be dated up to it


def d(month, day, year=2026):
    return date(year, month, day)


@pytest.fixture(scope="session")
def sign(make_project):
    """Sign a project on a business date; its chief agent has no co-agents."""

    def sign_(name, on, *, chief="zhang", investment=1_000, park=None):
        return make_project(signed_on=on, today=RECORDED, name=name, investor=f"{name} Co",
                            chief_agent=chief, co_agents=[], investment=investment, park=park)

    return sign_


def at(project, on, event_type, actor="zhang", **fields):
    """Record an event on a business date; return its version."""
    project.record(event_type, actor=actor, occurred_on=on, today=RECORDED, **fields)
    return project.version


def dispatch_report(period, projects, today=None):
    return dispatch.dispatch_report(period, projects, today, calendar=PACKAGE_CALENDAR)


def report(cadence, period_id, *projects):
    return dispatch_report(Period.parse(cadence, period_id), list(projects))


def ref(project):
    return {"project_id": project.id, "project": project.name}


# ---- period, projects by phase and status, signings ---------------------------------------


def test_a_period_of_2030_has_not_begun_and_is_refused_with_future_period():
    with pytest.raises(DomainError) as refused:
        dispatch_report(Period.parse("weekly", "2030-W01"), [], today=d(11, 30))
    assert (refused.value.code, refused.value.field) == ("future_period", "period")


def test_the_report_names_its_period():
    assert report("half-monthly", "2026-10-H2")["period"] == {
        "cadence": "half-monthly", "id": "2026-10-H2", "start": d(10, 16), "end": d(10, 31),
        "as_of": d(10, 31)}


def test_a_running_period_is_judged_on_today_not_on_its_last_day(sign):
    a = sign("A", d(9, 1))
    at(a, d(9, 1), "milestone_planned", milestone="land_approved", planned_on=d(10, 22))
    at(a, d(9, 1), "approval_applied", approval_id="C1", item="x", department="国土")
    at(a, d(9, 2), "approval_granted", approval_id="C1", missing_documents=["土地证"],
       commitment_due_on=d(10, 23))
    period = Period.parse("weekly", "2026-W43")  # Monday 19 to Sunday 25 October
    running = dispatch_report(period, [a], today=d(10, 21))  # a Wednesday
    ended = dispatch_report(period, [a], today=d(11, 2))
    assert running["period"]["as_of"] == d(10, 21) and ended["period"]["as_of"] == d(10, 25)
    # Due on Thursday and Friday: not overdue on Wednesday. On Sunday, the week's last day,
    # Thursday's milestone is a working day late; Friday's commitment is late from Monday.
    assert (running["milestones_overdue"]["count"], running["commitments"]["overdue_count"],
            running["red_flags"]["count"]) == (0, 0, 0)
    assert [c["approval_id"] for c in running["commitments"]["due"]] == ["C1"]  # due this week
    assert (ended["milestones_overdue"]["count"], ended["commitments"]["overdue_count"]) == (1, 0)
    assert {f["rule"] for f in ended["red_flags"]["flags"]} == {"milestone_overdue"}
    following = dispatch_report(Period.parse("weekly", "2026-W44"), [a], today=d(10, 26))
    assert [c["working_days_overdue"] for c in following["commitments"]["overdue"]] == [1]


def test_projects_are_counted_by_phase_and_status_as_they_stood_at_the_periods_end(sign):
    a = sign("A", d(9, 1))
    at(a, d(9, 20), "milestone_reached", milestone="land_approved")
    at(a, d(10, 2), "terminated", actor="office", reason="investor withdrew")
    b = sign("B", d(9, 5))
    at(b, d(9, 25), "suspended", reason="funding")
    at(b, d(10, 3), "resumed")
    c = sign("C", d(10, 5))

    september = report("monthly", "2026-09", a, b, c)["projects_by_phase_and_status"]
    october = report("monthly", "2026-10", a, b, c)["projects_by_phase_and_status"]

    assert september["by_phase"]["land"] == {
        "active": 1, "suspended": 0, "terminated": 0, "total": 1}
    assert september["by_phase"]["signing"] == {
        "active": 0, "suspended": 1, "terminated": 0, "total": 1}
    assert september["totals"] == {"active": 1, "suspended": 1, "terminated": 0, "total": 2}
    assert october["by_phase"]["land"]["terminated"] == 1
    assert october["by_phase"]["signing"]["active"] == 2
    assert october["totals"] == {"active": 2, "suspended": 0, "terminated": 1, "total": 3}


def test_projects_signed_on_the_15th_and_the_16th_fall_in_different_half_months(sign):
    a = sign("A", d(10, 15), investment=1_000)
    b = sign("B", d(10, 16), investment=3_000)

    first = report("half-monthly", "2026-10-H1", a, b)["signed"]
    second = report("half-monthly", "2026-10-H2", a, b)["signed"]
    month = report("monthly", "2026-10", a, b)["signed"]

    assert first == {"projects": [{"id": a.id, "name": "A", "investor": "A Co",
                                   "investment": 1_000, "signed_on": d(10, 15)}],
                     "count": 1, "total_investment": 1_000}
    assert [p["name"] for p in second["projects"]] == ["B"]
    assert (month["count"], month["total_investment"]) == (2, 4_000)


# ---- milestones ---------------------------------------------------------------------------


def test_a_milestone_recorded_late_counts_in_the_period_of_its_business_date(sign):
    a = sign("A", d(9, 1))
    at(a, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(10, 9))
    at(a, d(9, 2), "milestone_planned", milestone="land_delivered", planned_on=d(10, 30))
    at(a, d(9, 10), "milestone_reached", milestone="project_filed")
    at(a, d(10, 20), "milestone_reached", milestone="land_delivered")
    late = at(a, d(10, 10), "milestone_reached", milestone="land_approved")  # recorded last

    first = report("half-monthly", "2026-10-H1", a)["milestones_reached"]
    second = report("half-monthly", "2026-10-H2", a)["milestones_reached"]
    september = report("monthly", "2026-09", a)["milestones_reached"]

    assert first == {
        "milestones": [ref(a) | {
            "milestone": "land_approved", "phase": "land", "reached_on": d(10, 10),
            "planned_on": d(10, 9), "due_on": d(10, 9), "on_time": False,
            "chief_agent": "zhang", "version": late}],
        "count": 1, "with_plan": 1, "on_time": 0, "on_time_rate": 0.0}
    assert [(m["milestone"], m["on_time"]) for m in second["milestones"]] == [
        ("land_delivered", True)]
    assert second["on_time_rate"] == 1.0
    assert [(m["milestone"], m["planned_on"], m["on_time"]) for m in september["milestones"]] \
        == [("project_filed", None, None)]
    assert september["with_plan"] == 0


def test_a_milestone_is_judged_by_the_plan_in_force_on_the_day_it_was_reached(sign):
    replanned = sign("A", d(9, 1))
    at(replanned, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(10, 5))
    at(replanned, d(9, 30), "milestone_planned", milestone="land_approved",
       planned_on=d(10, 20), reason="holiday")
    at(replanned, d(10, 15), "milestone_reached", milestone="land_approved")
    planned_later = sign("B", d(9, 1))
    at(planned_later, d(10, 12), "milestone_planned", milestone="land_approved",
       planned_on=d(10, 31))
    at(planned_later, d(10, 8), "milestone_reached", milestone="land_approved")

    found = report("monthly", "2026-10", replanned, planned_later)["milestones_reached"]

    assert [(m["project"], m["planned_on"], m["on_time"]) for m in found["milestones"]] == [
        ("B", None, None), ("A", d(10, 20), True)]


def test_a_voided_milestone_stops_counting_and_an_amended_date_moves_it(sign):
    a = sign("A", d(9, 1))
    voided = at(a, d(10, 14), "milestone_reached", milestone="project_filed")
    moved = at(a, d(10, 14), "milestone_reached", milestone="park_review_passed")
    assert report("half-monthly", "2026-10-H1", a)["milestones_reached"]["count"] == 2

    at(a, d(10, 20), "corrected", actor="office", corrects_version=voided, action="void",
       reason="not filed yet")
    at(a, d(10, 20), "corrected", actor="office", corrects_version=moved, action="amend",
       reason="wrong date", changes={"occurred_on": "2026-10-16"})

    assert report("half-monthly", "2026-10-H1", a)["milestones_reached"]["count"] == 0
    second = report("half-monthly", "2026-10-H2", a)["milestones_reached"]
    assert [(m["milestone"], m["reached_on"]) for m in second["milestones"]] == [
        ("park_review_passed", d(10, 16))]


def test_overdue_milestones_count_working_days_across_national_day_and_name_the_owner_then(
        sign):
    a = sign("A", d(9, 1))
    at(a, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(9, 28))
    at(a, d(9, 2), "milestone_planned", milestone="land_delivered", planned_on=d(10, 15))
    at(a, d(9, 2), "milestone_planned", milestone="construction_started", planned_on=d(10, 16))
    at(a, d(10, 12), "team_assigned", actor="office", chief_agent="wang", co_agents=[])
    at(a, d(10, 16), "milestone_reached", milestone="land_approved")  # after the half-month
    suspended = sign("B", d(9, 1))
    at(suspended, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(9, 28))
    at(suspended, d(9, 29), "suspended", reason="funding")

    half = report("half-monthly", "2026-10-H1", a, suspended)["milestones_overdue"]
    week = report("weekly", "2026-W41", a, suspended)["milestones_overdue"]

    # 29, 30 September and 8, 9, 10 (Saturday), 12 to 15 October: 9 working days. Due on the
    # half-month's last day, land_delivered is not late on it; the suspended project owes
    # nothing while suspended.
    assert half == {"count": 1, "milestones": [
        ref(a) | {"milestone": "land_approved", "planned_on": d(9, 28), "due_on": d(9, 28),
                  "working_days_overdue": 9, "owner": "wang"}]}
    assert [(m["milestone"], m["working_days_overdue"], m["owner"])
            for m in week["milestones"]] == [("land_approved", 5, "zhang")]


# ---- approvals and commitments --------------------------------------------------------------


def test_approvals_count_working_days_across_national_day_against_the_industrial_target(sign):
    industrial = sign("Peimei", d(8, 3), park="工业园")
    at(industrial, d(8, 21), "approval_applied", approval_id="A1", item="环评",
       department="生态环境局")
    at(industrial, d(8, 24), "approval_applied", approval_id="A2", item="施工许可",
       department="住建局")
    at(industrial, d(9, 18), "approval_applied", approval_id="A3", item="能评",
       department="发改委")
    at(industrial, d(10, 23), "approval_granted", approval_id="A1")
    at(industrial, d(10, 23), "approval_granted", approval_id="A2")
    at(industrial, d(10, 12), "approval_granted", approval_id="A3")
    other = sign("Shop", d(8, 3))
    at(other, d(9, 30), "approval_applied", approval_id="B1", item="备案", department="发改委")
    at(other, d(10, 8), "approval_granted", approval_id="B1")

    found = report("monthly", "2026-10", industrial, other)["approvals_granted"]

    assert [(a["approval_id"], a["working_days"], a["target_working_days"], a["within_target"])
            for a in found["approvals"]] == [
        ("B1", 1, None, None), ("A3", 12, 40, True), ("A1", 41, 40, False),
        ("A2", 40, 40, True)]
    assert found["approvals"][1] == ref(industrial) | {
        "approval_id": "A3", "item": "能评", "department": "发改委", "applied_on": d(9, 18),
        "granted_on": d(10, 12), "working_days": 12, "industrial": True,
        "target_working_days": 40, "within_target": True}
    assert (found["count"], found["with_target"], found["within_target"]) == (4, 3, 2)
    assert found["share_within_target"] == 0.6667
    assert found["median_working_days"] == 26


def test_commitments_due_in_the_period_and_overdue_at_its_end(sign):
    a = sign("A", d(9, 1))
    for approval_id in ("C1", "C2", "C3"):
        at(a, d(9, 1), "approval_applied", approval_id=approval_id, item="x", department="国土")
    at(a, d(9, 30), "approval_granted", approval_id="C1", missing_documents=["土地证"],
       commitment_due_on=d(10, 9))
    at(a, d(9, 30), "approval_granted", approval_id="C2", missing_documents=["图纸"],
       commitment_due_on=d(10, 20))
    at(a, d(9, 2), "approval_granted", approval_id="C3", missing_documents=["章程"],
       commitment_due_on=d(9, 15))
    at(a, d(9, 14), "commitment_fulfilled", approval_id="C3")
    at(a, d(10, 14), "commitment_fulfilled", approval_id="C1")

    week = report("weekly", "2026-W41", a)["commitments"]
    half = report("half-monthly", "2026-10-H1", a)["commitments"]
    month = report("monthly", "2026-10", a)["commitments"]
    september = report("monthly", "2026-09", a)["commitments"]

    c1 = ref(a) | {"approval_id": "C1", "item": "x", "department": "国土",
                   "granted_on": d(9, 30), "promised_on": d(10, 9), "due_on": d(10, 9),
                   "fulfilled_on": None, "missing_documents": ["土地证"]}
    # Due Friday 9 October; Saturday 10 October is a make-up working day.
    assert week == {"due": [c1], "due_count": 1, "due_fulfilled": 0,
                    "overdue": [c1 | {"working_days_overdue": 1, "owner": "zhang"}],
                    "overdue_count": 1, "closed_by_termination": [],
                    "closed_by_termination_count": 0}
    assert half["due"] == [c1 | {"fulfilled_on": d(10, 14)}]
    assert (half["due_fulfilled"], half["overdue"]) == (1, [])
    assert [c["approval_id"] for c in month["due"]] == ["C1", "C2"]
    assert [(c["approval_id"], c["working_days_overdue"]) for c in month["overdue"]] == [
        ("C2", 8)]
    assert [(c["approval_id"], c["fulfilled_on"]) for c in september["due"]] == [
        ("C3", d(9, 14))]


# ---- problems, escalations and instructions ------------------------------------------------


@pytest.fixture
def troubled(sign):
    """A project with four problems around National Day, one solved then reopened."""
    a = sign("A", d(9, 1))
    at(a, d(9, 1), "problem_raised", problem_id="P4", title="road", responsible_unit="供电公司")
    at(a, d(9, 10), "problem_resolved", problem_id="P4", resolution="paved")
    at(a, d(9, 28), "problem_raised", problem_id="P1", title="land", responsible_unit="自然资源局")
    at(a, d(10, 8), "problem_raised", problem_id="P2", title="deed", responsible_unit="自然资源局")
    at(a, d(10, 10), "problem_raised", problem_id="P3", title="power", responsible_unit="供电公司")
    at(a, d(10, 12), "problem_resolved", problem_id="P3", resolution="line moved")
    at(a, d(10, 13), "problem_reopened", problem_id="P4", reason="cracked")
    at(a, d(10, 9), "problem_resolved", problem_id="P1", resolution="approved")  # late entry
    return a


def test_problems_raised_solved_and_open_with_the_solution_rate_and_days_to_solve(troubled):
    found = report("half-monthly", "2026-10-H1", troubled)["problems"]

    assert [p["problem_id"] for p in found["raised"]] == ["P2", "P3"]
    # P1: 29, 30 September, 8, 9 October; P3: raised Saturday 10th, solved Monday 12th.
    assert [(p["problem_id"], p["resolved_on"], p["working_days"]) for p in found["solved"]] == [
        ("P1", d(10, 9), 4), ("P3", d(10, 12), 1)]
    # Open since it was first raised: P4 from 1 September (28 working days by 15 October).
    assert [(p["problem_id"], p["working_days_open"]) for p in found["open"]] == [
        ("P4", 28), ("P2", 6)]
    # To solve: P1 (open at the start), P2 and P3 (raised), P4 (reopened).
    assert (found["raised_count"], found["solved_count"], found["open_count"],
            found["to_solve_count"]) == (2, 2, 2, 4)
    assert (found["solution_rate"], found["median_working_days_to_solve"]) == (0.5, 2.5)
    assert found["by_unit"] == [
        {"unit": "供电公司", "raised": 1, "solved": 1, "open": 1, "to_solve": 2,
         "solution_rate": 0.5},
        {"unit": "自然资源局", "raised": 1, "solved": 1, "open": 1, "to_solve": 2,
         "solution_rate": 0.5}]


def test_a_problem_solved_and_reopened_later_counts_as_solved_in_its_own_period(troubled):
    september = report("monthly", "2026-09", troubled)["problems"]

    assert [(p["problem_id"], p["working_days"]) for p in september["solved"]] == [("P4", 7)]
    assert [p["problem_id"] for p in september["open"]] == ["P1"]
    assert (september["to_solve_count"], september["solution_rate"]) == (2, 0.5)


def test_a_voided_problem_is_not_counted(troubled):
    voided = at(troubled, d(10, 14), "problem_raised", problem_id="P9", title="x")
    assert report("half-monthly", "2026-10-H1", troubled)["problems"]["raised_count"] == 3

    at(troubled, d(10, 14), "corrected", actor="office", corrects_version=voided,
       action="void", reason="duplicate")

    assert report("half-monthly", "2026-10-H1", troubled)["problems"]["raised_count"] == 2


def test_a_period_with_nothing_to_measure_has_zero_rates_and_no_medians(sign):
    found = report("weekly", "2026-W45", sign("A", d(9, 1)))

    assert (found["problems"]["solution_rate"],
            found["problems"]["median_working_days_to_solve"]) == (0.0, None)
    assert (found["approvals_granted"]["share_within_target"],
            found["approvals_granted"]["median_working_days"]) == (0.0, None)
    assert found["milestones_reached"]["on_time_rate"] == 0.0
    assert found["rankings"] == {"agents": [], "units_by_approvals": [],
                                 "units_by_problems": []}


def test_escalations_and_leaders_instructions_in_the_period(sign):
    a = sign("A", d(9, 1))
    at(a, d(10, 8), "problem_raised", problem_id="P1", title="power line")
    at(a, d(10, 9), "problem_escalated", problem_id="P1", escalated_to="leader", leader="boss",
       note="needs the county")
    at(a, d(10, 12), "instruction_given", actor="boss", instruction="move it by Friday",
       problem_id="P1")
    at(a, d(10, 20), "instruction_given", actor="office", instruction="speed up",
       leader="qian")

    first = report("half-monthly", "2026-10-H1", a)["escalations_and_instructions"]
    second = report("half-monthly", "2026-10-H2", a)["escalations_and_instructions"]

    assert first == {
        "escalations": [ref(a) | {
            "problem_id": "P1", "problem": "power line", "on": d(10, 9), "recorded_by": "zhang",
            "escalated_to": "leader", "leader": "boss", "note": "needs the county"}],
        "escalation_count": 1,
        "instructions": [ref(a) | {
            "problem_id": "P1", "problem": "power line", "on": d(10, 12), "recorded_by": "boss",
            "leader": "boss", "instruction": "move it by Friday"}],
        "instruction_count": 1}
    assert second["escalations"] == []
    assert [(i["leader"], i["recorded_by"], i["problem_id"]) for i in second["instructions"]] \
        == [("qian", "office", None)]


# ---- investment, red flags, rankings --------------------------------------------------------


def test_investment_completed_in_the_period_and_cumulative_against_plan(sign):
    a = sign("A", d(9, 1), investment=1_000)
    b = sign("B", d(9, 1), investment=3_000)
    at(a, d(9, 30), "progress_reported", investment_completed=100)
    october_12 = at(a, d(10, 12), "progress_reported", investment_completed=300)
    at(a, d(10, 5), "progress_reported", investment_completed=200)  # entered late
    at(b, d(10, 20), "progress_reported", investment_completed=500)

    half = report("half-monthly", "2026-10-H1", a, b)["investment"]
    week = report("weekly", "2026-W41", a, b)["investment"]

    assert half == {
        "projects": [
            ref(a) | {"planned": 1_000, "completed": 200, "cumulative": 300,
                      "ratio_to_plan": 0.3},
            ref(b) | {"planned": 3_000, "completed": 0, "cumulative": 0,
                      "ratio_to_plan": 0.0}],
        "completed": 200, "cumulative": 300, "planned": 4_000, "ratio_to_plan": 0.075}
    assert (week["completed"], week["cumulative"]) == (100, 200)

    at(a, d(10, 21), "corrected", actor="office", corrects_version=october_12, action="amend",
       reason="typo", changes={"investment_completed": 250})

    assert report("half-monthly", "2026-10-H1", a, b)["investment"]["completed"] == 150


def test_red_flags_are_those_standing_at_the_periods_end_with_their_owners(sign):
    a = sign("A", d(9, 1))
    at(a, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(9, 28))
    at(a, d(9, 2), "milestone_planned", milestone="land_delivered", planned_on=d(10, 19))
    at(a, d(10, 16), "milestone_reached", milestone="land_approved")

    half = report("half-monthly", "2026-10-H1", a)["red_flags"]
    later = report("half-monthly", "2026-10-H2", a)["red_flags"]

    # land_delivered is yellow on 15 October (two working days away): not listed.
    assert [(f["rule"], f["owner"], f["subject"]["id"], f["due_on"]) for f in half["flags"]] == [
        ("milestone_overdue", "zhang", "land_approved", d(9, 28))]
    assert "9 working days late" in half["flags"][0]["explanation"]
    assert (half["count"], half["by_owner"]) == (1, [{"owner": "zhang", "count": 1}])
    assert [f["subject"]["id"] for f in later["flags"]] == ["land_delivered"]


def test_agents_and_units_are_ranked_by_on_time_rate_and_equal_rates_share_a_rank(sign):
    zhang = sign("A", d(7, 1), chief="zhang", park="工业园")
    at(zhang, d(7, 2), "milestone_planned", milestone="land_approved", planned_on=d(10, 5))
    at(zhang, d(7, 2), "milestone_planned", milestone="land_delivered", planned_on=d(10, 9))
    at(zhang, d(10, 5), "milestone_reached", milestone="land_approved")
    at(zhang, d(10, 12), "milestone_reached", milestone="land_delivered")
    at(zhang, d(7, 1), "approval_applied", approval_id="X1", item="能评", department="发改委")
    at(zhang, d(9, 1), "approval_applied", approval_id="X2", item="备案", department="发改委")
    at(zhang, d(10, 8), "approval_applied", approval_id="X3", item="施工", department="住建局")
    for approval_id in ("X1", "X2", "X3"):
        at(zhang, d(10, 9), "approval_granted", approval_id=approval_id)
    at(zhang, d(10, 8), "problem_raised", problem_id="P1", title="a", responsible_unit="国土")
    at(zhang, d(10, 9), "problem_resolved", problem_id="P1", resolution="done")
    at(zhang, d(10, 8), "problem_raised", problem_id="P2", title="b", responsible_unit="供电")
    at(zhang, d(10, 8), "problem_raised", problem_id="P3", title="c")
    wang = sign("B", d(9, 1), chief="wang")
    at(wang, d(9, 2), "milestone_planned", milestone="project_filed", planned_on=d(10, 10))
    at(wang, d(10, 8), "milestone_reached", milestone="project_filed")
    at(wang, d(10, 13), "team_assigned", actor="office", chief_agent="chen", co_agents=[])
    at(wang, d(9, 1), "approval_applied", approval_id="Y1", item="x", department="自然资源局")
    at(wang, d(10, 9), "approval_granted", approval_id="Y1")  # not industrial: no target
    li = sign("C", d(9, 1), chief="li")
    at(li, d(9, 2), "milestone_planned", milestone="project_filed", planned_on=d(10, 10))
    at(li, d(10, 9), "milestone_reached", milestone="project_filed")
    at(li, d(10, 9), "milestone_reached", milestone="park_review_passed")  # no plan

    found = report("half-monthly", "2026-10-H1", zhang, wang, li)["rankings"]

    assert found["agents"] == [
        {"rank": 1, "name": "li", "on_time": 1, "with_plan": 1, "rate": 1.0},
        {"rank": 1, "name": "wang", "on_time": 1, "with_plan": 1, "rate": 1.0},
        {"rank": 3, "name": "zhang", "on_time": 1, "with_plan": 2, "rate": 0.5}]
    assert found["units_by_approvals"] == [
        {"rank": 1, "name": "住建局", "within_target": 1, "with_target": 1, "rate": 1.0},
        {"rank": 2, "name": "发改委", "within_target": 1, "with_target": 2, "rate": 0.5}]
    assert found["units_by_problems"] == [
        {"rank": 1, "name": "国土", "solved": 1, "to_solve": 1, "rate": 1.0},
        {"rank": 2, "name": "供电", "solved": 0, "to_solve": 1, "rate": 0.0}]


# ---- roll-up --------------------------------------------------------------------------------


def test_a_week_straddling_two_months_counts_its_days_in_each(sign):
    projects = [sign("A", d(9, 29)), sign("B", d(10, 2)), sign("C", d(10, 20))]

    week = report("weekly", "2026-W40", *projects)["roll_up"]  # 28 September to 4 October

    september, october = week["into"]
    assert week["period"]["signed"] == 2
    assert september["enclosing"] == {"cadence": "monthly", "id": "2026-09", "start": d(9, 1),
                                      "end": d(9, 30)}
    assert (september["days"], september["to_date"]) == (
        {"start": d(9, 28), "end": d(9, 30)}, {"start": d(9, 1), "end": d(9, 30)})
    assert (october["days"], october["to_date"]) == (
        {"start": d(10, 1), "end": d(10, 4)}, {"start": d(10, 1), "end": d(10, 4)})
    for month in (september, october):
        assert (month["contribution"]["signed"], month["enclosing_to_date"]["signed"],
                month["share"]["signed"]) == (1, 1, 1.0)


def test_a_running_week_counts_only_in_the_months_it_has_reached(sign):
    projects = [sign("A", d(11, 30))]

    week = dispatch_report(Period.parse("weekly", "2026-W49"), projects, today=d(11, 30))

    assert [into["enclosing"]["id"] for into in week["roll_up"]["into"]] == ["2026-11"]
    assert week["roll_up"]["into"][0]["share"]["signed"] == 1.0


def test_half_months_roll_up_into_months_and_quarters_into_the_year(sign):
    projects = [sign("A", d(9, 29)), sign("B", d(10, 2)), sign("C", d(10, 20))]

    half = report("half-monthly", "2026-10-H2", *projects)["roll_up"]
    quarter = report("quarterly", "2026-Q4", *projects)["roll_up"]
    last_week = report("weekly", "2026-W53", *projects)["roll_up"]

    [month] = half["into"]
    assert (month["enclosing"]["id"], month["to_date"]["end"]) == ("2026-10", d(10, 31))
    assert (half["period"]["signed"], month["enclosing_to_date"]["signed"],
            month["share"]["signed"]) == (1, 2, 0.5)
    [year] = quarter["into"]
    assert year["enclosing"]["cadence"] == "yearly"
    assert (quarter["period"]["signed"], year["enclosing_to_date"]["signed"],
            year["share"]["signed"]) == (2, 3, 0.6667)
    assert [into["to_date"] for into in last_week["into"]] == [
        {"start": d(12, 1), "end": d(12, 31)}, {"start": d(1, 1, 2027), "end": d(1, 3, 2027)}]


# ---- properties over random histories -------------------------------------------------------

PARKS = st.sampled_from([None, "工业园"])
# Most projects are signed early enough for most random events to be accepted; some in April.
SIGNING_OFFSET = st.one_of(st.integers(0, 3), st.integers(4, 40))
RANDOM_PROJECT = st.tuples(SIGNING_OFFSET, PARKS, st.lists(COMMANDS, min_size=10, max_size=40))


def build(make_project, specs):
    """Projects signed from RANDOM_START on, each given random commands; refusals skipped."""
    projects = []
    for index, (offset, park, commands) in enumerate(specs):
        signed_on = RANDOM_START + timedelta(days=offset)
        project = make_project(name=f"P{index}", signed_on=signed_on, today=RANDOM_TODAY,
                               investment=100, park=park)
        for event_type, fields in PRELUDE:
            project.record(event_type, actor="zhang", occurred_on=signed_on, today=RANDOM_TODAY,
                           **fields)
        for event_type, on, fields in commands:
            if "pick" in fields:
                fields = dict(fields)
                fields["corrects_version"] = project.version - fields.pop("pick") % project.version
            try:
                project.record(event_type, actor="zhang", occurred_on=on, today=RANDOM_TODAY,
                               **fields)
            except DomainError:
                continue
        projects.append(project)
    return projects


def direct(projects, start, end):
    """The headline figures of the days from start to end, straight from the facts."""
    counts = dict.fromkeys(HEADLINE, 0)
    kinds = {"signed": "signed", "milestone_reached": "milestones_reached",
             "approval_granted": "approvals_granted", "problem_raised": "problems_raised"}
    for project in projects:
        facts = [project.fact(v) for v in range(1, len(project.facts) + 1)]
        live = [f for f in facts if not f["void"] and f["type"] != "corrected"]
        for fact in live:
            if start <= fact["occurred_on"] <= end and fact["type"] in kinds:
                counts[kinds[fact["type"]]] += 1

        def cumulative(day):
            return max((f["data"]["investment_completed"] for f in live
                        if f["type"] == "progress_reported" and f["occurred_on"] <= day),
                       default=0)

        counts["investment_completed"] += cumulative(end) - cumulative(start - timedelta(1))
        last_change = {}
        for fact in live:
            if fact["occurred_on"] <= end and fact["type"] in (
                    "problem_raised", "problem_resolved", "problem_reopened"):
                last_change[fact["data"]["problem_id"]] = fact
        counts["problems_solved"] += sum(
            1 for f in last_change.values()
            if f["type"] == "problem_resolved" and start <= f["occurred_on"] <= end)
    return counts


def weeks_touching(month):
    week = Period.containing("weekly", month.start)
    while week.start <= month.end:
        yield week
        week = week.next()


@settings(max_examples=40, deadline=None)
@given(st.lists(RANDOM_PROJECT, min_size=1, max_size=3), st.sampled_from(["2024-03", "2024-04"]))
def test_headline_figures_equal_the_events_and_add_up_across_cadences(
        make_project, specs, month_id):
    projects = build(make_project, specs)
    month = Period.parse("monthly", month_id)
    additive = [name for name in HEADLINE if name != "problems_solved"]

    def figures(period):
        found = dispatch_report(period, projects)
        assert found["roll_up"]["period"] == direct(projects, period.start, period.end)
        problems = found["problems"]
        assert 0 <= problems["solution_rate"] <= 1
        assert problems["solved_count"] <= problems["to_solve_count"]
        assert found["signed"]["count"] == found["roll_up"]["period"]["signed"]
        assert found["milestones_reached"]["count"] == \
            found["roll_up"]["period"]["milestones_reached"]
        return found

    whole = figures(month)["roll_up"]["period"]
    halves = [figures(Period.parse("half-monthly", f"{month_id}-H{n}")) for n in (1, 2)]
    for name in additive:
        assert whole[name] == sum(half["roll_up"]["period"][name] for half in halves)

    # The weeks' contributions to the month, the straddling ones' days in it included, make
    # the month.
    in_month = dict.fromkeys(additive, 0)
    for week in weeks_touching(month):
        [into] = [into for into in figures(week)["roll_up"]["into"]
                  if into["enclosing"]["id"] == month.id]
        for name in additive:
            in_month[name] += into["contribution"][name]
    assert in_month == {name: whole[name] for name in additive}


class Unremembered(History):
    """A history that works every judgement out each time it is asked (as before
    History.judged)."""

    def judged(self, what, args, calendar, judge):
        return judge(calendar)


@settings(max_examples=25, deadline=None)
@given(st.lists(RANDOM_PROJECT, min_size=1, max_size=2), st.randoms(use_true_random=False))
def test_a_history_asked_for_many_parts_answers_as_one_remembering_nothing(
        make_project, specs, order):
    """A project's parts of every cadence's periods, judged on several days by two
    calendars (another county's settings), made from one history (its judgements remembered:
    History.judged), in any order, equal those made from a history that remembers none."""
    calendars = (PACKAGE_CALENDAR, PACKAGE_CALENDAR.with_county(4, 5))
    wanted = [(kind, Period.containing(cadence, day), as_of, calendar)
              for cadence in ("weekly", "half-monthly", "monthly", "quarterly")
              for day in (date(2024, 3, 14), date(2024, 4, 30))
              for as_of in (day, day + timedelta(days=9))
              for kind in (dispatch.report_part, trend_part)
              for calendar in calendars]
    order.shuffle(wanted)
    for project in build(make_project, specs):
        shared, afresh = History(project), Unremembered(project)
        for make, period, as_of, calendar in wanted:
            as_of = dispatch.judged_on(period, as_of)
            assert make(shared, period, as_of, calendar) == \
                make(afresh, period, as_of, calendar)


@settings(max_examples=25, deadline=None)
@given(st.lists(RANDOM_PROJECT, min_size=1, max_size=2))
def test_a_history_of_the_facts_a_view_keeps_reads_as_the_projects(make_project, specs):
    """The facts the cards keep of a project (Project.facts_text, read back by FactsOf): the
    facts the rules read as corrected, and the corrections citing them. Every report part and
    trend part made of them, flags citing their events included, is the project's."""
    days = (date(2024, 3, 14), date(2024, 4, 30), date(2024, 6, 30))
    for project in build(make_project, specs):
        stored = FactsOf(project.id, project.version, project.facts_text(READ_TYPES))
        ours, theirs = History(project), History(stored)
        assert theirs.facts == ours.facts
        for cadence in CADENCES:
            for day in days:
                period = Period.containing(cadence, day)
                for make in (dispatch.report_part, trend_part):
                    assert make(theirs, period, day, PACKAGE_CALENDAR) == \
                        make(ours, period, day, PACKAGE_CALENDAR)


BASIS_DAYS = [RANDOM_START + timedelta(days=n) for n in range(0, 61, 10)]


def test_writes_dated_after_a_day_leave_its_basis_and_others_change_it(make_project):
    """A history's basis on a day (History.basis) is what the rules read on it: recording a
    fact dated later, or a visit (no rule reads one), leaves it; a fact dated on or before the
    day, or a correction of one (recorded later), changes it; and a correction moving a fact
    changes it from the earlier of the two dates."""
    project = make_project(signed_on=d(3, 1), today=d(6, 30))
    early, late = d(3, 10), d(5, 10)

    def bases():
        history = History(project)
        return [history.basis(day) for day in (d(3, 1), early, d(4, 1), late)]

    def record(event_type, on, **fields):
        project.record(event_type, actor="zhang", occurred_on=on, today=d(6, 30), **fields)
        return bases()

    before = bases()
    assert len(set(before)) == 1  # the signing only, on every day
    after_late = record("problem_raised", late, problem_id="P1", title="后来的问题")
    assert after_late[:3] == before[:3] and after_late[3] != before[3]
    assert record("visit_logged", early, purpose="走访") == after_late
    after_early = record("milestone_planned", early, milestone="land_approved",
                         planned_on=d(4, 20))
    assert after_early[0] == before[0] and after_early[1] != after_late[1]
    planned = project.version
    moved = record("corrected", d(6, 1), corrects_version=planned, action="amend",
                   reason="记错日期", changes={"occurred_on": d(4, 1)})
    assert moved[0] == before[0] and all(a != b for a, b in zip(moved[1:], after_early[1:]))
    # What a view keeps of the project has the same bases as the project.
    stored = History(FactsOf(project.id, project.version, project.facts_text(READ_TYPES)))
    assert [stored.basis(day) for day in (d(3, 1), early, d(4, 1), late)] == moved


def test_parts_judged_on_a_day_of_the_same_basis_are_the_same_whatever_was_recorded_since(
        make_project):
    """As random commands are recorded on a project, its report parts (a day's half, a
    week's half, a month's trend part) judged on each of several days: wherever two versions
    of the project have one basis on the day a part reads facts up to (the day judged, or a
    period's end if later: `Dispatching._make_parts`), their parts are the same, so a part
    kept can stand for a later version of the same basis (domain.dispatch_parts.Make)."""
    stood = Counter()

    @settings(max_examples=40, deadline=None)
    @given(RANDOM_PROJECT)
    def check(spec):
        offset, park, commands = spec
        signed_on = RANDOM_START + timedelta(days=offset)
        project = make_project(name="P", signed_on=signed_on, today=RANDOM_TODAY,
                               investment=100, park=park)
        seen: dict[tuple, dict] = {}
        for event_type, on, fields in [(t, signed_on, f) for t, f in PRELUDE] + commands:
            if "pick" in fields:
                fields = dict(fields)
                fields["corrects_version"] = \
                    project.version - fields.pop("pick") % project.version
            try:
                project.record(event_type, actor="zhang", occurred_on=on, today=RANDOM_TODAY,
                               **fields)
            except DomainError:
                continue
            history = History(FactsOf(project.id, project.version,
                                       project.facts_text(READ_TYPES)))
            for day in BASIS_DAYS:
                for kind, period in (("day", None), ("period", Period.containing("weekly", day)),
                                     ("trend", Period.containing("monthly", day))):
                    if kind == "day":
                        part = dispatch.day_part(history, day, PACKAGE_CALENDAR)
                    else:
                        part = (dispatch.period_part if kind == "period" else trend_part)(
                            history, period, day, PACKAGE_CALENDAR)
                    basis = history.basis(day if period is None else period.end)
                    was = seen.setdefault((kind, day, basis), part)
                    assert was == part, (kind, day, event_type)
                    stood["stood" if was is not part else "made"] += 1

    check()
    # Commands are dated over the two months: the parts of the days before each one stand.
    assert stood["stood"] > 0 and stood["made"] > 0, stood


def test_a_project_signed_after_a_periods_end_adds_nothing_to_its_report_or_trend(
        make_project):
    """The parts of a project signed after a period's end are left out of its report and
    trend point (judged on its last day, or on a day in it while it runs), which are the same
    without them: the view makes no such part (Dispatching._signed_by), so a period long
    gone is made of the projects signed by then, not of every project signed since."""
    compared = Counter()

    @settings(max_examples=25, deadline=None)
    @given(st.lists(RANDOM_PROJECT, min_size=2, max_size=3), st.sampled_from(CADENCES),
           st.integers(0, 40))
    def check(specs, cadence, offset):
        histories = [History(project) for project in build(make_project, specs)]
        day = RANDOM_START + timedelta(days=offset)
        period = Period.containing(cadence, day)
        signed = [h for h in histories if h.signed_on <= period.end]
        later = [h for h in histories if h.signed_on > period.end]
        compared[bool(later)] += 1
        for as_of in {dispatch.judged_on(period, day), dispatch.judged_on(period, RANDOM_TODAY)}:
            for make, made_of in (
                    (dispatch.report_part, lambda parts: dispatch.assemble(
                        period, as_of, parts,
                        parallel_weekday=PACKAGE_CALENDAR.parallel_weekday)),
                    (trend_part, lambda parts: trend_point(period, parts))):
                parts = [make(history, period, as_of, PACKAGE_CALENDAR)
                         for history in signed + later]
                assert made_of(parts) == made_of(parts[:len(signed)])

    check()
    assert compared[True] > 0, compared  # some projects were signed after the period


def test_a_part_is_a_days_half_and_a_periods_half_sharing_only_their_unknown_years(sign):
    """Every section of a report's part is in exactly one half: the day's (what stands on the
    day judged, the same in every period judged on it) or the period's."""
    history, as_of = History(sign("A", d(9, 1))), d(9, 14)
    period = Period.containing("monthly", as_of)
    day = dispatch.day_part(history, as_of, PACKAGE_CALENDAR)
    its = dispatch.period_part(history, period, as_of, PACKAGE_CALENDAR)
    assert set(day) == {*dispatch.DAY_SECTIONS, "unknown_years"}
    assert set(day) & set(its) == {"unknown_years"}
    whole = dispatch.report_part(history, period, as_of, PACKAGE_CALENDAR)
    assert set(whole) == set(day) | set(its)
    assert dispatch.joined({"unknown_years": [2031, 2029]}, {"unknown_years": [2030, 2029]}
                           )["unknown_years"] == [2029, 2030, 2031]


@pytest.mark.parametrize(("day", "kept"), [
    (date(2026, 10, 12), date(2026, 10, 15)),  # a Monday: pruned once gone by
    (date(2026, 10, 11), date(2026, 10, 11)),  # a Sunday: a week ends on it
    (date(2026, 10, 15), date(2026, 10, 15)),  # the first half of October ends on it
    (date(2026, 10, 16), date(2026, 10, 18)),  # a Friday
    (date(2026, 12, 31), date(2026, 12, 31)),  # a quarter (and month, half) ends on it
])
def test_a_days_half_is_kept_while_it_is_today_or_a_period_ends_on_it(day, kept):
    """Parts judged on a day gone by are pruned if judged before the day `kept_until` says
    (projections.dispatch_parts): a day's half on the day some period ended is asked for
    whenever that period's report is read; any other day's only while it is today."""
    assert kept_until(None, day) == kept
    assert (kept == day) == any(Period.containing(c, day).end == day for c in CADENCES)
    period = Period.containing("monthly", day)
    assert kept_until(period, day) == period.end


def test_the_time_for_making_parts_passes_only_where_one_is_given():
    """`making_for` gives the parts made in it a time (a web request's); outside it, or
    given none (None, 0: the view runner, the commands), it never passes; an inner one
    ends with its block."""
    assert not out_of_time()
    for none in (None, 0):
        with making_for(none):
            assert not out_of_time()
    with making_for(3600):
        assert not out_of_time()
        with making_for(1e-9):
            began = monotonic()
            while monotonic() == began:
                pass
            assert out_of_time()
        assert not out_of_time()
    assert not out_of_time()

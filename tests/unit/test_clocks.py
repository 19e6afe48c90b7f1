"""The flags and colours the rules give, across the 2026 National Day week, and how each flag
explains itself.

2026 by the official calendar: Mid-Autumn Fri 25 to Sun 27 September and National Day Thu 1
to Wed 7 October are days off; Sunday 20 September and Saturday 10 October are worked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import clocks
from domain.calendar import PACKAGE_CALENDAR
from domain.clocks import (
    COMMITMENT_OVERDUE,
    MILESTONE_DUE_SOON,
    MILESTONE_OVERDUE,
    OPINION_OVERDUE,
    PROBLEM_FOLLOW_UP_LATE,
    PROBLEM_NOT_SOLVED_SAME_DAY,
    PROBLEM_PLAN_LATE,
)

working_days_between = PACKAGE_CALENDAR.working_days_between


def flags(project, today):
    return clocks.flags(project, today, calendar=PACKAGE_CALENDAR)


def milestone_colours(project, today):
    return clocks.milestone_colours(project, today, calendar=PACKAGE_CALENDAR)


def _of(kind):
    def found(project, today):
        return [flag for flag in flags(project, today) if flag.subject["kind"] == kind]
    return found


milestone_flags, problem_flags, commitment_flags = (
    _of("milestone"), _of("problem"), _of("commitment"))

SIGNED_ON = date(2026, 9, 1)
RECORDED_BY = date(2026, 12, 31)  # the recording's "today": events may be dated up to it
BEFORE_HOLIDAY = date(2026, 9, 30)  # Wednesday, the last working day before National Day
HOLIDAY = date(2026, 10, 3)
AFTER_HOLIDAY = date(2026, 10, 8)  # Thursday, the first working day after it
MAKE_UP_SATURDAY = date(2026, 10, 10)


@pytest.fixture
def project(make_project):
    """A project signed on 1 September 2026, chief agent zhang."""
    return make_project(signed_on=SIGNED_ON, today=RECORDED_BY)


@pytest.fixture(scope="session")
def at(record):
    """Record an event on a business date (all recorded on RECORDED_BY)."""

    def at_(project, on, event_type, **fields):
        return record(project, event_type, on=on, today=RECORDED_BY, **fields)

    return at_


def rules(found):
    return [(flag.rule, flag.colour) for flag in found]


def plan(at, project, planned_on, milestone="land_approved", on=SIGNED_ON):
    at(project, on, "milestone_planned", milestone=milestone, planned_on=planned_on)


def raise_problem(at, project, on, problem_id="P1", same_day=False):
    at(project, on, "problem_raised", problem_id=problem_id, title="power line",
       same_day=same_day)


# ---- milestones ----------------------------------------------------------------------


def test_a_milestone_twelve_days_away_across_national_day_is_yellow(project, at):
    plan(at, project, date(2026, 10, 12))  # 8, 9, 10 (Saturday) and 12 October: 4 working days

    assert milestone_colours(project, BEFORE_HOLIDAY) == {"land_approved": "yellow"}


def test_a_milestone_five_working_days_away_is_yellow_and_six_is_green(project, at):
    plan(at, project, date(2026, 10, 13), milestone="land_approved")
    plan(at, project, date(2026, 10, 14), milestone="land_delivered")

    assert milestone_colours(project, BEFORE_HOLIDAY) == {
        "land_approved": "yellow", "land_delivered": "green",
    }


def test_a_milestone_due_today_is_yellow_and_red_the_day_after(project, at):
    plan(at, project, AFTER_HOLIDAY)

    assert milestone_colours(project, AFTER_HOLIDAY) == {"land_approved": "yellow"}
    assert milestone_colours(project, AFTER_HOLIDAY + timedelta(days=1)) == {
        "land_approved": "red"
    }


def test_a_milestone_planned_on_a_holiday_is_due_the_first_working_day_after_it(project, at):
    plan(at, project, HOLIDAY)

    assert milestone_colours(project, HOLIDAY + timedelta(days=1)) == {"land_approved": "yellow"}
    [flag] = milestone_flags(project, AFTER_HOLIDAY)
    assert (flag.colour, flag.due_on, flag.working_days_left) == ("yellow", AFTER_HOLIDAY, 0)
    [flag] = milestone_flags(project, date(2026, 10, 9))
    assert (flag.rule, flag.due_on, flag.working_days_late) == (
        MILESTONE_OVERDUE, AFTER_HOLIDAY, 1)
    assert "planned for 2026-10-03, a day off" in flag.explanation
    assert flag.reason == {"rule": MILESTONE_OVERDUE, "values": {
        "kind": "milestone", "title": "land_approved", "day": date(2026, 10, 9),
        "due_on": AFTER_HOLIDAY, "promised_on": HOLIDAY, "working_days_late": 1,
        "working_days_left": None, "warning_working_days": 5, "previous": None,
        "paused_working_days": 0, "unknown_years": []}}


def test_an_overdue_milestone_explains_itself(project, at):
    plan(at, project, BEFORE_HOLIDAY)

    [flag] = milestone_flags(project, date(2026, 10, 9))

    assert (flag.rule, flag.colour, flag.owner, flag.due_on, flag.working_days_late) == (
        MILESTONE_OVERDUE, "red", "zhang", BEFORE_HOLIDAY, 2)
    assert flag.subject | {"project_id": None} == {
        "kind": "milestone", "id": "land_approved", "title": "land_approved",
        "project_id": None, "project": "Luli new materials",
    }
    assert flag.thresholds == {"warning_working_days": 5}
    assert flag.events == [{"version": 2, "type": "milestone_planned", "occurred_on": SIGNED_ON, "actor": "zhang"}]
    assert "2 working days late" in flag.explanation  # 8 and 9 October; the holiday is not


def test_a_reached_milestone_has_no_colour(project, at):
    plan(at, project, BEFORE_HOLIDAY)
    at(project, BEFORE_HOLIDAY, "milestone_reached", milestone="land_approved")

    assert milestone_colours(project, date(2026, 10, 9)) == {}


def test_a_milestone_reached_after_today_was_still_due_on_that_day(project, at):
    plan(at, project, BEFORE_HOLIDAY)
    at(project, date(2026, 10, 12), "milestone_reached", milestone="land_approved")

    assert milestone_colours(project, date(2026, 10, 9)) == {"land_approved": "red"}


def test_a_milestone_of_a_phase_already_passed_was_skipped_and_has_no_colour(project, at):
    plan(at, project, BEFORE_HOLIDAY, milestone="park_review_passed")
    at(project, date(2026, 9, 10), "milestone_reached", milestone="land_approved")

    assert milestone_colours(project, date(2026, 10, 9)) == {}


def test_a_replanned_milestone_follows_its_new_date_and_cites_the_replanning(project, at):
    plan(at, project, BEFORE_HOLIDAY)
    at(project, date(2026, 9, 20), "milestone_planned", actor="li", milestone="land_approved",
       planned_on=date(2026, 10, 9), reason="land survey late")

    [flag] = milestone_flags(project, AFTER_HOLIDAY)

    assert (flag.rule, flag.due_on) == (MILESTONE_DUE_SOON, date(2026, 10, 9))
    assert flag.events == [{"version": 3, "type": "milestone_planned", "occurred_on": date(2026, 9, 20), "actor": "li"}]
    assert "replanned from 2026-09-30" in flag.explanation


def test_a_flag_cites_the_correction_that_amended_its_event(project, at):
    plan(at, project, date(2026, 11, 30))
    at(project, date(2026, 9, 2), "corrected", actor="office", corrects_version=2,
       action="amend", reason="typo", changes={"planned_on": "2026-09-30"})

    [flag] = milestone_flags(project, date(2026, 10, 9))

    assert flag.due_on == BEFORE_HOLIDAY
    assert [(e["version"], e["actor"]) for e in flag.events] == [(2, "zhang"), (3, "office")]


def test_the_owner_is_the_chief_agent_as_of_today(project, at):
    plan(at, project, BEFORE_HOLIDAY)
    at(project, date(2026, 10, 12), "team_assigned", actor="office", chief_agent="wang",
       co_agents=["li"])

    assert milestone_flags(project, date(2026, 10, 9))[0].owner == "zhang"
    assert milestone_flags(project, date(2026, 10, 12))[0].owner == "wang"


# ---- problems ------------------------------------------------------------------------


def test_a_same_day_problem_is_fine_on_the_day_it_was_raised(project, at):
    raise_problem(at, project, BEFORE_HOLIDAY, same_day=True)

    assert problem_flags(project, BEFORE_HOLIDAY) == []


def test_a_same_day_problem_left_open_is_red_from_the_next_working_day(project, at):
    raise_problem(at, project, BEFORE_HOLIDAY, same_day=True)

    assert problem_flags(project, HOLIDAY) == []  # no working day has passed
    [flag] = problem_flags(project, AFTER_HOLIDAY)

    assert (flag.rule, flag.colour, flag.due_on, flag.owner, flag.working_days_late) == (
        PROBLEM_NOT_SOLVED_SAME_DAY, "red", BEFORE_HOLIDAY, "zhang", 1)
    assert flag.events == [{"version": 2, "type": "problem_raised", "occurred_on": BEFORE_HOLIDAY, "actor": "zhang"}]
    assert "不过夜" in flag.explanation


def test_a_same_day_problem_resolved_that_day_has_no_flag(project, at):
    raise_problem(at, project, BEFORE_HOLIDAY, same_day=True)
    at(project, BEFORE_HOLIDAY, "problem_resolved", problem_id="P1", resolution="done")

    assert problem_flags(project, AFTER_HOLIDAY) == []


def test_a_same_day_problem_resolved_late_is_red_until_it_is_resolved(project, at):
    raise_problem(at, project, BEFORE_HOLIDAY, same_day=True)
    at(project, date(2026, 10, 9), "problem_resolved", problem_id="P1", resolution="done")

    assert rules(problem_flags(project, AFTER_HOLIDAY)) == [(PROBLEM_NOT_SOLVED_SAME_DAY, "red")]
    assert problem_flags(project, date(2026, 10, 9)) == []


def test_a_same_day_problem_needs_no_solution_plan(project, at):
    raise_problem(at, project, date(2026, 9, 29), same_day=True)

    assert rules(problem_flags(project, date(2026, 10, 9))) == [
        (PROBLEM_NOT_SOLVED_SAME_DAY, "red")
    ]


def test_a_same_day_problem_solved_that_day_and_reopened_is_not_a_same_day_breach(project, at):
    raise_problem(at, project, date(2026, 9, 29), same_day=True)
    at(project, date(2026, 9, 29), "problem_resolved", problem_id="P1", resolution="done")
    at(project, BEFORE_HOLIDAY, "problem_reopened", problem_id="P1", reason="back again")

    assert problem_flags(project, date(2026, 10, 9)) == []


def test_the_plan_deadline_skips_the_national_day_week(project, at):
    raise_problem(at, project, date(2026, 9, 29))  # due 30 September and 8 October

    assert problem_flags(project, date(2026, 10, 7)) == []  # Monday–Friday would say 1 October
    assert problem_flags(project, AFTER_HOLIDAY) == []
    [flag] = problem_flags(project, date(2026, 10, 9))
    assert (flag.rule, flag.due_on, flag.thresholds) == (
        PROBLEM_PLAN_LATE, AFTER_HOLIDAY, {"plan_within_working_days": 2})


def test_a_problem_raised_on_a_holiday_counts_from_the_next_working_day(project, at):
    raise_problem(at, project, HOLIDAY)  # due 8 and 9 October

    assert problem_flags(project, date(2026, 10, 9)) == []
    assert rules(problem_flags(project, MAKE_UP_SATURDAY)) == [(PROBLEM_PLAN_LATE, "red")]


def test_a_plan_proposed_in_time_has_no_flag(project, at):
    raise_problem(at, project, date(2026, 9, 29))
    at(project, AFTER_HOLIDAY, "problem_plan_proposed", problem_id="P1", plan="move the line")

    assert problem_flags(project, date(2026, 10, 9)) == []


def test_a_plan_proposed_after_today_does_not_count_today(project, at):
    raise_problem(at, project, date(2026, 9, 29))
    at(project, date(2026, 10, 12), "problem_plan_proposed", problem_id="P1", plan="move it")

    assert rules(problem_flags(project, date(2026, 10, 9))) == [(PROBLEM_PLAN_LATE, "red")]


@pytest.fixture
def old_problem(project, at):
    """Raised Monday 21 September with a plan; its 10th working day is 12 October."""
    raise_problem(at, project, date(2026, 9, 21))
    at(project, date(2026, 9, 22), "problem_plan_proposed", problem_id="P1", plan="move it")
    return project


def test_an_old_problem_needs_a_follow_up_five_working_days_after_it_became_old(old_problem):
    assert problem_flags(old_problem, date(2026, 10, 19)) == []
    [flag] = problem_flags(old_problem, date(2026, 10, 20))
    assert (flag.rule, flag.colour, flag.due_on) == (
        PROBLEM_FOLLOW_UP_LATE, "red", date(2026, 10, 19))
    assert flag.thresholds == {"old_after_working_days": 10, "follow_up_every_working_days": 5}
    assert "became old on 2026-10-12" in flag.explanation
    assert {k: flag.reason["values"][k] for k in ("raised_on", "old_on", "since_kind",
                                                 "since_on")} == {
        "raised_on": date(2026, 9, 21), "old_on": date(2026, 10, 12), "since_kind": None,
        "since_on": None}


def test_a_follow_up_restarts_the_clock_and_is_cited(old_problem, at):
    at(old_problem, date(2026, 10, 16), "problem_followed_up", actor="li", problem_id="P1",
       note="called the power company")

    assert problem_flags(old_problem, date(2026, 10, 24)) == []  # due Friday; this a Saturday
    [flag] = problem_flags(old_problem, date(2026, 10, 26))
    assert flag.due_on == date(2026, 10, 23)
    assert [(e["version"], e["actor"]) for e in flag.events] == [(2, "zhang"), (4, "li")]


def test_a_follow_up_before_the_problem_was_old_does_not_bring_the_next_one_forward(
    old_problem, at,
):
    at(old_problem, date(2026, 10, 9), "problem_followed_up", problem_id="P1", note="early")

    assert problem_flags(old_problem, date(2026, 10, 19)) == []


def test_a_resolved_problem_has_no_flags(old_problem, at):
    at(old_problem, date(2026, 10, 14), "problem_resolved", problem_id="P1", resolution="done")

    assert problem_flags(old_problem, date(2026, 11, 30)) == []


@pytest.mark.parametrize(("escalation", "owner"), [
    ({"escalated_to": "leader", "leader": "boss"}, "boss"),
    ({"escalated_to": "office"}, "office"),
])
def test_an_escalated_problem_is_owned_by_whoever_took_it_over(project, at, escalation, owner):
    raise_problem(at, project, date(2026, 9, 29))
    at(project, BEFORE_HOLIDAY, "problem_escalated", problem_id="P1", **escalation)

    [flag] = problem_flags(project, date(2026, 10, 9))

    assert flag.owner == owner
    assert [e["version"] for e in flag.events] == [2, 3]


# ---- commitments ---------------------------------------------------------------------


def grant(at, project, due_on, missing=("land deed",)):
    at(project, date(2026, 9, 2), "approval_applied", approval_id="A1", item="环评",
       department="生态环境局")
    at(project, date(2026, 9, 3), "approval_granted", actor="li", approval_id="A1",
       missing_documents=list(missing), commitment_due_on=due_on)


def test_a_commitment_due_on_a_working_day_is_red_the_next_working_day(project, at):
    grant(at, project, BEFORE_HOLIDAY)

    assert commitment_flags(project, BEFORE_HOLIDAY) == []
    assert commitment_flags(project, date(2026, 10, 1)) == []  # National Day: not a working day
    [flag] = commitment_flags(project, AFTER_HOLIDAY)
    assert (flag.rule, flag.colour, flag.owner, flag.due_on, flag.working_days_late) == (
        COMMITMENT_OVERDUE, "red", "zhang", BEFORE_HOLIDAY, 1)
    assert flag.subject["title"] == "环评 (生态环境局)"
    assert flag.events == [{"version": 3, "type": "approval_granted", "occurred_on": date(2026, 9, 3), "actor": "li"}]


def test_a_commitment_due_in_the_holiday_is_kept_on_the_first_working_day_after(project, at):
    grant(at, project, HOLIDAY)

    assert commitment_flags(project, AFTER_HOLIDAY) == []
    [flag] = commitment_flags(project, date(2026, 10, 9))
    assert flag.due_on == AFTER_HOLIDAY
    assert "promised for 2026-10-03, a day off" in flag.explanation


def test_a_fulfilled_commitment_has_no_flag_from_the_day_it_was_fulfilled(project, at):
    grant(at, project, BEFORE_HOLIDAY)
    at(project, date(2026, 10, 9), "commitment_fulfilled", approval_id="A1")

    assert rules(commitment_flags(project, AFTER_HOLIDAY)) == [(COMMITMENT_OVERDUE, "red")]
    assert commitment_flags(project, date(2026, 10, 9)) == []


def test_an_approval_granted_in_full_has_no_commitment_to_flag(project, at):
    at(project, date(2026, 9, 2), "approval_applied", approval_id="A1", item="环评",
       department="生态环境局")
    at(project, date(2026, 9, 3), "approval_granted", approval_id="A1")

    assert commitment_flags(project, RECORDED_BY) == []


# ---- all flags, statuses and the calendar's edge -------------------------------------


def test_flags_list_red_before_yellow_then_by_due_date(project, at):
    plan(at, project, date(2026, 10, 12))
    grant(at, project, BEFORE_HOLIDAY)
    raise_problem(at, project, date(2026, 9, 24))  # plan due 29 September

    assert rules(flags(project, date(2026, 10, 9))) == [
        (PROBLEM_PLAN_LATE, "red"), (COMMITMENT_OVERDUE, "red"), (MILESTONE_DUE_SOON, "yellow"),
    ]


def test_a_terminated_project_has_no_flags(project, at):
    plan(at, project, BEFORE_HOLIDAY)
    at(project, AFTER_HOLIDAY, "terminated", reason="investor withdrew")

    assert flags(project, date(2026, 10, 9)) == []
    assert flags(project, date(2026, 10, 7)) != []  # before its termination


def test_a_suspended_project_has_no_flags_and_no_colours(project, at):
    plan(at, project, BEFORE_HOLIDAY)
    raise_problem(at, project, date(2026, 9, 28))
    at(project, AFTER_HOLIDAY, "suspended", reason="investor's financing")

    assert flags(project, date(2026, 10, 20)) == []
    assert milestone_colours(project, date(2026, 10, 20)) == {}


def test_a_suspension_pauses_the_problem_clocks(project, at):
    raise_problem(at, project, date(2026, 10, 12))  # due 13 and 14 October if never suspended
    at(project, date(2026, 10, 13), "suspended", reason="site flooded")
    at(project, date(2026, 10, 15), "resumed")

    assert problem_flags(project, date(2026, 10, 16)) == []  # now due 15 and 16 October
    assert problem_flags(project, date(2026, 10, 17)) == []  # a Saturday
    [flag] = problem_flags(project, date(2026, 10, 19))
    assert (flag.due_on, flag.working_days_late) == (date(2026, 10, 16), 1)
    assert "2 working days while suspended do not count" in flag.explanation


def test_a_suspension_pauses_an_opinions_clock_and_its_explanation_says_so(project, at):
    at(project, date(2026, 10, 12), "park_review_convened", review_id="R1",
       departments=["县水利局"], opinion_within_working_days=3)  # due 15 October if never
    at(project, date(2026, 10, 13), "suspended", reason="site flooded")
    at(project, date(2026, 10, 15), "resumed")

    [flag] = [f for f in flags(project, date(2026, 10, 20)) if f.rule == OPINION_OVERDUE]
    assert (flag.due_on, flag.working_days_late) == (date(2026, 10, 19), 1)
    assert "2 working days while suspended do not count" in flag.explanation


def test_a_milestone_due_while_suspended_is_due_the_day_the_project_resumes(project, at):
    plan(at, project, date(2026, 10, 14))
    at(project, date(2026, 10, 13), "suspended", reason="site flooded")
    at(project, date(2026, 10, 15), "resumed")

    assert milestone_colours(project, date(2026, 10, 15)) == {"land_approved": "yellow"}
    [flag] = milestone_flags(project, date(2026, 10, 16))
    assert (flag.due_on, flag.working_days_late) == (date(2026, 10, 15), 1)


def test_a_milestone_late_before_a_suspension_is_no_later_for_it(project, at):
    plan(at, project, date(2026, 10, 12))  # 1 working day late on the 13th
    at(project, date(2026, 10, 14), "suspended", reason="site flooded")  # 2 late then
    at(project, date(2026, 10, 21), "resumed")

    [flag] = milestone_flags(project, date(2026, 10, 21))
    assert (flag.due_on, flag.working_days_late) == (date(2026, 10, 12), 2)
    assert "5 working days while suspended do not count" in flag.explanation


def test_nothing_is_flagged_before_the_signing(project, at):
    grant(at, project, date(2026, 9, 4))

    assert flags(project, date(2026, 8, 31)) == []


def test_a_clock_running_past_the_known_calendar_says_it_counts_monday_to_friday(project, at):
    raise_problem(at, project, date(2026, 12, 30))  # 31 December, then Friday 1 January 2027

    [flag] = problem_flags(project, date(2027, 1, 4))

    assert (flag.due_on, flag.working_days_late) == (date(2027, 1, 1), 1)
    assert "calendar for 2027 is not known yet" in flag.explanation
    assert flag.reason["values"]["unknown_years"] == [2027]


# ---- properties ----------------------------------------------------------------------

COLOUR_RANK = {"green": 0, "yellow": 1, "red": 2}
AUTUMN = st.dates(min_value=SIGNED_ON, max_value=date(2026, 12, 31))


@given(planned_on=AUTUMN, today=AUTUMN, later=st.integers(min_value=1, max_value=60))
def test_a_pending_milestone_only_gets_worse_as_days_pass(make_project, at, planned_on, today,
                                                          later):
    project = make_project(signed_on=SIGNED_ON, today=RECORDED_BY)
    plan(at, project, planned_on)

    before = milestone_colours(project, today)["land_approved"]
    after = milestone_colours(project, today + timedelta(days=later))["land_approved"]

    assert COLOUR_RANK[before] <= COLOUR_RANK[after]


@given(raised_on=AUTUMN, days=st.integers(min_value=0, max_value=30))
def test_a_plan_is_late_from_the_working_day_after_its_second(make_project, at, raised_on, days):
    project = make_project(signed_on=SIGNED_ON, today=RECORDED_BY)
    raise_problem(at, project, raised_on)
    today = raised_on + timedelta(days=days)

    found = [flag for flag in problem_flags(project, today) if flag.rule == PROBLEM_PLAN_LATE]

    assert bool(found) == (working_days_between(raised_on, today) >= 3)
    if found:
        assert found[0].working_days_late == working_days_between(raised_on, today) - 2

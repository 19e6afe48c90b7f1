"""The rules of what is due, late and open on a day (domain.obligations), one test per rule as
the README states it, with the README's own examples."""

from __future__ import annotations

from datetime import date

import pytest

import domain.obligations as rules
from domain.calendar import PACKAGE_CALENDAR, WorkingCalendar, YearSchedule
from domain.history import History
from domain.obligations import (
    CLOSED_BY_TERMINATION,
    COMMITMENT_OVERDUE,
    DUE,
    LATE,
    MILESTONE_OVERDUE,
    NOT_DUE,
    OPEN,
    PROBLEM_FOLLOW_UP_LATE,
    PROBLEM_NOT_SOLVED_SAME_DAY,
    PROBLEM_PLAN_LATE,
    SOLVED,
    SUSPENDED,
    reached_on_time,
    standing,
)

RECORDED = date(2026, 12, 31)


@pytest.fixture
def project(make_project):
    return make_project(signed_on=date(2026, 1, 5), today=RECORDED)


@pytest.fixture(scope="session")
def at(record):
    def at_(project, on, event_type, **fields):
        return record(project, event_type, on=on, today=RECORDED, **fields)
    return at_


def judged(project, day, calendar=PACKAGE_CALENDAR):
    return standing(History(project), day, calendar)


def owed(project, day, calendar=PACKAGE_CALENDAR):
    """(rule, subject id, state, due_on, working days late) of each obligation on day."""
    return [(o.rule, o.subject["id"], o.state, o.due_on, o.working_days_late)
            for o in judged(project, day, calendar).obligations]


def plan(at, project, milestone, planned_on, on=date(2026, 1, 5)):
    at(project, on, "milestone_planned", milestone=milestone, planned_on=planned_on)


def grant(at, project, due_on, on=date(2026, 1, 6)):
    at(project, on, "approval_applied", approval_id="A1", item="环评", department="生态环境局")
    at(project, on, "approval_granted", approval_id="A1", missing_documents=["图纸"],
       commitment_due_on=due_on)


# ---- rule 1: due today is not late; late from the next working day, never by 0 ----------------


def test_a_milestone_planned_on_2026_11_30_is_not_overdue_that_day_and_1_day_late_on_12_01(
        project, at):
    plan(at, project, "land_approved", date(2026, 11, 30))

    assert owed(project, date(2026, 11, 30)) == [
        (MILESTONE_OVERDUE, "land_approved", DUE, date(2026, 11, 30), 0)]
    assert owed(project, date(2026, 12, 1)) == [
        (MILESTONE_OVERDUE, "land_approved", LATE, date(2026, 11, 30), 1)]


def test_something_due_on_friday_is_not_late_over_the_weekend_and_a_day_late_on_monday(
        project, at):
    grant(at, project, date(2026, 11, 27))  # a Friday

    for day in (date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29)):
        [(_, _, state, _, late)] = owed(project, day)
        assert (state, late) == (DUE, 0)
    assert owed(project, date(2026, 11, 30)) == [
        (COMMITMENT_OVERDUE, "A1", LATE, date(2026, 11, 27), 1)]


def test_lateness_is_counted_in_whole_working_days(project, at):
    plan(at, project, "land_approved", date(2026, 9, 30))

    # 8, 9, 10 (a make-up Saturday), 12 October: the National Day week is not counted.
    [(_, _, state, _, late)] = owed(project, date(2026, 10, 12))
    assert (state, late) == (LATE, 4)


def test_nothing_is_late_before_its_due_date(project, at):
    plan(at, project, "land_approved", date(2026, 12, 15))

    [obligation] = judged(project, date(2026, 12, 9)).obligations
    assert (obligation.state, obligation.working_days_late, obligation.working_days_left) == (
        NOT_DUE, 0, 4)


# ---- rule 2: a due date on a day off moves to the next working day --------------------------


def test_a_commitment_due_on_2026_02_20_in_the_spring_festival_is_due_on_2026_02_24(
        project, at):
    grant(at, project, date(2026, 2, 20))

    assert owed(project, date(2026, 2, 24)) == [
        (COMMITMENT_OVERDUE, "A1", DUE, date(2026, 2, 24), 0)]
    assert owed(project, date(2026, 2, 25)) == [
        (COMMITMENT_OVERDUE, "A1", LATE, date(2026, 2, 24), 1)]


def test_a_milestone_planned_on_a_sunday_is_due_on_monday(project, at):
    plan(at, project, "land_approved", date(2026, 11, 29))

    [obligation] = judged(project, date(2026, 11, 29)).obligations
    assert (obligation.promised_on, obligation.due_on) == (date(2026, 11, 29),
                                                            date(2026, 11, 30))


def test_a_date_off_under_the_offices_schedule_moves_too(project, at):
    # The office declares Monday 2026-11-30 a holiday: the plan is then due on Tuesday.
    calendar = WorkingCalendar([YearSchedule(2026, frozenset({date(2026, 11, 30)}),
                                             frozenset())])
    plan(at, project, "land_approved", date(2026, 11, 30))

    assert owed(project, date(2026, 12, 1), calendar) == [
        (MILESTONE_OVERDUE, "land_approved", DUE, date(2026, 12, 1), 0)]


# ---- rule 3: counted to the day judged on, never beyond -------------------------------------


def test_counts_run_to_the_day_judged_on_and_nothing_dated_after_it_counts(project, at):
    at(project, date(2026, 10, 12), "problem_raised", problem_id="P1", title="power")
    at(project, date(2026, 10, 20), "problem_plan_proposed", problem_id="P1", plan="a")

    [problem] = judged(project, date(2026, 10, 16)).problems
    assert (problem.working_days_open, problem.has_plan) == (4, False)
    [plan_clock, _] = judged(project, date(2026, 10, 16)).obligations
    assert (plan_clock.rule, plan_clock.working_days_late) == (PROBLEM_PLAN_LATE, 2)


# ---- rule 4: a suspended project owes nothing while suspended -------------------------------


def test_a_suspended_project_owes_nothing_while_suspended_and_keeps_what_it_was_late_on(
        project, at):
    plan(at, project, "land_approved", date(2026, 11, 2))
    at(project, date(2026, 11, 5), "suspended", reason="funding")  # late on the 3rd and 4th

    found = judged(project, date(2026, 11, 27))
    assert found.status == "suspended" and found.late == []
    assert owed(project, date(2026, 11, 27)) == [
        (MILESTONE_OVERDUE, "land_approved", SUSPENDED, date(2026, 11, 2), 2)]


def test_working_days_while_suspended_do_not_count_after_the_resumption(project, at):
    plan(at, project, "land_approved", date(2026, 11, 2))
    at(project, date(2026, 11, 5), "suspended", reason="funding")
    at(project, date(2026, 11, 23), "resumed")

    # 2 late when suspended; 23 and 24 November since the resumption.
    assert owed(project, date(2026, 11, 24)) == [
        (MILESTONE_OVERDUE, "land_approved", LATE, date(2026, 11, 2), 4)]


def test_a_due_date_inside_a_suspension_moves_to_the_day_the_project_resumes(project, at):
    grant(at, project, date(2026, 11, 10))
    at(project, date(2026, 11, 5), "suspended", reason="funding")
    at(project, date(2026, 11, 23), "resumed")

    assert owed(project, date(2026, 11, 23)) == [
        (COMMITMENT_OVERDUE, "A1", DUE, date(2026, 11, 23), 0)]


def test_a_suspension_pauses_a_problems_age_and_its_clocks(project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="power")
    at(project, date(2026, 11, 3), "suspended", reason="funding")
    at(project, date(2026, 11, 9), "resumed")

    found = judged(project, date(2026, 11, 10))
    # Active working days after the 2nd: the 9th and the 10th (3 to 6 November suspended).
    assert found.problems[0].working_days_open == 2
    assert [(o.rule, o.due_on, o.state) for o in found.obligations][0] == (
        PROBLEM_PLAN_LATE, date(2026, 11, 10), DUE)


# ---- rule 5: a terminated project owes nothing ----------------------------------------------


def test_a_termination_closes_open_problems_and_commitments_and_drops_the_plans(project, at):
    plan(at, project, "land_approved", date(2026, 10, 1))
    grant(at, project, date(2026, 10, 9))
    at(project, date(2026, 10, 12), "problem_raised", problem_id="P1", title="open one")
    at(project, date(2026, 10, 12), "problem_raised", problem_id="P2", title="solved one")
    at(project, date(2026, 10, 13), "problem_resolved", problem_id="P2", resolution="done")
    at(project, date(2026, 10, 20), "terminated", reason="investor withdrew")

    found = judged(project, date(2026, 11, 30))
    assert found.obligations == ()
    assert {p.problem_id: (p.state, p.closed_on) for p in found.problems} == {
        "P1": (CLOSED_BY_TERMINATION, date(2026, 10, 20)), "P2": (SOLVED, None)}
    assert [(c.state, c.closed_on) for c in found.commitments] == [
        (CLOSED_BY_TERMINATION, date(2026, 10, 20))]
    assert judged(project, date(2026, 10, 19)).problems[0].state == OPEN  # before it


# ---- rule 6: a milestone passed over was skipped ----------------------------------------------


def test_a_milestone_passed_over_by_a_later_one_reached_was_skipped_not_overdue(project, at):
    plan(at, project, "land_cleared", date(2026, 3, 2))
    plan(at, project, "land_delivered", date(2026, 4, 1))
    at(project, date(2026, 3, 20), "milestone_reached", milestone="land_delivered")

    assert owed(project, date(2026, 4, 10)) == []
    assert owed(project, date(2026, 3, 19))[0][:3] == (MILESTONE_OVERDUE, "land_cleared", LATE)


def test_a_milestone_earlier_in_the_lifecycle_than_every_one_reached_is_owed(project, at):
    plan(at, project, "land_delivered", date(2026, 3, 2))
    at(project, date(2026, 3, 20), "milestone_reached", milestone="land_approved")

    assert [o[1] for o in owed(project, date(2026, 4, 10))] == ["land_delivered"]


# ---- rule 7: the problem clocks ---------------------------------------------------------------


def test_a_problem_raised_on_2026_09_30_needs_its_plan_by_2026_10_09(project, at):
    at(project, date(2026, 9, 30), "problem_raised", problem_id="P1", title="power")

    plan_clock = next(o for o in judged(project, date(2026, 10, 9)).obligations
                      if o.rule == PROBLEM_PLAN_LATE)
    assert (plan_clock.due_on, plan_clock.state) == (date(2026, 10, 9), DUE)
    assert owed(project, date(2026, 10, 10))[0][:3] == (PROBLEM_PLAN_LATE, "P1", LATE)


def test_a_same_day_problem_is_due_the_day_it_was_raised_and_its_first_resolution_ends_it(
        project, at):
    at(project, date(2026, 11, 23), "problem_raised", problem_id="P1", title="gate",
       same_day=True)
    assert owed(project, date(2026, 11, 24))[0][:5] == (
        PROBLEM_NOT_SOLVED_SAME_DAY, "P1", LATE, date(2026, 11, 23), 1)

    at(project, date(2026, 11, 25), "problem_resolved", problem_id="P1", resolution="fixed")
    at(project, date(2026, 11, 26), "problem_reopened", problem_id="P1", reason="broke again")
    assert [o[0] for o in owed(project, date(2026, 11, 27))] == [PROBLEM_FOLLOW_UP_LATE]


def test_an_old_problem_is_followed_up_every_five_working_days_from_when_it_became_old(
        project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="power")
    at(project, date(2026, 11, 3), "problem_plan_proposed", problem_id="P1", plan="a")

    [follow_up] = judged(project, date(2026, 11, 20)).obligations
    # Old after 10 working days (16 November), a follow-up due 5 after (23 November).
    assert (follow_up.rule, follow_up.facts["old_on"], follow_up.due_on) == (
        PROBLEM_FOLLOW_UP_LATE, date(2026, 11, 16), date(2026, 11, 23))
    at(project, date(2026, 11, 20), "problem_followed_up", problem_id="P1", note="called")
    [follow_up] = judged(project, date(2026, 11, 20)).obligations
    assert follow_up.due_on == date(2026, 11, 27)


def test_an_escalated_problem_is_owned_by_whoever_it_was_last_escalated_to(project, at):
    at(project, date(2026, 11, 2), "problem_raised", problem_id="P1", title="power")
    at(project, date(2026, 11, 3), "problem_escalated", problem_id="P1", escalated_to="office")
    at(project, date(2026, 11, 5), "problem_escalated", problem_id="P1", escalated_to="leader",
       leader="boss")

    assert judged(project, date(2026, 11, 4)).problems[0].owner == "office"
    assert {o.owner for o in judged(project, date(2026, 11, 30)).obligations} == {"boss"}


# ---- rule 8: milestones on time --------------------------------------------------------------


def test_a_milestone_reached_the_working_day_after_its_date_off_is_on_time(project, at):
    plan(at, project, "land_approved", date(2026, 10, 3))  # National Day: due 8 October
    history = History(project)

    assert reached_on_time(history, "land_approved", date(2026, 10, 8), PACKAGE_CALENDAR)[2]
    assert not reached_on_time(history, "land_approved", date(2026, 10, 9), PACKAGE_CALENDAR)[2]


def test_a_milestone_is_judged_by_the_plan_in_force_when_it_was_reached(project, at):
    plan(at, project, "land_approved", date(2026, 3, 2))
    at(project, date(2026, 3, 10), "milestone_planned", milestone="land_approved",
       planned_on=date(2026, 4, 1), reason="survey late")
    history = History(project)

    plan_then, due, on_time = reached_on_time(history, "land_approved", date(2026, 3, 5),
                                              PACKAGE_CALENDAR)
    assert (plan_then["planned_on"], due, on_time) == (date(2026, 3, 2), date(2026, 3, 2), False)
    assert reached_on_time(history, "land_approved", date(2026, 3, 20), PACKAGE_CALENDAR)[2]


def test_a_judgement_is_worked_out_once_per_history_day_and_calendar_and_warns_each_time(
        project, at, monkeypatch):
    """A history answers the same question (the rule, the day, a calendar counting alike) once:
    a project's parts of every report judged on a day ask it many times. A remembered answer
    still adds the unknown years its counts touched to the calendar asking, as counting
    again would; another calendar, county settings or day is judged afresh."""
    unknown = next(year for year in range(2027, 2200) if not PACKAGE_CALENDAR.known(year))
    planned_on = date(unknown, 1, 2)
    plan(at, project, "land_approved", planned_on)  # due in a year no calendar knows
    history, day = History(project), date(2026, 12, 20)
    judged_days = []
    active_days = rules.ActiveDays  # what the rule counts with, made once per judgement

    def counted(calendar, history, day):
        judged_days.append(day)
        return active_days(calendar, history, day)

    monkeypatch.setattr(rules, "ActiveDays", counted)
    first, again = PACKAGE_CALENDAR.watch(), PACKAGE_CALENDAR.watch()
    found = standing(history, day, first)
    assert standing(history, day, again) is found
    assert judged_days == [day]
    assert first.touched == again.touched == {unknown}  # the remembered answer still warns
    assert [(o.subject["id"], o.due_on) for o in found.obligations] == [
        ("land_approved", PACKAGE_CALENDAR.on_or_after(planned_on))]

    standing(history, day, PACKAGE_CALENDAR)  # not watching: counts alike, nothing to note
    assert judged_days == [day]
    opinions_later = PACKAGE_CALENDAR.with_county(PACKAGE_CALENDAR.parallel_weekday, 5)
    standing(history, day, opinions_later)  # the same days, another opinion clock: again
    assert judged_days == [day, day]
    day_off = PACKAGE_CALENDAR.on_or_after(planned_on)
    office = WorkingCalendar([YearSchedule(unknown, frozenset({day_off}), frozenset())])
    by_office = standing(history, day, office.watch())
    assert by_office.obligations[0].due_on > day_off  # its own days, judged again
    standing(history, date(2026, 12, 21), PACKAGE_CALENDAR)
    assert judged_days == [day, day, day, date(2026, 12, 21)]
    assert standing(History(project), day, PACKAGE_CALENDAR) == found  # a new history too
    assert len(judged_days) == 5

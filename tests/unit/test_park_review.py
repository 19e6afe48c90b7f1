"""The park-entry joint review (入园会审) as events: convened, each department's opinion,
concluded; a passing conclusion is the milestone park_review_passed, and each opinion not yet
given is waited on (rule 9) against its clock."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import PACKAGE_CALENDAR
from domain.history import History
from domain.calendar import OPINION_WORKING_DAYS
from domain.clocks import flags
from domain.obligations import waiting_on

RECORDED = date(2026, 12, 31)
CONVENED = date(2026, 11, 2)  # a Monday
DEPARTMENTS = ["县自然资源局", "县生态环境局", "县住建局"]


@pytest.fixture
def project(make_project):
    project = make_project(signed_on=date(2026, 9, 1), today=RECORDED, park="安福工业园")
    project.record("milestone_planned", actor="zhang", occurred_on=date(2026, 9, 1),
                   today=RECORDED, milestone="park_review_passed", planned_on=date(2026, 11, 6))
    return project


def convene(at, project):
    at(project, CONVENED, "park_review_convened", review_id="R1", departments=DEPARTMENTS)


def opinion(at, project, on, department, said="agree", **fields):
    at(project, on, "park_review_opinion_given", review_id="R1", department=department,
       opinion=said, **fields)


def waits(project, day):
    return [(w.party, w.name, w.item["kind"], w.since, w.working_days)
            for w in waiting_on(History(project), day, PACKAGE_CALENDAR)]


def test_each_invited_department_is_waited_on_until_it_gives_its_opinion(project, at):
    convene(at, project)
    opinion(at, project, date(2026, 11, 3), "县生态环境局")

    assert waits(project, date(2026, 11, 5)) == [
        ("department", "县住建局", "park_review", CONVENED, 3),
        ("department", "县自然资源局", "park_review", CONVENED, 3)]
    found = waiting_on(History(project), date(2026, 11, 5), PACKAGE_CALENDAR)
    assert {w.item["within_working_days"] for w in found} == {OPINION_WORKING_DAYS}


def test_the_countys_opinion_clock_applies_unless_the_review_sets_its_own(project, at):
    county = PACKAGE_CALENDAR.with_county(PACKAGE_CALENDAR.parallel_weekday, 5)
    convene(at, project)
    assert {w.item["within_working_days"] for w in waiting_on(
        History(project), date(2026, 11, 5), county)} == {5}

    at(project, date(2026, 11, 5), "park_review_concluded", review_id="R1", passed=False)
    at(project, date(2026, 11, 5), "park_review_convened", review_id="R2",
       departments=["县水利局"], opinion_within_working_days=7)
    found = waiting_on(History(project), date(2026, 11, 6), county)
    assert {(w.item["id"], w.item["within_working_days"]) for w in found
            if w.item["kind"] == "park_review"} == {("R2", 7)}


def test_a_review_is_not_convened_while_another_is_open(project, at, refused):
    convene(at, project)

    error = refused(project, "park_review_convened", on=date(2026, 11, 3), today=RECORDED,
                    review_id="R2", departments=["县水利局"], code="park_review_open",
                    field="type")
    assert "'R1'" in error.message and str(CONVENED) in error.message
    assert project.why_not("park_review_convened") == "park_review_open"  # nor offered
    at(project, date(2026, 11, 4), "park_review_concluded", review_id="R1", passed=False)
    assert project.why_not("park_review_convened") is None
    at(project, date(2026, 11, 4), "park_review_convened", review_id="R2",
       departments=["县水利局"])
    assert [r["concluded_on"] for r in project.park_reviews.values()] == [
        date(2026, 11, 4), None]


def test_a_history_stored_with_two_open_reviews_still_folds_and_takes_corrections(
        project, at, replay):
    convene(at, project)
    # Stored before the rule: a second review convened while the first was open.
    project.trigger_event(project.ParkReviewConvened, actor="zhang",
                          occurred_on=date(2026, 11, 3), review_id="R2",
                          departments=["县水利局"], opinion_within_working_days=None,
                          note=None)
    stored = replay(project.collect_events())
    opinion(at, stored, date(2026, 11, 4), "县住建局")
    at(stored, date(2026, 11, 5), "corrected", actor="office",
       corrects_version=stored.version, action="void", reason="意见未经部门确认")

    assert sorted((w[1], w[2]) for w in waits(stored, date(2026, 11, 6))) == sorted(
        (name, "park_review") for name in [*DEPARTMENTS, "县水利局"])


def test_a_passing_conclusion_reaches_the_milestone_and_ends_the_waits(project, at):
    convene(at, project)
    for department in DEPARTMENTS:
        opinion(at, project, date(2026, 11, 3), department)
    at(project, date(2026, 11, 4), "park_review_concluded", review_id="R1", passed=True,
       conditions=["环评批复前不得开工"])

    assert project.reached["park_review_passed"]["reached_on"] == date(2026, 11, 4)
    assert History(project).reached_by(date(2026, 11, 4)) == {
        "park_review_passed": date(2026, 11, 4)}
    assert [c["text"] for c in project.park_reviews["R1"]["conditions"]] == ["环评批复前不得开工"]
    # The departments are waited on no more; the condition carried is the investor's to meet,
    # and the team owes a plan for the filing.
    assert [(w[0], w[2]) for w in waits(project, date(2026, 11, 5))] == [
        ("investor", "condition"), ("team", "milestone")]


def test_a_disagreeing_department_stops_the_review_passing_until_it_reverses(
        project, at, refused):
    convene(at, project)
    opinion(at, project, date(2026, 11, 3), "县自然资源局")
    opinion(at, project, date(2026, 11, 3), "县生态环境局", "disagree")
    opinion(at, project, date(2026, 11, 3), "县住建局", "agree_with_conditions",
            conditions=["补充消防设计"])

    refused(project, "park_review_concluded", on=date(2026, 11, 4), today=RECORDED,
            review_id="R1", passed=True, code="review_disagreed", field="passed")
    opinion(at, project, date(2026, 11, 5), "县生态环境局")  # reversed after a site visit
    at(project, date(2026, 11, 5), "park_review_concluded", review_id="R1", passed=True)

    review = project.park_reviews["R1"]
    assert review["opinions"]["县生态环境局"]["opinion"] == "agree"
    assert [c["text"] for c in review["opinions"]["县住建局"]["conditions"]] == ["补充消防设计"]
    assert review["opinions"]["县住建局"]["recorded_by"] == "zhang"
    assert "park_review_passed" in project.reached


def test_a_review_cannot_pass_before_every_opinion_is_given(project, at, refused):
    convene(at, project)
    opinion(at, project, date(2026, 11, 3), "县自然资源局")

    refused(project, "park_review_concluded", on=date(2026, 11, 4), today=RECORDED,
            review_id="R1", passed=True, code="opinions_missing", field="passed")


def test_a_failed_review_reaches_nothing_and_waits_on_no_department(project, at):
    convene(at, project)
    at(project, date(2026, 11, 4), "park_review_concluded", review_id="R1", passed=False)

    assert "park_review_passed" not in project.reached
    assert waits(project, date(2026, 11, 5)) == []


def test_only_an_invited_department_gives_an_opinion(project, at, refused):
    convene(at, project)

    refused(project, "park_review_opinion_given", on=date(2026, 11, 3), today=RECORDED,
            review_id="R1", department="县水利局", opinion="agree",
            code="not_invited", field="department")
    refused(project, "park_review_opinion_given", on=date(2026, 11, 3), today=RECORDED,
            review_id="R1", department="县住建局", opinion="agree_with_conditions",
            code="required", field="conditions")


def test_voiding_an_opinion_makes_its_department_waited_on_again(project, at):
    convene(at, project)
    opinion(at, project, date(2026, 11, 3), "县自然资源局")
    given = project.version
    at(project, date(2026, 11, 5), "corrected", actor="office", corrects_version=given,
       action="void", reason="意见未经部门确认")

    assert ("department", "县自然资源局", "park_review", CONVENED, 3) in waits(
        project, date(2026, 11, 5))


def test_a_review_may_set_its_own_clock_for_the_opinions(project, at):
    at(project, CONVENED, "park_review_convened", review_id="R1", departments=["县住建局"],
       opinion_within_working_days=5)

    found = waiting_on(History(project), date(2026, 11, 9), PACKAGE_CALENDAR)
    assert [(w.name, w.item["within_working_days"], w.working_days) for w in found] == [
        ("县住建局", 5, 5)]


def test_an_opinion_not_given_by_its_clock_is_late_from_the_next_working_day(project, at):
    convene(at, project)  # Monday 2026-11-02, the county's 3 working days: due Thursday
    opinion(at, project, date(2026, 11, 3), "县生态环境局")

    def late(day):
        items = {w.name: (w.item["due_on"], w.item["working_days_late"])
                 for w in waiting_on(History(project), day, PACKAGE_CALENDAR)
                 if w.item["kind"] == "park_review"}
        found = flags(project, day, calendar=PACKAGE_CALENDAR)
        red = {(f.subject["title"], f.due_on, f.working_days_late, f.owner)
               for f in found if f.rule == "opinion_overdue"}
        return items, red

    due = date(2026, 11, 5)
    assert late(due) == ({"县自然资源局": (due, 0), "县住建局": (due, 0)}, set())
    assert late(date(2026, 11, 9)) == (  # the Monday after: Friday and Monday late
        {"县自然资源局": (due, 2), "县住建局": (due, 2)},
        {("县自然资源局", due, 2, "zhang"), ("县住建局", due, 2, "zhang")})
    [flag] = [f for f in flags(project, date(2026, 11, 9), calendar=PACKAGE_CALENDAR)
              if f.rule == "opinion_overdue" and f.subject["title"] == "县住建局"]
    assert flag.subject["id"] == "R1:县住建局" and flag.colour == "red"
    assert flag.reason["values"]["opinion_within_working_days"] == 3

    opinion(at, project, date(2026, 11, 9), "县住建局")
    assert late(date(2026, 11, 9)) == ({"县自然资源局": (due, 2)},
                                       {("县自然资源局", due, 2, "zhang")})
    at(project, date(2026, 11, 10), "park_review_concluded", review_id="R1", passed=False)
    assert late(date(2026, 11, 11)) == ({}, set())


def test_a_reviews_own_clock_sets_its_opinions_due_date(project, at):
    at(project, CONVENED, "park_review_convened", review_id="R1", departments=["县住建局"],
       opinion_within_working_days=5)
    county = PACKAGE_CALENDAR.with_county(PACKAGE_CALENDAR.parallel_weekday, 1)

    [wait] = waiting_on(History(project), date(2026, 11, 10), county)
    assert (wait.item["due_on"], wait.item["working_days_late"]) == (date(2026, 11, 9), 1)
    [flag] = [f for f in flags(project, date(2026, 11, 10), calendar=county)
              if f.rule == "opinion_overdue"]
    assert (flag.due_on, flag.working_days_late) == (date(2026, 11, 9), 1)

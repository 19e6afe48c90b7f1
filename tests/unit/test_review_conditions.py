"""The conditions a passing park-entry review carries are obligations of the investor or a
department: waited on from the conclusion until met (rule 9), late after their due date as a
commitment is (rules 1, 2, 8), and reopened when the event that met them is voided."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import PACKAGE_CALENDAR
from domain.errors import InvalidValue
from domain.history import History
from domain.obligations import CONDITION_OVERDUE, LATE, standing, waiting_on
from domain.project import Project

RECORDED = date(2026, 12, 31)
CONCLUDED = date(2026, 11, 4)  # a Wednesday
FIRE = {"text": "补充消防设计", "party": "department", "department": "县住建局", "due_on": None}
WATER = {"text": "补充水保方案", "due_on": "2026-11-06"}  # the investor's, due on a Friday


@pytest.fixture
def project(make_project, at):
    project = make_project(signed_on=date(2026, 9, 1), today=RECORDED, park="安福工业园")
    at(project, date(2026, 11, 2), "park_review_convened", review_id="R1",
       departments=["县住建局"])
    at(project, date(2026, 11, 3), "park_review_opinion_given", review_id="R1",
       department="县住建局", opinion="agree_with_conditions", conditions=[FIRE])
    at(project, CONCLUDED, "park_review_concluded", review_id="R1", passed=True,
       conditions=[FIRE, WATER])
    return project


def condition_waits(project, day):
    return [(w.party, w.name, w.item["id"], w.since, w.working_days)
            for w in waiting_on(History(project), day, PACKAGE_CALENDAR)
            if w.item["kind"] == "condition"]


def overdue(project, day):
    return [(o.subject["id"], o.state, o.working_days_late)
            for o in standing(History(project), day, PACKAGE_CALENDAR).obligations
            if o.rule == CONDITION_OVERDUE]


def test_a_condition_of_a_department_and_one_of_the_investor_are_waited_on_since_the_conclusion(
        project):
    investor = History(project).investor
    assert condition_waits(project, date(2026, 11, 6)) == [
        ("department", "县住建局", "R1#1", CONCLUDED, 2),
        ("investor", investor, "R1#2", CONCLUDED, 2),
    ]


def test_a_condition_due_today_is_not_late_and_is_late_the_next_working_day(project):
    assert overdue(project, date(2026, 11, 6)) == [("R1#2", "due", 0)]
    # Saturday and Sunday are not working days: Monday is the first day late.
    assert overdue(project, date(2026, 11, 8)) == [("R1#2", "due", 0)]
    assert overdue(project, date(2026, 11, 9)) == [("R1#2", LATE, 1)]


def test_a_condition_without_a_due_date_is_never_late(project):
    assert [o for o in overdue(project, date(2027, 6, 1)) if o[0] == "R1#1"] == []
    assert ("department", "R1#1") in {(w[0], w[2])
                                      for w in condition_waits(project, date(2027, 6, 1))}


def test_a_condition_met_is_no_longer_waited_on_nor_owed(project, at):
    at(project, date(2026, 11, 10), "park_review_condition_met", review_id="R1", condition=2,
       note="水保方案已批复")

    assert [w[2] for w in condition_waits(project, date(2026, 11, 10))] == ["R1#1"]
    assert overdue(project, date(2026, 11, 10)) == []
    # Judged before it was met, it was late then (rule 3).
    assert overdue(project, date(2026, 11, 9)) == [("R1#2", LATE, 1)]
    assert project.park_reviews["R1"]["conditions"][1]["met_on"] == date(2026, 11, 10)


def test_a_correction_voiding_the_meeting_reopens_the_condition(project, at):
    at(project, date(2026, 11, 10), "park_review_condition_met", review_id="R1", condition=2)
    met = project.version
    at(project, date(2026, 11, 11), "corrected", actor="office", corrects_version=met,
       action="void", reason="wrong condition")

    assert [w[2] for w in condition_waits(project, date(2026, 11, 11))] == ["R1#1", "R1#2"]
    assert overdue(project, date(2026, 11, 11)) == [("R1#2", LATE, 3)]
    assert project.park_reviews["R1"]["conditions"][1]["met_on"] is None
    assert project.why_not("park_review_condition_met") is None


@pytest.mark.parametrize("fields, code, field", [
    ({"review_id": "R9", "condition": 1}, "unknown_review", "review_id"),
    ({"review_id": "R1", "condition": 3}, "unknown_condition", "condition"),
])
def test_meeting_an_unknown_condition_is_refused(project, refused, fields, code, field):
    refused(project, "park_review_condition_met", on=CONCLUDED, today=RECORDED, code=code,
            field=field, **fields)


def test_a_condition_met_twice_or_before_the_conclusion_is_refused(project, at, refused):
    refused(project, "park_review_condition_met", on=date(2026, 11, 3), today=RECORDED,
            review_id="R1", condition=1, code="date_order", field="occurred_on")
    at(project, date(2026, 11, 5), "park_review_condition_met", review_id="R1", condition=1)
    refused(project, "park_review_condition_met", on=date(2026, 11, 6), today=RECORDED,
            review_id="R1", condition=1, code="condition_already_met", field="condition")


def test_a_review_not_passed_carries_no_condition_to_meet(make_project, at, refused):
    project = make_project(signed_on=date(2026, 9, 1), today=RECORDED, park="安福工业园")
    at(project, date(2026, 11, 2), "park_review_convened", review_id="R1",
       departments=["县住建局"])
    at(project, CONCLUDED, "park_review_concluded", review_id="R1", passed=False,
       conditions=["补充消防设计"])

    assert condition_waits(project, date(2026, 11, 6)) == []
    assert project.why_not("park_review_condition_met") == "no_open_condition"
    refused(project, "park_review_condition_met", on=CONCLUDED, today=RECORDED,
            review_id="R1", condition=1, code="review_not_passed", field="review_id")


@pytest.mark.parametrize("condition, code, field", [
    ({"text": "补充消防设计", "party": "someone"}, "invalid_field", "conditions.0.party"),
    ({"text": "补充消防设计", "party": "department"}, "required", "conditions.0.department"),
    ({"text": "补充消防设计", "department": "县住建局"}, "department_for_investor",
     "conditions.0.department"),
    ({"text": "补充消防设计", "due_on": "2026-11-31"}, "invalid_field", "conditions.0.due_on"),
    ({"text": "补充消防设计", "due_on": "2026-11-03"}, "date_order", "conditions.0.due_on"),
    ({"text": "补充消防设计", "whose": "x"}, "invalid_field", "conditions.0.whose"),
    ({"party": "investor"}, "required", "conditions.0.text"),
    (7, "invalid_field", "conditions.0"),
])
def test_a_bad_condition_is_refused_naming_it(make_project, at, refused, condition, code,
                                              field):
    project = make_project(signed_on=date(2026, 9, 1), today=RECORDED, park="安福工业园")
    at(project, date(2026, 11, 2), "park_review_convened", review_id="R1",
       departments=["县住建局"])
    at(project, date(2026, 11, 3), "park_review_opinion_given", review_id="R1",
       department="县住建局", opinion="agree")
    error = InvalidValue if code in ("invalid_field", "required",
                                     "department_for_investor") else None
    kwargs = {"error": error} if error else {}
    refused(project, "park_review_concluded", on=CONCLUDED, today=RECORDED, review_id="R1",
            passed=True, conditions=[condition], code=code, field=field, **kwargs)


def test_the_same_condition_twice_is_refused(make_project, at, refused):
    project = make_project(signed_on=date(2026, 9, 1), today=RECORDED, park="安福工业园")
    at(project, date(2026, 11, 2), "park_review_convened", review_id="R1",
       departments=["县住建局"])
    refused(project, "park_review_opinion_given", on=CONCLUDED, today=RECORDED,
            review_id="R1", department="县住建局", opinion="agree_with_conditions",
            conditions=["补充消防设计", {"text": "补充消防设计", "due_on": "2026-12-01"}],
            code="duplicate_condition", field="conditions", error=InvalidValue)


def test_a_v1_conclusion_reads_its_conditions_as_the_investors_with_no_due_date():
    state = {"review_id": "R1", "passed": True, "conditions": ["环评批复前不得开工"],
             "note": None}
    Project.ParkReviewConcluded.upcast_v1_v2(state)
    assert state["conditions"] == [{"text": "环评批复前不得开工", "party": "investor",
                                    "department": None, "due_on": None}]
    opinion = {"review_id": "R1", "department": "县住建局", "opinion": "agree",
               "conditions": [], "note": None}
    Project.ParkReviewOpinionGiven.upcast_v1_v2(opinion)
    assert opinion["conditions"] == []


def test_a_v1_snapshot_reads_its_reviews_conditions_as_objects():
    state = {"facts": [["park_review_concluded", "zhang", "2026-11-04",
                        {"review_id": "R1", "passed": True, "conditions": ["补充消防设计"],
                         "note": None}, False, []]],
             "_park_reviews": {"R1": {"conditions": ["补充消防设计"], "opinions": {
                 "县住建局": {"opinion": "agree_with_conditions",
                           "conditions": ["补充消防设计"]}}}}}
    Project.upcast_v1_v2(state)
    assert state["facts"][0][3]["conditions"][0]["party"] == "investor"
    review = state["_park_reviews"]["R1"]
    assert review["conditions"] == [{"text": "补充消防设计", "party": "investor",
                                     "department": None, "due_on": None, "number": 1,
                                     "met_on": None, "met_note": None}]
    assert review["opinions"]["县住建局"]["conditions"][0]["text"] == "补充消防设计"

"""The seed's own measures in a dispatch report (approval time per project, signing to
construction start, land approval time, the problem clocks kept), what is due in the next 7
days, and the comparison with the previous period; on constructed histories around the 2026
National Day holiday.

2026 by the official calendar: Mid-Autumn Fri 25 to Sun 27 September and National Day Thu 1 to
Wed 7 October are days off; Sunday 20 September and Saturday 10 October are worked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import dispatch
from domain.calendar import PACKAGE_CALENDAR, PARALLEL_APPROVAL_WEEKDAY
from domain.dispatch_measures import DAYS_PER_MONTH, months, suspended_days
from domain.history import History
from domain.obligations import PROBLEM_NOT_SOLVED_SAME_DAY, PROBLEM_PLAN_LATE, first_clocks
from domain.periods import Period
from tests.unit.test_dispatch import at, d, dispatch_report, report, sign  # noqa: F401
from tests.unit.test_dispatch_trend import dispatch_trend


def measure(cadence, period_id, *projects, name):
    return report(cadence, period_id, *projects)["measures"][name]


def grant(project, approval_id, applied, granted):
    at(project, applied, "approval_applied", approval_id=approval_id, item=f"item {approval_id}",
       department="县自然资源局")
    at(project, granted, "approval_granted", approval_id=approval_id)


# ---- approval time per project -----------------------------------------------------------


def test_approval_time_runs_from_the_first_item_applied_to_the_last_granted_by_the_permit(
        sign):  # noqa: F811
    a = sign("A", d(9, 1), park="安福工业园")
    grant(a, "A1", d(9, 21), d(9, 30))
    grant(a, "A2", d(9, 28), d(10, 12))
    at(a, d(10, 12), "milestone_reached", milestone="construction_permitted")
    grant(a, "A3", d(10, 13), d(10, 20))  # after the permit: not part of it

    october = measure("monthly", "2026-10", a, name="approval_time")

    # Working days after Mon 21 Sep up to Mon 12 Oct: 3 + 3 before the holidays, then Thu 8,
    # Fri 9, Sat 10 (worked) and Mon 12 October.
    assert october["projects"] == [{
        "project_id": a.id, "project": "A", "permitted_on": d(10, 12),
        "first_applied_on": d(9, 21), "last_granted_on": d(10, 12), "items": 2,
        "batches": 2, "working_days": 10, "industrial": True, "target_working_days": 40,
        "within_target": True, "in_period": True}]
    assert october["period"] == october["to_date"] == {
        "count": 1, "median_working_days": 10, "with_target": 1, "within_target": 1,
        "share_within_target": 1.0}
    assert measure("monthly", "2026-09", a, name="approval_time")["projects"] == []
    november = measure("monthly", "2026-11", a, name="approval_time")
    assert november["period"]["count"] == 0 and november["to_date"]["count"] == 1
    assert november["projects"][0]["in_period"] is False


def test_a_batch_of_parallel_approvals_takes_the_working_days_elapsed_not_their_sum(
        sign):  # noqa: F811
    a = sign("A", d(10, 19), park="安福工业园")
    tuesday = d(10, 27)  # every item applied for on the parallel-approval day: one batch
    for n, after in enumerate([0, 0, 1, 2, 3, 6]):  # decided Tue to the next Mon
        grant(a, f"A{n}", tuesday, tuesday + timedelta(days=after))
    at(a, d(11, 2), "milestone_reached", milestone="construction_permitted")

    november = report("monthly", "2026-11", a)
    [row] = november["measures"]["approval_time"]["projects"]
    october = report("monthly", "2026-10", a)["approvals_granted"]["approvals"]
    each = [item["working_days"] for item in october] + [
        item["working_days"] for item in november["approvals_granted"]["approvals"]]

    assert (row["items"], row["batches"]) == (6, 1)
    assert (row["first_applied_on"], row["last_granted_on"]) == (tuesday, d(11, 2))
    assert row["working_days"] == PACKAGE_CALENDAR.working_days_between(tuesday, d(11, 2))
    assert row["working_days"] == max(each) < sum(each)


def test_the_report_counts_the_items_decided_on_the_county_parallel_approval_day(
        sign):  # noqa: F811
    a = sign("A", d(10, 19), park="安福工业园")
    b = sign("B", d(10, 19))
    tuesday, wednesday = d(11, 3), d(11, 4)
    grant(a, "A1", tuesday, tuesday)
    grant(a, "A2", tuesday, wednesday)
    grant(b, "B1", d(10, 27), tuesday)
    at(b, tuesday, "approval_applied", approval_id="B2", item="item B2", department="县水利局")
    at(b, tuesday, "approval_rejected", approval_id="B2", reason="材料不全")
    grant(b, "B3", d(10, 27), d(10, 30))  # decided before the week: not counted in it
    at(b, wednesday, "approval_applied", approval_id="B4", item="item B4", department="县气象局")
    week = Period.parse("weekly", "2026-W45")

    def decided(calendar):
        found = dispatch.dispatch_report(week, [a, b], calendar=calendar)
        return found["measures"]["parallel_approval_day"]

    assert PACKAGE_CALENDAR.parallel_weekday == PARALLEL_APPROVAL_WEEKDAY == tuesday.isoweekday()
    assert decided(PACKAGE_CALENDAR) == {
        "weekday": 2, "decided": 4, "on_parallel_day": 3, "share_on_parallel_day": 0.75}
    wednesdays = decided(PACKAGE_CALENDAR.with_parallel_weekday(wednesday.isoweekday()))
    assert (wednesdays["weekday"], wednesdays["on_parallel_day"]) == (3, 1)


def test_approval_time_leaves_out_days_suspended_and_has_no_target_outside_a_park(sign):  # noqa: F811
    a = sign("A", d(9, 1))
    grant(a, "A1", d(11, 2), d(11, 27))
    at(a, d(11, 9), "suspended", reason="funding")
    at(a, d(11, 16), "resumed")
    at(a, d(11, 27), "milestone_reached", milestone="construction_permitted")

    [row] = measure("monthly", "2026-11", a, name="approval_time")["projects"]

    # 19 working days after 2 November up to 27 November, less the 5 of the suspended week
    assert (row["working_days"], row["industrial"], row["within_target"]) == (14, False, None)


def test_a_project_permitted_with_no_approval_granted_has_no_approval_time(sign):  # noqa: F811
    a = sign("A", d(9, 1), park="安福工业园")
    at(a, d(10, 12), "milestone_reached", milestone="construction_permitted")
    assert measure("monthly", "2026-10", a, name="approval_time")["projects"] == []


# ---- signing to construction start, land approval -------------------------------------------


def test_signing_to_construction_start_is_in_months_less_the_days_suspended(sign):  # noqa: F811
    luli = sign("Luli", d(1, 5))
    at(luli, d(8, 3), "milestone_reached", milestone="construction_started")
    paused = sign("Paused", d(1, 5))
    at(paused, d(3, 2), "suspended", reason="funding")
    at(paused, d(3, 16), "resumed")
    at(paused, d(8, 3), "milestone_reached", milestone="construction_started")

    found = measure("monthly", "2026-08", luli, paused, name="signing_to_construction")

    assert [(r["project"], r["days"], r["suspended_days"], r["months"])
            for r in found["projects"]] == [("Luli", 210, 0, 6.9), ("Paused", 196, 14, 6.4)]
    assert found["period"] == {"count": 2, "median_days": 203, "median_months": 6.7}
    assert found["usual_months"] == 24
    assert measure("monthly", "2026-07", luli, name="signing_to_construction")["projects"] == []


def test_land_approval_runs_from_the_first_item_applied_after_filing_to_the_approval(
        sign):  # noqa: F811
    filed = sign("Filed", d(9, 1))
    grant(filed, "F1", d(9, 1), d(9, 9))  # the filing's own item, before it was filed
    at(filed, d(9, 10), "milestone_reached", milestone="project_filed")
    grant(filed, "L1", d(9, 14), d(11, 10))
    grant(filed, "L2", d(9, 21), d(11, 12))
    at(filed, d(11, 13), "milestone_reached", milestone="land_approved")
    unfiled = sign("Unfiled", d(9, 1))
    grant(unfiled, "L1", d(9, 1), d(9, 30))
    at(unfiled, d(10, 15), "milestone_reached", milestone="land_approved")
    nothing = sign("Nothing applied", d(9, 1))
    at(nothing, d(10, 15), "milestone_reached", milestone="land_approved")

    found = measure("quarterly", "2026-Q4", filed, unfiled, nothing, name="land_approval")

    assert [(r["project"], r["applied_on"], r["approved_on"], r["days"], r["months"])
            for r in found["projects"]] == [("Unfiled", d(9, 1), d(10, 15), 44, 1.4),
                                            ("Filed", d(9, 14), d(11, 13), 60, 2.0)]
    assert found["to_date"]["median_months"] == months(52)
    assert found["usual_months"] == [8, 12]


def test_months_are_calendar_days_over_a_twelfth_of_a_year():
    assert DAYS_PER_MONTH == 30.4375
    assert (months(210), months(61), months(0), months(None)) == (6.9, 2.0, 0.0, None)


def test_suspended_days_count_the_days_between_a_suspension_and_its_resumption(sign):  # noqa: F811
    a = sign("A", d(1, 5))
    at(a, d(3, 2), "suspended", reason="funding")
    at(a, d(3, 16), "resumed")
    at(a, d(5, 1), "suspended", reason="again")
    history = History(a)
    assert suspended_days(history, d(1, 5), d(3, 1)) == 0
    assert suspended_days(history, d(3, 9), d(4, 1)) == 6  # the 10th to the 15th
    assert suspended_days(history, d(1, 5), d(5, 10)) == 14 + 10


# ---- the problem clocks: 不过夜 and a plan within 2 working days ------------------------------


@pytest.fixture
def clocks(sign):  # noqa: F811
    """Problems raised around National Day, each stopping its first clock at some step."""
    a = sign("A", d(9, 1))

    def raise_(problem_id, on, same_day=False):
        at(a, on, "problem_raised", problem_id=problem_id, title=problem_id, same_day=same_day,
           responsible_unit="县供电公司")

    def plan(problem_id, on):
        at(a, on, "problem_plan_proposed", problem_id=problem_id, plan="协调", due_on=on)

    raise_("P-in-time", d(9, 30))
    plan("P-in-time", d(10, 9))  # due by Fri 9 October, after the holidays: kept
    raise_("P-late", d(9, 30))
    plan("P-late", d(10, 10))  # Saturday 10 October is worked: a day late
    raise_("P-solved-first", d(9, 29))
    at(a, d(9, 30), "problem_resolved", problem_id="P-solved-first", resolution="done")
    raise_("S-holiday", d(10, 3), same_day=True)  # a day off: due on Thu 8 October
    at(a, d(10, 8), "problem_resolved", problem_id="S-holiday", resolution="done")
    raise_("S-overnight", d(9, 29), same_day=True)
    at(a, d(9, 30), "problem_resolved", problem_id="S-overnight", resolution="next day")
    raise_("S-open", d(10, 14), same_day=True)  # judged on the 14th: due that day, not late
    raise_("P-open", d(10, 14))
    raise_("P-forgotten", d(10, 12))  # no plan by the 14th: due the 14th, late on the 15th
    return a


def test_first_clocks_are_kept_or_not_across_national_day(clocks):
    found = first_clocks(History(clocks), d(10, 15), PACKAGE_CALENDAR)
    assert {c.problem_id: (c.rule, c.due_on, c.done_on, c.kept) for c in found} == {
        "P-in-time": (PROBLEM_PLAN_LATE, d(10, 9), d(10, 9), True),
        "P-late": (PROBLEM_PLAN_LATE, d(10, 9), d(10, 10), False),
        "P-solved-first": (PROBLEM_PLAN_LATE, d(10, 8), d(9, 30), True),
        "S-holiday": (PROBLEM_NOT_SOLVED_SAME_DAY, d(10, 8), d(10, 8), True),
        "S-overnight": (PROBLEM_NOT_SOLVED_SAME_DAY, d(9, 29), d(9, 30), False),
        "S-open": (PROBLEM_NOT_SOLVED_SAME_DAY, d(10, 14), None, False),
        "P-open": (PROBLEM_PLAN_LATE, d(10, 16), None, None),
        "P-forgotten": (PROBLEM_PLAN_LATE, d(10, 14), None, False)}


def test_a_periods_problems_are_those_raised_in_it_judged_on_its_as_of(clocks):
    september = report("monthly", "2026-09", clocks)["measures"]["problem_clocks"]
    # Judged on 30 September: the plans due on 9 October are not due yet.
    assert [(p["problem_id"], p["kept"]) for p in september["problems"]] == [
        ("P-solved-first", True), ("S-overnight", False), ("P-in-time", None),
        ("P-late", None)]
    assert september["same_day"] == {"count": 1, "decided": 1, "kept": 0, "share_kept": 0.0}
    assert september["plan_in_time"] == {"count": 3, "decided": 1, "kept": 1,
                                         "share_kept": 1.0}
    assert september["problems"][0] | {"project_id": None} == {
        "project_id": None, "project": "A", "problem_id": "P-solved-first",
        "title": "P-solved-first", "responsible_unit": "县供电公司", "raised_on": d(9, 29),
        "clock": PROBLEM_PLAN_LATE, "due_on": d(10, 8), "done_on": d(9, 30), "kept": True}


def test_a_clock_not_late_yet_is_undecided_and_one_late_is_not_kept(clocks):
    october = Period.parse("monthly", "2026-10")
    on_14th = dispatch_report(october, [clocks], today=d(10, 14))["measures"]["problem_clocks"]
    on_15th = dispatch_report(october, [clocks], today=d(10, 15))["measures"]["problem_clocks"]

    def kept(found):
        return {p["problem_id"]: p["kept"] for p in found["problems"]}

    assert kept(on_14th) == {"S-holiday": True, "P-forgotten": None, "S-open": None,
                             "P-open": None}
    assert kept(on_15th) == {"S-holiday": True, "P-forgotten": False, "S-open": False,
                             "P-open": None}
    assert on_14th["same_day"] == {"count": 2, "decided": 1, "kept": 1, "share_kept": 1.0}
    assert on_15th["plan_in_time"] == {"count": 2, "decided": 1, "kept": 0, "share_kept": 0.0}


# ---- due in the next 7 days --------------------------------------------------------------


def test_due_in_the_next_7_days_are_the_obligations_due_by_as_of_plus_7_not_late_yet(sign):  # noqa: F811
    a = sign("A", d(9, 1))
    at(a, d(11, 2), "milestone_planned", milestone="land_approved", planned_on=d(11, 24))
    at(a, d(11, 2), "milestone_planned", milestone="land_delivered", planned_on=d(12, 2))
    at(a, d(11, 2), "milestone_planned", milestone="construction_permitted",
       planned_on=d(12, 3))
    at(a, d(11, 2), "approval_applied", approval_id="C1", item="环评", department="生态环境局")
    at(a, d(11, 3), "approval_granted", approval_id="C1", missing_documents=["图纸"],
       commitment_due_on=d(11, 25))
    at(a, d(11, 24), "problem_raised", problem_id="P1", title="用电", responsible_unit=None)
    at(a, d(11, 24), "problem_escalated", problem_id="P1", escalated_to="office", note="协调")
    paused = sign("Paused", d(9, 1))
    at(paused, d(11, 2), "milestone_planned", milestone="land_approved", planned_on=d(11, 27))
    at(paused, d(11, 20), "suspended", reason="funding")

    week = Period.parse("weekly", "2026-W48")
    found = dispatch_report(week, [a, paused], today=d(11, 25))["due_next_7_days"]

    # Wednesday 25 November: land_approved (due the 24th) is late, a red flag, not listed;
    # the commitment due today is; construction_permitted, due 3 December, is 8 days away.
    assert (found["after"], found["until"]) == (d(11, 25), d(12, 2))
    assert [(i["kind"], i["id"], i["rule"], i["owner"], i["due_on"], i["state"])
            for i in found["items"]] == [
        ("commitment", "C1", "commitment_overdue", "zhang", d(11, 25), "due"),
        ("problem", "P1", "problem_plan_late", "office", d(11, 26), "not_due"),
        ("milestone", "land_delivered", "milestone_overdue", "zhang", d(12, 2), "not_due")]
    assert found["count"] == 3
    assert found["by_owner"] == [{"owner": "zhang", "count": 2}, {"owner": "office", "count": 1}]


# ---- the comparison with the previous period, the trend -----------------------------------


def test_the_report_compares_its_figures_with_the_whole_previous_period(sign):  # noqa: F811
    a = sign("A", d(11, 16), investment=5_000)
    at(a, d(11, 17), "milestone_planned", milestone="project_filed", planned_on=d(11, 18))
    at(a, d(11, 18), "problem_raised", problem_id="P1", title="x", responsible_unit=None)
    at(a, d(11, 19), "problem_raised", problem_id="P2", title="y", responsible_unit=None)
    at(a, d(11, 24), "problem_resolved", problem_id="P1", resolution="done")

    week = Period.parse("weekly", "2026-W48")
    found = dispatch_report(week, [a], today=d(11, 25))["comparison"]

    assert found["previous"] == {"cadence": "weekly", "id": "2026-W47", "start": d(11, 16),
                                 "end": d(11, 22), "as_of": d(11, 22)}
    figures = found["figures"]
    assert figures["signed"] == {"this": 0, "previous": 1, "change": -1}
    assert figures["problems_raised"] == {"this": 0, "previous": 2, "change": -2}
    assert figures["problems_solved"] == {"this": 1, "previous": 0, "change": 1}
    assert figures["problems_open"] == {"this": 1, "previous": 2, "change": -1}
    # Sunday the 22nd: the filing (due Wednesday the 18th) is late; P1's plan is due by Friday
    # the 20th, not late until Monday. Wednesday the 25th: the filing still, P1 solved, P2's
    # plan (due Monday the 23rd) late.
    assert figures["milestones_overdue"] == {"this": 1, "previous": 1, "change": 0}
    assert figures["red_flags"] == {"this": 2, "previous": 1, "change": 1}
    assert set(figures) == {"signed", "milestones_reached", "approvals_granted",
                            "problems_raised", "problems_solved", "investment_completed",
                            "red_flags", "milestones_overdue", "problems_open"}


def test_the_trend_carries_each_periods_measures_as_its_report_gives_them(clocks):
    months_ = [Period.parse("monthly", m) for m in ("2026-09", "2026-10")]
    trend = dispatch_trend(months_, [clocks], today=d(10, 15))
    for point, period in zip(trend, months_):
        found = dispatch_report(period, [clocks], today=d(10, 15))["measures"]
        assert point["measures"] == {
            "approval_time": found["approval_time"]["period"],
            "signing_to_construction": found["signing_to_construction"]["period"],
            "land_approval": found["land_approval"]["period"],
            "same_day": found["problem_clocks"]["same_day"],
            "plan_in_time": found["problem_clocks"]["plan_in_time"]}
    assert trend[1]["measures"]["same_day"]["decided"] == 2


def test_a_week_spanning_national_day_measures_what_finished_in_it(sign):  # noqa: F811
    a = sign("A", d(9, 1), park="安福工业园")
    grant(a, "A1", d(9, 28), d(10, 9))
    at(a, d(10, 9), "milestone_reached", milestone="construction_permitted")
    at(a, d(10, 10), "milestone_reached", milestone="construction_started")
    week = measure("weekly", "2026-W41", a, name="approval_time")  # 5 to 11 October
    assert [r["working_days"] for r in week["projects"]] == [4]  # 29, 30 Sep; 8, 9 Oct
    started = measure("weekly", "2026-W41", a, name="signing_to_construction")
    assert started["period"]["count"] == 1
    assert started["projects"][0]["days"] == (d(10, 10) - d(9, 1)).days == 39
    assert timedelta(days=39) / timedelta(days=1) / DAYS_PER_MONTH == pytest.approx(1.28, 0.01)

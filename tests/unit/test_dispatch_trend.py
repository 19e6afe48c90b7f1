"""The trend of dispatch periods: milestones due and reached, problems, investment, period by
period, each figure the one the period's own report gives."""

from __future__ import annotations

from domain import dispatch_trend as trend
from domain.calendar import PACKAGE_CALENDAR
from domain.periods import Period
from tests.unit.test_dispatch import at, d, report, sign, troubled  # noqa: F401


def dispatch_trend(periods, projects, today=None):
    return trend.dispatch_trend(periods, projects, today, calendar=PACKAGE_CALENDAR)


def weeks(*ids):
    return [Period.parse("weekly", week) for week in ids]


def test_a_milestone_is_due_in_the_period_its_plan_in_force_then_names(sign):  # noqa: F811
    a = sign("A", d(9, 1))
    at(a, d(9, 2), "milestone_planned", milestone="project_filed", planned_on=d(10, 14))
    at(a, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(10, 15))
    at(a, d(9, 2), "milestone_planned", milestone="land_delivered", planned_on=d(10, 16))
    # replanned before the week ended: no longer due in W42
    at(a, d(10, 13), "milestone_planned", milestone="land_delivered", planned_on=d(11, 27),
       reason="clearance late")
    at(a, d(10, 14), "milestone_reached", milestone="land_approved")  # a day early

    w42, w48 = dispatch_trend(weeks("2026-W42", "2026-W48"), [a])

    assert w42["period"] == {"cadence": "weekly", "id": "2026-W42", "start": d(10, 12),
                             "end": d(10, 18)}
    # project_filed was skipped (a land milestone was reached), so only land_approved is due
    assert (w42["milestones_due"], w42["milestones_due_reached"]) == (1, 1)
    assert w42["milestones_reached"] == 1
    assert (w48["milestones_due"], w48["milestones_due_reached"]) == (1, 0)


def test_a_milestone_reached_after_its_period_is_due_then_not_reached_by_its_end(
        sign):  # noqa: F811
    a = sign("A", d(9, 1))
    at(a, d(9, 2), "milestone_planned", milestone="land_approved", planned_on=d(10, 15))
    at(a, d(10, 21), "milestone_reached", milestone="land_approved")

    w42, w43 = dispatch_trend(weeks("2026-W42", "2026-W43"), [a])

    assert (w42["milestones_due"], w42["milestones_due_reached"], w42["milestones_reached"]) \
        == (1, 0, 0)
    assert (w43["milestones_due"], w43["milestones_reached"]) == (0, 1)


def test_trend_figures_are_the_reports_figures_of_each_period(sign, troubled):  # noqa: F811
    b = sign("B", d(9, 1), investment=4_000)
    at(b, d(10, 5), "progress_reported", investment_completed=1_000)
    at(b, d(10, 14), "progress_reported", investment_completed=1_500)
    at(b, d(10, 9), "milestone_reached", milestone="project_filed")
    ids = ["2026-W40", "2026-W41", "2026-W42", "2026-W43"]

    points = dispatch_trend(weeks(*ids), [troubled, b])

    assert [p["period"]["id"] for p in points] == ids
    for point, week in zip(points, ids, strict=True):
        full = report("weekly", week, troubled, b)
        assert point["milestones_reached"] == full["milestones_reached"]["count"]
        assert point["problems_raised"] == full["problems"]["raised_count"]
        assert point["problems_solved"] == full["problems"]["solved_count"]
        for name in ("completed", "cumulative", "planned"):
            assert point[f"investment_{name}"] == full["investment"][name]
    assert [(p["problems_raised"], p["problems_solved"]) for p in points] == [
        (1, 0), (2, 1), (0, 1), (0, 0)]
    assert [p["investment_completed"] for p in points] == [0, 1_000, 500, 0]
    assert points[-1]["investment_planned"] == 1_000 + 4_000


def test_a_project_counts_from_the_period_it_was_signed_in(sign):  # noqa: F811
    late = sign("Late", d(11, 2), investment=2_000)
    at(late, d(11, 2), "milestone_planned", milestone="land_approved", planned_on=d(11, 3))

    w44, w45 = dispatch_trend(weeks("2026-W44", "2026-W45"), [late])

    assert (w44["milestones_due"], w44["investment_planned"]) == (0, 0)
    assert (w45["milestones_due"], w45["investment_planned"]) == (1, 2_000)

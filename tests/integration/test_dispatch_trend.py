"""The service's dispatch trend on each store: the periods up to one, oldest first, with the
figures of each period's report."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError


def test_the_trend_ends_with_the_period_and_agrees_with_its_reports(service, sign):
    project = sign()
    steps = [("milestone_planned", date(2026, 11, 2), {"milestone": "land_approved",
                                                      "planned_on": date(2026, 11, 18)}),
             ("milestone_reached", date(2026, 11, 17), {"milestone": "land_approved"}),
             ("problem_raised", date(2026, 11, 10), {"title": "用电", "problem_id": "P1"}),
             ("progress_reported", date(2026, 11, 24), {"investment_completed": 2_000_000})]
    for version, (event_type, on, fields) in enumerate(steps, start=1):
        service.record(project["id"], "zhang", event_type, expected_version=version,
                       occurred_on=on, fields=fields)

    points = service.dispatch_trend("weekly", "2026-W48", count=4)

    assert [p["period"]["id"] for p in points] == ["2026-W45", "2026-W46", "2026-W47",
                                                   "2026-W48"]
    assert [(p["milestones_due"], p["milestones_reached"]) for p in points] == [
        (0, 0), (0, 0), (1, 1), (0, 0)]
    assert [p["problems_raised"] for p in points] == [0, 1, 0, 0]
    for point in points:
        report = service.dispatch("weekly", point["period"]["id"])
        assert point["investment_completed"] == report["investment"]["completed"]
        assert point["milestones_reached"] == report["milestones_reached"]["count"]
    # today (25 November) is in W48, and six periods are the default
    assert service.dispatch_trend("weekly")[-4:] == points


@pytest.mark.parametrize("count", [0, 105])
def test_a_trend_of_no_periods_or_of_years_of_weeks_is_refused(service, count):
    with pytest.raises(DomainError) as refused:
        service.dispatch_trend("weekly", count=count)
    assert refused.value.code == "invalid_count"

"""The trend of a few dispatch periods: the figures the leaders' pictures plot, period by period.

Cheaper than a report per period: the histories are read once, and each period computes only
what the pictures show (milestones due and reached, problems raised and solved, investment
completed against plan; the seed's measures), not the flags, tables and rankings of a full
report. Every figure is the one the period's own report gives, by the same section functions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import dispatch_measures
from domain import dispatch_sections as sections
from domain.calendar import WorkingCalendar
from domain.dispatch import judged_on
from domain.history import History
from domain.obligations import milestones_due_on, problems_on
from domain.periods import Period
from domain.project import Project

# A trend longer than two years of weeks is a different question (and a slow page).
MAX_TREND_PERIODS = 104


def dispatch_trend(periods: list[Period], projects: list[Project], today: date | None = None, *,
                   calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """The trend figures of each period, in the order given, each judged on its last day or
    `today` while it runs (a period not begun is refused, as its report is)."""
    days = [judged_on(period, today) for period in periods]
    histories = [History(project) for project in projects]
    return [_point(histories, period, as_of, calendar) for period, as_of in zip(periods, days)]


def milestones_due(histories: list[History], start: date, end: date, as_of: date,
                   calendar: WorkingCalendar) -> dict[str, int]:
    """Milestones due from start to end (by the plan in force on as_of, moved to a working
    day by the rules), and how many of them were reached by as_of.

    As in the overdue section, a milestone passed over by a later one reached was skipped and
    is not due; unlike it, a project suspended or terminated since still had its milestones
    due: the picture shows what was planned against what was done.
    """
    due = reached = 0
    for history in histories:
        if not history.signed_by(as_of):
            continue
        done = history.reached_by(as_of)
        for code, due_on in milestones_due_on(history, as_of, calendar).items():
            if start <= due_on <= end:
                due += 1
                reached += code in done
    return {"due": due, "reached": reached}


def _point(histories: list[History], period: Period, as_of: date, calendar: WorkingCalendar
           ) -> dict[str, Any]:
    start, end = period.start, period.end
    due = milestones_due(histories, start, end, as_of, calendar)
    problems = sections.problems([(h, problems_on(h, as_of, calendar)) for h in histories],
                                 start, end, calendar)
    investment = sections.investment(histories, start, end)
    measured = dispatch_measures.measures(histories, start, as_of, calendar)
    return {
        "period": {"cadence": period.cadence, "id": period.id, "start": start, "end": end},
        "milestones_due": due["due"],
        "milestones_due_reached": due["reached"],
        "milestones_reached": sections.milestones_reached(histories, start, end,
                                                          calendar)["count"],
        "problems_raised": problems["raised_count"],
        "problems_solved": problems["solved_count"],
        "investment_completed": investment["completed"],
        "investment_cumulative": investment["cumulative"],
        "investment_planned": investment["planned"],
        "measures": {
            "approval_time": measured["approval_time"]["period"],
            "signing_to_construction": measured["signing_to_construction"]["period"],
            "land_approval": measured["land_approval"]["period"],
            "same_day": measured["problem_clocks"]["same_day"],
            "plan_in_time": measured["problem_clocks"]["plan_in_time"],
        },
    }

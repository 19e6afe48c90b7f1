"""The trend of a few dispatch periods: the figures the leaders' pictures plot, period by period.

Cheaper than a report per period: the histories are read once, and each period computes only
what the pictures show (milestones due and reached, problems raised and solved, investment
completed against plan), not the flags, tables and rankings of a full report. Every figure is
the one the period's own report gives, by the same section functions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import dispatch_sections as sections
from domain.dispatch_sections import History
from domain.lifecycle import PHASE_ORDER, phase_of
from domain.periods import Period
from domain.project import Project

# A trend longer than two years of weeks is a different question (and a slow page).
MAX_TREND_PERIODS = 104


def dispatch_trend(periods: list[Period], projects: list[Project]) -> list[dict[str, Any]]:
    """The trend figures of each period, in the order given."""
    histories = [History(project) for project in projects]
    return [_point(histories, period) for period in periods]


def milestones_due(histories: list[History], start: date, end: date) -> dict[str, int]:
    """Milestones planned (by the plan in force on end) from start to end, and how many of them
    were reached by end.

    As in the overdue section, a milestone of a phase the project had passed without it was
    skipped (e.g. no park review) and is not due; unlike it, a project suspended or terminated
    since still had its milestones due: the picture shows what was planned against what was done.
    """
    due = reached = 0
    for history in histories:
        if not history.signed_by(end):
            continue
        done = history.reached_by(end)
        phase = PHASE_ORDER[history.phase_on(end)]
        for code, planned_on in history.plans_on(end).items():
            skipped = code not in done and PHASE_ORDER[phase_of(code)] < phase
            if start <= planned_on <= end and not skipped:
                due += 1
                reached += code in done
    return {"due": due, "reached": reached}


def _point(histories: list[History], period: Period) -> dict[str, Any]:
    start, end = period.start, period.end
    due = milestones_due(histories, start, end)
    problems = sections.problems(histories, start, end)
    investment = sections.investment(histories, start, end)
    return {
        "period": {"cadence": period.cadence, "id": period.id, "start": start, "end": end},
        "milestones_due": due["due"],
        "milestones_due_reached": due["reached"],
        "milestones_reached": sections.milestones_reached(histories, start, end)["count"],
        "problems_raised": problems["raised_count"],
        "problems_solved": problems["solved_count"],
        "investment_completed": investment["completed"],
        "investment_cumulative": investment["cumulative"],
        "investment_planned": investment["planned"],
    }

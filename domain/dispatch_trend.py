"""The trend of a few dispatch periods: the figures the leaders' pictures plot, period by period.

Cheaper than a report per period: the histories are read once, and each period computes only
what the pictures show (milestones due and reached, problems raised and solved, investment
completed against plan; the seed's measures), not the flags, tables and rankings of a full
report. Every figure is the one the period's own report gives, by the same section functions.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any

from domain import dispatch_measures
from domain import dispatch_sections as sections
from domain.calendar import WorkingCalendar
from domain.history import History
from domain.obligations import milestones_due_on, problems_on
from domain.periods import Period, judged_on
from domain.project import Project

# A trend longer than two years of weeks is a different question (and a slow page).
MAX_TREND_PERIODS = 104


def dispatch_trend(periods: list[Period], projects: list[Project], today: date | None = None, *,
                   calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """The trend figures of each period, in the order given, each judged on its last day or
    `today` while it runs (a period not begun is refused, as its report is)."""
    days = [judged_on(period, today) for period in periods]
    histories = [History(project) for project in projects]
    return [trend_point(period, [trend_part(history, period, as_of, calendar)
                                 for history in histories])
            for period, as_of in zip(periods, days)]


def trend_part(history: History, period: Period, as_of: date, calendar: WorkingCalendar
               ) -> dict[str, Any]:
    """One project's part of a period's trend figures judged on as_of (a report's part holds
    it too: domain.dispatch.report_part)."""
    start, end = period.start, period.end
    problems = sections.problems_rows((history, problems_on(history, as_of, calendar)), start,
                                      end, calendar)
    investment = sections.investment_rows(history, start, end)
    return {
        "milestones_due": milestones_due_of(history, start, end, as_of, calendar),
        "milestones_reached": len(sections.milestones_reached_rows(history, start, end,
                                                                   calendar)),
        "problems": [len(problems["raised"]), len(problems["solved"])],
        "investment": [[row["completed"], row["cumulative"], row["planned"]]
                       for row in investment],
        # The measures' rows of the period (the trend shows their period figures only).
        "measures": {kind: [row for row in rows if row.get("in_period", True)]
                     for kind, rows in dispatch_measures.measures_rows(
                         history, start, as_of, calendar).items()},
    }


def milestones_due_of(history: History, start: date, end: date, as_of: date,
                      calendar: WorkingCalendar) -> list[int]:
    """[due, reached]: the project's milestones due from start to end (by the plan in force on
    as_of, moved to a working day by the rules), and how many of them were reached by as_of.

    As in the overdue section, a milestone passed over by a later one reached was skipped and
    is not due; unlike it, a project suspended or terminated since still had its milestones
    due: the picture shows what was planned against what was done.
    """
    due = reached = 0
    if history.signed_by(as_of):
        done = history.reached_by(as_of)
        for code, due_on in milestones_due_on(history, as_of, calendar).items():
            if start <= due_on <= end:
                due += 1
                reached += code in done
    return [due, reached]


def trend_point(period: Period, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """A period's trend figures from its projects' trend parts."""
    investment = [row for part in parts for row in part["investment"]]
    measured = dispatch_measures.measures_summary(sections.over(
        itemgetter("measures"), parts, kinds=dispatch_measures.MEASURE_KINDS), None)
    return {
        "period": {"cadence": period.cadence, "id": period.id, "start": period.start,
                   "end": period.end},
        "milestones_due": sum(part["milestones_due"][0] for part in parts),
        "milestones_due_reached": sum(part["milestones_due"][1] for part in parts),
        "milestones_reached": sum(part["milestones_reached"] for part in parts),
        "problems_raised": sum(part["problems"][0] for part in parts),
        "problems_solved": sum(part["problems"][1] for part in parts),
        "investment_completed": sum(row[0] for row in investment),
        "investment_cumulative": sum(row[1] for row in investment),
        "investment_planned": sum(row[2] for row in investment),
        "measures": {
            "approval_time": measured["approval_time"]["period"],
            "signing_to_construction": measured["signing_to_construction"]["period"],
            "land_approval": measured["land_approval"]["period"],
            "same_day": measured["problem_clocks"]["same_day"],
            "plan_in_time": measured["problem_clocks"]["plan_in_time"],
        },
    }

"""Dispatch reports (一周一调度、半月一汇报、一月一督查、一季一通报): one period over all projects.

Pure: a report reads Project aggregates and a Period and returns plain data. Everything counts by
business date (the date an event happened, not when it was recorded), on the history as
corrected (amended values applied, voided events left out), and nothing dated after the period's
last day counts: a past period's report is what its days held, a late entry moves the period it
is dated in. The sections and the definitions behind them are in domain.dispatch_sections.

Rates are fractions to four places, 0 when there is nothing to measure.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from domain import clocks
from domain import dispatch_sections as sections
from domain.dispatch_sections import History, ratio
from domain.periods import Period
from domain.project import Project

# The figures a period contributes to its enclosing one (以周促月、以月促季、以季保年). All but
# problems_solved are sums over days, so neighbouring periods add up to the enclosing one; a
# problem solved in one week and reopened in the next is solved in neither the month nor both.
HEADLINE = ("signed", "milestones_reached", "approvals_granted", "problems_raised",
            "problems_solved", "investment_completed")


def dispatch_report(period: Period, projects: list[Project], today: date | None = None
                    ) -> dict[str, Any]:
    """The dispatch report of a period over these projects, as plain data.

    What stands at the period's end (phases, overdue milestones and commitments, red flags) is
    judged on its last day, or on `today` while the period is still running: a milestone due
    on Friday is not overdue on Wednesday. Counts of what happened in the period take its days.
    """
    histories = [History(project) for project in projects]
    start, end = period.start, period.end
    as_of = end if today is None else max(start, min(end, today))
    problems = sections.problems(histories, start, end)
    reached = sections.milestones_reached(histories, start, end)
    approvals = sections.approvals_granted(histories, start, end)
    return {
        "period": _period(period) | {"as_of": as_of},
        "projects_by_phase_and_status": sections.projects_by_phase_and_status(histories, as_of),
        "signed": sections.signed(histories, start, end),
        "milestones_reached": reached,
        "milestones_overdue": sections.milestones_overdue(histories, as_of),
        "approvals_granted": approvals,
        "commitments": sections.commitments(histories, start, end, as_of),
        "problems": problems,
        "escalations_and_instructions": sections.escalations_and_instructions(
            histories, start, end),
        "investment": sections.investment(histories, start, end),
        "red_flags": red_flags(projects, as_of),
        "rankings": rankings(reached, approvals, problems),
        "roll_up": roll_up(histories, period),
    }


def headline(histories: list[History], start: date, end: date) -> dict[str, int]:
    """The headline figures of the days from start to end."""
    problems = sections.problems(histories, start, end)
    return {
        "signed": sections.signed(histories, start, end)["count"],
        "milestones_reached": sections.milestones_reached(histories, start, end)["count"],
        "approvals_granted": sections.approvals_granted(histories, start, end)["count"],
        "problems_raised": problems["raised_count"],
        "problems_solved": problems["solved_count"],
        "investment_completed": sections.investment(histories, start, end)["completed"],
    }


def red_flags(projects: list[Project], end: date) -> dict[str, Any]:
    """The red flags standing on the period's last day, each with its owner and reasons."""
    found = [asdict(flag) for project in projects for flag in clocks.flags(project, end)
             if flag.colour == clocks.RED]
    found.sort(key=lambda f: (f["due_on"], f["subject"]["project"], f["rule"],
                              f["subject"]["id"]))
    by_owner: dict[str, int] = {}
    for flag in found:
        by_owner[flag["owner"]] = by_owner.get(flag["owner"], 0) + 1
    return {"flags": found, "count": len(found),
            "by_owner": [{"owner": owner, "count": n} for owner, n in sorted(
                by_owner.items(), key=lambda item: (-item[1], item[0]))]}


def rankings(reached: dict[str, Any], approvals: dict[str, Any], problems: dict[str, Any]
             ) -> dict[str, list[dict[str, Any]]]:
    """Agents and responsible units by on-time rate, best first, ties by name.

    Agents: the chief agent of the project on the day a milestone was reached, by milestones
    reached on time over those reached with a plan. Units: approval departments by approvals
    granted within the target over those granted with a target (industrial projects); problem
    units by problems solved over problems to solve (the solution rate). Only who had something
    to measure is ranked; problems with no unit named rank no one.
    """
    agents = _tally(reached["milestones"], "chief_agent", "on_time", ("on_time", "with_plan"))
    departments = _tally(approvals["approvals"], "department", "within_target",
                         ("within_target", "with_target"))
    units = [{"name": row["unit"], "solved": row["solved"], "to_solve": row["to_solve"]}
             for row in problems["by_unit"] if row["unit"] is not None and row["to_solve"]]
    return {
        "agents": _ranked(agents, "on_time", "with_plan"),
        "units_by_approvals": _ranked(departments, "within_target", "with_target"),
        "units_by_problems": _ranked(units, "solved", "to_solve"),
    }


def _tally(rows: list[dict[str, Any]], who: str, verdict: str, names: tuple[str, str]
           ) -> list[dict[str, Any]]:
    """Per `who`, the rows whose verdict is True and those with a verdict at all."""
    good, measured = names
    tally: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row[verdict] is not None:
            counts = tally.setdefault(row[who], {"name": row[who], good: 0, measured: 0})
            counts[good] += bool(row[verdict])
            counts[measured] += 1
    return list(tally.values())


def _ranked(rows: list[dict[str, Any]], good: str, measured: str) -> list[dict[str, Any]]:
    for row in rows:
        row["rate"] = ratio(row[good], row[measured])
    rows.sort(key=lambda row: (-row["rate"], row["name"]))
    return [{"rank": rank, **row} for rank, row in enumerate(rows, start=1)]


def roll_up(histories: list[History], period: Period) -> dict[str, Any] | None:
    """How the period contributes to the enclosing one, up to the period's last day.

    The contribution is the part of the period inside the enclosing one: the whole period but
    for a week that straddles two months, which feeds the month holding its Thursday with the
    days in that month. Shares are contribution / enclosing period to date.
    """
    up = period.enclosing()
    if up is None:
        return None
    last = min(period.end, up.end)
    this = headline(histories, period.start, period.end)
    part = headline(histories, max(period.start, up.start), last)
    to_date = headline(histories, up.start, last)
    return {
        "enclosing": _period(up),
        "to_date": {"start": up.start, "end": last},
        "period": this,
        "contribution": part,
        "enclosing_to_date": to_date,
        "share": {name: ratio(part[name], to_date[name]) for name in HEADLINE},
    }


def _period(period: Period) -> dict[str, Any]:
    return {"cadence": period.cadence, "id": period.id, "start": period.start,
            "end": period.end}

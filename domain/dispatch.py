"""Dispatch reports (一周一调度、半月一汇报、一月一督查、一季一通报): one period over all projects.

Pure: a report reads Project aggregates, a Period, the day it is judged on and the working-day
calendar, and returns plain data. Everything counts by business date (the date an event
happened, not when it was recorded), on the history as corrected (amended values applied,
voided events left out), and nothing dated after the day the report is judged on counts.
What is due, late, open and owed is decided by domain.obligations, the rules the boards and
flags read too; the sections are in domain.dispatch_sections.

Rates are fractions to four places, 0 when there is nothing to measure.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from fractions import Fraction
from typing import Any

from domain import clocks
from domain import dispatch_sections as sections
from domain.calendar import WorkingCalendar
from domain.collation import pinyin_key
from domain.dispatch_sections import Judged, ratio
from domain.errors import DomainError
from domain.history import History
from domain.obligations import problems_on, standing
from domain.periods import Period
from domain.project import Project

# The figures a period contributes to the periods it rolls up into (以周促月、以月促季、以季保年).
# All but problems_solved are sums over days, so neighbouring periods add up to the enclosing
# one; a problem solved in one week and reopened in the next is solved in neither the month
# nor both.
HEADLINE = ("signed", "milestones_reached", "approvals_granted", "problems_raised",
            "problems_solved", "investment_completed")


def judged_on(period: Period, today: date | None) -> date:
    """The day a period's report is judged on: its last day, or today while it runs.
    A period that has not begun has no report (DomainError future_period)."""
    if today is not None and period.start > today:
        raise DomainError(f"{period.id} has not begun (today is {today}): it has no report yet",
                          field="period", code="future_period")
    return period.end if today is None else min(period.end, today)


def dispatch_report(period: Period, projects: list[Project], today: date | None = None, *,
                    calendar: WorkingCalendar) -> dict[str, Any]:
    """The dispatch report of a period over these projects, as plain data.

    What stands (phases, overdue milestones and commitments, open problems, red flags) is
    judged on `as_of`: the period's last day, or `today` while the period is still running (a
    milestone due on Friday is not overdue on Wednesday). Counts of what happened in the
    period take its days. `calendar_warnings` names the years whose official calendar is not
    known that any count in the report crossed.
    """
    as_of = judged_on(period, today)
    watched = calendar.watch()
    histories = [History(project) for project in projects]
    judged = [Judged(h, standing(h, as_of, watched)) for h in histories]
    start, end = period.start, period.end
    problems = sections.problems([(h, s.problems) for h, s in judged], start, end, watched)
    reached = sections.milestones_reached(histories, start, end, watched)
    approvals = sections.approvals_granted(histories, start, end, watched)
    report = {
        "period": _period(period) | {"as_of": as_of},
        "projects_by_phase_and_status": sections.projects_by_phase_and_status(histories, as_of),
        "signed": sections.signed(histories, start, end),
        "milestones_reached": reached,
        "milestones_overdue": sections.milestones_overdue(judged),
        "approvals_granted": approvals,
        "commitments": sections.commitments(judged, start, end),
        "problems": problems,
        "suspensions": sections.suspensions(judged),
        "escalations_and_instructions": sections.escalations_and_instructions(
            histories, start, end),
        "investment": sections.investment(histories, start, end),
        "red_flags": red_flags(judged, watched),
        "rankings": rankings(reached, approvals, problems),
        "roll_up": roll_up(histories, period, as_of, watched),
    }
    report["calendar_warnings"] = watched.warnings()
    return report


def headline(histories: list[History], start: date, end: date, calendar: WorkingCalendar
             ) -> dict[str, int]:
    """The headline figures of the days from start to end (end no later than the day judged
    on), by the same sections as the report."""
    problems = sections.problems([(h, problems_on(h, end, calendar)) for h in histories],
                                 start, end, calendar)
    return {
        "signed": sections.signed(histories, start, end)["count"],
        "milestones_reached": sections.milestones_reached(histories, start, end,
                                                          calendar)["count"],
        "approvals_granted": sections.approvals_granted(histories, start, end,
                                                        calendar)["count"],
        "problems_raised": problems["raised_count"],
        "problems_solved": problems["solved_count"],
        "investment_completed": sections.investment(histories, start, end)["completed"],
    }


def red_flags(judged: list[Judged], calendar: WorkingCalendar) -> dict[str, Any]:
    """The red flags standing on the day judged on, each with its owner and reasons."""
    found = [asdict(flag) for history, standing_ in judged
             for flag in clocks.flags_of(history, standing_, calendar)
             if flag.colour == clocks.RED]
    found.sort(key=lambda f: (f["due_on"], pinyin_key(f["subject"]["project"]), f["rule"],
                              f["subject"]["id"]))
    by_owner: dict[str, int] = {}
    for flag in found:
        by_owner[flag["owner"]] = by_owner.get(flag["owner"], 0) + 1
    return {"flags": found, "count": len(found),
            "by_owner": [{"owner": owner, "count": n} for owner, n in sorted(
                by_owner.items(), key=lambda item: (-item[1], item[0]))]}


def rankings(reached: dict[str, Any], approvals: dict[str, Any], problems: dict[str, Any]
             ) -> dict[str, list[dict[str, Any]]]:
    """Agents and responsible units by on-time rate, best first; equal rates share a rank
    (1, 1, 3) and are listed by name (pinyin).

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
    """Rows by rate, best first, with competition ranks: equal rates (as exact fractions)
    share the rank of the first of them, and the next rate's rank counts them all."""
    exact = {id(row): Fraction(row[good], row[measured]) for row in rows}
    rows.sort(key=lambda row: (-exact[id(row)], pinyin_key(row["name"])))
    ranked, rank, previous = [], 0, None
    for place, row in enumerate(rows, start=1):
        if exact[id(row)] != previous:
            rank, previous = place, exact[id(row)]
        ranked.append({"rank": rank, **row, "rate": ratio(row[good], row[measured])})
    return ranked


def roll_up(histories: list[History], period: Period, as_of: date, calendar: WorkingCalendar
            ) -> dict[str, Any]:
    """How the period counts towards the periods it rolls up into, up to `as_of`.

    A week that straddles two months counts in each, with its days in that month; an
    enclosing period none of whose days in this one has begun by `as_of` is left out. Each
    share is the contribution over the enclosing period to date (its first day to the last of
    this period's days in it, or as_of).
    """
    this = headline(histories, period.start, min(period.end, as_of), calendar)
    into = []
    for up, first, last in period.rolls_into():
        if first > as_of:
            continue
        last = min(last, as_of)
        part = headline(histories, first, last, calendar)
        to_date = headline(histories, up.start, last, calendar)
        into.append({
            "enclosing": _period(up),
            "days": {"start": first, "end": last},
            "to_date": {"start": up.start, "end": last},
            "contribution": part,
            "enclosing_to_date": to_date,
            "share": {name: ratio(part[name], to_date[name]) for name in HEADLINE},
        })
    return {"period": this, "into": into}


def _period(period: Period) -> dict[str, Any]:
    return {"cadence": period.cadence, "id": period.id, "start": period.start,
            "end": period.end}


def province_summary(period: Period, counties: list[tuple[dict[str, str], list[Project]]],
                     today: date | None = None, *, calendar: WorkingCalendar) -> dict[str, Any]:
    """The province's summary of a period: a row per county with its headline figures, its
    overdue and red-flag counts, its solution and on-time rates and its rank, and the
    province's totals.

    Each row's figures are those of the county's own report. Counties are ranked by their
    milestone on-time rate, as agents are (equal rates share a rank; by name in pinyin order
    among them); a county with no milestone reached with a plan is ranked last, unranked.
    """
    as_of = judged_on(period, today)
    rows, warnings = [], {}
    for county, projects in counties:
        report = dispatch_report(period, projects, today, calendar=calendar)
        rows.append(county | _county_figures(report))
        warnings |= {w["year"]: w for w in report["calendar_warnings"]}
    measured = [row for row in rows if row["milestones_with_plan"]]
    ranked = {row["code"]: row["rank"] for row in _ranked(
        [{"name": row["name"], "code": row["code"], "on_time": row["milestones_on_time"],
          "with_plan": row["milestones_with_plan"]} for row in measured],
        "on_time", "with_plan")}
    for row in rows:
        row["rank"] = ranked.get(row["code"])
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, pinyin_key(row["name"])))
    totals = {name: sum(row[name] for row in rows) for name in COUNTY_COUNTS}
    totals |= _rates(totals)
    return {"period": _period(period) | {"as_of": as_of}, "counties": rows, "totals": totals,
            "calendar_warnings": [warnings[year] for year in sorted(warnings)]}


# The counts of a county's row in the province summary, each from its report.
COUNTY_COUNTS = {
    "projects": ("projects_by_phase_and_status", "totals", "total"),
    "signed": ("signed", "count"),
    "investment_signed": ("signed", "total_investment"),
    "milestones_reached": ("milestones_reached", "count"),
    "milestones_with_plan": ("milestones_reached", "with_plan"),
    "milestones_on_time": ("milestones_reached", "on_time"),
    "milestones_overdue": ("milestones_overdue", "count"),
    "approvals_granted": ("approvals_granted", "count"),
    "commitments_overdue": ("commitments", "overdue_count"),
    "problems_raised": ("problems", "raised_count"),
    "problems_solved": ("problems", "solved_count"),
    "problems_to_solve": ("problems", "to_solve_count"),
    "problems_open": ("problems", "open_count"),
    "red_flags": ("red_flags", "count"),
    "investment_completed": ("investment", "completed"),
}


def _county_figures(report: dict[str, Any]) -> dict[str, Any]:
    figures = {}
    for name, path in COUNTY_COUNTS.items():
        value: Any = report
        for key in path:
            value = value[key]
        figures[name] = value
    return figures | _rates(figures)


def _rates(counts: dict[str, Any]) -> dict[str, float]:
    return {"on_time_rate": ratio(counts["milestones_on_time"], counts["milestones_with_plan"]),
            "solution_rate": ratio(counts["problems_solved"], counts["problems_to_solve"])}

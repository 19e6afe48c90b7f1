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
from operator import itemgetter
from typing import Any

from domain import clocks, dispatch_measures
from domain import dispatch_sections as sections
from domain.calendar import WorkingCalendar, warnings_of
from domain.collation import pinyin_key
from domain.dispatch_sections import Judged, ratio
from domain.history import History, judged_once
from domain.obligations import problems_on, standing
from domain.periods import Period, judged_on
from domain.project import Project

# The figures a period contributes to the periods it rolls up into (以周促月、以月促季、以季保年).
# All but problems_solved are sums over days, so neighbouring periods add up to the enclosing
# one; a problem solved in one week and reopened in the next is solved in neither the month
# nor both.
HEADLINE = ("signed", "milestones_reached", "approvals_granted", "problems_raised",
            "problems_solved", "investment_completed")


def dispatch_report(period: Period, projects: list[Project], today: date | None = None, *,
                    calendar: WorkingCalendar) -> dict[str, Any]:
    """The dispatch report of a period over these projects, as plain data.

    What stands (phases, overdue milestones and commitments, open problems, red flags) is
    judged on `as_of`: the period's last day, or `today` while the period is still running (a
    milestone due on Friday is not overdue on Wednesday). Counts of what happened in the
    period take its days. `calendar_warnings` names the years whose official calendar is not
    known that any count in the report crossed.

    The report is the sum of every project's part (`report_part`), in the projects' order:
    a view that keeps the parts (domain.dispatch_parts) assembles the same report from them.
    """
    histories = [History(project) for project in projects]
    previous = period.previous()
    return compared(report_of(histories, period, today, calendar),
                    report_of(histories, previous, today, calendar))


def report_of(histories: list[History], period: Period, today: date | None,
              calendar: WorkingCalendar) -> dict[str, Any]:
    """A period's report over these histories, without the comparison with the previous
    period's (see `compared`)."""
    as_of = judged_on(period, today)
    return assemble(period, as_of, [report_part(history, period, as_of, calendar)
                                    for history in histories],
                    parallel_weekday=calendar.parallel_weekday)


# The sections whose rows are of several kinds (a dict of lists), with their kinds.
KINDS = {"commitments": sections.COMMITMENT_KINDS, "problems": sections.PROBLEM_KINDS,
         "escalations_and_instructions": sections.ESCALATION_KINDS,
         "measures": dispatch_measures.MEASURE_KINDS}


def report_part(history: History, period: Period, as_of: date, calendar: WorkingCalendar
                ) -> dict[str, Any]:
    """One project's part of a period's report judged on as_of: its rows of every section,
    its headline figures over each span of the roll-up, and the years of unknown calendar its
    counts crossed. Plain data (dates, ids, numbers, text), the same whoever computes it.

    It is two halves: what stands on the day (`day_part`, the same in every period's report
    judged on that day) and what the period holds (`period_part`), kept apart by a view that
    keeps parts (domain.dispatch_parts) and `joined` when a report is assembled."""
    return joined(day_part(history, as_of, calendar),
                  period_part(history, period, as_of, calendar))


# The sections of a part that depend on the day judged only, not on the period: what stands.
DAY_SECTIONS = ("projects_by_phase_and_status", "milestones_overdue", "conditions_overdue",
                "opinions_overdue", "suspensions", "red_flags", "due_next_7_days", "waiting_on")


def day_part(history: History, as_of: date, calendar: WorkingCalendar) -> dict[str, Any]:
    """The project's rows of the sections that say what stands on as_of (DAY_SECTIONS): its
    phase and status, what is overdue, suspended, flagged, due next and waited on."""
    watched = calendar.watch()
    judged = Judged(history, standing(history, as_of, watched))
    return {
        "projects_by_phase_and_status": sections.projects_by_phase_and_status_rows(history,
                                                                                   as_of),
        "milestones_overdue": sections.milestones_overdue_rows(judged),
        "conditions_overdue": sections.conditions_overdue_rows(judged),
        "opinions_overdue": sections.opinions_overdue_rows(judged),
        "suspensions": sections.suspensions_rows(judged),
        "red_flags": red_flag_rows(judged, watched),
        "due_next_7_days": sections.due_next_rows(judged, as_of),
        "waiting_on": sections.waiting_on_rows(history, as_of, watched),
        "unknown_years": sorted(watched.touched or ()),
    }


def period_part(history: History, period: Period, as_of: date, calendar: WorkingCalendar
                ) -> dict[str, Any]:
    """The project's rows of the sections that count the period's days (judged on as_of):
    signed, reached, granted, committed, problems, escalations, investment, measures, and its
    headline figures over each span of the roll-up."""
    watched = calendar.watch()
    judged = Judged(history, standing(history, as_of, watched))
    start, end = period.start, period.end
    return {
        "signed": sections.signed_rows(history, start, end),
        "milestones_reached": sections.milestones_reached_rows(history, start, end, watched),
        "approvals_granted": sections.approvals_granted_rows(history, start, end, watched),
        "commitments": sections.commitments_rows(judged, start, end),
        "problems": sections.problems_rows((history, judged.standing.problems), start, end,
                                           watched),
        "escalations_and_instructions": sections.escalations_and_instructions_rows(
            history, start, end),
        "investment": sections.investment_rows(history, start, end),
        "measures": dispatch_measures.measures_rows(history, start, as_of, watched),
        "roll_up": [[figures[name] for name in HEADLINE]
                    for figures in (headline_of(history, first, last, watched)
                                    for first, last in roll_up_spans(period, as_of))],
        "unknown_years": sorted(watched.touched or ()),
    }


def joined(day: dict[str, Any], period: dict[str, Any]) -> dict[str, Any]:
    """A project's report part from its day's half and its period's (judged on that day)."""
    return day | period | {"unknown_years": sorted({*day["unknown_years"],
                                                    *period["unknown_years"]})}


def assemble(period: Period, as_of: date, parts: list[dict[str, Any]], *,
             parallel_weekday: int) -> dict[str, Any]:
    """The report of a period judged on as_of from its projects' parts, in their order (the
    parts counted by a calendar whose parallel-approval day is `parallel_weekday`)."""
    def rows(name: str) -> Any:
        return sections.over(itemgetter(name), parts, kinds=KINDS.get(name))

    problems = sections.problems_summary(rows("problems"))
    reached = sections.milestones_reached_summary(rows("milestones_reached"))
    approvals = sections.approvals_granted_summary(rows("approvals_granted"))
    report = {
        "period": _period(period) | {"as_of": as_of},
        "projects_by_phase_and_status": sections.projects_by_phase_and_status_summary(
            rows("projects_by_phase_and_status")),
        "signed": sections.signed_summary(rows("signed")),
        "milestones_reached": reached,
        "milestones_overdue": sections.milestones_overdue_summary(rows("milestones_overdue")),
        "approvals_granted": approvals,
        "commitments": sections.commitments_summary(rows("commitments")),
        "conditions_overdue": sections.conditions_overdue_summary(rows("conditions_overdue")),
        "opinions_overdue": sections.opinions_overdue_summary(rows("opinions_overdue")),
        "problems": problems,
        "suspensions": sections.suspensions_summary(rows("suspensions")),
        "escalations_and_instructions": sections.escalations_and_instructions_summary(
            rows("escalations_and_instructions")),
        "investment": sections.investment_summary(rows("investment")),
        "red_flags": red_flags_summary(rows("red_flags")),
        "rankings": rankings(reached, approvals, problems),
        "roll_up": roll_up(period, as_of, [part["roll_up"] for part in parts]),
        "due_next_7_days": sections.due_next_summary(rows("due_next_7_days"), as_of),
        "waiting_on": sections.waiting_on_summary(rows("waiting_on")),
        "measures": dispatch_measures.measures_summary(rows("measures"), parallel_weekday),
    }
    report["calendar_warnings"] = warnings_of(
        {year for part in parts for year in part["unknown_years"]})
    return report


# The figures a report compares with the previous period's: the headline figures, and what
# stood at the end (red flags, overdue milestones, open problems), with where each is found.
COMPARED = {name: ("roll_up", "period", name) for name in HEADLINE} | {
    "red_flags": ("red_flags", "count"),
    "milestones_overdue": ("milestones_overdue", "count"),
    "problems_open": ("problems", "open_count"),
}


def compared(report: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """A report with its comparison: this period's figures (to as_of) against the whole
    previous period's (its report, judged on its last day), each with the change (this less
    the previous); the calendar warnings of both. A new report: neither given is changed."""
    figures = {}
    for name, path in COMPARED.items():
        value, was = found_at(report, path), found_at(before, path)
        figures[name] = {"this": value, "previous": was, "change": value - was}
    warned = {w["year"] for w in report["calendar_warnings"] + before["calendar_warnings"]}
    return report | {"comparison": {"previous": before["period"], "figures": figures},
                     "calendar_warnings": warnings_of(warned)}


def found_at(report: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at a path of keys in a report (("problems", "open_count"))."""
    for key in path:
        report = report[key]
    return report


@judged_once(handed=dict)
def headline_of(history: History, start: date, end: date, calendar: WorkingCalendar
                ) -> dict[str, int]:
    """A project's headline figures of the days from start to end (end no later than the
    day judged on), by the same sections as the report: a report's are their sums. Worked
    out once per history, span and calendar (the roll-ups of a day's reports share spans)."""
    problems = sections.problems_rows((history, problems_on(history, end, calendar)), start,
                                      end, calendar)
    return {
        "signed": len(sections.signed_rows(history, start, end)),
        "milestones_reached": len(sections.milestones_reached_rows(history, start, end,
                                                                   calendar)),
        "approvals_granted": len(sections.approvals_granted_rows(history, start, end,
                                                                 calendar)),
        "problems_raised": len(problems["raised"]),
        "problems_solved": len(problems["solved"]),
        "investment_completed": sum(row["completed"] for row in
                                    sections.investment_rows(history, start, end)),
    }


def red_flag_rows(judged: Judged, calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """The project's red flags standing on the day judged on, each with its owner and
    reasons."""
    history, standing_ = judged
    return [asdict(flag) for flag in clocks.flags_of(history, standing_, calendar)
            if flag.colour == clocks.RED]


def red_flags(judged: list[Judged], calendar: WorkingCalendar) -> dict[str, Any]:
    return red_flags_summary(sections.over(red_flag_rows, judged, calendar))


def red_flags_summary(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The red flags standing on the day judged on, and how many each owner has."""
    found.sort(key=lambda f: (f["due_on"], pinyin_key(f["subject"]["project"]), f["rule"],
                              f["subject"]["id"]))
    return {"flags": found, "count": len(found), "by_owner": sections.by_owner(found)}


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


def roll_up_spans(period: Period, as_of: date) -> list[tuple[date, date]]:
    """The spans of days the roll-up counts, up to as_of: the period's own, then for each
    enclosing period (to `roll_up`'s `into`) its days in this one and its days to date."""
    spans = [(period.start, min(period.end, as_of))]
    for up, first, last in period.rolls_into():
        if first <= as_of:
            last = min(last, as_of)
            spans += [(first, last), (up.start, last)]
    return spans


def roll_up(period: Period, as_of: date, figures: list[list[list[int]]]) -> dict[str, Any]:
    """How the period counts towards the periods it rolls up into, up to `as_of`, from each
    project's headline figures (in HEADLINE's order) over the spans of `roll_up_spans`.

    A week that straddles two months counts in each, with its days in that month; an
    enclosing period none of whose days in this one has begun by `as_of` is left out. Each
    share is the contribution over the enclosing period to date (its first day to the last of
    this period's days in it, or as_of).
    """
    spans = roll_up_spans(period, as_of)
    totals = [{name: sum(each[index][place] for each in figures)
               for place, name in enumerate(HEADLINE)} for index in range(len(spans))]
    into, index = [], 1
    for up, first, _ in period.rolls_into():
        if first > as_of:
            continue
        part, to_date = totals[index], totals[index + 1]
        last = spans[index][1]
        index += 2
        into.append({
            "enclosing": _period(up),
            "days": {"start": first, "end": last},
            "to_date": {"start": up.start, "end": last},
            "contribution": part,
            "enclosing_to_date": to_date,
            "share": {name: ratio(part[name], to_date[name]) for name in HEADLINE},
        })
    return {"period": totals[0], "into": into}


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
    return counties_summary(period, as_of, [
        (county, county_row(report_of([History(p) for p in projects], period, today,
                                      calendar)))
        for county, projects in counties])


def county_row(report: dict[str, Any]) -> dict[str, Any]:
    """What the province summary takes of a county's report: its figures and its calendar
    warnings."""
    return {"figures": _county_figures(report), "calendar_warnings": report["calendar_warnings"]}


def counties_summary(period: Period, as_of: date,
                     counties: list[tuple[dict[str, str], dict[str, Any]]]) -> dict[str, Any]:
    """The province summary (see `province_summary`) from each county's `county_row`."""
    rows, warnings = [], {}
    for county, row in counties:
        rows.append(county | row["figures"])
        warnings |= {w["year"]: w for w in row["calendar_warnings"]}
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
    figures = {name: found_at(report, path) for name, path in COUNTY_COUNTS.items()}
    return figures | _rates(figures)


def _rates(counts: dict[str, Any]) -> dict[str, float]:
    return {"on_time_rate": ratio(counts["milestones_on_time"], counts["milestones_with_plan"]),
            "solution_rate": ratio(counts["problems_solved"], counts["problems_to_solve"])}

"""The seed's own measures of a dispatch report (`measures`): how fast the county serves its
projects, per project and as county figures.

- approval time: a project's whole approval time, working days from its first approval item
  applied for to the last one granted on the way to its construction permit, against the
  40-working-day target for industrial projects (the seed: cut from 60 to 40);
- signing to construction start, in months (the seed: Luli took 7, normally about two years);
- land approval time, from the first item applied for after filing to the land approval, in
  months (the seed: under 2, normally 8 to 12);
- the problem clocks: problems solved the same day (不过夜) and solution plans within 2 working
  days, with the share of each kept (rule 7, judged by domain.obligations).
- the parallel-approval day (周二并联审批): approval items decided (granted or refused) in the
  period, and how many on the county's fixed weekday (the calendar's `parallel_weekday`).

Pure, like the sections: plain data from the projects' `History` and the working-day calendar.
A project is measured in the period in which it finished what is measured (its construction
permit, its construction start, its land approval; a problem in the period it was raised),
and "to date" over every project that had finished it by the day judged on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.calendar import WorkingCalendar
from domain.dispatch_sections import (
    INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS,
    by_date_and_name,
    middle,
    over,
    ratio,
)
from domain.history import History
from domain.obligations import PROBLEM_NOT_SOLVED_SAME_DAY, ActiveDays, first_clocks

# A month of the seed's figures: a twelfth of the mean Gregorian year, in calendar days.
DAYS_PER_MONTH = 365.25 / 12
# The seed's usual durations, for comparison on the page: signing to construction start about
# two years (Luli's 7 months were "1.5 years shorter"); land approval 8 to 12 months.
USUAL_SIGNING_TO_CONSTRUCTION_MONTHS = 24
USUAL_LAND_APPROVAL_MONTHS = (8, 12)

PERMIT, START, LAND = "construction_permitted", "construction_started", "land_approved"
FILED = "project_filed"
ONE_DAY = timedelta(days=1)


MEASURE_KINDS = ("approval_time", "signing_to_construction", "land_approval", "problem_clocks",
                 "parallel_approval_day")


def measures(histories: list[History], start: date, as_of: date, calendar: WorkingCalendar
             ) -> dict[str, Any]:
    """The measures of the days from start to as_of, and to date."""
    return measures_summary(over(measures_rows, histories, start, as_of, calendar,
                                 kinds=MEASURE_KINDS), calendar.parallel_weekday)


def measures_rows(history: History, start: date, as_of: date, calendar: WorkingCalendar
                  ) -> dict[str, list[dict[str, Any]]]:
    """One project's rows of each measure (a report's part: domain.dispatch.report_part)."""
    return {
        "approval_time": approval_time_rows(history, start, as_of, calendar),
        "signing_to_construction": signing_to_construction_rows(history, start, as_of),
        "land_approval": land_approval_rows(history, start, as_of),
        "problem_clocks": problem_clocks_rows(history, start, as_of, calendar),
        "parallel_approval_day": decided_rows(history, start, as_of, calendar.parallel_weekday),
    }


def measures_summary(rows: dict[str, list[dict[str, Any]]], parallel_weekday: int | None
                     ) -> dict[str, Any]:
    """The measures from every project's rows (the parallel-approval day, an ISO weekday, the
    one the rows were counted by; None where it is not shown, as in a trend)."""
    return {
        "approval_time": approval_time_summary(rows["approval_time"]),
        "signing_to_construction": _in_months(rows["signing_to_construction"], "started_on",
                                              usual=USUAL_SIGNING_TO_CONSTRUCTION_MONTHS),
        "land_approval": _in_months(rows["land_approval"], "approved_on",
                                    usual=list(USUAL_LAND_APPROVAL_MONTHS)),
        "problem_clocks": problem_clocks_summary(rows["problem_clocks"]),
        "parallel_approval_day": decided_summary(rows["parallel_approval_day"],
                                                 parallel_weekday),
    }


def months(days: float | None) -> float | None:
    """Calendar days in months (DAYS_PER_MONTH) to one place; None for None."""
    return None if days is None else round(days / DAYS_PER_MONTH, 1)


def suspended_days(history: History, start: date, end: date) -> int:
    """Calendar days after start up to end on which the project was suspended (rule 4: a
    suspended project's time does not count against it)."""
    total = 0
    for since, until in history.pauses_on(end):
        first, last = max(since, start + ONE_DAY), min(until - ONE_DAY if until else end, end)
        total += max((last - first).days + 1, 0)
    return total


def approval_time_rows(history: History, start: date, as_of: date,
                       calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """The project's whole approval time, measured when it reached its construction permit.

    Its items are those granted on or before that day; the time runs from the earliest of
    their applications to the latest of their grants, in working days the project was active.
    Items applied for on the same day are one batch (并联审批: the departments review them in
    parallel), and batches may overlap: the time is the days elapsed, never the sum of the
    items' own times (13 items decided within 5 days took 5 days, not 13 times some).
    """
    permitted_on = history.reached_by(as_of).get(PERMIT)
    if permitted_on is None:
        return []
    items = [a for a in history.approvals_by(permitted_on).values()
             if a["granted_on"] is not None]
    if not items:
        return []
    first = min(a["applied_on"] for a in items)
    last = max(a["granted_on"] for a in items)
    days = ActiveDays(calendar, history, last).between(first, last)
    target = INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS if history.park else None
    return [history.ref() | {
        "permitted_on": permitted_on, "first_applied_on": first, "last_granted_on": last,
        "items": len(items), "batches": len({a["applied_on"] for a in items}),
        "working_days": days, "industrial": target is not None,
        "target_working_days": target,
        "within_target": None if target is None else days <= target,
        "in_period": start <= permitted_on,
    }]


def approval_time(histories: list[History], start: date, as_of: date,
                  calendar: WorkingCalendar) -> dict[str, Any]:
    return approval_time_summary(over(approval_time_rows, histories, start, as_of, calendar))


def approval_time_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The approval times measured, in the period and to date."""
    rows.sort(key=by_date_and_name("permitted_on"))

    def figures(found: list[dict[str, Any]]) -> dict[str, Any]:
        with_target = [row for row in found if row["within_target"] is not None]
        within = sum(1 for row in with_target if row["within_target"])
        return {"count": len(found),
                "median_working_days": middle([row["working_days"] for row in found]),
                "with_target": len(with_target), "within_target": within,
                "share_within_target": ratio(within, len(with_target))}

    return {"projects": rows, "period": figures([r for r in rows if r["in_period"]]),
            "to_date": figures(rows),
            "target_working_days": INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS}


def signing_to_construction_rows(history: History, start: date, as_of: date
                                 ) -> list[dict[str, Any]]:
    """The project's calendar time from its signing to its construction start, less the days
    it was suspended, in months."""
    started_on = history.reached_by(as_of).get(START)
    if started_on is None:
        return []
    return [_span(history, history.signed_on, started_on, start, "signed_on", "started_on")]


def land_approval_rows(history: History, start: date, as_of: date) -> list[dict[str, Any]]:
    """The project's land approval time: from the first approval item it applied for on or
    after the day it was filed (its signing, if it was never filed by then) to the day its land
    approval was granted (the milestone reached), less the days it was suspended, in months."""
    reached = history.reached_by(as_of)
    approved_on = reached.get(LAND)
    if approved_on is None:
        return []
    filed_on = reached.get(FILED)
    since = filed_on if filed_on is not None and filed_on <= approved_on else history.signed_on
    applied = [a["applied_on"] for a in history.approvals_by(approved_on).values()
               if a["applied_on"] >= since]
    if not applied:
        return []
    return [_span(history, min(applied), approved_on, start, "applied_on", "approved_on")]


def _span(history: History, first: date, last: date, start: date, first_key: str,
          last_key: str) -> dict[str, Any]:
    paused = suspended_days(history, first, last)
    days = (last - first).days - paused
    return history.ref() | {first_key: first, last_key: last, "days": days,
                            "suspended_days": paused, "months": months(days),
                            "in_period": start <= last}


def _in_months(rows: list[dict[str, Any]], ended: str, *, usual: Any) -> dict[str, Any]:
    rows.sort(key=by_date_and_name(ended))

    def figures(found: list[dict[str, Any]]) -> dict[str, Any]:
        days = middle([row["days"] for row in found])
        return {"count": len(found), "median_days": days, "median_months": months(days)}

    return {"projects": rows, "period": figures([r for r in rows if r["in_period"]]),
            "to_date": figures(rows), "usual_months": usual}


def problem_clocks_rows(history: History, start: date, as_of: date,
                        calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """The project's problems raised from start to as_of with their first clock
    (domain.obligations)."""
    rows = []
    problems = history.problem_logs_on(as_of) if history.has("problem_raised") else {}
    for clock in first_clocks(history, as_of, calendar):
        if start <= clock.raised_on:
            raised = problems[clock.problem_id][0]["data"]
            rows.append(history.ref() | {
                "problem_id": clock.problem_id, "title": raised["title"],
                "responsible_unit": raised["responsible_unit"],
                "raised_on": clock.raised_on, "clock": clock.rule, "due_on": clock.due_on,
                "done_on": clock.done_on, "kept": clock.kept,
            })
    return rows


def problem_clocks_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Same-day problems solved the same day, the others given a plan in time; each share over
    the clocks decided (kept or not) by as_of."""
    rows.sort(key=by_date_and_name("raised_on", "problem_id"))

    def figures(same_day: bool) -> dict[str, Any]:
        found = [row for row in rows
                 if (row["clock"] == PROBLEM_NOT_SOLVED_SAME_DAY) == same_day]
        decided = [row for row in found if row["kept"] is not None]
        kept = sum(1 for row in decided if row["kept"])
        return {"count": len(found), "decided": len(decided), "kept": kept,
                "share_kept": ratio(kept, len(decided))}

    return {"problems": rows, "same_day": figures(True), "plan_in_time": figures(False)}


def decided_rows(history: History, start: date, as_of: date, weekday: int
                 ) -> list[dict[str, Any]]:
    """The project's approval items decided (granted or refused) from start to as_of, each
    saying whether on the parallel-approval day (an ISO weekday)."""
    return [{"decided_on": fact["occurred_on"],
             "on_parallel_day": fact["occurred_on"].isoweekday() == weekday}
            for fact in history.within(start, as_of, "approval_granted", "approval_rejected")]


def decided_summary(rows: list[dict[str, Any]], weekday: int | None) -> dict[str, Any]:
    """How many approval items were decided in the period, and how many on the
    parallel-approval day."""
    on_day = sum(1 for row in rows if row["on_parallel_day"])
    return {"weekday": weekday, "decided": len(rows), "on_parallel_day": on_day,
            "share_on_parallel_day": ratio(on_day, len(rows))}

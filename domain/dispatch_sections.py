"""The sections of a dispatch report: what happened in a span of business dates, and what stood
on the day the report is judged on.

Each section is two functions: `<section>_rows` gives one project's rows (from its `History`,
what happened: facts by business date, or its `Judged` pair, the history with its standing on
the report's `as_of` by domain.obligations), and `<section>_summary` sums the rows of every
project into the section's plain data. A report is the summaries of every project's rows, so a
project's rows can be kept (domain.dispatch_parts) and only a changed project's made again;
`<section>` itself does both, over a list of projects. What is due, late, open or owed is never
decided here: it is read from the standing, the same one the boards and flags read. Only facts
dated on or before the span's last day count, so a past span reads as its days held (as
corrected since).
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median
from typing import Any, NamedTuple

from domain.calendar import WorkingCalendar
from domain.collation import pinyin_key
from domain.history import History
from domain.lifecycle import MILESTONE_ORDER, PHASES, STATUSES, phase_of
from domain.obligations import (
    CLOSED_BY_TERMINATION,
    COMMITMENT_OVERDUE,
    CONDITION_OVERDUE,
    DEPARTMENT,
    DUE,
    LEADER,
    MILESTONE_OVERDUE,
    NOT_DUE,
    OPEN,
    OPINION_OVERDUE,
    SOLVED,
    PARTIES,
    SUSPENDED,
    ActiveDays,
    Obligation,
    ProblemState,
    Standing,
    problems_on,
    reached_on_time,
    waiting_on,
)

# The seed's target: industrial project approvals cut from 60 to 40 working days.
INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS = 40

# A project is industrial when it was signed into an industrial park: the events record no
# other sign of it (the industry field is free text), and the 40-day target is the parks'.
INDUSTRIAL_RULE = "a project is industrial when its signing names a park"

ONE_DAY = timedelta(days=1)
# "Due in the next 7 days": calendar days after the day judged on, up to this many after it.
DUE_NEXT_DAYS = 7


class Judged(NamedTuple):
    """A project's history and its standing on the report's as_of."""

    history: History
    standing: Standing


def ratio(part: int, whole: int) -> float:
    """part / whole to four places; 0 when whole is 0 (nothing to measure is no progress)."""
    return round(part / whole, 4) if whole else 0.0


def middle(values: list[int]) -> float | int | None:
    """The median, or None for no values."""
    return median(values) if values else None


def by_date_and_name(*keys: str):
    """A sort key: the row's values at `keys` (dates, ids), its project's name by pinyin
    second."""
    first, *rest = keys

    def key(row: dict[str, Any]) -> tuple:
        return (row[first], pinyin_key(row["project"]), *(row[k] for k in rest))
    return key


def over(rows_of: Any, items: list, *args: Any, kinds: tuple[str, ...] | None = None) -> Any:
    """Every item's rows (of a `<section>_rows` function) together, in the items' order: a
    list, or for a section with several `kinds` of row a dict of a list of each."""
    found: Any = [] if kinds is None else {kind: [] for kind in kinds}
    for item in items:
        rows = rows_of(item, *args)
        if kinds is None:
            found += rows
        else:
            for kind in kinds:
                found[kind] += rows[kind]
    return found


def projects_by_phase_and_status_rows(history: History, as_of: date) -> list[list[str]]:
    """The project's [phase, status] on as_of, if it was signed by then."""
    if history.signed_by(as_of):
        return [[history.phase_on(as_of), history.status_on(as_of)]]
    return []


def projects_by_phase_and_status_summary(rows: list[list[str]]) -> dict[str, Any]:
    """Projects signed by as_of, counted by their phase and status on as_of."""
    def row() -> dict[str, int]:
        return dict.fromkeys((*STATUSES, "total"), 0)

    by_phase = {phase: row() for phase in PHASES}
    totals = row()
    for phase, status in rows:
        for counts in (by_phase[phase], totals):
            counts[status] += 1
            counts["total"] += 1
    return {"by_phase": by_phase, "totals": totals}


def projects_by_phase_and_status(histories: list[History], as_of: date) -> dict[str, Any]:
    return projects_by_phase_and_status_summary(
        over(projects_by_phase_and_status_rows, histories, as_of))


def signed_rows(history: History, start: date, end: date) -> list[dict[str, Any]]:
    """The project, if it was signed from start to end."""
    if start <= history.signed_on <= end:
        return [{"id": history.project.id, "name": history.name, "investor": history.investor,
                 "investment": history.investment, "signed_on": history.signed_on}]
    return []


def signed_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Projects signed from start to end, their count and total investment."""
    rows.sort(key=lambda row: (row["signed_on"], pinyin_key(row["name"])))
    return {"projects": rows, "count": len(rows),
            "total_investment": sum(row["investment"] for row in rows)}


def signed(histories: list[History], start: date, end: date) -> dict[str, Any]:
    return signed_summary(over(signed_rows, histories, start, end))


def milestones_reached_rows(history: History, start: date, end: date,
                            calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """Milestones reached from start to end, each judged by the plan in force when reached:
    on time when it was not late on the day it was reached."""
    rows = []
    for fact in history.within(start, end, "milestone_reached"):
        code, on = fact["data"]["milestone"], fact["occurred_on"]
        plan, due_on, on_time = reached_on_time(history, code, on, calendar)
        rows.append(history.ref() | {
            "milestone": code, "phase": phase_of(code), "reached_on": on,
            "planned_on": plan and plan["planned_on"], "due_on": due_on, "on_time": on_time,
            "chief_agent": history.chief_on(on), "version": fact["version"],
        })
    return rows


def milestones_reached(histories: list[History], start: date, end: date,
                       calendar: WorkingCalendar) -> dict[str, Any]:
    return milestones_reached_summary(
        over(milestones_reached_rows, histories, start, end, calendar))


def milestones_reached_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The milestones reached in the span, how many with a plan, and on time."""
    rows.sort(key=lambda row: (row["reached_on"], pinyin_key(row["project"]),
                               MILESTONE_ORDER[row["milestone"]]))
    with_plan = [row for row in rows if row["on_time"] is not None]
    on_time = sum(1 for row in with_plan if row["on_time"])
    return {"milestones": rows, "count": len(rows), "with_plan": len(with_plan),
            "on_time": on_time, "on_time_rate": ratio(on_time, len(with_plan))}


def milestones_overdue_rows(judged: Judged) -> list[dict[str, Any]]:
    """The project's milestones late on as_of, with their owner then."""
    history, found = judged
    return [history.ref() | {
        "milestone": o.subject["id"], "planned_on": o.promised_on, "due_on": o.due_on,
        "working_days_overdue": o.working_days_late, "owner": o.owner,
    } for o in found.late if o.rule == MILESTONE_OVERDUE]


def milestones_overdue(judged: list[Judged]) -> dict[str, Any]:
    return milestones_overdue_summary(over(milestones_overdue_rows, judged))


def milestones_overdue_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Milestones late on as_of, with their owner then."""
    rows.sort(key=lambda row: (row["due_on"], pinyin_key(row["project"]),
                               MILESTONE_ORDER[row["milestone"]]))
    return {"milestones": rows, "count": len(rows)}


def approvals_granted_rows(history: History, start: date, end: date,
                           calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """Approvals granted from start to end, in working days (while the project was active:
    the 40-day target is a clock like any other) against the industrial target."""
    granted = history.within(start, end, "approval_granted")
    if not granted:
        return []
    rows = []
    approvals = history.approvals_by(end)
    target = INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS if history.park else None
    for fact in granted:
        approval = approvals[fact["data"]["approval_id"]]
        granted_on = fact["occurred_on"]
        days = ActiveDays(calendar, history, granted_on).between(approval["applied_on"],
                                                                 granted_on)
        rows.append(history.ref() | {
            "approval_id": approval["approval_id"], "item": approval["item"],
            "department": approval["department"], "applied_on": approval["applied_on"],
            "granted_on": granted_on, "working_days": days,
            "industrial": target is not None, "target_working_days": target,
            "within_target": None if target is None else days <= target,
        })
    return rows


def approvals_granted(histories: list[History], start: date, end: date,
                      calendar: WorkingCalendar) -> dict[str, Any]:
    return approvals_granted_summary(
        over(approvals_granted_rows, histories, start, end, calendar))


def approvals_granted_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Approvals granted in the span, their median working days, and how many of those with
    a target were within it."""
    rows.sort(key=by_date_and_name("granted_on", "approval_id"))
    with_target = [row for row in rows if row["within_target"] is not None]
    within = sum(1 for row in with_target if row["within_target"])
    return {
        "approvals": rows, "count": len(rows),
        "median_working_days": middle([row["working_days"] for row in rows]),
        "with_target": len(with_target), "within_target": within,
        "share_within_target": ratio(within, len(with_target)),
        "industrial_rule": INDUSTRIAL_RULE,
    }


def conditions_overdue_rows(judged: Judged) -> list[dict[str, Any]]:
    """The conditions of the project's passed park-entry reviews late on as_of: whose each
    is, and its owner then."""
    history, found = judged
    return [history.ref() | {
        "condition": o.subject["id"], "text": o.subject["title"], "party": o.facts["party"],
        "whose": o.facts["department"] if o.facts["party"] == DEPARTMENT else history.investor,
        "concluded_on": o.facts["concluded_on"]} | _lateness(o)
        for o in found.late if o.rule == CONDITION_OVERDUE]


def conditions_overdue_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Review conditions late on as_of."""
    return _late_list("conditions", rows, "condition")


def opinions_overdue_rows(judged: Judged) -> list[dict[str, Any]]:
    """The invited departments' opinions in the project's open park-entry reviews late on
    as_of (not given by their clock), and the owner then."""
    history, found = judged
    return [history.ref() | {
        "opinion": o.subject["id"], "review_id": o.facts["review_id"],
        "department": o.facts["department"], "convened_on": o.facts["convened_on"],
        "within_working_days": o.thresholds["opinion_within_working_days"]} | _lateness(o)
        for o in found.late if o.rule == OPINION_OVERDUE]


def opinions_overdue_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Review opinions late on as_of."""
    return _late_list("opinions", rows, "opinion")


def _lateness(o: Obligation) -> dict[str, Any]:
    """An overdue row's due date, working days overdue and owner."""
    return {"due_on": o.due_on, "working_days_overdue": o.working_days_late, "owner": o.owner}


def _late_list(name: str, rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Overdue rows by due date, project name and `key`, and their count."""
    return {name: sorted(rows, key=by_date_and_name("due_on", key)), "count": len(rows)}


COMMITMENT_KINDS = ("due", "overdue", "closed")


def commitments_rows(judged: Judged, start: date, end: date) -> dict[str, list[dict[str, Any]]]:
    """The project's commitments (approvals granted with documents missing) due in the span,
    those overdue on as_of, and those its termination closed in the span."""
    history, found = judged
    due, overdue, closed = [], [], []
    late = {o.subject["id"]: o for o in found.late if o.rule == COMMITMENT_OVERDUE}
    for commitment in found.commitments:
        row = history.ref() | commitment.row()
        if start <= commitment.due_on <= end:
            due.append(row)
        if commitment.approval_id in late:
            obligation = late[commitment.approval_id]
            overdue.append(row | {"working_days_overdue": obligation.working_days_late,
                                  "owner": obligation.owner})
        if commitment.state == CLOSED_BY_TERMINATION and start <= commitment.closed_on <= end:
            closed.append(row | {"closed_on": commitment.closed_on})
    return {"due": due, "overdue": overdue, "closed": closed}


def commitments(judged: list[Judged], start: date, end: date) -> dict[str, Any]:
    return commitments_summary(over(commitments_rows, judged, start, end,
                                    kinds=COMMITMENT_KINDS))


def commitments_summary(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Commitments due in the span, overdue on as_of, and closed by termination in the span."""
    due, overdue, closed = (rows[kind] for kind in COMMITMENT_KINDS)
    order = by_date_and_name("due_on", "approval_id")
    return {"due": sorted(due, key=order), "due_count": len(due),
            "due_fulfilled": sum(1 for row in due if row["fulfilled_on"] is not None),
            "overdue": sorted(overdue, key=order), "overdue_count": len(overdue),
            "closed_by_termination": sorted(closed, key=order),
            "closed_by_termination_count": len(closed)}


PROBLEM_KINDS = ("raised", "solved", "open", "closed", "to_solve")


def problems_rows(judged: tuple[History, list[ProblemState]], start: date, end: date,
                  calendar: WorkingCalendar) -> dict[str, list[dict[str, Any]]]:
    """The project's problems raised, solved, open and closed by termination, and those it
    had to solve in the span.

    `judged` pairs the history with its problems as they stood on as_of (by
    domain.obligations). Solved in the span: solved on as_of, by a resolution dated in the
    span (one solved and reopened within it is open, not solved). To solve: the problems not
    solved the day before the span, raised in it or reopened in it, less those a termination
    closed by as_of: those were neither solved nor left open.
    """
    history, states = judged
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in PROBLEM_KINDS}
    if not states:
        return found
    before = {p.problem_id: p for p in problems_on(history, start - ONE_DAY, calendar)}
    for problem in states:
        row = history.ref() | problem.row()
        if start <= problem.raised_on <= end:
            found["raised"].append(row)
        if problem.state == SOLVED and start <= problem.resolved_on <= end:
            found["solved"].append(row | {"resolved_on": problem.resolved_on,
                                          "working_days": problem.working_days_to_solve})
        elif problem.state == OPEN:
            found["open"].append(row | {"working_days_open": problem.working_days_open,
                                        "owner": problem.owner})
        elif problem.state == CLOSED_BY_TERMINATION and start <= problem.closed_on <= end:
            found["closed"].append(row | {"closed_on": problem.closed_on})
        earlier = before.get(problem.problem_id)
        unresolved = earlier is not None and earlier.state != SOLVED
        opened = any(start <= on <= end for on in problem.opened_on)
        if (unresolved or opened) and problem.state != CLOSED_BY_TERMINATION:
            # Only its unit counts (by_unit); the rest of the row is not reported.
            found["to_solve"].append({"responsible_unit": row["responsible_unit"]})
    return found


def problems(judged: list[tuple[History, list[ProblemState]]], start: date, end: date,
             calendar: WorkingCalendar) -> dict[str, Any]:
    return problems_summary(over(problems_rows, judged, start, end, calendar,
                                 kinds=PROBLEM_KINDS))


def problems_summary(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Problems raised, solved, open and closed by termination, the solution rate, the time to
    solve, by unit."""
    raised, solved, still_open, closed, to_solve = (rows[kind] for kind in PROBLEM_KINDS)
    order = by_date_and_name("raised_on", "problem_id")
    return {
        "raised": sorted(raised, key=order), "raised_count": len(raised),
        "solved": sorted(solved, key=order), "solved_count": len(solved),
        "open": sorted(still_open, key=order), "open_count": len(still_open),
        "closed_by_termination": sorted(closed, key=order),
        "closed_by_termination_count": len(closed),
        "to_solve_count": len(to_solve),
        "solution_rate": ratio(len(solved), len(to_solve)),
        "median_working_days_to_solve": middle([row["working_days"] for row in solved]),
        "by_unit": _by_unit(raised, solved, still_open, to_solve),
    }


def _by_unit(raised, solved, still_open, to_solve) -> list[dict[str, Any]]:
    """The problem counts of each responsible unit, units by pinyin (no unit named last)."""
    units: dict[str | None, dict[str, Any]] = {}
    for key, rows in (("raised", raised), ("solved", solved), ("open", still_open),
                      ("to_solve", to_solve)):
        for row in rows:
            unit = row["responsible_unit"]
            counts = units.setdefault(unit, {"unit": unit, "raised": 0, "solved": 0,
                                             "open": 0, "to_solve": 0})
            counts[key] += 1
    for counts in units.values():
        counts["solution_rate"] = ratio(counts["solved"], counts["to_solve"])
    return sorted(units.values(), key=lambda c: (c["unit"] is None, pinyin_key(c["unit"] or "")))


def suspensions_rows(judged: Judged) -> list[dict[str, Any]]:
    """The project if it was suspended on as_of, with what it owed when suspended: it owes
    nothing while suspended, so these are listed here and not as overdue."""
    history, found = judged
    rows = []
    if found.status == "suspended":
        owed = [o for o in found.obligations if o.state == SUSPENDED]
        rows.append(history.ref() | {
            "since": found.status_since, "reason": found.status_reason,
            "chief_agent": found.chief_agent,
            "late": [{"kind": o.subject["kind"], "id": o.subject["id"],
                      "title": o.subject["title"], "rule": o.rule, "due_on": o.due_on,
                      "working_days_late": o.working_days_late, "owner": o.owner}
                     for o in owed if o.working_days_late],
            "owed_count": len(owed),
        })
    return rows


def suspensions(judged: list[Judged]) -> dict[str, Any]:
    return suspensions_summary(over(suspensions_rows, judged))


def suspensions_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Projects suspended on as_of, with what each owed."""
    rows.sort(key=lambda row: pinyin_key(row["project"]))
    return {"projects": rows, "count": len(rows),
            "late_count": sum(len(row["late"]) for row in rows)}


ESCALATION_KINDS = ("escalations", "instructions")


def escalations_and_instructions_rows(history: History, start: date, end: date
                                      ) -> dict[str, list[dict[str, Any]]]:
    """The project's problems escalated, and leaders' instructions given, from start to end."""
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ESCALATION_KINDS}
    facts = history.within(start, end, "problem_escalated", "instruction_given")
    if not facts:
        return found
    titles = {pid: log[0]["data"]["title"] for pid, log in history.problem_logs_on(end).items()}
    for fact in facts:
        d = fact["data"]
        row = history.ref() | {"problem_id": d["problem_id"],
                               "problem": titles.get(d["problem_id"]),
                               "on": fact["occurred_on"], "recorded_by": fact["actor"]}
        if fact["type"] == "problem_escalated":
            found["escalations"].append(row | {"escalated_to": d["escalated_to"],
                                               "leader": d["leader"], "note": d["note"]})
        else:
            # Before v2 an instruction named no leader: the leader recorded it.
            found["instructions"].append(row | {"leader": d["leader"] or fact["actor"],
                                                "instruction": d["instruction"]})
    return found


def escalations_and_instructions(histories: list[History], start: date, end: date
                                 ) -> dict[str, Any]:
    return escalations_and_instructions_summary(
        over(escalations_and_instructions_rows, histories, start, end, kinds=ESCALATION_KINDS))


def escalations_and_instructions_summary(rows: dict[str, list[dict[str, Any]]]
                                         ) -> dict[str, Any]:
    """Problems escalated, and leaders' instructions given, in the span."""
    escalations, instructions = (rows[kind] for kind in ESCALATION_KINDS)
    order = by_date_and_name("on")
    return {"escalations": sorted(escalations, key=order), "escalation_count": len(escalations),
            "instructions": sorted(instructions, key=order),
            "instruction_count": len(instructions)}


def investment_rows(history: History, start: date, end: date) -> list[dict[str, Any]]:
    """The project's investment completed in the span and by its end, against its plan."""
    if not history.signed_by(end):
        return []
    cumulative = history.cumulative_on(end)
    return [history.ref() | {
        "planned": history.investment,
        "completed": cumulative - history.cumulative_on(start - ONE_DAY),
        "cumulative": cumulative, "ratio_to_plan": ratio(cumulative, history.investment),
    }]


def investment(histories: list[History], start: date, end: date) -> dict[str, Any]:
    return investment_summary(over(investment_rows, histories, start, end))


def investment_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Investment completed in the span and by its end, against the projects' planned total."""
    rows.sort(key=lambda row: pinyin_key(row["project"]))
    planned = sum(row["planned"] for row in rows)
    cumulative = sum(row["cumulative"] for row in rows)
    return {"projects": rows, "completed": sum(row["completed"] for row in rows),
            "cumulative": cumulative, "planned": planned,
            "ratio_to_plan": ratio(cumulative, planned)}


def due_next_rows(judged: Judged, as_of: date) -> list[dict[str, Any]]:
    """What the project owes by as_of + DUE_NEXT_DAYS calendar days and is not late on as_of:
    milestones, commitments and problem clocks falling due in the next 7 days, and those due
    on as_of itself (or over the days off before it) that are not late yet. A suspended
    project owes nothing while suspended, a terminated one nothing at all (rules 4, 5)."""
    history, found = judged
    until = as_of + timedelta(days=DUE_NEXT_DAYS)
    return [history.ref() | {
        "kind": o.subject["kind"], "id": o.subject["id"], "title": o.subject["title"],
        "rule": o.rule, "owner": o.owner, "promised_on": o.promised_on, "due_on": o.due_on,
        "state": o.state,
    } for o in found.obligations if o.state in (NOT_DUE, DUE) and o.due_on <= until]


def due_next(judged: list[Judged], as_of: date) -> dict[str, Any]:
    return due_next_summary(over(due_next_rows, judged, as_of), as_of)


def due_next_summary(rows: list[dict[str, Any]], as_of: date) -> dict[str, Any]:
    """What falls due in the next DUE_NEXT_DAYS days after as_of, by date and by owner."""
    rows.sort(key=by_date_and_name("due_on", "kind", "id", "rule"))
    return {"after": as_of, "until": as_of + timedelta(days=DUE_NEXT_DAYS), "items": rows,
            "count": len(rows), "by_owner": by_owner(rows)}


def by_owner(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many rows each owner has, most first (then by username)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["owner"]] = counts.get(row["owner"], 0) + 1
    return [{"owner": owner, "count": n}
            for owner, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def waiting_on_rows(history: History, as_of: date, calendar: WorkingCalendar
                    ) -> list[dict[str, Any]]:
    """Whom the project waits on on as_of (rule 9), a row per wait."""
    if not history.signed_by(as_of):
        return []
    return [history.ref() | wait.row() for wait in waiting_on(history, as_of, calendar)]


def waiting_on_table(histories: list[History], as_of: date, calendar: WorkingCalendar
                     ) -> dict[str, Any]:
    return waiting_on_summary(over(waiting_on_rows, histories, as_of, calendar))


def waiting_on_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Every wait on as_of, the longest first, and the county's table of parties: per
    department and leader by name, and the investor, the team and the office each as one,
    how many projects it holds, its oldest wait and the median of each project's longest
    wait on it (working days); ranked by projects held, then the oldest wait."""
    rows.sort(key=lambda row: (-row["working_days"], row["since"], pinyin_key(row["project"]),
                               str(row["project_id"]), PARTIES.index(row["party"]),
                               row["name"] or "", row["item"]["kind"], row["item"]["id"]))
    held: dict[tuple[str, str | None], dict[Any, int]] = {}
    for row in rows:
        named = row["name"] if row["party"] in (DEPARTMENT, LEADER) else None
        projects = held.setdefault((row["party"], named), {})
        # Rows come longest first: a project's first row on a party is its longest wait.
        projects.setdefault(row["project_id"], row["working_days"])
    parties = [{"party": party, "name": name, "projects": len(projects),
                "oldest_working_days": max(projects.values()),
                "median_working_days": middle(sorted(projects.values()))}
               for (party, name), projects in held.items()]
    parties.sort(key=lambda row: (-row["projects"], -row["oldest_working_days"],
                                  PARTIES.index(row["party"]), pinyin_key(row["name"] or "")))
    for rank, row in enumerate(parties, start=1):
        row["rank"] = rank
    return {"parties": parties, "waits": rows, "count": len(rows),
            "projects": len({row["project_id"] for row in rows})}

"""The sections of a dispatch report that read projects' histories over a span of business dates.

Each function takes `History` objects (one per project) and the span's first and last business
dates, and returns plain data. Only facts dated on or before the span's last day count, so a past
span reads as its days held (as corrected since); void events never count.
"""

from __future__ import annotations

from datetime import date, timedelta
from operator import itemgetter
from statistics import median
from typing import Any

from domain.calendar import working_days_between
from domain.lifecycle import MILESTONE_ORDER, PHASE_ORDER, PHASES, STATUSES, phase_of
from domain.project import Project

# The seed's target: industrial project approvals cut from 60 to 40 working days.
INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS = 40

# A project is industrial when it was signed into an industrial park: the events record no
# other sign of it (the industry field is free text), and the 40-day target is the parks'.
INDUSTRIAL_RULE = "a project is industrial when its signing names a park"

ONE_DAY = timedelta(days=1)


def ratio(part: int, whole: int) -> float:
    """part / whole to four places; 0 when whole is 0 (nothing to measure is no progress)."""
    return round(part / whole, 4) if whole else 0.0


def middle(values: list[int]) -> float | int | None:
    """The median, or None for no values."""
    return median(values) if values else None


# The event types the sections read. A history keeps only these (visits, ratings and the
# rest never count in a report), so it holds a fraction of a long-lived project's facts.
READ_TYPES = frozenset({
    "signed", "team_assigned", "suspended", "resumed", "terminated", "milestone_planned",
    "milestone_reached", "approval_applied", "approval_granted", "commitment_fulfilled",
    "problem_raised", "problem_resolved", "problem_reopened", "problem_escalated",
    "instruction_given", "progress_reported",
})


def _check_read(types: tuple[str, ...]) -> None:
    if not READ_TYPES.issuperset(types):
        raise ValueError(f"a History keeps no {sorted(set(types) - READ_TYPES)} facts: "
                         "add them to READ_TYPES")


class History:
    """One project's corrected history, void events left out, read as of any business date.

    Facts stay in version order: the rules held in that order, so where a later event replaces an
    earlier one (a status, the team, a plan) the later version is the one in force, as in
    domain.clocks. Only READ_TYPES are kept; asking for another type is a programming error.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.facts = list(project.standing_facts(READ_TYPES))
        signing = project.fact(1)  # a signing can be amended, never voided
        self.signed_on: date = signing["occurred_on"]
        data = signing["data"]
        self.name, self.investor = data["name"], data["investor"]
        self.investment, self.park = data["investment"], data["park"]

    def ref(self) -> dict[str, Any]:
        """The project's id and name, the head of every row about it."""
        return {"project_id": self.project.id, "project": self.name}

    def upto(self, day: date, *types: str) -> list[dict[str, Any]]:
        """Facts of these types dated on or before day, in version order."""
        _check_read(types)
        return [f for f in self.facts if f["occurred_on"] <= day and f["type"] in types]

    def within(self, start: date, end: date, *types: str) -> list[dict[str, Any]]:
        """Facts of these types dated from start to end, in version order."""
        _check_read(types)
        return [f for f in self.facts
                if start <= f["occurred_on"] <= end and f["type"] in types]

    def signed_by(self, day: date) -> bool:
        """Whether the project was signed on or before day."""
        return self.signed_on <= day

    def chief_on(self, day: date) -> str:
        """The chief agent in force on day (the project must be signed by then)."""
        return self.upto(day, "signed", "team_assigned")[-1]["data"]["chief_agent"]

    def status_on(self, day: date) -> str:
        """active, suspended or terminated, as the latest change dated by day left it."""
        changes = self.upto(day, "signed", "suspended", "resumed", "terminated")
        kind = changes[-1]["type"] if changes else "signed"
        return "active" if kind in ("signed", "resumed") else kind

    def reached_by(self, day: date) -> dict[str, date]:
        """The date each milestone reached by day was reached on."""
        reached: dict[str, date] = {}
        for fact in self.upto(day, "milestone_reached"):
            reached.setdefault(fact["data"]["milestone"], fact["occurred_on"])
        return reached

    def phase_on(self, day: date) -> str:
        """The latest phase of a milestone reached by day (a phase never goes back)."""
        reached = self.reached_by(day)
        return PHASES[max((PHASE_ORDER[phase_of(code)] for code in reached), default=0)]

    def plans_on(self, day: date) -> dict[str, date]:
        """The planned date in force on day of each planned milestone."""
        return {f["data"]["milestone"]: f["data"]["planned_on"]
                for f in self.upto(day, "milestone_planned")}

    def approvals_by(self, day: date) -> dict[str, dict[str, Any]]:
        """Each approval applied for by day, with its grant and commitment as of day."""
        approvals: dict[str, dict[str, Any]] = {}
        for fact in self.upto(day, "approval_applied", "approval_granted",
                              "commitment_fulfilled"):
            d, on = fact["data"], fact["occurred_on"]
            if fact["type"] == "approval_applied":
                approvals[d["approval_id"]] = {
                    "approval_id": d["approval_id"], "item": d["item"],
                    "department": d["department"], "applied_on": on, "granted_on": None,
                    "missing_documents": [], "due_on": None, "fulfilled_on": None,
                }
            elif d["approval_id"] in approvals:
                approval = approvals[d["approval_id"]]
                if fact["type"] == "approval_granted":
                    approval.update(granted_on=on, missing_documents=list(d["missing_documents"]),
                                    due_on=d["commitment_due_on"])
                else:
                    approval["fulfilled_on"] = on
        return approvals

    def problems_on(self, day: date) -> dict[str, dict[str, Any]]:
        """Each problem raised by day, open or not on day, with when it was (re)opened."""
        problems: dict[str, dict[str, Any]] = {}
        for fact in self.upto(day, "problem_raised", "problem_resolved", "problem_reopened"):
            d, on = fact["data"], fact["occurred_on"]
            if fact["type"] == "problem_raised":
                problems[d["problem_id"]] = {
                    "problem_id": d["problem_id"], "title": d["title"],
                    "responsible_unit": d["responsible_unit"], "raised_on": on,
                    "open": True, "resolved_on": None, "opened_on": [on],
                }
            elif d["problem_id"] in problems:
                problem = problems[d["problem_id"]]
                reopened = fact["type"] == "problem_reopened"
                problem.update(open=reopened, resolved_on=None if reopened else on)
                if reopened:
                    problem["opened_on"].append(on)
        return problems

    def cumulative_on(self, day: date) -> int:
        """Investment completed by day: reports are cumulative by business date."""
        return max((f["data"]["investment_completed"]
                    for f in self.upto(day, "progress_reported")), default=0)


def owes(history: History, day: date) -> bool:
    """Whether a project owes overdue work on day: signed and neither suspended nor terminated.

    As in domain.clocks: a suspended project's team can record nothing but its resumption, and a
    terminated project is over, so neither is listed as late.
    """
    return history.signed_by(day) and history.status_on(day) == "active"


def projects_by_phase_and_status(histories: list[History], end: date) -> dict[str, Any]:
    """Projects signed by end, counted by their phase and status on end."""
    def row() -> dict[str, int]:
        return dict.fromkeys((*STATUSES, "total"), 0)

    by_phase = {phase: row() for phase in PHASES}
    totals = row()
    for history in histories:
        if history.signed_by(end):
            status = history.status_on(end)
            for counts in (by_phase[history.phase_on(end)], totals):
                counts[status] += 1
                counts["total"] += 1
    return {"by_phase": by_phase, "totals": totals}


def signed(histories: list[History], start: date, end: date) -> dict[str, Any]:
    """Projects signed from start to end, their count and total investment."""
    rows = sorted(
        ({"id": h.project.id, "name": h.name, "investor": h.investor,
          "investment": h.investment, "signed_on": h.signed_on}
         for h in histories if start <= h.signed_on <= end),
        key=lambda row: (row["signed_on"], row["name"]),
    )
    return {"projects": rows, "count": len(rows),
            "total_investment": sum(row["investment"] for row in rows)}


def milestones_reached(histories: list[History], start: date, end: date) -> dict[str, Any]:
    """Milestones reached from start to end, each against the plan in force when reached."""
    rows = []
    for history in histories:
        for fact in history.within(start, end, "milestone_reached"):
            code, on = fact["data"]["milestone"], fact["occurred_on"]
            # A plan dated after the milestone was reached does not judge it.
            planned_on = history.plans_on(on).get(code)
            rows.append(history.ref() | {
                "milestone": code, "phase": phase_of(code), "reached_on": on,
                "planned_on": planned_on,
                "on_time": None if planned_on is None else on <= planned_on,
                "chief_agent": history.chief_on(on), "version": fact["version"],
            })
    rows.sort(key=lambda row: (row["reached_on"], row["project"], row["milestone"]))
    with_plan = [row for row in rows if row["on_time"] is not None]
    on_time = sum(1 for row in with_plan if row["on_time"])
    return {"milestones": rows, "count": len(rows), "with_plan": len(with_plan),
            "on_time": on_time, "on_time_rate": ratio(on_time, len(with_plan))}


def milestones_overdue(histories: list[History], end: date) -> dict[str, Any]:
    """Milestones planned on or before end and not reached by then, with their owner then."""
    rows = []
    for history in histories:
        if not owes(history, end):
            continue
        reached = history.reached_by(end)
        phase = PHASE_ORDER[history.phase_on(end)]
        for code, planned_on in history.plans_on(end).items():
            # A milestone of a phase already passed was skipped (e.g. no park review).
            if code in reached or PHASE_ORDER[phase_of(code)] < phase or planned_on > end:
                continue
            rows.append(history.ref() | {
                "milestone": code, "planned_on": planned_on,
                "working_days_overdue": working_days_between(planned_on, end),
                "owner": history.chief_on(end),
            })
    rows.sort(key=lambda row: (row["planned_on"], row["project"],
                               MILESTONE_ORDER[row["milestone"]]))
    return {"milestones": rows, "count": len(rows)}


def approvals_granted(histories: list[History], start: date, end: date) -> dict[str, Any]:
    """Approvals granted from start to end, in working days against the industrial target."""
    rows = []
    for history in histories:
        approvals = history.approvals_by(end)
        target = INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS if history.park else None
        for fact in history.within(start, end, "approval_granted"):
            approval = approvals[fact["data"]["approval_id"]]
            days = working_days_between(approval["applied_on"], fact["occurred_on"])
            rows.append(history.ref() | {
                "approval_id": approval["approval_id"], "item": approval["item"],
                "department": approval["department"], "applied_on": approval["applied_on"],
                "granted_on": fact["occurred_on"], "working_days": days,
                "industrial": target is not None, "target_working_days": target,
                "within_target": None if target is None else days <= target,
            })
    rows.sort(key=lambda row: (row["granted_on"], row["project"], row["approval_id"]))
    with_target = [row for row in rows if row["within_target"] is not None]
    within = sum(1 for row in with_target if row["within_target"])
    return {
        "approvals": rows, "count": len(rows),
        "median_working_days": middle([row["working_days"] for row in rows]),
        "with_target": len(with_target), "within_target": within,
        "share_within_target": ratio(within, len(with_target)),
        "industrial_rule": INDUSTRIAL_RULE,
    }


def commitments(histories: list[History], start: date, end: date, as_of: date | None = None
                ) -> dict[str, Any]:
    """Commitments (approvals granted with documents missing) due in the span, and those
    overdue on `as_of` (the span's end by default)."""
    as_of = end if as_of is None else as_of
    due, overdue = [], []
    for history in histories:
        for approval in history.approvals_by(end).values():
            if approval["due_on"] is None:
                continue
            row = history.ref() | {
                key: approval[key] for key in ("approval_id", "item", "department",
                                               "granted_on", "due_on", "fulfilled_on")
            } | {"missing_documents": approval["missing_documents"]}
            if start <= approval["due_on"] <= end:
                due.append(row)
            fulfilled = approval["fulfilled_on"]
            if (fulfilled is None or fulfilled > as_of) and approval["due_on"] <= as_of \
                    and approval["granted_on"] <= as_of and owes(history, as_of):
                overdue.append(row | {
                    "working_days_overdue": working_days_between(approval["due_on"], as_of),
                    "owner": history.chief_on(as_of),
                })
    order = itemgetter("due_on", "project", "approval_id")
    return {"due": sorted(due, key=order), "due_count": len(due),
            "due_fulfilled": sum(1 for row in due if row["fulfilled_on"] is not None),
            "overdue": sorted(overdue, key=order), "overdue_count": len(overdue)}


def problems(histories: list[History], start: date, end: date) -> dict[str, Any]:
    """Problems raised, solved and open, the solution rate, the time to solve, by unit.

    Solved in the span: resolved on its last day, by a resolution dated in the span (one solved
    and reopened within it is open, not solved). To solve: the problems open at some time in the
    span: open the day before it, raised in it, or reopened in it.
    """
    raised, solved, still_open, to_solve = [], [], [], []
    for history in histories:
        before, after = history.problems_on(start - ONE_DAY), history.problems_on(end)
        for problem_id, problem in after.items():
            row = history.ref() | {key: problem[key] for key in (
                "problem_id", "title", "responsible_unit", "raised_on")}
            if start <= problem["raised_on"] <= end:
                raised.append(row)
            if not problem["open"] and start <= problem["resolved_on"] <= end:
                solved.append(row | {"resolved_on": problem["resolved_on"], "working_days":
                                     working_days_between(problem["raised_on"],
                                                          problem["resolved_on"])})
            if problem["open"]:
                still_open.append(row | {"working_days_open":
                                         working_days_between(problem["raised_on"], end)})
            was_open = problem_id in before and before[problem_id]["open"]
            if was_open or any(start <= on <= end for on in problem["opened_on"]):
                to_solve.append(row)
    order = itemgetter("raised_on", "project", "problem_id")
    return {
        "raised": sorted(raised, key=order), "raised_count": len(raised),
        "solved": sorted(solved, key=order), "solved_count": len(solved),
        "open": sorted(still_open, key=order), "open_count": len(still_open),
        "to_solve_count": len(to_solve),
        "solution_rate": ratio(len(solved), len(to_solve)),
        "median_working_days_to_solve": middle([row["working_days"] for row in solved]),
        "by_unit": _by_unit(raised, solved, still_open, to_solve),
    }


def _by_unit(raised, solved, still_open, to_solve) -> list[dict[str, Any]]:
    """The problem counts of each responsible unit (None: no unit named), units by name."""
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
    return sorted(units.values(), key=lambda c: (c["unit"] is None, c["unit"] or ""))


def escalations_and_instructions(histories: list[History], start: date, end: date
                                 ) -> dict[str, Any]:
    """Problems escalated, and leaders' instructions given, from start to end."""
    escalations, instructions = [], []
    for history in histories:
        titles = {pid: p["title"] for pid, p in history.problems_on(end).items()}
        for fact in history.within(start, end, "problem_escalated", "instruction_given"):
            d = fact["data"]
            row = history.ref() | {"problem_id": d["problem_id"],
                                   "problem": titles.get(d["problem_id"]),
                                   "on": fact["occurred_on"], "recorded_by": fact["actor"]}
            if fact["type"] == "problem_escalated":
                escalations.append(row | {"escalated_to": d["escalated_to"],
                                          "leader": d["leader"], "note": d["note"]})
            else:
                # Before v2 an instruction named no leader: the leader recorded it.
                instructions.append(row | {"leader": d["leader"] or fact["actor"],
                                           "instruction": d["instruction"]})
    order = itemgetter("on", "project")
    return {"escalations": sorted(escalations, key=order), "escalation_count": len(escalations),
            "instructions": sorted(instructions, key=order),
            "instruction_count": len(instructions)}


def investment(histories: list[History], start: date, end: date) -> dict[str, Any]:
    """Investment completed in the span and by its end, against the projects' planned total."""
    rows = []
    for history in histories:
        if history.signed_by(end):
            cumulative = history.cumulative_on(end)
            rows.append(history.ref() | {
                "planned": history.investment,
                "completed": cumulative - history.cumulative_on(start - ONE_DAY),
                "cumulative": cumulative, "ratio_to_plan": ratio(cumulative, history.investment),
            })
    rows.sort(key=lambda row: row["project"])
    planned = sum(row["planned"] for row in rows)
    cumulative = sum(row["cumulative"] for row in rows)
    return {"projects": rows, "completed": sum(row["completed"] for row in rows),
            "cumulative": cumulative, "planned": planned,
            "ratio_to_plan": ratio(cumulative, planned)}

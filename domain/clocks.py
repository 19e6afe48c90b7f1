"""The clocks of a project: milestone colours and red flags, each able to explain itself.

Each function reads a Project and `today` (a business date) and ignores whatever is dated after
`today`: given a past period's last day, it answers as things stood then by business date (the
history as corrected since; the plan, team and status then in force). Working days are those of
domain.calendar.

Suspended projects show no flags and their problem clocks are paused: while suspended the team
can record nothing but the resumption, so a flag would ask for what cannot be done, and the
working days spent suspended do not count towards a problem's deadlines after it resumes.
Milestone plans and commitment due dates are dates, not durations: a resumption leaves them as
they were, and a plan the suspension made unrealistic is replanned. Terminated projects show
no flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.calendar import add_working_days, calendar_known, is_working_day, working_days_between
from domain.lifecycle import MILESTONES, PHASE_ORDER, phase_of
from domain.project import Project

MILESTONE_WARNING_WORKING_DAYS = 5  # yellow when the planned date is at most this near
PROBLEM_PLAN_WORKING_DAYS = 2  # a new problem needs a solution plan within this
PROBLEM_OLD_WORKING_DAYS = 10  # an open problem older than this is old
PROBLEM_FOLLOW_UP_WORKING_DAYS = 5  # an old problem is followed up at least this often

RED, YELLOW, GREEN = "red", "yellow", "green"

# Rule codes: boards, reports and translations key on them.
MILESTONE_DUE_SOON = "milestone_due_soon"
MILESTONE_OVERDUE = "milestone_overdue"
PROBLEM_NOT_SOLVED_SAME_DAY = "problem_not_solved_same_day"
PROBLEM_PLAN_LATE = "problem_plan_late"
PROBLEM_FOLLOW_UP_LATE = "problem_follow_up_late"
COMMITMENT_OVERDUE = "commitment_overdue"

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Flag:
    """A rule's verdict on one milestone, problem or commitment, with its reasons."""

    rule: str
    colour: str
    subject: dict[str, Any]  # kind, id, title, project_id, project (name)
    owner: str  # a username, or "office"
    due_on: date
    explanation: str
    thresholds: dict[str, int]
    events: list[dict[str, Any]]  # version, occurred_on, actor of each event behind it


def milestone_colours(project: Project, today: date) -> dict[str, str]:
    """The colour of each planned milestone not yet reached, in lifecycle order."""
    return {code: colour for code, colour, _ in _milestones(_AsOf(project, today))}


def milestone_flags(project: Project, today: date) -> list[Flag]:
    """Yellow flags for milestones due soon, red ones for milestones past their date."""
    return _sorted(_milestone_flags(_AsOf(project, today)))


def problem_flags(project: Project, today: date) -> list[Flag]:
    """Red flags for open problems that broke a problem clock."""
    return _sorted(_problem_flags(_AsOf(project, today)))


def commitment_flags(project: Project, today: date) -> list[Flag]:
    """Red flags for commitments past their due date and not fulfilled."""
    return _sorted(_commitment_flags(_AsOf(project, today)))


def flags(project: Project, today: date) -> list[Flag]:
    """Every red and yellow flag of a project: red first, then by due date."""
    history = _AsOf(project, today)
    return _sorted(
        _milestone_flags(history) + _problem_flags(history) + _commitment_flags(history)
    )


def _sorted(found: list[Flag]) -> list[Flag]:
    return sorted(found, key=lambda f: (f.colour != RED, f.due_on, f.rule, f.subject["id"]))


class _AsOf:
    """What the clocks need of a project's history as it stood on `today`."""

    def __init__(self, project: Project, today: date) -> None:
        self.project, self.today = project, today
        self.status = "unsigned"
        self.pauses: list[tuple[date, date]] = []  # [suspended on, resumed on) spans
        self.grants: dict[str, int] = {}  # approval id -> version of its grant
        suspended_on = None
        for version in range(1, len(project.facts) + 1):
            fact = project.fact(version)
            if fact["void"] or fact["occurred_on"] > today:
                continue
            kind = fact["type"]
            if kind in ("signed", "resumed", "suspended", "terminated"):
                self.status = "active" if kind in ("signed", "resumed") else kind
            if kind == "suspended":
                suspended_on = fact["occurred_on"]
            elif kind == "resumed" and suspended_on is not None:
                self.pauses.append((suspended_on, fact["occurred_on"]))
                suspended_on = None
            elif kind == "approval_granted":
                self.grants[fact["data"]["approval_id"]] = version
        team = [entry for entry in project.team_history if entry["occurred_on"] <= today]
        self.chief = team[-1]["chief_agent"] if team else project.chief_agent

    @property
    def running(self) -> bool:
        """Whether the clocks run: signed by today, neither suspended nor terminated."""
        return self.status == "active"

    def add(self, start: date, n: int) -> date:
        """The n-th working day after start, skipping working days while suspended."""
        due = add_working_days(start, n)
        while self.pauses:
            later = add_working_days(start, n + self.paused(start, due))
            if later == due:
                break
            due = later
        return due

    def paused(self, start: date, end: date) -> int:
        """Working days after start up to end that fell while the project was suspended."""
        return sum(
            working_days_between(max(start, since - ONE_DAY), min(end, until - ONE_DAY))
            for since, until in self.pauses
        )

    def subject(self, kind: str, id: str, title: str) -> dict[str, Any]:
        return {"kind": kind, "id": id, "title": title, "project_id": self.project.id,
                "project": self.project.name}

    def cite(self, *versions: int | None) -> list[dict[str, Any]]:
        """The events behind a flag and the corrections that amended them, in version order."""
        cited: set[int] = set()
        for version in filter(None, versions):
            cited.add(version)
            cited.update(self.project.fact(version)["corrected_by"])
        facts = [self.project.fact(version) for version in sorted(cited)]
        return [{"version": f["version"], "type": f["type"], "occurred_on": f["occurred_on"],
                 "actor": f["actor"]} for f in facts]

    def notes(self, start: date, end: date, *, paused: bool = False) -> str:
        """What an explanation must admit about its count of working days from start to end."""
        skipped = self.paused(start, end) if paused else 0
        text = f"; {skipped} working days while suspended do not count" if skipped else ""
        years = range(start.year, end.year + 1)
        unknown = [str(year) for year in years if not calendar_known(date(year, 1, 1))]
        if unknown:
            text += (f"; the official calendar for {', '.join(unknown)} is not known yet, so "
                     "its working days are counted Monday to Friday")
        return text


def _milestones(history: _AsOf) -> list[tuple[str, str, dict[str, Any]]]:
    """(code, colour, plan in force) of each planned milestone pending on `today`."""
    if not history.running:
        return []
    project, today = history.project, history.today
    reached = {code for code, r in project.reached.items() if r["reached_on"] <= today}
    phase = max((PHASE_ORDER[phase_of(code)] for code in reached), default=0)
    plans = {e["milestone"]: e for e in project.plan_history if e["occurred_on"] <= today}
    rows = []
    for code in MILESTONES:
        plan = plans.get(code)
        # A planned milestone of a phase already passed was skipped (e.g. no park review).
        if plan is None or code in reached or PHASE_ORDER[phase_of(code)] < phase:
            continue
        if today > plan["planned_on"]:
            colour = RED
        elif working_days_between(today, plan["planned_on"]) <= MILESTONE_WARNING_WORKING_DAYS:
            colour = YELLOW
        else:
            colour = GREEN
        rows.append((code, colour, plan))
    return rows


def _milestone_flags(history: _AsOf) -> list[Flag]:
    found, today = [], history.today
    for code, colour, plan in _milestones(history):
        planned = plan["planned_on"]
        replanned = f" (replanned from {plan['previous']})" if plan["previous"] else ""
        if colour == RED:
            text = (f"milestone {code} was planned for {planned}{replanned} and is not reached "
                    f"on {today}: {working_days_between(planned, today)} working days late")
            start, end, rule = planned, today, MILESTONE_OVERDUE
        elif colour == YELLOW:
            text = (f"milestone {code} is planned for {planned}{replanned}, "
                    f"{working_days_between(today, planned)} working days after {today}, "
                    f"and is not reached: yellow within {MILESTONE_WARNING_WORKING_DAYS}")
            start, end, rule = today, planned, MILESTONE_DUE_SOON
        else:
            continue
        found.append(Flag(
            rule, colour, history.subject("milestone", code, code), history.chief, planned,
            text + history.notes(start, end),
            {"warning_working_days": MILESTONE_WARNING_WORKING_DAYS}, history.cite(plan["version"]),
        ))
    return found


def _problem_flags(history: _AsOf) -> list[Flag]:
    if not history.running:
        return []
    found: list[Flag] = []
    for problem in history.project.problems.values():
        log = [entry for entry in problem["log"] if entry["occurred_on"] <= history.today]
        if log and log[0]["what"] == "raised":
            found += _problem_clocks(history, problem, log)
    return found


def _problem_clocks(history: _AsOf, problem: dict[str, Any], log: list[dict]) -> list[Flag]:
    """The breaches of one problem, given its log up to `today`."""
    today, raised = history.today, log[0]
    raised_on, title = raised["occurred_on"], problem["title"]
    last: dict[str, dict[str, Any]] = {}  # the latest entry of each kind, by business date
    is_open, solved_that_day = True, False
    for entry in log:
        if entry["what"] not in last or entry["occurred_on"] >= last[entry["what"]]["occurred_on"]:
            last[entry["what"]] = entry
        if entry["what"] in ("resolved", "reopened"):
            is_open = entry["what"] == "reopened"
        solved_that_day |= entry["what"] == "resolved" and entry["occurred_on"] == raised_on
    if not is_open:
        return []
    escalation = last.get("escalated")
    owner = history.chief
    if escalation is not None:
        owner = problem["leader"] if problem["escalated_to"] == "leader" else "office"

    def red(rule: str, due_on: date, text: str, thresholds: dict, *entries) -> Flag:
        versions = [e["version"] for e in (raised, *entries, escalation) if e]
        return Flag(rule, RED, history.subject("problem", problem["id"], title), owner, due_on,
                    text + history.notes(raised_on, today, paused=True), thresholds,
                    history.cite(*versions))

    found = []
    # 不过夜: a calendar day, so a holiday or a weekend does not stretch it.
    if problem["same_day"] and not solved_that_day and today > raised_on:
        found.append(red(
            PROBLEM_NOT_SOLVED_SAME_DAY, raised_on,
            f"problem {title!r} was raised on {raised_on} as solvable the same day "
            f"(不过夜) and was not resolved that day; it is still open on {today}", {},
        ))
    if not problem["same_day"] and "plan_proposed" not in last:
        due = history.add(raised_on, PROBLEM_PLAN_WORKING_DAYS)
        if today > due:
            found.append(red(
                PROBLEM_PLAN_LATE, due,
                f"problem {title!r} was raised on {raised_on} and has no solution plan on "
                f"{today}; one was due within {PROBLEM_PLAN_WORKING_DAYS} working days, "
                f"by {due}", {"plan_within_working_days": PROBLEM_PLAN_WORKING_DAYS},
            ))
    old_on = history.add(raised_on, PROBLEM_OLD_WORKING_DAYS)
    # The interval runs from the latest of: becoming old, a follow-up, a reopening (someone
    # looked at it then). A follow-up before it was old does not bring the next one forward.
    since = max((e for e in (last.get("followed_up"), last.get("reopened"))
                 if e and e["occurred_on"] > old_on), key=lambda e: e["occurred_on"], default=None)
    due = history.add(since["occurred_on"] if since else old_on, PROBLEM_FOLLOW_UP_WORKING_DAYS)
    if today > due:
        what = (f"{since['what'].replace('_', ' ')} on {since['occurred_on']}" if since else
                f"not followed up since it became old after {old_on}")
        found.append(red(
            PROBLEM_FOLLOW_UP_LATE, due,
            f"problem {title!r}, raised on {raised_on}, is old and must be followed up every "
            f"{PROBLEM_FOLLOW_UP_WORKING_DAYS} working days: {what}, so one was due by {due}",
            {"old_after_working_days": PROBLEM_OLD_WORKING_DAYS,
             "follow_up_every_working_days": PROBLEM_FOLLOW_UP_WORKING_DAYS}, since,
        ))
    return found


def _commitment_flags(history: _AsOf) -> list[Flag]:
    if not history.running:
        return []
    found, today = [], history.today
    for approval in history.project.approvals.values():
        commitment = approval["commitment"]
        if commitment is None or approval["decided_on"] > today:
            continue
        if commitment["fulfilled_on"] is not None and commitment["fulfilled_on"] <= today:
            continue
        promised = commitment["due_on"]
        # As the Civil Code counts a period (民法典 art. 203), one whose last day is a day off
        # ends on the next working day: a commitment due on a holiday is kept the day after.
        due = promised if is_working_day(promised) else add_working_days(promised, 1)
        if today <= due:
            continue
        moved = f", the first working day after {promised}" if due != promised else ""
        title = f"{approval['item']} ({approval['department']})"
        found.append(Flag(
            COMMITMENT_OVERDUE, RED, history.subject("commitment", approval["id"], title),
            history.chief, due,
            f"approval {title} was granted on {approval['decided_on']} with documents missing "
            f"({', '.join(commitment['missing_documents'])}), due by {due}{moved}; they are "
            f"not supplied on {today}" + history.notes(promised, today), {},
            history.cite(history.grants.get(approval["id"], approval["version"])),
        ))
    return found

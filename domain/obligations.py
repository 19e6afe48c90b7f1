"""The rules of what is due, late and open on a day: the one place that decides it.

Boards, flags (domain.clocks), dispatch reports (domain.dispatch_sections) and pages all read
`standing(history, day, calendar)`; nothing else counts a due date or a day late. The rules, as
the README states them for leaders:

1. Due on a day is not late on that day. An obligation is late from the next working day, by
   whole working days: one working day late at the least, never "0 days late".
2. A due date that falls on a day off (a weekend, a public holiday, or a day the project is
   suspended) moves to the next working day the project is active.
3. Everything is judged on one day (a report's `as_of`: today in a running period, the last day
   in a past one) from the facts dated on or before it, and counted up to it, never beyond.
4. A suspended project owes nothing while suspended: its working days while suspended do not
   count towards any clock or lateness. What it owes is listed under its suspension (with the
   working days it was late when suspended), not as overdue.
5. A terminated project owes nothing: its milestone plans are dropped, and its open problems and
   unfulfilled commitments are closed by the termination, neither solved nor open.
6. A milestone passed over by a later milestone already reached (in lifecycle order) was
   skipped, not missed: it is owed no more.
7. The problem clocks: a problem raised as solvable the same day (不过夜) is due that day; any
   other needs a solution plan within 2 working days of its raising; a problem open more than
   10 working days is old and must be followed up every 5 working days (from when it became
   old, or its latest follow-up or reopening after that).
8. Milestones, commitments and the conditions a passing park-entry review carries are due on
   their planned or promised date (moved by rule 2) and owned by the chief agent on the day;
   a condition without a due date is waited on (rule 9), never late. An invited department's
   opinion in an open park-entry review is due on the N-th working day after the convening
   (N: the review's own clock, else the county's) and owned the same way.
9. Waiting on (`waiting_on`): whom the next step of an active project waits for on the day,
   since when and for how many working days, counted as lateness is (rules 3, 4).

Working days are those of the calendar given (domain.calendar: the office's schedule, the
package's, or Monday to Friday for a year neither knows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from domain.calendar import WorkingCalendar
from domain.history import History, judged_once
from domain.lifecycle import MILESTONE_ORDER

DUE_SOON_WORKING_DAYS = 5  # a milestone this near is due soon (a yellow flag)
REMINDER_WORKING_DAYS = 3  # an obligation this near is reminded of to its owner
PROBLEM_PLAN_WORKING_DAYS = 2  # a new problem needs a solution plan within this
PROBLEM_OLD_WORKING_DAYS = 10  # an open problem older than this is old
PROBLEM_FOLLOW_UP_WORKING_DAYS = 5  # an old problem is followed up at least this often

# An obligation's state on the day.
NOT_DUE, DUE, LATE, SUSPENDED = "not_due", "due", "late", "suspended"
# A problem's or a commitment's state on the day.
OPEN, SOLVED, FULFILLED = "open", "solved", "fulfilled"
CLOSED_BY_TERMINATION = "closed_by_termination"

# The rule an obligation breaks when it is late (flags and translations key on them).
MILESTONE_OVERDUE = "milestone_overdue"
COMMITMENT_OVERDUE = "commitment_overdue"
CONDITION_OVERDUE = "condition_overdue"  # a park-entry review's condition not met by its date
OPINION_OVERDUE = "opinion_overdue"  # an invited department's opinion not given by its clock
PROBLEM_NOT_SOLVED_SAME_DAY = "problem_not_solved_same_day"
PROBLEM_PLAN_LATE = "problem_plan_late"
PROBLEM_FOLLOW_UP_LATE = "problem_follow_up_late"

OFFICE = "office"  # the owner of a problem escalated to the service centre

# Whom a project can wait on (rule 9), and the milestone that is the investor's to reach once
# the construction permit is in hand (拿地即开工: the firm starts building, no one else).
DEPARTMENT, INVESTOR, TEAM, LEADER = "department", "investor", "team", "leader"
PARTIES = (DEPARTMENT, INVESTOR, TEAM, LEADER, OFFICE)
INVESTORS_MILESTONES = {"construction_started": "construction_permitted"}
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Obligation:
    """Something a project owes on the day, not yet done: a milestone by its plan, documents
    by a commitment, or a problem's next step by its clock."""

    rule: str  # the rule broken when it is late
    subject: dict[str, Any]  # kind, id, title, project_id, project
    owner: str  # who must act: a username, or "office"
    promised_on: date  # the date recorded (a plan, a commitment) or given by the clock
    due_on: date  # the promised date moved to the next working day the project is active
    state: str  # not_due, due (on or after its date, no working day late yet), late, suspended
    working_days_late: int  # after due_on up to the day, while active; >= 1 exactly when late
    working_days_left: int | None  # to due_on, when due within DUE_SOON_WORKING_DAYS
    versions: tuple[int, ...]  # the events behind it
    thresholds: dict[str, int] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)  # what its explanation cites

    @property
    def late(self) -> bool:
        return self.state == LATE

    @property
    def due_soon(self) -> bool:
        """Not late and due within DUE_SOON_WORKING_DAYS working days (or today)."""
        return self.state in (NOT_DUE, DUE) and self.working_days_left is not None


@dataclass(frozen=True)
class ProblemState:
    """A problem raised by the day, as it stood then."""

    problem_id: str
    title: str
    responsible_unit: str | None
    raised_on: date
    same_day: bool
    state: str  # open, solved, closed_by_termination
    opened_on: tuple[date, ...]  # its raising and each reopening
    resolved_on: date | None  # when solved: its latest resolution
    closed_on: date | None  # when closed by termination: the termination's date
    has_plan: bool
    escalated_to: str | None  # by its latest escalation: leader or office
    leader: str | None
    owner: str  # the chief agent, or whoever an escalation handed it to
    last_activity_on: date
    working_days_open: int | None  # when open: working days since raised, while active
    working_days_to_solve: int | None  # when solved: from raised to its resolution
    version: int  # of its raising
    escalation_version: int | None  # of the escalation that set its owner

    def row(self) -> dict[str, Any]:
        """Its id, title, unit and raising, the head of every report row about it."""
        return {"problem_id": self.problem_id, "title": self.title,
                "responsible_unit": self.responsible_unit, "raised_on": self.raised_on}


@dataclass(frozen=True)
class CommitmentState:
    """An approval granted with documents missing, and its commitment, as it stood on the day."""

    approval_id: str
    item: str
    department: str
    granted_on: date
    missing_documents: tuple[str, ...]
    promised_on: date
    due_on: date
    state: str  # open, fulfilled, closed_by_termination
    fulfilled_on: date | None
    closed_on: date | None
    version: int  # of its grant

    def row(self) -> dict[str, Any]:
        """The commitment as a report row."""
        return {"approval_id": self.approval_id, "item": self.item,
                "department": self.department, "granted_on": self.granted_on,
                "missing_documents": list(self.missing_documents),
                "promised_on": self.promised_on, "due_on": self.due_on,
                "fulfilled_on": self.fulfilled_on}


@dataclass(frozen=True)
class Standing:
    """What a project owed on a day, and where its problems and commitments stood."""

    day: date
    status: str  # unsigned, active, suspended, terminated
    status_since: date | None  # the suspension's or termination's date
    status_reason: str | None
    chief_agent: str | None
    obligations: tuple[Obligation, ...]  # owed and not done; none when terminated
    problems: tuple[ProblemState, ...]
    commitments: tuple[CommitmentState, ...]

    @property
    def late(self) -> list[Obligation]:
        return [o for o in self.obligations if o.late]

    @property
    def open_problems(self) -> list[ProblemState]:
        return [p for p in self.problems if p.state == OPEN]

    @property
    def open_commitments(self) -> list[CommitmentState]:
        return [c for c in self.commitments if c.state == OPEN]


class ActiveDays:
    """A project's working days as of a day: the calendar's, less those it was suspended.

    A suspension not resumed by the day is counted as ending after it, so counts up to the day
    are right and a clock's date is where it would fall were the project resumed the next day.
    """

    def __init__(self, calendar: WorkingCalendar, history: History, day: date) -> None:
        self.calendar = calendar
        self.pauses = sorted((since, until or day + ONE_DAY)
                             for since, until in history.pauses_on(day))

    @classmethod
    def paused_in(cls, calendar: WorkingCalendar, pauses: Sequence[Sequence[date]]
                  ) -> ActiveDays:
        """The working days of a project suspended in these [since, until) spans only."""
        days = cls.__new__(cls)
        days.calendar, days.pauses = calendar, sorted((since, until) for since, until in pauses)
        return days

    def paused(self, start: date, end: date) -> int:
        """Working days after start up to end on which the project was suspended."""
        return sum(
            self.calendar.working_days_between(max(start, since - ONE_DAY),
                                               min(end, until - ONE_DAY))
            for since, until in self.pauses if since <= end and until > start
        )

    def between(self, start: date, end: date) -> int:
        """Active working days after start up to and including end."""
        if end <= start:
            return 0
        return self.calendar.working_days_between(start, end) - self.paused(start, end)

    def add(self, start: date, n: int) -> date:
        """The n-th active working day after start."""
        due = self.calendar.add_working_days(start, n)
        while self.pauses:
            later = self.calendar.add_working_days(start, n + self.paused(start, due))
            if later == due:
                break
            due = later
        return due

    def on_or_after(self, day: date) -> date:
        """The first active working day on or after day (rule 2)."""
        moved = self.calendar.on_or_after(day)
        for since, until in self.pauses:  # in date order
            if since <= moved < until:
                moved = self.calendar.on_or_after(until)
        return moved


def skipped(code: str, reached: Sequence[str]) -> bool:
    """Whether a milestone not reached was passed over by a later one reached (rule 6)."""
    order = MILESTONE_ORDER[code]
    return code not in reached and any(MILESTONE_ORDER[r] > order for r in reached)


@judged_once()
def standing(history: History, day: date, calendar: WorkingCalendar) -> Standing:
    """What the project owed on day, by the rules; nothing dated after day counts (judged
    once per history, day and calendar: History.judged)."""
    status = history.status_on(day)
    if status == "unsigned":
        return Standing(day, status, None, None, None, (), (), ())
    days = ActiveDays(calendar, history, day)
    chief = history.chief_on(day)
    change = history.status_change_on(day)
    since = change["occurred_on"] if status in ("suspended", "terminated") else None
    reason = change["data"].get("reason") if since else None
    judge = _Judge(history, day, days, chief, status)
    problems = judge.problems()
    commitments = judge.commitments()
    obligations: list[Obligation] = []
    if status != "terminated":
        obligations += judge.milestones()
        obligations += [judge.commitment(c) for c in commitments if c.state == OPEN]
        obligations += judge.conditions()
        obligations += judge.opinions()
        for problem in problems:
            if problem.state == OPEN:
                obligations += judge.problem_clocks(problem)
    obligations.sort(key=lambda o: (o.due_on, o.subject["kind"], o.subject["id"], o.rule))
    return Standing(day, status, since, reason, chief, tuple(obligations), tuple(problems),
                    tuple(commitments))


def reminded(found: Standing) -> list[Obligation]:
    """What an owner is reminded of on the day: each obligation late, or due within
    REMINDER_WORKING_DAYS working days (today included); nothing of a suspended project."""
    return [o for o in found.obligations if o.late or (
        o.due_soon and o.working_days_left is not None
        and o.working_days_left <= REMINDER_WORKING_DAYS)]


def pending_plans_now(project: Any) -> dict[str, dict[str, Any]]:
    """The plans of the milestones a project owes as it stands now (by version, whatever their
    dates): planned, not reached nor skipped (rule 6), none once terminated (rule 5)."""
    if project.status == "terminated":
        return {}
    reached = list(project.reached)
    return {code: plan for code, plan in project.plan.items()
            if code not in reached and not skipped(code, reached)}


def open_problems_now(project: Any) -> list[dict[str, Any]]:
    """The problems open as a project stands now: none once terminated (rule 5)."""
    if project.status == "terminated":
        return []
    return [p for p in project.problems.values() if p["status"] == "open"]


@judged_once(tuple, list)
def problems_on(history: History, day: date, calendar: WorkingCalendar) -> list[ProblemState]:
    """Each problem raised by day as it stood then: open, solved or closed by termination
    (judged once per history, day and calendar)."""
    if not history.has("problem_raised"):
        return []
    status = history.status_on(day)
    if status == "unsigned":
        return []
    days = ActiveDays(calendar, history, day)
    return _Judge(history, day, days, history.chief_on(day), status).problems()


@dataclass(frozen=True)
class FirstClock:
    """The first clock a problem ran (rule 7) and whether it was kept: solved the same day
    (不过夜) for a problem raised as solvable the same day, else a solution plan within
    PROBLEM_PLAN_WORKING_DAYS working days of its raising."""

    problem_id: str
    rule: str  # PROBLEM_NOT_SOLVED_SAME_DAY or PROBLEM_PLAN_LATE: what it asked for
    raised_on: date
    due_on: date
    done_on: date | None  # the step that stopped the clock, if any by the day
    kept: bool | None  # done and not late then: True; late: False; not yet due: None


@judged_once(tuple, list)
def first_clocks(history: History, day: date, calendar: WorkingCalendar) -> list[FirstClock]:
    """The first clock of each problem raised by day, judged on day (rules 1-4 and 7; once
    per history, day and calendar).

    The clock stops at the first step that ends it: a same-day problem's first resolution; any
    other problem's first solution plan or its first resolution, whichever came first (one
    solved before it needed a plan owed none). It was kept when that step was not late on its
    own day; it was not when the step came late, or had not come and the clock was late on the
    day judged on (or on the day a termination closed the problem). A clock not late yet, or
    closed by a termination before it was late, is undecided.
    """
    if history.status_on(day) == "unsigned" or not history.has("problem_raised"):
        return []
    days = ActiveDays(calendar, history, day)
    terminated = history.terminated_on(day)
    found = []
    for problem_id, log in history.problem_logs_on(day).items():
        raised_on = log[0]["occurred_on"]
        resolved = [f["occurred_on"] for f in log if f["type"] == "problem_resolved"]
        if log[0]["data"]["same_day"]:
            rule, due, steps = PROBLEM_NOT_SOLVED_SAME_DAY, days.on_or_after(raised_on), resolved
        else:
            rule = PROBLEM_PLAN_LATE
            due = days.add(raised_on, PROBLEM_PLAN_WORKING_DAYS)
            steps = resolved + [f["occurred_on"] for f in log
                                if f["type"] == "problem_plan_proposed"]
        done = min(steps, default=None)
        if done is not None:
            kept: bool | None = days.between(due, done) == 0
        else:
            kept = False if days.between(due, terminated or day) else None
        found.append(FirstClock(problem_id, rule, raised_on, due, done, kept))
    return found


@judged_once(handed=dict)
def milestones_due_on(history: History, day: date, calendar: WorkingCalendar
                      ) -> dict[str, date]:
    """The date each milestone planned and not skipped is due by, by the plans in force on day
    and as judged then (rules 2, 6); reached ones included (once per history, day and
    calendar)."""
    reached = list(history.reached_by(day))
    days = ActiveDays(calendar, history, day)
    return {code: days.on_or_after(plan["planned_on"])
            for code, plan in history.plans_on(day).items() if not skipped(code, reached)}


def reached_on_time(history: History, code: str, reached_on: date, calendar: WorkingCalendar
                    ) -> tuple[dict[str, Any] | None, date | None, bool | None]:
    """The plan in force when a milestone was reached, its due date, and whether it was
    reached on time (not late on the day it was reached); None for a milestone never planned.
    A plan dated after the milestone was reached does not judge it."""
    plan = history.plans_on(reached_on).get(code)
    if plan is None:
        return None, None, None
    days = ActiveDays(calendar, history, reached_on)
    due = days.on_or_after(plan["planned_on"])
    return plan, due, days.between(due, reached_on) == 0


class _Judge:
    """The rules applied to one project on one day."""

    def __init__(self, history: History, day: date, days: ActiveDays, chief: str, status: str):
        self.history, self.day, self.days = history, day, days
        self.chief, self.status = chief, status
        self.terminated_on = history.terminated_on(day)
        self.logs = history.problem_logs_on(day)

    def subject(self, kind: str, id: str, title: str) -> dict[str, Any]:
        return {"kind": kind, "id": id, "title": title, "project_id": self.history.id,
                "project": self.history.name}

    def obligation(self, rule: str, subject: dict[str, Any], owner: str, promised: date,
                   due: date, versions: Sequence[int | None], **details: Any) -> Obligation:
        """An obligation owed on the day, in the state the rules give it (rules 1, 3, 4)."""
        late = self.days.between(due, self.day)
        left = None
        if self.status == "suspended":
            state = SUSPENDED
        elif late:
            state = LATE
        elif due <= self.day:
            state, left = DUE, 0
        else:
            state = NOT_DUE
            calendar = self.days.calendar
            if due <= calendar.add_working_days(self.day, DUE_SOON_WORKING_DAYS):
                left = calendar.working_days_between(self.day, due)
        return Obligation(rule, subject, owner, promised, due, state, late, left,
                          tuple(sorted({v for v in versions if v})), **details)

    # ---- milestones ----------------------------------------------------------------------

    def milestones(self) -> list[Obligation]:
        """Each planned milestone not reached nor skipped by the day (rules 2, 6)."""
        reached = list(self.history.reached_by(self.day))
        found = []
        for code, plan in self.history.plans_on(self.day).items():
            if code in reached or skipped(code, reached):
                continue
            found.append(self.obligation(
                MILESTONE_OVERDUE, self.subject("milestone", code, code), self.chief,
                plan["planned_on"], self.days.on_or_after(plan["planned_on"]), [plan["version"]],
                thresholds={"warning_working_days": DUE_SOON_WORKING_DAYS},
                facts={"previous": plan["previous"]},
            ))
        return found

    # ---- commitments ---------------------------------------------------------------------

    def commitments(self) -> list[CommitmentState]:
        """Each commitment granted by the day: open, fulfilled or closed by termination."""
        found = []
        for approval in self.history.approvals_by(self.day).values():
            promised = approval["promised_on"]
            if approval["granted_on"] is None or not approval["missing_documents"] \
                    or promised is None:
                continue
            fulfilled = approval["fulfilled_on"]
            state = FULFILLED if fulfilled else \
                CLOSED_BY_TERMINATION if self.terminated_on else OPEN
            found.append(CommitmentState(
                approval["approval_id"], approval["item"], approval["department"],
                approval["granted_on"], tuple(approval["missing_documents"]), promised,
                self.days.on_or_after(promised), state, fulfilled,
                self.terminated_on if state == CLOSED_BY_TERMINATION else None,
                approval["granted_version"],
            ))
        return found

    def commitment(self, commitment: CommitmentState) -> Obligation:
        title = f"{commitment.item} ({commitment.department})"
        return self.obligation(
            COMMITMENT_OVERDUE, self.subject("commitment", commitment.approval_id, title),
            self.chief, commitment.promised_on, commitment.due_on, [commitment.version],
            facts={"granted_on": commitment.granted_on,
                   "missing_documents": list(commitment.missing_documents)},
        )

    # ---- park-entry review conditions -----------------------------------------------------

    def conditions(self) -> list[Obligation]:
        """Each condition of a passed park-entry review not met by the day that has a due
        date: owed by it, as a commitment is (one without a date is waited on, never late)."""
        found = []
        for c in self.history.park_conditions_on(self.day):
            if c["met_on"] is None and c["due_on"] is not None:
                found.append(self.obligation(
                    CONDITION_OVERDUE, self.subject("condition", condition_id(c), c["text"]),
                    self.chief, c["due_on"], self.days.on_or_after(c["due_on"]), [c["version"]],
                    facts={"concluded_on": c["concluded_on"], "party": c["party"],
                           "department": c["department"]}))
        return found

    def opinions(self) -> list[Obligation]:
        """Each invited department's opinion not given in an open park-entry review: due on
        the N-th working day after the convening (N: its clock), owed as a condition is."""
        found = []
        for review_id, convened, department in awaited_opinions(self.history, self.day):
            within = opinion_clock(convened, self.days.calendar)
            due = self.days.add(convened["occurred_on"], within)
            found.append(self.obligation(
                OPINION_OVERDUE, self.subject("opinion", opinion_id(review_id, department),
                                              department),
                self.chief, due, due, [convened["version"]],
                facts={"review_id": review_id, "convened_on": convened["occurred_on"],
                       "department": department},
                thresholds={"opinion_within_working_days": within}))
        return found

    # ---- problems ------------------------------------------------------------------------

    def problems(self) -> list[ProblemState]:
        """Each problem raised by the day: open, solved or closed by termination."""
        return [self._problem(log) for log in self.logs.values()]

    def _problem(self, log: list[dict[str, Any]]) -> ProblemState:
        raised = log[0]
        d, raised_on = raised["data"], raised["occurred_on"]
        is_open, resolved_on, opened_on = True, None, [raised_on]
        escalation = None
        for fact in log[1:]:
            kind = fact["type"]
            if kind == "problem_resolved":
                is_open, resolved_on = False, fact["occurred_on"]
            elif kind == "problem_reopened":
                is_open, resolved_on = True, None
                opened_on.append(fact["occurred_on"])
            elif kind == "problem_escalated" and (
                    escalation is None or fact["occurred_on"] >= escalation["occurred_on"]):
                escalation = fact
        owner = self.chief
        if escalation is not None:
            target = escalation["data"]["escalated_to"]
            owner = escalation["data"]["leader"] if target == "leader" else OFFICE
        state = OPEN if is_open else SOLVED
        if is_open and self.terminated_on:
            state = CLOSED_BY_TERMINATION
        return ProblemState(
            d["problem_id"], d["title"], d["responsible_unit"], raised_on, d["same_day"],
            state, tuple(opened_on), resolved_on,
            self.terminated_on if state == CLOSED_BY_TERMINATION else None,
            any(f["type"] == "problem_plan_proposed" for f in log),
            escalation["data"]["escalated_to"] if escalation else None,
            escalation["data"]["leader"] if escalation else None, owner,
            max(f["occurred_on"] for f in log),
            self.days.between(raised_on, self.day) if state == OPEN else None,
            self.days.between(raised_on, resolved_on) if state == SOLVED else None,
            raised["version"], escalation["version"] if escalation else None,
        )

    def problem_clocks(self, problem: ProblemState) -> list[Obligation]:
        """The clocks an open problem runs on the day (rule 7)."""
        log = self.logs[problem.problem_id]
        subject = self.subject("problem", problem.problem_id, problem.title)
        raised_on, raising = problem.raised_on, log[0]["version"]
        found = []

        def clock(rule: str, promised: date, due: date, *versions: int | None,
                  thresholds: dict[str, int] | None = None, **facts: Any) -> None:
            found.append(self.obligation(
                rule, subject, problem.owner, promised, due,
                [raising, problem.escalation_version, *versions],
                thresholds=thresholds or {}, facts={"raised_on": raised_on, **facts}))

        if problem.same_day:
            # 不过夜: done the day it was raised; the first resolution ends it, in time or late.
            if not any(f["type"] == "problem_resolved" for f in log):
                clock(PROBLEM_NOT_SOLVED_SAME_DAY, raised_on, self.days.on_or_after(raised_on))
        elif not problem.has_plan:
            due = self.days.add(raised_on, PROBLEM_PLAN_WORKING_DAYS)
            clock(PROBLEM_PLAN_LATE, due, due,
                  thresholds={"plan_within_working_days": PROBLEM_PLAN_WORKING_DAYS})
        old_on = self.days.add(raised_on, PROBLEM_OLD_WORKING_DAYS)
        # The interval runs from the latest of: becoming old, a follow-up, a reopening (someone
        # looked at it then). A follow-up before it was old does not bring the next one forward.
        looked = [f for f in log if f["type"] in ("problem_followed_up", "problem_reopened")
                  and f["occurred_on"] > old_on]
        since = max(looked, key=lambda f: f["occurred_on"], default=None)
        due = self.days.add(since["occurred_on"] if since else old_on,
                            PROBLEM_FOLLOW_UP_WORKING_DAYS)
        clock(PROBLEM_FOLLOW_UP_LATE, due, due, since["version"] if since else None,
              thresholds={"old_after_working_days": PROBLEM_OLD_WORKING_DAYS,
                          "follow_up_every_working_days": PROBLEM_FOLLOW_UP_WORKING_DAYS},
              old_on=old_on, since=(since["type"], since["occurred_on"]) if since else None)
        return found


# ---- waiting on (rule 9) -------------------------------------------------------------------


@dataclass(frozen=True)
class Wait:
    """A party the project's next step waits on: who, for what, since when, how long."""

    party: str  # department, investor, team, leader or office
    name: str | None  # the department's name, the leader's username, the investor's name,
    # the chief agent for the team; None for the office
    item: dict[str, Any]  # kind (approval, commitment, milestone, problem), id, title
    since: date
    working_days: int  # active working days after since, up to the day judged on
    versions: tuple[int, ...]  # the events that began the wait

    def row(self) -> dict[str, Any]:
        """The wait as plain data."""
        return {"party": self.party, "name": self.name, "item": dict(self.item),
                "since": self.since, "working_days": self.working_days}


@judged_once(tuple, list)
def waiting_on(history: History, day: date, calendar: WorkingCalendar) -> list[Wait]:
    """Whom an active project waits on on day (rule 9), the longest wait first (once per
    history, day and calendar).

    A department for each approval applied for and neither granted nor refused, and for its
    opinion in an open park-entry joint review it was invited to (the item says its clock,
    `within_working_days` of the convening); the investor or the department named for each
    condition of a passed review not met, since the conclusion; the investor
    for each open commitment (documents missing) and for a milestone that is its to reach (the
    construction start once the permit is reached); a leader for a problem escalated to them
    without an instruction on it since; the office for a problem escalated to it that no plan,
    follow-up or instruction has acted on since; the team for an open problem without a
    solution plan (not waiting on an escalation), and for a plan when no milestone ahead of
    the latest reached is planned. A suspended or terminated project waits on no one (rules 4,
    5): its waits stop with it, and after its resumption they go on from where they were.
    """
    days = ActiveDays(calendar, history, day)
    waits = [Wait(party, name, _clocked(what, calendar, since, day, days), since,
                  days.between(since, day), tuple(sorted({v for v in versions if v})))
             for party, name, what, since, versions in _waits(history, day)]
    return sorted(waits, key=lambda w: _longest_first(w.row()))


def waits_now(project: Any) -> list[dict[str, Any]]:
    """The waits of a project as it stands now (rule 9), without their working days: what its
    events decide, so that its card keeps them; each with the spans the project was suspended
    after the wait began (`paused`), so that `counted` counts its days on any later day."""
    history = History(project)
    day = max(fact["occurred_on"] for fact in history.facts)  # none is dated after today
    pauses = history.pauses_on(day)
    return [{"party": party, "name": name, "item": what, "since": since,
             "paused": [[start, until] for start, until in pauses if until and until > since]}
            for party, name, what, since, _ in _waits(history, day)]


def counted(waits: list[dict[str, Any]], day: date, calendar: WorkingCalendar
            ) -> list[dict[str, Any]]:
    """Kept waits (`waits_now`) with the working days each has waited by day, counted as
    `waiting_on` counts them, the longest first."""
    found = []
    for wait in waits:
        days = ActiveDays.paused_in(calendar, wait["paused"])
        found.append(wait | {"item": _clocked(wait["item"], calendar, wait["since"], day, days),
                             "working_days": days.between(wait["since"], day)})
    return sorted(found, key=_longest_first)


def _clocked(item: dict[str, Any], calendar: WorkingCalendar, since: date, day: date,
             days: ActiveDays) -> dict[str, Any]:
    """A wait's item with its clock: a review's opinion by the review's own, else the
    county's (the calendar's `opinion_working_days`, OPINION_WORKING_DAYS by default), its
    due date and the working days it is late on day (rule 8, as its obligation is)."""
    if item["kind"] != "park_review":
        return item
    within = item.get("within_working_days") or calendar.opinion_working_days
    due = days.add(since, within)
    return item | {"within_working_days": within, "due_on": due,
                   "working_days_late": days.between(due, day)}


def opinion_clock(convened: dict[str, Any], calendar: WorkingCalendar) -> int:
    """The working days a review's invited departments have for their opinions: the
    review's own clock, else the county's."""
    return convened["data"]["opinion_within_working_days"] or calendar.opinion_working_days


def opinion_id(review_id: str, department: str) -> str:
    """A department's opinion in a park-entry review, as an obligation's subject."""
    return f"{review_id}:{department}"


def awaited_opinions(history: History, day: date) -> list[tuple[str, dict[str, Any], str]]:
    """(review id, its convening, department) of each invited department's opinion not given
    by day in a review still open on day."""
    return [(review["convened"]["data"]["review_id"], review["convened"], name)
            for review in history.park_reviews_on(day) if review["concluded"] is None
            for name in review["convened"]["data"]["departments"]
            if name not in review["opinions"]]


def _longest_first(wait: dict[str, Any]) -> tuple:
    return (-wait["working_days"], wait["since"], PARTIES.index(wait["party"]),
            wait["name"] or "", wait["item"]["kind"], wait["item"]["id"])


def _waits(history: History, day: date) -> list[tuple]:
    """(party, name, item, since, versions) of each wait on day (see `waiting_on`)."""
    if history.status_on(day) != "active":
        return []
    found: list[tuple[str, str | None, dict[str, Any], date, Sequence[int | None]]] = []

    def item(kind: str, id: str, title: str) -> dict[str, Any]:
        return {"kind": kind, "id": id, "title": title}

    for review_id, convened, name in awaited_opinions(history, day):
        # Its clock (the review's, or the county's, added when counted: `_clocked`, with its
        # due date and lateness): late once it has waited more (rules 1, 8).
        within = convened["data"]["opinion_within_working_days"]
        found.append((DEPARTMENT, name, item("park_review", review_id, review_id)
                      | ({"within_working_days": within} if within else {}),
                      convened["occurred_on"], [convened["version"]]))
    for approval in history.approvals_by(day).values():
        if approval["granted_on"] is None and approval["rejected_on"] is None:
            found.append((DEPARTMENT, approval["department"],
                          item("approval", approval["approval_id"], approval["item"]),
                          approval["applied_on"], [approval["applied_version"]]))
        elif approval["missing_documents"] and approval["fulfilled_on"] is None:
            found.append((INVESTOR, history.investor,
                          item("commitment", approval["approval_id"], approval["item"]),
                          approval["granted_on"], [approval["granted_version"]]))
    for c in history.park_conditions_on(day):
        if c["met_on"] is None:
            party, name = (DEPARTMENT, c["department"]) if c["party"] == DEPARTMENT else \
                (INVESTOR, history.investor)
            found.append((party, name, item("condition", condition_id(c), c["text"]),
                          c["concluded_on"], [c["version"]]))
    reached = history.reached_by(day)
    for code, after in INVESTORS_MILESTONES.items():
        if after in reached and code not in reached and not skipped(code, list(reached)):
            found.append((INVESTOR, history.investor, item("milestone", code, code),
                          reached[after], [history.reached_version(after)]))
    chief = history.chief_on(day)
    latest = max((MILESTONE_ORDER[code] for code in reached), default=-1)
    ahead = _milestone_ahead(history, latest)
    if ahead is not None and ahead not in INVESTORS_MILESTONES and not any(
            MILESTONE_ORDER[code] > latest for code in history.plans_on(day)):
        found.append((TEAM, chief, item("milestone", ahead, ahead),
                      max([history.signed_on, *reached.values()]), []))
    instructions: dict[str, list[dict[str, Any]]] = {}
    for fact in history.upto(day, "instruction_given"):
        instructions.setdefault(fact["data"]["problem_id"], []).append(fact)
    for problem_id, log in history.problem_logs_on(day).items():
        found += _problem_waits(log, instructions.get(problem_id, []), chief, item)
    return found


def condition_id(condition: dict[str, Any]) -> str:
    """A park-entry review's condition as an item: its review and its number there."""
    return f"{condition['review_id']}#{condition['number']}"


def _milestone_ahead(history: History, latest: int) -> str | None:
    """The milestone after the latest reached (by its place in lifecycle order) (the park
    review only for a project signed into a park), or None once the last is reached."""
    for code, order in MILESTONE_ORDER.items():
        if order > latest and (code != "park_review_passed" or history.park):
            return code
    return None


def _problem_waits(log: list[dict[str, Any]], instructions: list[dict[str, Any]], chief: str,
                   item: Any) -> list[tuple]:
    """Whom an open problem waits on (rule 9): an escalation not acted on, else the team while
    it has no solution plan."""
    raised, opened, escalation, has_plan = log[0], log[0], None, False
    is_open = True
    for fact in log[1:]:
        kind = fact["type"]
        if kind == "problem_resolved":
            is_open = False
        elif kind == "problem_reopened":
            is_open, opened = True, fact
        elif kind == "problem_escalated":
            escalation = fact
        if kind == "problem_plan_proposed":
            has_plan = True
    if not is_open:
        return []
    d = raised["data"]
    what = item("problem", d["problem_id"], d["title"])
    if escalation is not None:
        to, on = escalation["data"]["escalated_to"], escalation["occurred_on"]
        acted = ("instruction_given",) if to == LEADER else (
            "instruction_given", "problem_plan_proposed", "problem_followed_up")
        after = (on, escalation["version"])
        if not any(f["type"] in acted and (f["occurred_on"], f["version"]) > after
                   for f in log + instructions):
            name = escalation["data"]["leader"] if to == LEADER else None
            return [(to, name, what, on, [escalation["version"]])]
    if not has_plan:
        return [(TEAM, chief, what, opened["occurred_on"], [opened["version"]])]
    return []

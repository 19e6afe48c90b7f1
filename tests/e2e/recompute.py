"""An auditor's recomputation of the dispatch reports, from README.md and the raw histories only.

Independent of the app on purpose: nothing here reads `domain/`, `projections/` or the web
tables. The rules are README.md's ("The rules: what is due, late and open", "The working-day
calendar", "Dispatch reports"), each applied as written; where a figure needs a reading the
README leaves open, the choice is said next to it (`READING:`). The input is what
`GET /api/projects/<id>/events` answers for every project: each event's version, type, actor,
occurred_on (the business date), recorded_at, data, corrected_by and void.

Pure: no I/O. Working days come from `chinese_calendar` (Monday to Friday for a year it does not
know, as the README says; an office-loaded calendar is not modelled: the demo county has none),
pinyin order from `pypinyin`, with the phrases the README says names are read by (those
listed in domain/pinyin.json; the list is data, not the app's code).

    county = County(histories, today=date(2026, 11, 25), phases={"land_approved": "land", ...})
    report = county.report("weekly", "2026-W48")       # or recompute(histories, ...)

The report is a plain structure of the same section names as the API's, rows as tuples (see
`County.report`), for comparing figure by figure.
"""

from __future__ import annotations

import bisect
import calendar as _calendar
import json
import os
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import chinese_calendar

# README ("Layout", domain/): names read with only the phrases of pypinyin's dictionary that
# change a reading. pypinyin decides at import whether it loads its own phrases.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
from pypinyin import lazy_pinyin, load_phrases_dict  # noqa: E402
from pypinyin.phrases_dict import phrases_dict  # noqa: E402

_KEPT = json.loads((Path(__file__).resolve().parents[2] / "domain" / "pinyin.json").read_text(
    encoding="utf-8"))["phrases"]
load_phrases_dict({phrase: phrases_dict[phrase] for phrase in _KEPT})
# Had pypinyin been imported before (with its own phrases), the reading would be another.
assert len(__import__("pypinyin.constants").constants.PHRASES_DICT) == len(_KEPT)

ONE_DAY = timedelta(days=1)

# README, "The rules" (last paragraph): the lifecycle order of milestones.
LIFECYCLE = ("park_review_passed", "project_filed", "land_approved", "land_cleared",
             "land_delivered", "construction_permitted", "construction_started",
             "completion_accepted", "production_started", "operating")
PHASE_ORDER = ("signing", "land", "construction", "operation")

PLAN_WITHIN_WORKING_DAYS = 2     # rule 7: a solution plan within 2 working days of the raising
OLD_AFTER_WORKING_DAYS = 10      # rule 7: open more than 10 working days is old
FOLLOW_UP_EVERY_WORKING_DAYS = 5  # rule 7: an old problem is followed up every 5 working days
APPROVAL_TARGET_WORKING_DAYS = 40  # "Dispatch reports", approvals_granted
# README, settings: BANBAN_OPINION_WORKING_DAYS, "3 by default" (the demo county sets none).
OPINION_WORKING_DAYS = 3

# Rule names as the API spells them. The README names no rule; these three were read off the
# API's flags (the only ones the demo county raises). The two problem rules the demo never
# raises are named here by the recomputation itself: if the API ever raised one under another
# name, the comparison shows it as a difference to look at, not as a silent match.
RULE_MILESTONE = "milestone_overdue"
RULE_COMMITMENT = "commitment_overdue"
RULE_FOLLOW_UP = "problem_follow_up_late"
RULE_SAME_DAY = "problem_same_day_late"   # not seen in the API: own name
RULE_PLAN = "problem_plan_late"           # not seen in the API: own name


# ---- the working-day calendar ------------------------------------------------------------

@lru_cache(maxsize=None)
def is_workday(day: date) -> bool:
    """The official calendar (chinese_calendar), or Monday to Friday for a year it does not
    know ("When the calendar does not know a year, its working days are counted Monday to
    Friday")."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def parse_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ---- periods ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    cadence: str
    id: str
    start: date
    end: date


CADENCES = ("weekly", "half-monthly", "monthly", "quarterly")


def _month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def period_of(cadence: str, day: date) -> Period:
    """The period of a cadence that holds a day ("Dispatch reports": ISO weeks Monday-Sunday,
    1st-15th and 16th-end, months, quarters; years for the quarter's roll-up)."""
    y, m = day.year, day.month
    if cadence == "weekly":
        iso_year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return Period(cadence, f"{iso_year}-W{week:02d}", start, start + timedelta(days=6))
    if cadence == "half-monthly":
        if day.day <= 15:
            return Period(cadence, f"{y}-{m:02d}-H1", date(y, m, 1), date(y, m, 15))
        return Period(cadence, f"{y}-{m:02d}-H2", date(y, m, 16), _month_end(y, m))
    if cadence == "monthly":
        return Period(cadence, f"{y}-{m:02d}", date(y, m, 1), _month_end(y, m))
    if cadence == "quarterly":
        q = (m - 1) // 3 + 1
        return Period(cadence, f"{y}-Q{q}", date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
    if cadence == "yearly":
        return Period(cadence, f"{y}", date(y, 1, 1), date(y, 12, 31))
    raise ValueError(cadence)


def period_by_id(cadence: str, period_id: str) -> Period:
    if cadence == "weekly":
        year, week = period_id.split("-W")
        return period_of(cadence, date.fromisocalendar(int(year), int(week), 1))
    if cadence == "half-monthly":
        year, month, half = period_id.split("-")
        return period_of(cadence, date(int(year), int(month), 1 if half == "H1" else 16))
    if cadence == "monthly":
        year, month = period_id.split("-")
        return period_of(cadence, date(int(year), int(month), 1))
    if cadence == "quarterly":
        year, quarter = period_id.split("-Q")
        return period_of(cadence, date(int(year), 3 * int(quarter) - 2, 1))
    raise ValueError(cadence)


def periods_between(cadence: str, first_day: date, last_day: date) -> list[Period]:
    """Every period of a cadence from the one holding first_day to the one holding last_day."""
    periods, period = [], period_of(cadence, first_day)
    while period.start <= last_day:
        periods.append(period)
        period = period_of(cadence, period.end + ONE_DAY)
    return periods


def enclosing_periods(period: Period, as_of: date) -> list[Period]:
    """What a period rolls up into: a week into the month of each of its days (a month none of
    whose days has begun by as_of is left out), a half-month into its month, a month into its
    quarter, a quarter into its year."""
    if period.cadence == "weekly":
        months: list[Period] = []
        day = period.start
        while day <= period.end:
            month = period_of("monthly", day)
            if month not in months and month.start <= as_of:
                months.append(month)
            day += ONE_DAY
        return months
    up = {"half-monthly": "monthly", "monthly": "quarterly", "quarterly": "yearly"}
    return [period_of(up[period.cadence], period.start)]


# ---- events, with corrections applied -----------------------------------------------------

@dataclass
class Event:
    version: int
    type: str
    occurred_on: date
    actor: str
    data: dict[str, Any]


def effective_events(raw_events: list[dict[str, Any]]) -> list[Event]:
    """The facts of a history "with corrections applied": each `corrected` event amends
    (`changes`, which may move `occurred_on`) or voids the event at `corrects_version`; voided
    events are dropped and corrections themselves are never facts.

    READING: a correction applies whatever its own business date (it says what the corrected
    fact always was), so a report judged before the correction's date already sees it. The
    raw events carry the values as first recorded (`void`/`corrected_by` only point at the
    corrections), so the corrections are applied here from their own data.
    """
    events: dict[int, Event] = {}
    corrections = []
    for raw in sorted(raw_events, key=lambda e: e["version"]):
        if raw["type"] == "corrected":
            corrections.append(raw)
            continue
        events[raw["version"]] = Event(raw["version"], raw["type"],
                                       parse_date(raw["occurred_on"]), raw.get("actor"),
                                       dict(raw.get("data") or {}))
    for correction in corrections:
        data = correction["data"]
        target = events.get(data.get("corrects_version"))
        if target is None:  # a correction of a correction, or of a voided event: not in the demo
            raise NotImplementedError(f"correction v{correction['version']} targets "
                                      f"v{data.get('corrects_version')}, not a fact")
        if data.get("action") == "void":
            del events[target.version]
        elif data.get("action") == "amend":
            for key, value in (data.get("changes") or {}).items():
                if key == "occurred_on":
                    target.occurred_on = parse_date(value)
                else:
                    target.data[key] = value
        else:
            raise ValueError(f"unknown correction action {data.get('action')!r}")
    return sorted(events.values(), key=lambda e: e.version)


def latest_recorded(items: list[tuple], day: date):
    """Of (version, date, ...) tuples, the one recorded last among those dated on or before
    `day` ("Facts are read in the order they were recorded"), or None."""
    best = None
    for item in items:
        if item[1] <= day and (best is None or item[0] > best[0]):
            best = item
    return best


# ---- a project --------------------------------------------------------------------------

@dataclass
class Approval:
    id: str
    applied: list[tuple[int, date, dict]] = field(default_factory=list)
    granted: list[tuple[int, date, dict]] = field(default_factory=list)
    fulfilled: list[tuple[int, date]] = field(default_factory=list)

    def application_before(self, day: date) -> tuple[int, date, dict] | None:
        return latest_recorded(self.applied, day) or (self.applied[0] if self.applied else None)


@dataclass
class Problem:
    id: str
    raised_version: int
    raised_on: date
    same_day: bool
    unit: str | None
    title: str
    plans: list[date] = field(default_factory=list)
    follow_ups: list[date] = field(default_factory=list)
    escalations: list[tuple[int, date, dict]] = field(default_factory=list)
    states: list[tuple[int, date, str]] = field(default_factory=list)  # resolved / reopened

    def open_on(self, day: date) -> bool:
        """Raised by then, and its latest resolution or reopening dated by then (in recorded
        order) is a reopening, or it has none."""
        if self.raised_on > day:
            return False
        state = latest_recorded(self.states, day)
        return state is None or state[2] == "reopened"

    def resolution_in_force(self, day: date) -> date | None:
        """The date of the resolution that makes it solved on `day`, or None while open."""
        state = latest_recorded(self.states, day)
        return state[1] if state is not None and state[2] == "resolved" else None

    def first_resolution(self, day: date) -> date | None:
        dates = [d for _, d, kind in self.states if kind == "resolved" and d <= day]
        return min(dates) if dates else None

    def reopenings(self) -> list[date]:
        return [d for _, d, kind in self.states if kind == "reopened"]


_STATUS_OF = {"signed": "active", "suspended": "suspended", "resumed": "active",
              "terminated": "terminated"}


@dataclass(frozen=True)
class Flag:
    project_id: str
    kind: str
    id: str
    rule: str
    due_on: date
    working_days_late: int
    owner: str


class Project:
    """One project's facts, and its clocks: working days it was active, due dates by rule 2."""

    def __init__(self, project_id: str, raw_events: list[dict[str, Any]], base: date,
                 last: date):
        self.id = project_id
        self.events = effective_events(raw_events)
        signing = next(e for e in self.events if e.type == "signed")
        self.signed_on = signing.occurred_on
        self.name = signing.data["name"]
        self.investor = signing.data.get("investor")
        self.investment = int(signing.data["investment"])
        self.park = signing.data.get("park")
        self.status_events: list[tuple[int, date, str, dict]] = []
        self.team: list[tuple[int, date, str]] = []
        self.plans: dict[str, list[tuple[int, date, date]]] = {m: [] for m in LIFECYCLE}
        self.reaches: dict[str, list[tuple[int, date]]] = {m: [] for m in LIFECYCLE}
        self.approvals: dict[str, Approval] = {}
        self.problems: dict[str, Problem] = {}
        self.progress: list[tuple[int, date, int]] = []
        self.escalations: list[tuple[int, date, dict]] = []
        self.instructions: list[tuple[int, date, dict]] = []
        # Each dated condition a passing review carried: (review, number) -> (concluded on,
        # due on); and the days each was met on.
        self.conditions: dict[tuple[str, int], tuple[date, date]] = {}
        self.conditions_met: dict[tuple[str, int], list[date]] = {}
        # Each review convened: id -> (convened on, departments invited, its own clock or
        # None); the days each department gave an opinion, and each conclusion's day.
        self.reviews: dict[str, tuple[date, list[str], int | None]] = {}
        self.opinions: dict[tuple[str, str], list[date]] = {}
        self.concluded: dict[str, list[date]] = {}
        for e in self.events:
            d, data = e.occurred_on, e.data
            if e.type in _STATUS_OF:
                self.status_events.append((e.version, d, _STATUS_OF[e.type], data))
            if e.type in ("signed", "team_assigned"):
                self.team.append((e.version, d, data["chief_agent"]))
            if e.type == "milestone_planned":
                self.plans[data["milestone"]].append(
                    (e.version, d, parse_date(data["planned_on"])))
            elif e.type == "milestone_reached":
                self.reaches[data["milestone"]].append((e.version, d))
            elif e.type == "park_review_concluded":
                self.concluded.setdefault(data["review_id"], []).append(d)
                if data.get("passed"):
                    # A passing joint review is the milestone (README, the park-entry review).
                    self.reaches["park_review_passed"].append((e.version, d))
                for n, condition in enumerate(data.get("conditions") or [], start=1):
                    if data.get("passed") and isinstance(condition, dict) and \
                            condition.get("due_on"):
                        self.conditions[(data["review_id"], n)] = (
                            d, parse_date(condition["due_on"]))
            elif e.type == "park_review_convened":
                self.reviews[data["review_id"]] = (d, list(data["departments"]),
                                                   data.get("opinion_within_working_days"))
            elif e.type == "park_review_opinion_given":
                self.opinions.setdefault((data["review_id"], data["department"]), []).append(d)
            elif e.type == "park_review_condition_met":
                self.conditions_met.setdefault((data["review_id"], data["condition"]),
                                               []).append(d)
            elif e.type.startswith("approval_") or e.type == "commitment_fulfilled":
                approval = self.approvals.setdefault(data["approval_id"],
                                                     Approval(data["approval_id"]))
                if e.type == "approval_applied":
                    approval.applied.append((e.version, d, data))
                elif e.type == "approval_granted":
                    approval.granted.append((e.version, d, data))
                elif e.type == "commitment_fulfilled":
                    approval.fulfilled.append((e.version, d))
            elif e.type == "problem_raised":
                self.problems[data["problem_id"]] = Problem(
                    data["problem_id"], e.version, d, bool(data.get("same_day")),
                    data.get("responsible_unit"), data.get("title"))
            elif e.type.startswith("problem_"):
                problem = self.problems[data["problem_id"]]
                if e.type == "problem_plan_proposed":
                    problem.plans.append(d)
                elif e.type == "problem_followed_up":
                    problem.follow_ups.append(d)
                elif e.type == "problem_escalated":
                    problem.escalations.append((e.version, d, data))
                    self.escalations.append((e.version, d, data))
                elif e.type == "problem_resolved":
                    problem.states.append((e.version, d, "resolved"))
                elif e.type == "problem_reopened":
                    problem.states.append((e.version, d, "reopened"))
            elif e.type == "progress_reported":
                self.progress.append((e.version, d, int(data["investment_completed"])))
            elif e.type == "instruction_given":
                self.instructions.append((e.version, d, data))

        # The status in force on each day from `base` to `last` (rule "Facts are read in the
        # order they were recorded": the latest signing, suspension, resumption or termination
        # recorded that is dated by then) and the running count of active working days.
        self.base, self.last = base, last
        ordered = sorted(self.status_events, key=lambda s: s[1])
        self._in_force: list[tuple | None] = []
        self._prefix: list[int] = []
        best, i, running = None, 0, 0
        day = base
        while day <= last:
            while i < len(ordered) and ordered[i][1] <= day:
                if best is None or ordered[i][0] > best[0]:
                    best = ordered[i]
                i += 1
            self._in_force.append(best)
            if best is not None and best[2] == "active" and is_workday(day):
                running += 1
            self._prefix.append(running)
            day += ONE_DAY

    # -- status and working days --

    def _index(self, day: date) -> int:
        return (day - self.base).days

    def status_event(self, day: date) -> tuple | None:
        if day < self.base:
            return None
        return self._in_force[self._index(min(day, self.last))]

    def status_on(self, day: date) -> str | None:
        event = self.status_event(day)
        return event[2] if event else None

    def _count_to(self, day: date) -> int:
        """Active working days from `base` through `day` (day <= last)."""
        if day < self.base:
            return 0
        return self._prefix[self._index(day)]

    def working_days(self, after: date, through: date) -> int:
        """Working days the project was active in (after, through]: rule 4, suspended days
        never count; nor do days before its signing or after its termination."""
        if through <= after:
            return 0
        return self._count_to(through) - self._count_to(after)

    def nth_working_day_after(self, after: date, n: int, judged: date) -> date | None:
        """The day on which `n` active working days have passed since `after` (exclusive).
        Days after `judged` are unknown: the project is taken to stay as it is on `judged`
        (only events dated by then count), so a project not active then never gets there."""
        target = self._count_to(after) + n if after < judged else None
        if target is not None and self._count_to(judged) >= target:
            lo = self._index(after) + 1 if after >= self.base else 0
            index = bisect.bisect_left(self._prefix, target, lo, self._index(judged) + 1)
            return self.base + timedelta(days=index)
        if self.status_on(judged) != "active":
            return None
        remaining = n - (self.working_days(after, judged) if after < judged else 0)
        day = max(after, judged)
        while remaining > 0:
            day += ONE_DAY
            if is_workday(day):
                remaining -= 1
        return day

    def due_by_rule_2(self, day: date, judged: date) -> date | None:
        """Rule 2: a due date on a day off (weekend, holiday, a day the project is suspended)
        is due on the next working day the project is active."""
        return self.nth_working_day_after(day - ONE_DAY, 1, judged)

    def working_days_late(self, due: date | None, judged: date) -> int:
        """Rule 1: not late on the due day; from the next working day, in whole working days
        (active ones: rule 4)."""
        if due is None or judged <= due:
            return 0
        return self.working_days(due, judged)

    def chief_on(self, day: date) -> str:
        """Rule 8: the project's chief agent on the day (the latest team dated by then)."""
        entry = latest_recorded(self.team, day) or min(self.team)
        return entry[2]

    def termination_on(self, day: date) -> date | None:
        """The date of the termination in force on `day`, if the project is terminated then."""
        event = self.status_event(day)
        return event[1] if event and event[2] == "terminated" else None

    # -- milestones --

    def reached_on(self, milestone: str, day: date) -> date | None:
        dates = [d for _, d in self.reaches[milestone] if d <= day]
        return min(dates) if dates else None

    def plan_in_force(self, milestone: str, day: date) -> date | None:
        """Rule 8: the latest plan recorded for that milestone dated on or before the day."""
        plan = latest_recorded(self.plans[milestone], day)
        return plan[2] if plan else None

    def skipped(self, milestone: str, day: date) -> bool:
        """Rule 6: a later milestone (lifecycle order) is reached while this one is not."""
        later = LIFECYCLE[LIFECYCLE.index(milestone) + 1:]
        return any(self.reached_on(m, day) for m in later)

    def phase_on(self, day: date, phases: dict[str, str]) -> str:
        reached = [m for m in LIFECYCLE if self.reached_on(m, day)]
        return phases[reached[-1]] if reached else "signing"

    # -- problems --

    def problem_owner(self, problem: Problem, day: date) -> str:
        """Rule 7: the chief agent, or once escalated the leader or the service centre it was
        last escalated to."""
        escalation = latest_recorded(problem.escalations, day)
        if escalation is None:
            return self.chief_on(day)
        data = escalation[2]
        if data.get("escalated_to") == "leader" and data.get("leader"):
            return data["leader"]
        return data.get("escalated_to")

    def closed_by_termination(self, problem: Problem, day: date) -> date | None:
        """Rule 5: the termination dated by `day` that closed the problem (open then)."""
        terminated = self.termination_on(day)
        if terminated is not None and problem.open_on(terminated):
            return terminated
        return None

    # -- commitments --

    def commitments(self, day: date):
        """(approval, grant, promised_on) of each approval granted by `day` with documents
        missing (容缺审批 + 承诺制)."""
        for approval in self.approvals.values():
            grant = latest_recorded(approval.granted, day)
            if grant is None:
                continue
            data = grant[2]
            if data.get("missing_documents") and data.get("commitment_due_on"):
                yield approval, grant, parse_date(data["commitment_due_on"])

    @staticmethod
    def fulfilled_on(approval: Approval, day: date) -> date | None:
        dates = [d for _, d in approval.fulfilled if d <= day]
        return min(dates) if dates else None

    # -- investment --

    def cumulative(self, day: date) -> int:
        """The cumulative investment completed reported by `day` (each report is cumulative):
        the latest recorded report dated by then."""
        report = latest_recorded(self.progress, day)
        return report[2] if report else 0

    # -- red flags --

    def flags(self, judged: date) -> list[Flag]:
        """Every item late on `judged` (rules 1, 2, 6, 7, 8), whatever the project's status
        (the callers decide: rule 4 and 5 say a suspended or terminated project shows none)."""
        flags: list[Flag] = []
        chief = self.chief_on(judged)
        for milestone in LIFECYCLE:
            if milestone == "park_review_passed" and not self.park:
                continue  # a project outside a park has no park review (rule 6)
            if self.reached_on(milestone, judged) or self.skipped(milestone, judged):
                continue
            planned = self.plan_in_force(milestone, judged)
            if planned is None:
                continue
            due = self.due_by_rule_2(planned, judged)
            late = self.working_days_late(due, judged)
            if late >= 1:
                flags.append(Flag(self.id, "milestone", milestone, RULE_MILESTONE, due, late,
                                  chief))
        for approval, _grant, promised in self.commitments(judged):
            if self.fulfilled_on(approval, judged):
                continue
            due = self.due_by_rule_2(promised, judged)
            late = self.working_days_late(due, judged)
            if late >= 1:
                flags.append(Flag(self.id, "commitment", approval.id, RULE_COMMITMENT, due,
                                  late, chief))
        for (review, number), (concluded, promised) in self.conditions.items():
            if concluded > judged or any(
                    d <= judged for d in self.conditions_met.get((review, number), [])):
                continue
            due = self.due_by_rule_2(promised, judged)
            late = self.working_days_late(due, judged)
            if late >= 1:  # a review's condition, as a commitment (rule 8)
                flags.append(Flag(self.id, "condition", f"{review}#{number}",
                                  "condition_overdue", due, late, chief))
        for review, (convened, departments, own) in self.reviews.items():
            # Rule 8: an invited department's opinion in a review open on the day, not given
            # by then, is due on the N-th working day after the convening (N: the review's
            # clock, else the county's), late from the next working day.
            if convened > judged or any(d <= judged for d in self.concluded.get(review, [])):
                continue
            for department in departments:
                if any(d <= judged for d in self.opinions.get((review, department), [])):
                    continue
                due = self.nth_working_day_after(convened, own or OPINION_WORKING_DAYS, judged)
                late = self.working_days_late(due, judged)
                if late >= 1:
                    flags.append(Flag(self.id, "opinion", f"{review}:{department}",
                                      "opinion_overdue", due, late, chief))
        for problem in self.problems.values():
            if not problem.open_on(judged):
                continue
            owner = self.problem_owner(problem, judged)
            raised = problem.raised_on
            if problem.same_day:
                # Due the day it was raised; its first resolution ends that clock.
                if problem.first_resolution(judged) is None:
                    due = self.due_by_rule_2(raised, judged)
                    late = self.working_days_late(due, judged)
                    if late >= 1:
                        flags.append(Flag(self.id, "problem", problem.id, RULE_SAME_DAY, due,
                                          late, owner))
            elif not any(d <= judged for d in problem.plans):
                # A solution plan within 2 working days of its raising.
                due = self.nth_working_day_after(raised, PLAN_WITHIN_WORKING_DAYS, judged)
                late = self.working_days_late(due, judged)
                if late >= 1:
                    flags.append(Flag(self.id, "problem", problem.id, RULE_PLAN, due, late,
                                      owner))
            # Open more than 10 working days: old, followed up every 5 working days counted
            # from the day it became old or its latest follow-up or reopening after that.
            if self.working_days(raised, judged) > OLD_AFTER_WORKING_DAYS:
                became_old = self.nth_working_day_after(raised, OLD_AFTER_WORKING_DAYS + 1,
                                                        judged)
                anchor = max([became_old]
                             + [d for d in problem.follow_ups if became_old <= d <= judged]
                             + [d for d in problem.reopenings() if became_old <= d <= judged])
                due = self.nth_working_day_after(anchor, FOLLOW_UP_EVERY_WORKING_DAYS, judged)
                late = self.working_days_late(due, judged)
                if late >= 1:
                    flags.append(Flag(self.id, "problem", problem.id, RULE_FOLLOW_UP, due,
                                      late, owner))
        return flags


# ---- helpers of the report ---------------------------------------------------------------

def rate(numerator: int, denominator: int) -> float:
    """"Rates are fractions to four places, 0 when there is nothing to measure." """
    return round(numerator / denominator, 4) if denominator else 0.0


def median(values: list[int]) -> float | None:
    """READING: the README does not say what the median of nothing is; None here."""
    return statistics.median(values) if values else None


def pinyin_key(name: str) -> tuple:
    """Pinyin order: syllable by syllable (Latin letters and digits as they are, case
    folded), then the characters themselves."""
    return (tuple(s.lower() for s in lazy_pinyin(name or "")), name or "")


def ranked(entries: list[dict], numerator: str, denominator: str) -> list[dict]:
    """Rank by rate, highest first; equal rates share a rank (1, 1, 3) and are listed by name
    in pinyin order."""
    for entry in entries:
        entry["_exact"] = (Fraction(entry[numerator], entry[denominator])
                           if entry[denominator] else Fraction(0))
        entry["rate"] = rate(entry[numerator], entry[denominator])
    entries.sort(key=lambda e: (-e["_exact"], pinyin_key(e["name"])))
    previous, rank = None, 0
    for position, entry in enumerate(entries, 1):
        if entry["_exact"] != previous:
            rank, previous = position, entry["_exact"]
        entry["rank"] = rank
        del entry["_exact"]
    return entries


def rows(items) -> list[tuple]:
    """Rows in a canonical order (None may sit beside strings and numbers)."""
    return sorted(items, key=lambda row: tuple((v is None, str(v)) for v in row))


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ---- the county -----------------------------------------------------------------------------

class County:
    """Every project's facts, built once; `report` recomputes any period's report."""

    def __init__(self, histories: list[dict[str, Any]], today: date,
                 phases: dict[str, str] | None = None):
        """`histories`: what GET /api/projects/<id>/events answers, one per project;
        `phases`: the phase of each milestone (the README names the phases of the lifecycle
        but not which milestone opens which; see `projects_by_phase_and_status`)."""
        self.today = today
        self.phases = phases
        first = min(parse_date(e["occurred_on"]) for h in histories for e in h["events"])
        base = min(first, min((parse_date(c["data"]["changes"]["occurred_on"])
                               for h in histories for c in h["events"]
                               if c["type"] == "corrected"
                               and "occurred_on" in (c["data"].get("changes") or {})),
                              default=first)) - timedelta(days=1)
        self.projects = [Project(str(h["project_id"]), h["events"], base, today)
                         for h in histories]

    @property
    def earliest_signing(self) -> date:
        return min(p.signed_on for p in self.projects)

    def period(self, cadence: str, period_id: str) -> Period:
        return period_by_id(cadence, period_id)

    # -- figures over any days, judged on a day --

    def signed_in(self, start: date, end: date) -> list[Project]:
        return [p for p in self.projects if start <= p.signed_on <= end]

    def reached_in(self, start: date, end: date):
        for p in self.projects:
            for milestone in LIFECYCLE:
                for _, d in p.reaches[milestone]:
                    if start <= d <= end:
                        yield p, milestone, d

    def granted_in(self, start: date, end: date):
        for p in self.projects:
            for approval in p.approvals.values():
                for _, d, data in approval.granted:
                    if start <= d <= end:
                        yield p, approval, d, data

    def raised_in(self, start: date, end: date):
        for p in self.projects:
            for problem in p.problems.values():
                if start <= problem.raised_on <= end:
                    yield p, problem

    def solved_in(self, start: date, end: date, judged: date):
        """Solved on `judged` by a resolution dated in [start, end] (one solved and reopened
        since is open, not solved), with the working days from raising to resolution."""
        for p in self.projects:
            for problem in p.problems.values():
                if problem.raised_on > judged:
                    continue
                resolved = problem.resolution_in_force(judged)
                if resolved is not None and start <= resolved <= end:
                    yield p, problem, resolved, p.working_days(problem.raised_on, resolved)

    def investment_completed(self, start: date, end: date) -> int:
        """Per project signed by `end`: the cumulative figure reported by `end` less that
        reported by the day before `start`."""
        return sum(p.cumulative(end) - p.cumulative(start - ONE_DAY)
                   for p in self.projects if p.signed_on <= end)

    def headline(self, start: date, end: date, judged: date) -> dict[str, int]:
        """The roll-up's headline figures over [start, end], judged on `judged`.

        README, roll_up: "Each span's figures are counted as that span's own report would count
        them (problems solved: solved on the span's last day by a resolution dated in it)":
        `judged` is the span's last day."""
        return {
            "signed": len(self.signed_in(start, end)),
            "milestones_reached": sum(1 for _ in self.reached_in(start, end)),
            "approvals_granted": sum(1 for _ in self.granted_in(start, end)),
            "problems_raised": sum(1 for _ in self.raised_in(start, end)),
            "problems_solved": sum(1 for _ in self.solved_in(start, end, judged)),
            "investment_completed": self.investment_completed(start, end),
        }

    # -- the report --

    def report(self, cadence: str, period_id: str) -> dict[str, Any]:
        period = self.period(cadence, period_id)
        if period.start > self.today:
            return {"future_period": True}
        start, end = period.start, period.end
        j = min(end, self.today)  # as_of: the last day of a past period, today for the running
        projects = [p for p in self.projects if p.signed_on <= j]
        report: dict[str, Any] = {"period": {
            "cadence": cadence, "id": period.id, "start": iso(start), "end": iso(end),
            "as_of": iso(j)}}

        # projects_by_phase_and_status
        if self.phases is not None:
            by_phase = {phase: {"active": 0, "suspended": 0, "terminated": 0, "total": 0}
                        for phase in PHASE_ORDER}
            totals = {"active": 0, "suspended": 0, "terminated": 0, "total": 0}
            for p in projects:
                cell = by_phase[p.phase_on(j, self.phases)]
                status = p.status_on(j)
                for bucket in (cell, totals):
                    bucket[status] += 1
                    bucket["total"] += 1
            report["projects_by_phase_and_status"] = {"by_phase": by_phase, "totals": totals}

        # signed
        signed = self.signed_in(start, j)
        report["signed"] = {
            "count": len(signed),
            "total_investment": sum(p.investment for p in signed),
            "rows": rows((p.id, iso(p.signed_on), p.investment) for p in signed),
            # README, order: a list of what happened is in date order, names in pinyin order
            # on the same date.
            "order": [p.name for p in sorted(signed,
                                             key=lambda p: (p.signed_on, pinyin_key(p.name)))],
        }

        # milestones_reached (rule 8: the plan in force that day, due by rule 2, on time when
        # not late on the day reached; one reached without a plan is neither)
        reached_rows, agents = [], {}
        for p, milestone, reached in self.reached_in(start, j):
            planned = p.plan_in_force(milestone, reached)
            # READING: the due date of "the plan in force that day" is the one known that day
            # (rule 8 judges the milestone on the day it was reached). Judged on as_of instead,
            # a plan date after as_of of a project suspended on as_of would have no due date.
            due = p.due_by_rule_2(planned, reached) if planned else None
            on_time = (p.working_days_late(due, reached) == 0) if planned else None
            chief = p.chief_on(reached)
            reached_rows.append((p.id, milestone, iso(reached), iso(planned), iso(due), on_time,
                                 chief))
            agent = agents.setdefault(chief, {"name": chief, "on_time": 0, "with_plan": 0,
                                              "reached": 0})
            agent["reached"] += 1
            if planned:
                agent["with_plan"] += 1
                agent["on_time"] += bool(on_time)
        with_plan = sum(1 for r in reached_rows if r[3] is not None)
        on_time = sum(1 for r in reached_rows if r[5])
        report["milestones_reached"] = {
            "count": len(reached_rows), "with_plan": with_plan, "on_time": on_time,
            "on_time_rate": rate(on_time, with_plan), "rows": rows(reached_rows)}

        # red flags on as_of: active projects only (rules 4 and 5)
        flags = [f for p in projects if p.status_on(j) == "active" for f in p.flags(j)]
        report["milestones_overdue"] = {
            "count": sum(1 for f in flags if f.kind == "milestone"),
            "rows": rows((f.project_id, f.id, iso(f.due_on), f.working_days_late, f.owner)
                         for f in flags if f.kind == "milestone")}

        # approvals_granted
        approval_rows, departments, days = [], {}, []
        for p, approval, granted, _data in self.granted_in(start, j):
            application = approval.application_before(granted)
            applied = application[1] if application else None
            department = application[2].get("department") if application else None
            # "the working days after it was applied for up to its grant": (applied, granted].
            # READING: rule 4 ("Working days while it is suspended do not count towards any
            # clock") makes these the days the project was active, as for problems.
            working = p.working_days(applied, granted) if applied else None
            industrial = bool(p.park)
            within = (working <= APPROVAL_TARGET_WORKING_DAYS) if industrial else None
            approval_rows.append((p.id, approval.id, iso(applied), iso(granted), industrial,
                                  working, within))
            days.append(working)
            if industrial:
                unit = departments.setdefault(department, {"name": department, "with_target": 0,
                                                           "within_target": 0})
                unit["with_target"] += 1
                unit["within_target"] += bool(within)
        with_target = sum(1 for r in approval_rows if r[4])
        within_target = sum(1 for r in approval_rows if r[6])
        report["approvals_granted"] = {
            "count": len(approval_rows), "with_target": with_target,
            "within_target": within_target,
            # READING: the median of every approval granted in the period (not only the
            # industrial ones: the target is for industrial projects, the median is not said
            # to be).
            "median_working_days": median(days),
            "share_within_target": rate(within_target, with_target),
            "rows": rows(approval_rows)}

        # commitments
        due_rows, closed_rows = [], []
        for p in projects:
            terminated = p.termination_on(j)
            for approval, _grant, promised in p.commitments(j):
                due = p.due_by_rule_2(promised, j)
                fulfilled = p.fulfilled_on(approval, j)
                # READING: "falls in the period" is the period's days, start to end, also
                # those after as_of in the running period.
                if due is not None and start <= due <= end:
                    due_rows.append((p.id, approval.id, iso(promised), iso(due), iso(fulfilled)))
                if (terminated is not None and start <= terminated <= j
                        and _granted_by(approval, terminated)
                        and p.fulfilled_on(approval, terminated) is None):
                    closed_rows.append((p.id, approval.id))
        report["commitments"] = {
            "due_count": len(due_rows), "due": rows(due_rows),
            "due_fulfilled": sum(1 for r in due_rows if r[4] is not None),
            "overdue_count": sum(1 for f in flags if f.kind == "commitment"),
            "overdue": rows((f.project_id, f.id, iso(f.due_on), f.working_days_late, f.owner)
                            for f in flags if f.kind == "commitment"),
            "closed_by_termination_count": len(closed_rows),
            "closed_by_termination": rows(closed_rows)}

        # problems
        raised = rows((p.id, pb.id, iso(pb.raised_on), pb.unit)
                      for p, pb in self.raised_in(start, j))
        solved = rows((p.id, pb.id, iso(pb.raised_on), iso(resolved), wd, pb.unit)
                      for p, pb, resolved, wd in self.solved_in(start, j, j))
        open_rows, closed, to_solve = [], [], []
        for p in projects:
            for pb in p.problems.values():
                if pb.raised_on > j:
                    continue
                closed_on = p.closed_by_termination(pb, j)
                if closed_on is None and pb.open_on(j):
                    open_rows.append((p.id, pb.id, iso(pb.raised_on),
                                      p.working_days(pb.raised_on, j),
                                      p.problem_owner(pb, j), pb.unit))
                if closed_on is not None and start <= closed_on <= j:
                    closed.append((p.id, pb.id))
                before = start - ONE_DAY
                if closed_on is None and (
                        pb.open_on(before) or start <= pb.raised_on <= j
                        or any(start <= d <= j for d in pb.reopenings())):
                    to_solve.append((p.id, pb.id, pb.unit))
        units: dict[str, dict] = {}

        def unit(name):
            return units.setdefault(name, {"name": name, "raised": 0, "solved": 0, "open": 0,
                                           "to_solve": 0})
        for row in raised:
            unit(row[3])["raised"] += 1
        for row in solved:
            unit(row[5])["solved"] += 1
        for row in open_rows:
            unit(row[5])["open"] += 1
        for row in to_solve:
            unit(row[2])["to_solve"] += 1
        units.pop(None, None)
        by_unit = [dict(u, solution_rate=rate(u["solved"], u["to_solve"]))
                   for u in sorted(units.values(), key=lambda u: pinyin_key(u["name"]))]
        report["problems"] = {
            "raised_count": len(raised), "raised": raised,
            "solved_count": len(solved), "solved": solved,
            "open_count": len(open_rows), "open": rows(open_rows),
            "closed_by_termination_count": len(closed), "closed_by_termination": rows(closed),
            "to_solve_count": len(to_solve),
            "solution_rate": rate(len(solved), len(to_solve)),
            "median_working_days_to_solve": median([r[4] for r in solved]),
            "by_unit": [(u["name"], u["raised"], u["solved"], u["open"], u["to_solve"],
                         u["solution_rate"]) for u in by_unit]}

        # suspensions: suspended on as_of, since when, why, what it was already late on when
        # suspended (READING: judged on the day before the suspension's date, the last day it
        # was active; its days counted up to then)
        suspended = {}
        for p in projects:
            if p.status_on(j) != "suspended":
                continue
            _, since, _, data = p.status_event(j)
            before = since - ONE_DAY
            late = (p.flags(before) if p.status_on(before) == "active" else [])
            suspended[p.id] = {
                "since": iso(since), "reason": data.get("reason"), "chief_agent": p.chief_on(j),
                "late": rows((f.kind, f.id, f.rule, iso(f.due_on), f.working_days_late,
                              f.owner) for f in late)}
        report["suspensions"] = {
            "count": len(suspended), "projects": suspended,
            "order": [p.name for p in sorted((p for p in projects if p.id in suspended),
                                             key=lambda p: pinyin_key(p.name))]}

        # escalations_and_instructions
        escalations = rows((p.id, data.get("problem_id"), iso(d), data.get("escalated_to"),
                            data.get("leader"))
                           for p in projects for _, d, data in p.escalations if start <= d <= j)
        instructions = rows((p.id, iso(d), data.get("leader"), data.get("problem_id"))
                            for p in projects for _, d, data in p.instructions
                            if start <= d <= j)
        report["escalations_and_instructions"] = {
            "escalation_count": len(escalations), "escalations": escalations,
            "instruction_count": len(instructions), "instructions": instructions}

        # investment
        investment_rows = []
        for p in self.projects:
            if p.signed_on > min(end, j):
                continue
            cumulative = p.cumulative(j)
            investment_rows.append((p.id, cumulative - p.cumulative(start - ONE_DAY),
                                    cumulative, p.investment, rate(cumulative, p.investment)))
        completed = sum(r[1] for r in investment_rows)
        cumulative = sum(r[2] for r in investment_rows)
        planned = sum(r[3] for r in investment_rows)
        names = {p.id: p.name for p in self.projects}
        report["investment"] = {
            "completed": completed, "cumulative": cumulative, "planned": planned,
            "ratio_to_plan": rate(cumulative, planned), "rows": rows(investment_rows),
            "order": sorted((names[r[0]] for r in investment_rows), key=pinyin_key)}

        # red_flags
        owners: dict[str, int] = {}
        for f in flags:
            owners[f.owner] = owners.get(f.owner, 0) + 1
        report["red_flags"] = {
            "count": len(flags),
            "flags": rows((f.project_id, f.kind, f.id, f.rule, iso(f.due_on),
                           f.working_days_late, f.owner) for f in flags),
            "by_owner": owners}

        # rankings. READING: ranked are those with something to measure (agents with a
        # milestone reached with a plan, departments with an industrial approval granted,
        # units with a problem to solve).
        def table(entries, numerator, denominator):
            return [(e["rank"], e["name"], e[numerator], e[denominator], e["rate"])
                    for e in ranked([e for e in entries if e[denominator]], numerator,
                                    denominator)]
        report["rankings"] = {
            "agents": table(list(agents.values()), "on_time", "with_plan"),
            "units_by_approvals": table(list(departments.values()), "within_target",
                                        "with_target"),
            "units_by_problems": table([dict(u) for u in units.values()], "solved",
                                       "to_solve")}

        # roll_up
        figures = self.headline(start, j, j)  # the period's own span ends on as_of
        into = []
        for enclosing in enclosing_periods(period, j):
            days_start, days_end = max(start, enclosing.start), min(end, enclosing.end, j)
            contribution = self.headline(days_start, days_end, days_end)
            to_date = self.headline(enclosing.start, days_end, days_end)
            into.append({
                "enclosing": enclosing.id, "enclosing_cadence": enclosing.cadence,
                "days": (iso(days_start), iso(days_end)),
                "to_date": (iso(enclosing.start), iso(days_end)),
                "contribution": contribution, "enclosing_to_date": to_date,
                "share": {k: rate(contribution[k], to_date[k]) for k in contribution}})
        report["roll_up"] = {"period": figures, "into": into}
        return report


def _granted_by(approval: Approval, day: date) -> bool:
    return any(d <= day for _, d, _ in approval.granted)


def recompute(histories: list[dict[str, Any]], cadence: str, period_id: str, today: date,
              phases: dict[str, str] | None = None) -> dict[str, Any]:
    """One period's report, from the histories alone (builds a County: use County directly for
    many periods)."""
    return County(histories, today, phases).report(cadence, period_id)

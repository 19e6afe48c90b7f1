"""A project's corrected history, read as of any business date: the facts the rules judge.

`History` holds a project's standing facts (amended values applied, void events and the
corrections themselves left out) of the types the rules and the reports read, and answers what
stood on a given day: only facts dated on or before it count. Facts stay in version order: the
rules held in that order, so where a later event replaces an earlier one (a status, the team, a
plan) the later version is the one in force.

It states facts, not judgements: what is due, late or open is decided in domain.obligations.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from hashlib import blake2b
from typing import TYPE_CHECKING, Any, TypeVar

from domain.fields import as_condition
from domain.lifecycle import MILESTONE_ORDER, PARK_REVIEW, PHASE_ORDER, PHASES, phase_of
from domain.project import FactsOf, Project

if TYPE_CHECKING:
    from domain.calendar import WorkingCalendar

_T = TypeVar("_T")

# The event types a History keeps. Visits, ratings and the rest never count in a rule or a
# report, so a history holds a fraction of a long-lived project's facts.
READ_TYPES = frozenset({
    "signed", "team_assigned", "suspended", "resumed", "terminated", "milestone_planned",
    "milestone_reached", "approval_applied", "approval_granted", "approval_rejected",
    "commitment_fulfilled",
    "problem_raised", "problem_plan_proposed", "problem_escalated", "problem_followed_up",
    "problem_resolved", "problem_reopened", "instruction_given", "progress_reported",
    "park_review_convened", "park_review_opinion_given", "park_review_concluded",
    "park_review_condition_met",
})
STATUS_TYPES = ("signed", "suspended", "resumed", "terminated")
PROBLEM_TYPES = ("problem_raised", "problem_plan_proposed", "problem_escalated",
                 "problem_followed_up", "problem_resolved", "problem_reopened")
COMMITMENT_TYPES = ("approval_applied", "approval_granted", "approval_rejected",
                    "commitment_fulfilled")


class History:
    """One project's corrected history, read as of any business date: of the project, or of
    its facts as a view keeps them (domain.project.FactsOf, the same facts)."""

    def __init__(self, project: Project | FactsOf) -> None:
        self.project = project
        self.facts = []
        for fact in project.standing_facts(READ_TYPES):
            self.facts.append(fact)
            if fact["type"] == "park_review_concluded" and fact["data"]["passed"]:
                # A passing conclusion is the milestone (the aggregate folds it so too).
                self.facts.append(fact | {"type": "milestone_reached",
                                          "data": {"milestone": PARK_REVIEW, "note": None}})
        self._by_type: dict[str, list[dict[str, Any]]] = {kind: [] for kind in READ_TYPES}
        for fact in self.facts:
            self._by_type[fact["type"]].append(fact)
        self._merged: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        self._judged: dict[tuple[Any, ...], tuple[Any, frozenset[int]]] = {}
        self._bases: tuple[list[date], list[str]] | None = None
        signing = project.fact(1)  # a signing can be amended, never voided
        self.signed_on: date = signing["occurred_on"]
        data = signing["data"]
        self.name, self.investor = data["name"], data["investor"]
        self.investment, self.park = data["investment"], data["park"]

    @property
    def id(self) -> Any:
        return self.project.id

    def ref(self) -> dict[str, Any]:
        """The project's id and name, the head of every row about it."""
        return {"project_id": self.project.id, "project": self.name}

    def judged(self, what: str, args: tuple[Any, ...], calendar: WorkingCalendar,
               judge: Callable[[WorkingCalendar], _T]) -> _T:
        """What `judge(calendar)` finds of this history (`what` of `args`: a rule's name and
        the days it is asked of), worked out once per history and calendar and remembered.

        A history's facts never change, and a judgement is a pure function of them, the days
        and the calendar's counts: a project's parts of every report judged on one day (each
        cadence's, each roll-up span's) ask the same questions, and are answered once. The
        unknown years the counts touched are added to `calendar`'s as if it had counted them
        again, so a report says the same whether or not the answer was remembered. What is
        returned is shared: callers must not change it."""
        key = (what, args, calendar.counts_alike())
        found = self._judged.get(key)
        if found is None:
            watching = calendar.watch()
            result = judge(watching)
            found = self._judged[key] = (result, frozenset(watching.touched or ()))
        if calendar.touched is not None:
            calendar.touched |= found[1]
        return found[0]

    def basis(self, day: date) -> str:
        """A digest of what the rules can read of the project on day: its facts dated on or
        before it (rule 3: nothing dated after a day counts on it), and its signing, which
        names it in every row. Whatever is judged of the project on day (a report's part of a
        period judged on it) is the same for two histories of the same basis on that day, so
        what was judged before facts dated later were recorded (or before a visit, which no
        rule reads) still stands. A correction changes the basis from the corrected fact's
        date (old or new) and a fact recorded after the fact from its date.

        A fact is named by its version and the versions of the corrections that amended it
        (`corrected_by`): events never change, so those say all it holds, and naming them
        costs a fraction of reading what they hold."""
        if self._bases is None:
            digest = blake2b(_named(self.project.fact(1)), digest_size=16)
            dates: list[date] = []
            bases = [digest.hexdigest()]
            for fact in sorted(self.facts, key=lambda f: (f["occurred_on"], f["version"],
                                                           f["type"])):
                if not dates or dates[-1] != fact["occurred_on"]:
                    if dates:
                        bases.append(digest.hexdigest())
                    dates.append(fact["occurred_on"])
                digest.update(_named(fact))
            bases.append(digest.hexdigest())
            # bases[n]: of the facts dated before dates[n] (the last: of every fact)
            self._bases = dates, bases
        dates, bases = self._bases
        return bases[bisect_right(dates, day)]

    def upto(self, day: date, *types: str) -> list[dict[str, Any]]:
        """Facts of these types dated on or before day, in version order."""
        return [f for f in self._of(types) if f["occurred_on"] <= day]

    def within(self, start: date, end: date, *types: str) -> list[dict[str, Any]]:
        """Facts of these types dated from start to end, in version order."""
        return [f for f in self._of(types) if start <= f["occurred_on"] <= end]

    def has(self, kind: str) -> bool:
        """Whether any fact of this type stands (of any date)."""
        return bool(self._by_type[kind])

    def _of(self, types: tuple[str, ...]) -> list[dict[str, Any]]:
        """The facts of these types in version order (each combination merged once)."""
        if len(types) == 1 and types[0] in self._by_type:
            return self._by_type[types[0]]
        try:
            return self._merged[types]
        except KeyError:
            pass
        if not READ_TYPES.issuperset(types):
            raise ValueError(f"a History keeps no {sorted(set(types) - READ_TYPES)} facts: "
                             "add them to READ_TYPES")
        wanted = set(types)
        merged = self._merged[types] = [f for f in self.facts if f["type"] in wanted]
        return merged

    def signed_by(self, day: date) -> bool:
        """Whether the project was signed on or before day."""
        return self.signed_on <= day

    def chief_on(self, day: date) -> str:
        """The chief agent in force on day (on its signing day before it was signed)."""
        team = self.upto(max(day, self.signed_on), "signed", "team_assigned")
        return team[-1]["data"]["chief_agent"]

    def status_on(self, day: date) -> str:
        """unsigned, active, suspended or terminated, as the latest change dated by day left it."""
        if not self.signed_by(day):
            return "unsigned"
        kind = self.upto(day, *STATUS_TYPES)[-1]["type"]
        return "active" if kind in ("signed", "resumed") else kind

    def status_change_on(self, day: date) -> dict[str, Any]:
        """The fact that set the status in force on day (the signing, a suspension, ...)."""
        return self.upto(day, *STATUS_TYPES)[-1]

    def pauses_on(self, day: date) -> list[tuple[date, date | None]]:
        """The [suspended on, resumed on) spans recorded by day; None: not resumed by day."""
        pauses: list[tuple[date, date | None]] = []
        for fact in self.upto(day, "suspended", "resumed"):
            if fact["type"] == "suspended":
                pauses.append((fact["occurred_on"], None))
            elif pauses and pauses[-1][1] is None:
                pauses[-1] = (pauses[-1][0], fact["occurred_on"])
        return pauses

    def terminated_on(self, day: date) -> date | None:
        """The date of the termination in force on day, if the project is terminated then."""
        if self.status_on(day) != "terminated":
            return None
        return self.status_change_on(day)["occurred_on"]

    def reached_by(self, day: date) -> dict[str, date]:
        """The date each milestone reached by day was reached on."""
        reached: dict[str, date] = {}
        for fact in self.upto(day, "milestone_reached"):
            reached.setdefault(fact["data"]["milestone"], fact["occurred_on"])
        return reached

    def reached_version(self, code: str) -> int | None:
        """The version of the event that reached a milestone, if any."""
        found = [f["version"] for f in self._by_type["milestone_reached"]
                 if f["data"]["milestone"] == code]
        return found[0] if found else None

    def phase_on(self, day: date) -> str:
        """The latest phase of a milestone reached by day (a phase never goes back)."""
        reached = self.reached_by(day)
        return PHASES[max((PHASE_ORDER[phase_of(code)] for code in reached), default=0)]

    def plans_on(self, day: date) -> dict[str, dict[str, Any]]:
        """The plan in force on day of each planned milestone: planned_on, the date it
        replaced (previous), and the version of the plan, in lifecycle order."""
        plans: dict[str, dict[str, Any]] = {}
        for fact in self.upto(day, "milestone_planned"):
            code = fact["data"]["milestone"]
            previous = plans.get(code)
            plans[code] = {"planned_on": fact["data"]["planned_on"], "version": fact["version"],
                           "previous": previous["planned_on"] if previous else None}
        return dict(sorted(plans.items(), key=lambda item: MILESTONE_ORDER[item[0]]))

    def approvals_by(self, day: date) -> dict[str, dict[str, Any]]:
        """Each approval applied for by day, with its grant (or refusal) and commitment as of
        day."""
        approvals: dict[str, dict[str, Any]] = {}
        for fact in self.upto(day, *COMMITMENT_TYPES):
            d, on = fact["data"], fact["occurred_on"]
            if fact["type"] == "approval_applied":
                approvals[d["approval_id"]] = {
                    "approval_id": d["approval_id"], "item": d["item"],
                    "department": d["department"], "applied_on": on,
                    "applied_version": fact["version"], "granted_on": None,
                    "granted_version": None, "rejected_on": None, "missing_documents": [],
                    "promised_on": None, "fulfilled_on": None,
                }
            elif d["approval_id"] in approvals:
                approval = approvals[d["approval_id"]]
                if fact["type"] == "approval_granted":
                    approval.update(granted_on=on, granted_version=fact["version"],
                                    missing_documents=list(d["missing_documents"]),
                                    promised_on=d["commitment_due_on"])
                elif fact["type"] == "approval_rejected":
                    approval["rejected_on"] = on
                else:
                    approval["fulfilled_on"] = on
        return approvals

    def problem_logs_on(self, day: date) -> dict[str, list[dict[str, Any]]]:
        """Each problem raised by day: its facts dated by day, in version order, the raising
        first."""
        logs: dict[str, list[dict[str, Any]]] = {}
        for fact in self.upto(day, *PROBLEM_TYPES):
            problem_id = fact["data"]["problem_id"]
            if fact["type"] == "problem_raised":
                logs[problem_id] = [fact]
            elif problem_id in logs:
                logs[problem_id].append(fact)
        return logs

    def park_reviews_on(self, day: date) -> list[dict[str, Any]]:
        """Each park-entry joint review convened by day: its convening, the latest opinion of
        each department by day, and its conclusion if concluded by day."""
        reviews: dict[str, dict[str, Any]] = {}
        for fact in self.upto(day, "park_review_convened", "park_review_opinion_given",
                              "park_review_concluded"):
            d = fact["data"]
            if fact["type"] == "park_review_convened":
                reviews[d["review_id"]] = {"convened": fact, "opinions": {}, "concluded": None}
            elif d["review_id"] not in reviews:
                continue
            elif fact["type"] == "park_review_opinion_given":
                reviews[d["review_id"]]["opinions"][d["department"]] = fact
            else:
                reviews[d["review_id"]]["concluded"] = fact
        return list(reviews.values())

    def park_conditions_on(self, day: date) -> list[dict[str, Any]]:
        """Each condition carried by a passing park-entry review concluded by day: whose it is,
        when due (None: no date), since when it was carried, and whether met by day."""
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for fact in self.upto(day, "park_review_concluded", "park_review_condition_met"):
            d = fact["data"]
            if fact["type"] == "park_review_concluded" and d["passed"]:
                for n, raw in enumerate(d["conditions"], start=1):
                    condition = as_condition(raw)
                    due = condition["due_on"]
                    found[(d["review_id"], n)] = condition | {
                        "review_id": d["review_id"], "number": n,
                        "due_on": date.fromisoformat(due) if due else None,
                        "concluded_on": fact["occurred_on"], "version": fact["version"],
                        "met_on": None}
            elif (d.get("review_id"), d.get("condition")) in found:
                found[(d["review_id"], d["condition"])]["met_on"] = fact["occurred_on"]
        return list(found.values())

    def cumulative_on(self, day: date) -> int:
        """Investment completed by day (reports are cumulative by business date: the rules
        keep each one between those dated before and after it)."""
        return max((f["data"]["investment_completed"]
                    for f in self.upto(day, "progress_reported")), default=0)


def _named(fact: dict[str, Any]) -> bytes:
    """A fact's name for `History.basis`: its version, its type (a passing review's conclusion
    is its milestone too) and the corrections that amended it."""
    return f"{fact['version']}:{fact['type']}:{fact['corrected_by']};".encode()


def judged_once(kept: Callable[[Any], Any] | None = None,
                handed: Callable[[Any], Any] | None = None
                ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A rule `rule(history, *days, calendar)` worked out once per history, days asked and
    calendar (History.judged), under the rule's name: what it finds is remembered as
    `kept(found)` (say a tuple of a list, which no caller can change), and each caller is
    handed `handed(remembered)` (say a list or dict of its own). Without them it is the very
    object found, shared: callers must not change it."""
    def decorate(rule: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(rule)
        def judged(history: History, *asked: Any) -> Any:
            *days, calendar = asked
            found = history.judged(rule.__name__, tuple(days), calendar, lambda counted: (
                rule(history, *days, counted) if kept is None
                else kept(rule(history, *days, counted))))
            return found if handed is None else handed(found)
        return judged
    return decorate

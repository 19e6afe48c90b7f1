"""The Project aggregate: one investment project from signing to operation.

Every event carries the actor who recorded it and the business date it happened
(`occurred_on`); the library adds the recorded time (`timestamp`). The aggregate keeps the
list of recorded facts so that a correction (a later event naming an earlier one) can amend
or void it: the state is then folded again from the corrected facts, and the correction is
refused if the corrected history would break a rule.

Event classes are stored schema: their names and fields stay; change them with
`class_version` and an upcaster.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, InvalidValue
from domain.fields import (
    EVENT_TYPES,
    NOT_AMENDABLE,
    TYPE_OF_CLASS,
    coerce,
    coerce_all,
    fields_of,
)
from domain.lifecycle import PHASE_ORDER, phase_of


def new_item_id(prefix: str) -> str:
    """A short random id for an approval or a problem."""
    return f"{prefix}-{secrets.token_hex(4)}"


class Project(Aggregate):
    """An investment project and everything recorded about it."""

    class Event(Aggregate.Event):
        actor: str
        occurred_on: date

        def apply(self, aggregate: Project) -> None:
            aggregate._record_fact(self)

    class Signed(Event, Aggregate.Created):
        name: str
        investor: str
        industry: str
        investment: int
        park: str | None
        chief_agent: str
        co_agents: list[str]
        leader: str | None

    class TeamAssigned(Event):
        chief_agent: str
        co_agents: list[str]
        leader: str | None
        reason: str | None

    class MilestonePlanned(Event):
        milestone: str
        planned_on: date
        reason: str | None

    class MilestoneReached(Event):
        milestone: str
        note: str | None

    class ApprovalApplied(Event):
        approval_id: str
        item: str
        department: str
        note: str | None

    class ApprovalGranted(Event):
        approval_id: str
        missing_documents: list[str]
        commitment_due_on: date | None
        note: str | None

    class ApprovalRejected(Event):
        approval_id: str
        reason: str

    class CommitmentFulfilled(Event):
        approval_id: str
        note: str | None

    class ProblemRaised(Event):
        problem_id: str
        title: str
        description: str | None
        same_day: bool
        responsible_unit: str | None

    class ProblemPlanProposed(Event):
        problem_id: str
        plan: str
        due_on: date | None

    class ProblemEscalated(Event):
        problem_id: str
        escalated_to: str
        leader: str | None
        note: str | None

    class ProblemFollowedUp(Event):
        problem_id: str
        note: str

    class ProblemResolved(Event):
        problem_id: str
        resolution: str

    class ProblemReopened(Event):
        problem_id: str
        reason: str

    class ProgressReported(Event):
        investment_completed: int
        note: str | None

    class VisitLogged(Event):
        purpose: str
        met_with: str | None
        note: str | None

    class InstructionGiven(Event):
        # v2 names the leader who gave the instruction (v1: the recorder was the leader).
        class_version = 2
        instruction: str
        problem_id: str | None
        leader: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["leader"] = None

    class ServiceRated(Event):
        rating: int
        agent: str | None
        comment: str | None

    class Suspended(Event):
        reason: str

    class Resumed(Event):
        note: str | None

    class Terminated(Event):
        reason: str

    class Corrected(Event):
        # v2 says what it corrected; v1 corrections leave it to the reader (None, {}).
        class_version = 2
        corrects_version: int
        action: str
        reason: str
        changes: dict[str, Any]
        # Filled by the server, so that readers of the log need not look back:
        corrected_type: str | None
        previous: dict[str, Any]  # the corrected values before (all of them for a void)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["corrected_type"] = None
            state["previous"] = {}

    def __init__(self) -> None:
        # One compact record per event, in version order: what a correction needs to refold.
        self.facts: list[list[Any]] = []
        self._reset()

    # ---- commands -------------------------------------------------------------------

    @classmethod
    def sign(
        cls, *, actor: str, signed_on: date, today: date, id: UUID | None = None, **fields: Any
    ) -> Project:
        """Open a project at its signing; fields are those of SIGNING_FIELDS."""
        data = coerce_all("signed", fields)
        _check_date("signed_on", signed_on, today)
        if data["investment"] <= 0:
            raise InvalidValue("investment must be more than 0 yuan", field="investment")
        _check_team(data["chief_agent"], data["co_agents"])
        return cls._create(
            cls.Signed, id=id or uuid4(), actor=actor, occurred_on=signed_on, **data
        )

    def record(
        self, event_type: str, *, actor: str, occurred_on: date, today: date, **fields: Any
    ) -> dict[str, Any]:
        """Record one event of the given API type; return what the server filled in."""
        if event_type not in EVENT_TYPES:
            raise InvalidValue(f"unknown event type {event_type!r}", field="type")
        data = coerce_all(event_type, fields)
        _check_date("occurred_on", occurred_on, today)
        self._check_not_before_signing(occurred_on)
        made: dict[str, Any] = {}
        for key, prefix in (("approval_id", "AP"), ("problem_id", "PB")):
            if key in data and data[key] is None and event_type in _CREATES_ITEM:
                data[key] = made[key] = new_item_id(prefix)
        if event_type == "corrected":
            self._check_correction(data, today)
            data.update(_before_correction(self.fact(data["corrects_version"]), data))
        else:
            if event_type == "team_assigned" and data["leader"] is None:
                data["leader"] = self.leader  # the event carries the whole resulting team
            self._check(_fact(event_type, actor, occurred_on, data))
        event_class = getattr(self, EVENT_TYPES[event_type][0])
        self.trigger_event(event_class, actor=actor, occurred_on=occurred_on, **data)
        return made

    # ---- folding facts into state -----------------------------------------------------

    def _record_fact(self, event: Project.Event) -> None:
        """Apply a recorded event: append its fact and fold it (or refold after a correction)."""
        event_type = TYPE_OF_CLASS[type(event).__name__]
        data = {name: getattr(event, name) for name in fields_of(event_type)}
        fact = _fact(event_type, event.actor, event.occurred_on, data)
        fact["version"] = event.originator_version
        fact["recorded_at"] = event.timestamp
        self.facts.append(_compact(fact))
        if event_type == "corrected":
            _correct(self.facts, data, event.originator_version)
            self._reset_from(self.facts)
            self.last_event = _summary(fact)
        else:
            self._apply(fact, check=False)

    def _reset_from(self, records: list[list[Any]], *, check: bool = False) -> None:
        """Fold the state again from compact records, skipping voided events and corrections."""
        self._reset()
        for version, record in enumerate(records, start=1):
            if not record[_VOID] and record[_TYPE] != "corrected":
                self._apply(_expand(record, version), check=check)

    def _reset(self) -> None:
        self.name = self.investor = self.industry = ""
        self.investment = 0
        self.park: str | None = None
        self.signed_on: date | None = None
        self.chief_agent = ""
        self.co_agents: list[str] = []
        self.leader: str | None = None
        self.team_history: list[dict[str, Any]] = []
        self.phase = "signing"
        self.status = "active"
        self.status_reason: str | None = None
        self.plan: dict[str, dict[str, Any]] = {}
        self.plan_history: list[dict[str, Any]] = []
        self.reached: dict[str, dict[str, Any]] = {}
        self.approvals: dict[str, dict[str, Any]] = {}
        self.problems: dict[str, dict[str, Any]] = {}
        self.investment_completed = 0
        self.progress: list[dict[str, Any]] = []
        self.visit_count = 0
        self.last_visit: dict[str, Any] | None = None
        self.instructions: list[dict[str, Any]] = []
        self.ratings: list[dict[str, Any]] = []
        self.last_event: dict[str, Any] | None = None

    def _check(self, fact: dict[str, Any]) -> None:
        """Enforce the rules for one more fact on the current state; raise, change nothing."""
        if fact["type"] != "signed":
            self._check_common(fact)
        rule = getattr(self, "_check_" + fact["type"], None)
        if rule is not None:
            rule(fact, fact["data"])

    def _apply(self, fact: dict[str, Any], *, check: bool) -> None:
        """Fold one fact into the state, enforcing the rules first if asked."""
        if check:
            self._check(fact)
        getattr(self, "_on_" + fact["type"])(fact, fact["data"])
        self.last_event = _summary(fact)

    def _check_common(self, fact: dict[str, Any]) -> None:
        event_type, on = fact["type"], fact["occurred_on"]
        if self.status == "terminated":
            raise DomainError(
                "the project is terminated: nothing can be recorded but a correction",
                field="type", code="project_terminated",
            )
        if self.status == "suspended" and event_type != "resumed":
            raise DomainError(
                "the project is suspended: only its resumption can be recorded",
                field="type", code="project_suspended",
            )
        self._check_not_before_signing(on)

    def _check_not_before_signing(self, on: date) -> None:
        if self.signed_on and on < self.signed_on:
            raise DomainError(
                f"occurred_on {on} is before the signing on {self.signed_on}",
                field="occurred_on", code="before_signing",
            )

    def _on_signed(self, fact, d) -> None:
        self.name, self.investor, self.industry = d["name"], d["investor"], d["industry"]
        self.investment, self.park = d["investment"], d["park"]
        self.signed_on = fact["occurred_on"]
        self._set_team(fact, d["chief_agent"], d["co_agents"], d["leader"], None)

    def _check_team_assigned(self, fact, d) -> None:
        _check_team(d["chief_agent"], d["co_agents"])
        if (d["chief_agent"], set(d["co_agents"]), d["leader"]) == (
            self.chief_agent, set(self.co_agents), self.leader,
        ):
            raise DomainError("the team is unchanged", field="chief_agent", code="no_change")

    def _on_team_assigned(self, fact, d) -> None:
        # New events carry the whole team; in early ones an empty leader meant "unchanged".
        leader = d["leader"] if d["leader"] is not None else self.leader
        self._set_team(fact, d["chief_agent"], d["co_agents"], leader, d["reason"])

    def _set_team(self, fact, chief: str, co_agents: list[str], leader, reason) -> None:
        self.chief_agent, self.co_agents, self.leader = chief, list(co_agents), leader
        self.team_history.append({
            "version": fact["version"], "occurred_on": fact["occurred_on"],
            "actor": fact["actor"], "chief_agent": chief, "co_agents": list(co_agents),
            "leader": leader, "reason": reason,
        })

    def _check_milestone_planned(self, fact, d) -> None:
        code, planned_on = d["milestone"], d["planned_on"]
        previous = self.plan.get(code)
        if code in self.reached:
            raise DomainError(
                f"{code} was already reached on {self.reached[code]['reached_on']}",
                field="milestone", code="milestone_already_reached",
            )
        if PHASE_ORDER[phase_of(code)] < PHASE_ORDER[self.phase]:
            raise DomainError(
                f"{code} belongs to the {phase_of(code)} phase, which the project has passed",
                field="milestone", code="phase_passed",
            )
        if self.signed_on and planned_on < self.signed_on:
            raise DomainError(
                f"planned_on {planned_on} is before the signing on {self.signed_on}",
                field="planned_on", code="before_signing",
            )
        if previous and previous["planned_on"] == planned_on:
            raise DomainError(
                f"{code} is already planned for {planned_on}",
                field="planned_on", code="no_change",
            )
        if previous and not d["reason"]:
            raise DomainError(
                "reason is required when replanning a milestone",
                field="reason", code="reason_required",
            )

    def _on_milestone_planned(self, fact, d) -> None:
        code, planned_on = d["milestone"], d["planned_on"]
        previous = self.plan.get(code)
        self.plan[code] = {"planned_on": planned_on, "version": fact["version"]}
        self.plan_history.append({
            "milestone": code, "planned_on": planned_on,
            "previous": previous["planned_on"] if previous else None,
            "reason": d["reason"], "version": fact["version"],
            "occurred_on": fact["occurred_on"], "actor": fact["actor"],
        })

    def _check_milestone_reached(self, fact, d) -> None:
        code = d["milestone"]
        if code in self.reached:
            raise DomainError(
                f"{code} was already reached on {self.reached[code]['reached_on']}",
                field="milestone", code="milestone_already_reached",
            )
        if PHASE_ORDER[phase_of(code)] < PHASE_ORDER[self.phase]:
            raise DomainError(
                f"{code} belongs to the {phase_of(code)} phase; the project is already "
                f"in the {self.phase} phase and never goes back",
                field="milestone", code="phase_regression",
            )
        # A later phase cannot begin, by business date, before an earlier phase's milestone.
        earlier = [
            (reached["reached_on"], other) for other, reached in self.reached.items()
            if PHASE_ORDER[phase_of(other)] < PHASE_ORDER[phase_of(code)]
        ]
        if earlier and fact["occurred_on"] < max(earlier)[0]:
            on, other = max(earlier)
            raise DomainError(
                f"occurred_on {fact['occurred_on']} is before {other} on {on}, "
                f"a milestone of an earlier phase",
                field="occurred_on", code="date_order",
            )

    def _on_milestone_reached(self, fact, d) -> None:
        code = d["milestone"]
        self.reached[code] = {
            "reached_on": fact["occurred_on"], "version": fact["version"], "actor": fact["actor"],
        }
        if PHASE_ORDER[phase_of(code)] > PHASE_ORDER[self.phase]:
            self.phase = phase_of(code)

    def _approval(self, approval_id: str) -> dict[str, Any]:
        approval = self.approvals.get(approval_id)
        if approval is None:
            raise DomainError(
                f"no approval item {approval_id!r} on this project",
                field="approval_id", code="unknown_approval",
            )
        return approval

    def _check_approval_applied(self, fact, d) -> None:
        if d["approval_id"] in self.approvals:
            raise DomainError(
                f"approval item {d['approval_id']!r} already exists",
                field="approval_id", code="duplicate_id",
            )

    def _on_approval_applied(self, fact, d) -> None:
        self.approvals[d["approval_id"]] = {
            "id": d["approval_id"], "item": d["item"], "department": d["department"],
            "status": "applied", "applied_on": fact["occurred_on"], "decided_on": None,
            "reason": None, "commitment": None, "version": fact["version"],
        }

    def _check_pending_approval(self, fact, d) -> dict[str, Any]:
        approval = self._approval(d["approval_id"])
        if approval["status"] != "applied":
            raise DomainError(
                f"approval item {approval['id']!r} is already {approval['status']}",
                field="approval_id", code="approval_not_pending",
            )
        _check_not_before(fact, approval["applied_on"], "its application")
        return approval

    def _check_approval_granted(self, fact, d) -> None:
        self._check_pending_approval(fact, d)
        if d["missing_documents"] and d["commitment_due_on"] is None:
            raise DomainError(
                "commitment_due_on is required when documents are missing",
                field="commitment_due_on", code="required",
            )
        if d["commitment_due_on"] is not None and not d["missing_documents"]:
            raise DomainError(
                "missing_documents must list what the commitment covers",
                field="missing_documents", code="required",
            )
        if d["commitment_due_on"] and d["commitment_due_on"] < fact["occurred_on"]:
            raise DomainError(
                "commitment_due_on is before the grant",
                field="commitment_due_on", code="date_order",
            )

    def _on_approval_granted(self, fact, d) -> None:
        approval = self.approvals[d["approval_id"]]
        approval.update(status="granted", decided_on=fact["occurred_on"])
        if d["missing_documents"]:
            approval["commitment"] = {
                "missing_documents": list(d["missing_documents"]),
                "due_on": d["commitment_due_on"], "fulfilled_on": None,
            }

    def _check_approval_rejected(self, fact, d) -> None:
        self._check_pending_approval(fact, d)

    def _on_approval_rejected(self, fact, d) -> None:
        self.approvals[d["approval_id"]].update(
            status="rejected", decided_on=fact["occurred_on"], reason=d["reason"]
        )

    def _check_commitment_fulfilled(self, fact, d) -> None:
        approval = self._approval(d["approval_id"])
        commitment = approval["commitment"]
        if commitment is None or commitment["fulfilled_on"] is not None:
            raise DomainError(
                f"approval item {approval['id']!r} has no open commitment",
                field="approval_id", code="no_open_commitment",
            )
        _check_not_before(fact, approval["decided_on"], "the grant")

    def _on_commitment_fulfilled(self, fact, d) -> None:
        self.approvals[d["approval_id"]]["commitment"]["fulfilled_on"] = fact["occurred_on"]

    def _problem(self, fact, d, *, must_be: str | None = "open") -> dict[str, Any]:
        problem = self.problems.get(d["problem_id"])
        if problem is None:
            raise DomainError(
                f"no problem {d['problem_id']!r} on this project",
                field="problem_id", code="unknown_problem",
            )
        if must_be and problem["status"] != must_be:
            raise DomainError(
                f"problem {problem['id']!r} is {problem['status']}, not {must_be}",
                field="problem_id", code=f"problem_not_{must_be}",
            )
        if must_be:
            _check_not_before(fact, problem["since"], "the problem's last change of state")
        else:
            _check_not_before(fact, problem["raised_on"], "the problem was raised")
        return problem

    def _problem_log(self, fact, d, what: str, text: str | None) -> None:
        problem = self.problems[d["problem_id"]]
        problem["log"].append({
            "what": what, "occurred_on": fact["occurred_on"], "actor": fact["actor"],
            "version": fact["version"], "text": text,
        })
        problem["last_activity_on"] = max(problem["last_activity_on"], fact["occurred_on"])

    def _check_problem_raised(self, fact, d) -> None:
        if d["problem_id"] in self.problems:
            raise DomainError(
                f"problem {d['problem_id']!r} already exists",
                field="problem_id", code="duplicate_id",
            )

    def _on_problem_raised(self, fact, d) -> None:
        self.problems[d["problem_id"]] = {
            "id": d["problem_id"], "title": d["title"], "description": d["description"],
            "same_day": d["same_day"], "responsible_unit": d["responsible_unit"],
            "status": "open", "raised_on": fact["occurred_on"], "since": fact["occurred_on"],
            "raised_by": fact["actor"], "plan": None, "escalated_to": None, "leader": None,
            "resolved_on": None, "resolution": None, "last_activity_on": fact["occurred_on"],
            "version": fact["version"], "log": [],
        }
        self._problem_log(fact, d, "raised", d["title"])

    def _check_problem_plan_proposed(self, fact, d) -> None:
        self._problem(fact, d)
        if d["due_on"] and d["due_on"] < fact["occurred_on"]:
            raise DomainError(
                "due_on is before the plan was proposed", field="due_on", code="date_order"
            )

    def _on_problem_plan_proposed(self, fact, d) -> None:
        self.problems[d["problem_id"]]["plan"] = {
            "text": d["plan"], "proposed_on": fact["occurred_on"], "due_on": d["due_on"],
        }
        self._problem_log(fact, d, "plan_proposed", d["plan"])

    def _check_problem_escalated(self, fact, d) -> None:
        self._problem(fact, d)
        if d["escalated_to"] == "leader" and not d["leader"]:
            raise DomainError(
                "leader is required when escalating to a leader",
                field="leader", code="required",
            )

    def _on_problem_escalated(self, fact, d) -> None:
        self.problems[d["problem_id"]].update(
            escalated_to=d["escalated_to"], leader=d["leader"]
        )
        self._problem_log(fact, d, "escalated", d["note"])

    def _check_problem_followed_up(self, fact, d) -> None:
        self._problem(fact, d)

    def _on_problem_followed_up(self, fact, d) -> None:
        self._problem_log(fact, d, "followed_up", d["note"])

    def _check_problem_resolved(self, fact, d) -> None:
        self._problem(fact, d)

    def _on_problem_resolved(self, fact, d) -> None:
        self.problems[d["problem_id"]].update(
            status="resolved", resolved_on=fact["occurred_on"], since=fact["occurred_on"],
            resolution=d["resolution"],
        )
        self._problem_log(fact, d, "resolved", d["resolution"])

    def _check_problem_reopened(self, fact, d) -> None:
        self._problem(fact, d, must_be="resolved")

    def _on_problem_reopened(self, fact, d) -> None:
        self.problems[d["problem_id"]].update(
            status="open", resolved_on=None, resolution=None, since=fact["occurred_on"]
        )
        self._problem_log(fact, d, "reopened", d["reason"])

    def _check_progress_reported(self, fact, d) -> None:
        # Cumulative by business date: not below any report dated on or before it, not above
        # any report dated after it (reports may be entered late).
        amount, on = d["investment_completed"], fact["occurred_on"]
        for report in self.progress:
            earlier = report["occurred_on"] <= on
            if (earlier and amount < report["investment_completed"]) or (
                    not earlier and amount > report["investment_completed"]):
                raise DomainError(
                    f"investment_completed is cumulative: {amount} on {on} does not fit the "
                    f"{report['investment_completed']} reported for {report['occurred_on']} "
                    f"(correct that report instead)",
                    field="investment_completed", code="investment_decreased",
                )

    def _on_progress_reported(self, fact, d) -> None:
        if not self.progress or fact["occurred_on"] >= max(
                r["occurred_on"] for r in self.progress):
            self.investment_completed = d["investment_completed"]
        self.progress.append({
            "occurred_on": fact["occurred_on"], "investment_completed": d["investment_completed"],
            "note": d["note"], "version": fact["version"], "actor": fact["actor"],
        })

    def _on_visit_logged(self, fact, d) -> None:
        # Visits are many (monthly, for years): the state keeps their count and the latest;
        # the history has them all.
        self.visit_count += 1
        if self.last_visit is None or fact["occurred_on"] >= self.last_visit["occurred_on"]:
            self.last_visit = {
                "occurred_on": fact["occurred_on"], "actor": fact["actor"],
                "purpose": d["purpose"], "met_with": d["met_with"], "version": fact["version"],
            }

    def _check_instruction_given(self, fact, d) -> None:
        if d["problem_id"] is not None:
            self._problem(fact, d, must_be=None)

    def _on_instruction_given(self, fact, d) -> None:
        self.instructions.append({
            "occurred_on": fact["occurred_on"], "actor": fact["actor"],
            "leader": d["leader"] or fact["actor"],
            "instruction": d["instruction"], "problem_id": d["problem_id"],
            "version": fact["version"],
        })
        if d["problem_id"] is not None:
            self._problem_log(fact, d, "instruction", d["instruction"])

    def _check_service_rated(self, fact, d) -> None:
        if d["agent"] and d["agent"] not in self.team:
            raise DomainError(
                f"{d['agent']} is not on this project's team", field="agent", code="not_on_team"
            )

    def _on_service_rated(self, fact, d) -> None:
        self.ratings.append({
            "occurred_on": fact["occurred_on"], "rating": d["rating"], "agent": d["agent"],
            "comment": d["comment"], "version": fact["version"],
        })

    def _on_suspended(self, fact, d) -> None:
        self.status, self.status_reason = "suspended", d["reason"]

    def _check_resumed(self, fact, d) -> None:
        if self.status != "suspended":
            raise DomainError(
                "the project is not suspended", field="type", code="not_suspended"
            )

    def _on_resumed(self, fact, d) -> None:
        self.status, self.status_reason = "active", None

    def _on_terminated(self, fact, d) -> None:
        self.status, self.status_reason = "terminated", d["reason"]

    # ---- corrections ----------------------------------------------------------------

    def _check_correction(self, data: dict[str, Any], today: date) -> None:
        version = data["corrects_version"]
        if version > self.version:
            raise DomainError(
                f"there is no event {version}: the project is at version {self.version}",
                field="corrects_version", code="unknown_version",
            )
        target = self.fact(version)
        if target["type"] == "corrected":
            raise DomainError(
                "a correction cannot be corrected; correct the original event again",
                field="corrects_version", code="not_correctable",
            )
        if target["void"]:
            raise DomainError(
                f"event {version} was already voided", field="corrects_version",
                code="already_void",
            )
        if data["action"] == "void":
            if target["type"] == "signed":
                raise DomainError(
                    "the signing cannot be voided; terminate the project instead",
                    field="corrects_version", code="not_correctable",
                )
            if data["changes"]:
                raise InvalidValue("a void takes no changes", field="changes")
        else:
            data["changes"] = _coerce_changes(target["type"], data["changes"], today)
        # Replay the corrected history under the rules; refuse if any fact no longer holds.
        records = [list(record) for record in self.facts]
        _correct(records, data, self.version + 1)
        probe = Project.__new__(Project)
        try:
            probe._reset_from(records, check=True)
        except DomainError as error:
            raise DomainError(
                f"after this correction the history breaks a rule: {error.message}",
                field="corrects_version", code="correction_breaks_history",
            ) from None

    # ---- queries --------------------------------------------------------------------

    @property
    def team(self) -> list[str]:
        """Usernames of the chief agent and the co-agents."""
        return [self.chief_agent, *self.co_agents]

    def fact(self, version: int) -> dict[str, Any]:
        """The recorded fact at a version, as corrected."""
        return _expand(self.facts[version - 1], version)


_CREATES_ITEM = {"approval_applied", "problem_raised"}


def _fact(event_type: str, actor: str, occurred_on: date, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": event_type, "actor": actor, "occurred_on": occurred_on, "data": dict(data),
        "version": None, "recorded_at": None, "void": False, "corrected_by": [],
    }


def _before_correction(target: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The server-made fields of a correction: what it corrects, and the values before."""
    before = {"occurred_on": target["occurred_on"], **target["data"]}
    names = before if data["action"] == "void" else data["changes"]
    return {"corrected_type": target["type"],
            "previous": _plain({name: before[name] for name in names})}


def _summary(fact: dict[str, Any]) -> dict[str, Any]:
    return {k: fact[k] for k in ("type", "version", "actor", "occurred_on", "recorded_at")}


# A compact record of a fact: [type, actor, occurred_on, data, void, corrected_by], with dates
# as ISO text, so that a snapshot of a project with a long history stays small and quick to load.
_TYPE, _ACTOR, _ON, _DATA, _VOID, _CORRECTED_BY = range(6)


def _compact(fact: dict[str, Any]) -> list[Any]:
    return [fact["type"], fact["actor"], fact["occurred_on"].isoformat(), _plain(fact["data"]),
            False, []]


def _expand(record: list[Any], version: int) -> dict[str, Any]:
    event_type = record[_TYPE]
    data = dict(record[_DATA])
    for name, field in fields_of(event_type).items():
        if field.kind == "date" and isinstance(data.get(name), str):
            data[name] = date.fromisoformat(data[name])
    return {
        "type": event_type, "actor": record[_ACTOR],
        "occurred_on": date.fromisoformat(record[_ON]), "data": data, "version": version,
        "recorded_at": None, "void": record[_VOID], "corrected_by": list(record[_CORRECTED_BY]),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _correct(records: list[list[Any]], data: dict[str, Any], by_version: int) -> None:
    """Mark a fact's record voided or amend its fields, in place (records are copied first)."""
    index = data["corrects_version"] - 1
    target = records[index] = list(records[index])
    target[_CORRECTED_BY] = [*target[_CORRECTED_BY], by_version]
    if data["action"] == "void":
        target[_VOID] = True
        return
    target[_DATA] = dict(target[_DATA])
    for name, value in _plain(data["changes"]).items():
        if name == "occurred_on":
            target[_ON] = value
        else:
            target[_DATA][name] = value


def _coerce_changes(event_type: str, changes: dict[str, Any], today: date) -> dict[str, Any]:
    if not changes:
        raise InvalidValue("an amendment needs changes", field="changes", code="required")
    spec = fields_of(event_type)
    result: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "occurred_on":
            result[name] = coerce("changes.occurred_on", _DATE, value)
            _check_date("changes.occurred_on", result[name], today)
        elif name in spec and name not in NOT_AMENDABLE:
            result[name] = coerce(f"changes.{name}", spec[name], value)
        else:
            raise InvalidValue(
                f"changes.{name} cannot be amended on a {event_type} event",
                field=f"changes.{name}",
            )
    if event_type == "signed" and result.get("investment", 1) <= 0:
        raise InvalidValue("investment must be more than 0 yuan", field="changes.investment")
    return result


_DATE = fields_of("milestone_planned")["planned_on"]


def _check_date(name: str, value: object, today: date) -> None:
    """A business date must be a date (not a datetime) and not in the future."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue(f"{name} must be a date", field=name)
    if value > today:
        raise DomainError(
            f"{name} {value} is in the future (today is {today})", field=name, code="future_date"
        )


def _check_not_before(fact: dict[str, Any], earlier: date | None, what: str) -> None:
    if earlier and fact["occurred_on"] < earlier:
        raise DomainError(
            f"occurred_on {fact['occurred_on']} is before {what} on {earlier}",
            field="occurred_on", code="date_order",
        )


def _check_team(chief_agent: str, co_agents: list[str]) -> None:
    if chief_agent in co_agents:
        raise InvalidValue(
            "the chief agent cannot also be a co-agent", field="co_agents", code="invalid_field"
        )

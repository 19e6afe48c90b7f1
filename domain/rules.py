"""The rules a project's next event must satisfy: each raises a DomainError naming the field.

`ProjectRules` is a part of the Project aggregate (domain/project.py): `_check_<type>(fact, d)`
reads the state as folded so far and changes nothing. A correction replays the corrected history
through these same rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.dates import parse_date
from domain.errors import DomainError, InvalidValue
from domain.lifecycle import MILESTONES, PARK_REVIEW, PHASE_ORDER, phase_of


# Event types that act on an item of the project, and the state an item must be in: with no
# such item the type cannot be recorded (`why_not`), whatever its fields say.
_NEEDS_ITEM = {
    "approval_granted": "no_pending_approval", "approval_rejected": "no_pending_approval",
    "commitment_fulfilled": "no_open_commitment",
    "problem_plan_proposed": "no_open_problem", "problem_escalated": "no_open_problem",
    "problem_followed_up": "no_open_problem", "problem_resolved": "no_open_problem",
    "problem_reopened": "no_resolved_problem",
    "milestone_planned": "no_milestone_left", "milestone_reached": "no_milestone_left",
    "park_review_opinion_given": "no_open_review", "park_review_concluded": "no_open_review",
    "park_review_condition_met": "no_open_condition",
}


class ProjectRules:
    """The checks of Project: one `_check_<type>` per event type that has rules."""

    def why_not(self, event_type: str) -> str | None:
        """Why no event of this type can be recorded on the project as it stands (the code
        the rules would refuse it with, or the item it lacks), or None when one can."""
        if event_type == "corrected":
            return None  # a correction is recorded whatever the project's status
        if self.status == "terminated":
            return "project_terminated"
        if self.status == "suspended":
            return None if event_type == "resumed" else "project_suspended"
        if event_type == "resumed":
            return "not_suspended"
        if event_type == "park_review_convened" and any(
                r["concluded_on"] is None for r in self.park_reviews.values()):
            return "park_review_open"  # conclude it first (`_check_park_review_convened`)
        lacking = _NEEDS_ITEM.get(event_type)
        if lacking is None:
            return None
        found = {
            "no_pending_approval": any(a["status"] == "applied"
                                       for a in self.approvals.values()),
            "no_open_commitment": any(a["commitment"] and a["commitment"]["fulfilled_on"] is None
                                      for a in self.approvals.values()),
            "no_open_problem": any(p["status"] == "open" for p in self.problems.values()),
            "no_resolved_problem": any(p["status"] == "resolved"
                                       for p in self.problems.values()),
            "no_milestone_left": bool(self.milestones_left()),
            "no_open_review": any(r["concluded_on"] is None
                                  for r in self.park_reviews.values()),
            "no_open_condition": any(c["met_on"] is None for r in self.park_reviews.values()
                                     if r["passed"] for c in r["conditions"]),
        }[lacking]
        return None if found else lacking

    def milestones_left(self) -> list[str]:
        """The milestones a plan or a reaching may still name: not reached, and not of a phase
        the project has passed (in lifecycle order)."""
        return [code for code, phase in MILESTONES.items() if code not in self.reached
                and PHASE_ORDER[phase] >= PHASE_ORDER[self.phase]]

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

    def _check_team_assigned(self, fact, d) -> None:
        check_team(d["chief_agent"], d["co_agents"])
        if (d["chief_agent"], set(d["co_agents"]), d["leader"]) == (
            self.chief_agent, set(self.co_agents), self.leader,
        ):
            raise DomainError("the team is unchanged", field="chief_agent", code="no_change")

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

    def _check_pending_approval(self, fact, d) -> dict[str, Any]:
        approval = self._approval(d["approval_id"])
        if approval["status"] != "applied":
            raise DomainError(
                f"approval item {approval['id']!r} is already {approval['status']}",
                field="approval_id", code="approval_not_pending",
            )
        check_not_before(fact, approval["applied_on"], "its application")
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

    def _check_approval_rejected(self, fact, d) -> None:
        self._check_pending_approval(fact, d)

    def _check_commitment_fulfilled(self, fact, d) -> None:
        approval = self._approval(d["approval_id"])
        commitment = approval["commitment"]
        if commitment is None or commitment["fulfilled_on"] is not None:
            raise DomainError(
                f"approval item {approval['id']!r} has no open commitment",
                field="approval_id", code="no_open_commitment",
            )
        check_not_before(fact, approval["decided_on"], "the grant")

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
            check_not_before(fact, problem["since"], "the problem's last change of state")
        else:
            check_not_before(fact, problem["raised_on"], "the problem was raised")
        return problem

    def _check_problem_raised(self, fact, d) -> None:
        if d["problem_id"] in self.problems:
            raise DomainError(
                f"problem {d['problem_id']!r} already exists",
                field="problem_id", code="duplicate_id",
            )

    def _check_problem_plan_proposed(self, fact, d) -> None:
        self._problem(fact, d)
        if d["due_on"] and d["due_on"] < fact["occurred_on"]:
            raise DomainError(
                "due_on is before the plan was proposed", field="due_on", code="date_order"
            )

    def _check_problem_escalated(self, fact, d) -> None:
        self._problem(fact, d)
        if d["escalated_to"] == "leader" and not d["leader"]:
            raise DomainError(
                "leader is required when escalating to a leader",
                field="leader", code="required",
            )

    def _check_problem_followed_up(self, fact, d) -> None:
        self._problem(fact, d)

    def _check_problem_resolved(self, fact, d) -> None:
        self._problem(fact, d)

    def _check_problem_reopened(self, fact, d) -> None:
        self._problem(fact, d, must_be="resolved")

    def _check_park_review_convened(self, fact, d) -> None:
        if d["review_id"] in self.park_reviews:
            raise DomainError(f"park review {d['review_id']!r} already exists",
                              field="review_id", code="duplicate_id")
        if not d["departments"]:
            raise DomainError("departments must name at least one department",
                              field="departments", code="required")
        open_ = next((r for r in self.park_reviews.values() if r["concluded_on"] is None), None)
        # A new command only (no version yet): histories stored before this rule may hold two
        # open reviews, and a correction's replay of them must not break on it.
        if open_ is not None and fact["version"] is None:
            raise DomainError(f"park review {open_['id']!r} convened on {open_['convened_on']} "
                              "is still open: conclude it before convening another",
                              field="type", code="park_review_open")
        if PARK_REVIEW in self.reached:
            raise DomainError(f"{PARK_REVIEW} was already reached on "
                              f"{self.reached[PARK_REVIEW]['reached_on']}",
                              field="type", code="milestone_already_reached")
        self._check_still_signing()

    def _check_still_signing(self) -> None:
        if self.phase != phase_of(PARK_REVIEW):
            raise DomainError(f"the project is in the {self.phase} phase: a park review "
                              "belongs to the signing phase", field="type", code="phase_passed")

    def _open_review(self, fact, d) -> dict[str, Any]:
        review = self.park_reviews.get(d["review_id"])
        if review is None:
            raise DomainError(f"no park review {d['review_id']!r} on this project",
                              field="review_id", code="unknown_review")
        if review["concluded_on"] is not None:
            raise DomainError(f"park review {review['id']!r} was concluded on "
                              f"{review['concluded_on']}", field="review_id",
                              code="review_concluded")
        check_not_before(fact, review["convened_on"], "the review was convened")
        return review

    def _check_park_review_opinion_given(self, fact, d) -> None:
        review = self._open_review(fact, d)
        if d["department"] not in review["departments"]:
            raise DomainError(f"{d['department']} was not invited to park review "
                              f"{review['id']!r}", field="department", code="not_invited")
        if d["opinion"] == "agree_with_conditions" and not d["conditions"]:
            raise DomainError("conditions are required to agree with conditions",
                              field="conditions", code="required")
        check_conditions_due(fact, d)

    def _check_park_review_concluded(self, fact, d) -> None:
        review = self._open_review(fact, d)
        check_conditions_due(fact, d)
        if not d["passed"]:
            return
        missing = [name for name in review["departments"] if name not in review["opinions"]]
        against = [name for name, o in review["opinions"].items()
                   if o["opinion"] == "disagree"]
        if missing:
            raise DomainError(f"no opinion yet from {', '.join(missing)}: the review cannot "
                              "pass", field="passed", code="opinions_missing")
        if against:
            raise DomainError(f"{', '.join(against)} disagreed: the review cannot pass",
                              field="passed", code="review_disagreed")
        if PARK_REVIEW in self.reached:
            raise DomainError(f"{PARK_REVIEW} was already reached", field="passed",
                              code="milestone_already_reached")
        self._check_still_signing()

    def _check_park_review_condition_met(self, fact, d) -> None:
        review = self.park_reviews.get(d["review_id"])
        if review is None:
            raise DomainError(f"no park review {d['review_id']!r} on this project",
                              field="review_id", code="unknown_review")
        if not review["passed"]:
            raise DomainError(f"park review {review['id']!r} has not passed: it carries no "
                              "conditions", field="review_id", code="review_not_passed")
        if not 1 <= d["condition"] <= len(review["conditions"]):
            raise DomainError(f"park review {review['id']!r} carries no condition "
                              f"{d['condition']}", field="condition", code="unknown_condition")
        condition = review["conditions"][d["condition"] - 1]
        if condition["met_on"] is not None:
            raise DomainError(f"condition {d['condition']} was already met on "
                              f"{condition['met_on']}", field="condition",
                              code="condition_already_met")
        check_not_before(fact, review["concluded_on"], "the review was concluded")

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

    def _check_instruction_given(self, fact, d) -> None:
        if d["problem_id"] is not None:
            self._problem(fact, d, must_be=None)

    def _check_service_rated(self, fact, d) -> None:
        if d["agent"] and d["agent"] not in self.team:
            raise DomainError(
                f"{d['agent']} is not on this project's team", field="agent", code="not_on_team"
            )

    def _check_resumed(self, fact, d) -> None:
        if self.status != "suspended":
            raise DomainError(
                "the project is not suspended", field="type", code="not_suspended"
            )


def check_date(name: str, value: object, today: date) -> None:
    """A business date must be a date (not a datetime) in the record's years, not in the
    future."""
    try:
        parse_date(value)
    except ValueError as error:
        raise InvalidValue(f"{name} {error}", field=name) from None
    if value > today:
        raise DomainError(
            f"{name} {value} is in the future (today is {today})", field=name, code="future_date"
        )


def check_not_before(fact: dict[str, Any], earlier: date | None, what: str) -> None:
    if earlier and fact["occurred_on"] < earlier:
        raise DomainError(
            f"occurred_on {fact['occurred_on']} is before {what} on {earlier}",
            field="occurred_on", code="date_order",
        )


def check_conditions_due(fact: dict[str, Any], d: dict[str, Any]) -> None:
    """A condition's due date is not before the event that sets it."""
    for n, condition in enumerate(d["conditions"]):
        due = condition["due_on"] if isinstance(condition, dict) else None
        if due is not None and date.fromisoformat(due) < fact["occurred_on"]:
            raise DomainError(f"conditions.{n}.due_on {due} is before occurred_on "
                              f"{fact['occurred_on']}", field=f"conditions.{n}.due_on",
                              code="date_order")


def check_team(chief_agent: str, co_agents: list[str]) -> None:
    if chief_agent in co_agents:
        raise DomainError("the chief agent cannot also be a co-agent", field="co_agents",
                          code="chief_agent_also_co_agent")

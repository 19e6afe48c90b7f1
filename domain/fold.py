"""How each event changes a project's state: the fold, without any checks.

`ProjectFold` is a part of the Project aggregate (domain/project.py): `_on_<type>(fact, d)` applies
one recorded fact. It never refuses: what was recorded happened (the rules ran before).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.fields import as_condition
from domain.lifecycle import PARK_REVIEW, PHASE_ORDER, phase_of


def carried(conditions: list[Any]) -> list[dict[str, Any]]:
    """The conditions a review's conclusion carries, numbered from 1, none met yet."""
    return [as_condition(c) | {"number": n, "met_on": None, "met_note": None}
            for n, c in enumerate(conditions, start=1)]


class ProjectFold:
    """The state of Project and the mutation for each event type."""

    # The project's county code (None: the home county). A class default as well, so that a
    # snapshot taken before projects had a county still reads.
    county: str | None = None

    def _reset(self) -> None:
        self.name = self.investor = self.industry = ""
        self.county = None
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
        self._park_reviews: dict[str, dict[str, Any]] = {}
        self.last_event: dict[str, Any] | None = None

    @property
    def park_reviews(self) -> dict[str, dict[str, Any]]:
        """The park-entry joint reviews (入园会审), by id (none in a snapshot taken before
        there were any)."""
        return self.__dict__.setdefault("_park_reviews", {})

    def _on_signed(self, fact, d) -> None:
        self.name, self.investor, self.industry = d["name"], d["investor"], d["industry"]
        self.county = d["county"]
        self.investment, self.park = d["investment"], d["park"]
        self.signed_on = fact["occurred_on"]
        self._set_team(fact, d["chief_agent"], d["co_agents"], d["leader"], None)

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

    def _on_milestone_reached(self, fact, d) -> None:
        code = d["milestone"]
        self.reached[code] = {
            "reached_on": fact["occurred_on"], "version": fact["version"], "actor": fact["actor"],
        }
        if PHASE_ORDER[phase_of(code)] > PHASE_ORDER[self.phase]:
            self.phase = phase_of(code)

    def _on_approval_applied(self, fact, d) -> None:
        self.approvals[d["approval_id"]] = {
            "id": d["approval_id"], "item": d["item"], "department": d["department"],
            "status": "applied", "applied_on": fact["occurred_on"], "decided_on": None,
            "reason": None, "commitment": None, "version": fact["version"],
        }

    def _on_approval_granted(self, fact, d) -> None:
        approval = self.approvals[d["approval_id"]]
        approval.update(status="granted", decided_on=fact["occurred_on"])
        if d["missing_documents"]:
            approval["commitment"] = {
                "missing_documents": list(d["missing_documents"]),
                "due_on": d["commitment_due_on"], "fulfilled_on": None,
            }

    def _on_approval_rejected(self, fact, d) -> None:
        self.approvals[d["approval_id"]].update(
            status="rejected", decided_on=fact["occurred_on"], reason=d["reason"]
        )

    def _on_commitment_fulfilled(self, fact, d) -> None:
        self.approvals[d["approval_id"]]["commitment"]["fulfilled_on"] = fact["occurred_on"]

    def _problem_log(self, fact, d, what: str, text: str | None) -> None:
        problem = self.problems[d["problem_id"]]
        problem["log"].append({
            "what": what, "occurred_on": fact["occurred_on"], "actor": fact["actor"],
            "version": fact["version"], "text": text,
        })
        problem["last_activity_on"] = max(problem["last_activity_on"], fact["occurred_on"])

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

    def _on_problem_plan_proposed(self, fact, d) -> None:
        self.problems[d["problem_id"]]["plan"] = {
            "text": d["plan"], "proposed_on": fact["occurred_on"], "due_on": d["due_on"],
        }
        self._problem_log(fact, d, "plan_proposed", d["plan"])

    def _on_problem_escalated(self, fact, d) -> None:
        self.problems[d["problem_id"]].update(
            escalated_to=d["escalated_to"], leader=d["leader"]
        )
        self._problem_log(fact, d, "escalated", d["note"])

    def _on_problem_followed_up(self, fact, d) -> None:
        self._problem_log(fact, d, "followed_up", d["note"])

    def _on_problem_resolved(self, fact, d) -> None:
        self.problems[d["problem_id"]].update(
            status="resolved", resolved_on=fact["occurred_on"], since=fact["occurred_on"],
            resolution=d["resolution"],
        )
        self._problem_log(fact, d, "resolved", d["resolution"])

    def _on_problem_reopened(self, fact, d) -> None:
        self.problems[d["problem_id"]].update(
            status="open", resolved_on=None, resolution=None, since=fact["occurred_on"]
        )
        self._problem_log(fact, d, "reopened", d["reason"])

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

    def _on_instruction_given(self, fact, d) -> None:
        self.instructions.append({
            "occurred_on": fact["occurred_on"], "actor": fact["actor"],
            "leader": d["leader"] or fact["actor"],
            "instruction": d["instruction"], "problem_id": d["problem_id"],
            "version": fact["version"],
        })
        if d["problem_id"] is not None:
            self._problem_log(fact, d, "instruction", d["instruction"])

    def _on_service_rated(self, fact, d) -> None:
        self.ratings.append({
            "occurred_on": fact["occurred_on"], "rating": d["rating"], "agent": d["agent"],
            "comment": d["comment"], "version": fact["version"],
        })

    def _on_park_review_convened(self, fact, d) -> None:
        self.park_reviews[d["review_id"]] = {
            "id": d["review_id"], "convened_on": fact["occurred_on"],
            "departments": list(d["departments"]),
            "opinion_within_working_days": d["opinion_within_working_days"],
            "note": d["note"], "opinions": {},
            "concluded_on": None, "passed": None, "conditions": [],
            "version": fact["version"],
        }

    def _on_park_review_opinion_given(self, fact, d) -> None:
        # A later opinion of the same department replaces its earlier one (a reversal).
        self.park_reviews[d["review_id"]]["opinions"][d["department"]] = {
            "opinion": d["opinion"], "conditions": [as_condition(c) for c in d["conditions"]],
            "note": d["note"],
            "given_on": fact["occurred_on"], "recorded_by": fact["actor"],
            "version": fact["version"],
        }

    def _on_park_review_concluded(self, fact, d) -> None:
        # Each condition carried is open until met (park_review_condition_met).
        self.park_reviews[d["review_id"]].update(
            concluded_on=fact["occurred_on"], passed=d["passed"],
            conditions=carried(d["conditions"]))
        if d["passed"]:  # a passing conclusion is the milestone
            self._on_milestone_reached(fact, {"milestone": PARK_REVIEW})

    def _on_park_review_condition_met(self, fact, d) -> None:
        condition = self.park_reviews[d["review_id"]]["conditions"][d["condition"] - 1]
        condition.update(met_on=fact["occurred_on"], met_note=d["note"])

    def _on_suspended(self, fact, d) -> None:
        self.status, self.status_reason = "suspended", d["reason"]

    def _on_resumed(self, fact, d) -> None:
        self.status, self.status_reason = "active", None

    def _on_terminated(self, fact, d) -> None:
        self.status, self.status_reason = "terminated", d["reason"]

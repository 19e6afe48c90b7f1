"""Plain-data views of a Project for callers: dicts and lists, never the aggregate."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from domain.lifecycle import MILESTONE_ORDER, MILESTONES
from domain.obligations import open_problems_now, pending_plans_now, waits_now
from domain.project import Project


def milestones(project: Project) -> list[dict[str, Any]]:
    """Every milestone in lifecycle order, with its plan and actual dates."""
    rows = []
    for code, phase in MILESTONES.items():
        plan = project.plan.get(code) or {}
        reached = project.reached.get(code) or {}
        rows.append({
            "milestone": code, "phase": phase,
            "planned_on": plan.get("planned_on"), "reached_on": reached.get("reached_on"),
            "reached_version": reached.get("version"),
        })
    return rows


def next_milestone(project: Project) -> dict[str, Any] | None:
    """The earliest milestone the project owes (by planned date), if any."""
    pending = [(plan["planned_on"], MILESTONE_ORDER[code], code)
               for code, plan in pending_plans_now(project).items()]
    if not pending:
        return None
    planned_on, _, code = min(pending)
    return {"milestone": code, "planned_on": planned_on}


def project_summary(project: Project) -> dict[str, Any]:
    """A project's headline figures, for lists."""
    return {
        "id": project.id, "version": project.version, "name": project.name,
        "investor": project.investor, "industry": project.industry,
        "investment": project.investment, "park": project.park, "signed_on": project.signed_on,
        "phase": project.phase, "status": project.status,
        "chief_agent": project.chief_agent, "co_agents": list(project.co_agents),
        "leader": project.leader, "county": project.county,
        "investment_completed": project.investment_completed,
        "open_problems": len(open_problems_now(project)),
        "next_milestone": next_milestone(project),
        # Whom it waits on (rule 9) is what its events decide; the days are counted when read.
        "waiting_on": waits_now(project),
        # Its values are text, numbers and dates: a shallow copy is a whole one.
        "last_event": dict(project.last_event) if project.last_event else None,
        "recorded_at": project.created_on,
    }


def project_view(project: Project) -> dict[str, Any]:
    """A project's whole current state."""
    ratings = [r["rating"] for r in project.ratings]
    return project_summary(project) | deepcopy({
        "status_reason": project.status_reason,
        "team": {
            "chief_agent": project.chief_agent, "co_agents": list(project.co_agents),
            "leader": project.leader,
        },
        "team_history": project.team_history,
        "milestones": milestones(project),
        "plan_history": project.plan_history,
        "approvals": list(project.approvals.values()),
        "problems": list(project.problems.values()),
        "progress": project.progress,
        "visit_count": project.visit_count,
        "last_visit": project.last_visit,
        "instructions": project.instructions,
        "park_reviews": [_review(r) for r in project.park_reviews.values()],
        "ratings": project.ratings,
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "updated_at": project.modified_on,
    })


def _review(review: dict[str, Any]) -> dict[str, Any]:
    """A park-entry joint review, each department's latest opinion in a list."""
    return review | {"opinions": [{"department": name} | opinion
                                  for name, opinion in review["opinions"].items()]}

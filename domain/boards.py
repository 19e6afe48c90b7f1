"""An agent's live board: their projects with colours, open problems and commitments with their
clocks, the last event, and for a chief agent the load of their teams.

Pure: it reads Project aggregates and `today`; the service loads them and the API serves it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from domain import clocks
from domain.project import Project
from domain.views import next_milestone


def board(username: str, projects: list[Project], today: date) -> dict[str, Any]:
    """The board of `username` over the projects whose team they are on."""
    mine = [p for p in projects if username in p.team]
    cards = sorted((_card(username, p, today) for p in mine), key=_urgency)
    led = [p for p in mine if p.chief_agent == username]
    return {
        "username": username,
        "today": today,
        "counts": {
            "projects": len(cards),
            "as_chief": len(led),
            "red_flags": sum(c["red_flags"] for c in cards),
            "yellow_flags": sum(c["yellow_flags"] for c in cards),
            "open_problems": sum(len(c["open_problems"]) for c in cards),
            "open_commitments": sum(len(c["open_commitments"]) for c in cards),
        },
        "projects": cards,
        "team_load": _team_load(led, today),
    }


def _card(username: str, project: Project, today: date) -> dict[str, Any]:
    found = clocks.flags(project, today)
    by_subject: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for flag in found:
        by_subject.setdefault((flag.subject["kind"], flag.subject["id"]), []).append(_flag(flag))
    upcoming = next_milestone(project)
    if upcoming:
        colours = clocks.milestone_colours(project, today)
        upcoming = upcoming | {"colour": colours.get(upcoming["milestone"], clocks.GREEN)}
    return {
        "id": project.id,
        "name": project.name,
        "investor": project.investor,
        "phase": project.phase,
        "status": project.status,
        "version": project.version,
        "role": "chief_agent" if project.chief_agent == username else "co_agent",
        "chief_agent": project.chief_agent,
        "next_milestone": upcoming,
        "open_problems": [
            _open_problem(problem, by_subject.get(("problem", problem["id"]), []))
            for problem in project.problems.values() if problem["status"] == "open"
        ],
        "open_commitments": [
            _open_commitment(approval, by_subject.get(("commitment", approval["id"]), []))
            for approval in project.approvals.values()
            if approval["commitment"] and approval["commitment"]["fulfilled_on"] is None
        ],
        "flags": [_flag(flag) for flag in found],
        "red_flags": sum(1 for flag in found if flag.colour == clocks.RED),
        "yellow_flags": sum(1 for flag in found if flag.colour == clocks.YELLOW),
        "last_event": dict(project.last_event) if project.last_event else None,
    }


def _open_problem(problem: dict[str, Any], flags: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": problem["id"], "title": problem["title"], "raised_on": problem["raised_on"],
        "same_day": problem["same_day"], "responsible_unit": problem["responsible_unit"],
        "has_plan": problem["plan"] is not None, "escalated_to": problem["escalated_to"],
        "last_activity_on": problem["last_activity_on"], "flags": flags,
    }


def _open_commitment(approval: dict[str, Any], flags: list[dict[str, Any]]) -> dict[str, Any]:
    commitment = approval["commitment"]
    return {
        "approval_id": approval["id"], "item": approval["item"],
        "department": approval["department"], "granted_on": approval["decided_on"],
        "missing_documents": list(commitment["missing_documents"]),
        "due_on": commitment["due_on"], "flags": flags,
    }


def _flag(flag: clocks.Flag) -> dict[str, Any]:
    return asdict(flag)


def _urgency(card: dict[str, Any]) -> tuple:
    upcoming = card["next_milestone"]
    return (-card["red_flags"], -card["yellow_flags"],
            upcoming["planned_on"] if upcoming else date.max, card["name"])


def _team_load(led: list[Project], today: date) -> list[dict[str, Any]]:
    """For a chief agent: each member of their teams, with what they carry on those projects."""
    load: dict[str, dict[str, Any]] = {}
    for project in led:
        red = sum(1 for flag in clocks.flags(project, today) if flag.colour == clocks.RED)
        open_problems = sum(1 for p in project.problems.values() if p["status"] == "open")
        for member in project.team:
            row = load.setdefault(member, {"username": member, "projects": 0,
                                           "open_problems": 0, "red_flags": 0})
            row["projects"] += 1
            row["open_problems"] += open_problems
            row["red_flags"] += red
    return sorted(load.values(), key=lambda row: (-row["red_flags"], row["username"]))

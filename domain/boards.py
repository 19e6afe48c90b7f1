"""An agent's live board: their projects with colours, open problems and commitments with their
clocks, the last event, and for a chief agent the load of their teams.

Pure: it reads Project aggregates, `today` and the working-day calendar; the service loads them
and the API serves it. What is open, due and late is the rules' (domain.obligations), judged on
`today` exactly as a report judged on that day.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from domain import clocks
from domain.calendar import WorkingCalendar
from domain.history import History
from domain.obligations import CommitmentState, ProblemState, Standing, Wait, standing, waiting_on
from domain.project import Project
from domain.views import next_milestone


def board(username: str, projects: list[Project], today: date, *, calendar: WorkingCalendar
          ) -> dict[str, Any]:
    """The board of `username` over the projects whose team they are on."""
    mine = [p for p in projects if username in p.team]
    watched = calendar.watch()
    judged = [(p, *_judged(p, today, watched)) for p in mine]
    cards = sorted((_card(username, p, found, flags, waits)
                    for p, found, flags, waits in judged), key=_urgency)
    led = [(p, found, flags) for p, found, flags, _ in judged if p.chief_agent == username]
    return {
        "username": username,
        "today": today,
        "calendar_warnings": watched.warnings(),
        "counts": {
            "projects": len(cards),
            "as_chief": len(led),
            "red_flags": sum(c["red_flags"] for c in cards),
            "yellow_flags": sum(c["yellow_flags"] for c in cards),
            "open_problems": sum(len(c["open_problems"]) for c in cards),
            "open_commitments": sum(len(c["open_commitments"]) for c in cards),
        },
        "projects": cards,
        "team_load": _team_load(led),
    }


def _judged(project: Project, today: date, calendar: WorkingCalendar
            ) -> tuple[Standing, list[clocks.Flag], list[Wait]]:
    history = History(project)
    found = standing(history, today, calendar)
    return found, clocks.flags_of(history, found, calendar), waiting_on(history, today, calendar)


def _card(username: str, project: Project, judged: Standing, found: list[clocks.Flag],
          waits: list[Wait]) -> dict[str, Any]:
    by_subject: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for flag in found:
        by_subject.setdefault((flag.subject["kind"], flag.subject["id"]), []).append(_flag(flag))
    upcoming = next_milestone(project)
    if upcoming:
        # A suspended project owes nothing meanwhile (rule 4): its milestone has no colour,
        # neither on plan nor late (a terminated one owes no milestone at all, rule 5).
        colours = clocks.colours_of(judged)
        colour = colours.get(upcoming["milestone"], clocks.GREEN) \
            if judged.status == "active" else None
        upcoming = upcoming | {"colour": colour}
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
        "waiting_on": [wait.row() for wait in waits],
        "open_problems": [
            _open_problem(problem, by_subject.get(("problem", problem.problem_id), []))
            for problem in judged.open_problems
        ],
        "open_commitments": [
            _open_commitment(commitment, by_subject.get(("commitment", commitment.approval_id),
                                                        []))
            for commitment in judged.open_commitments
        ],
        "flags": [_flag(flag) for flag in found],
        "red_flags": sum(1 for flag in found if flag.colour == clocks.RED),
        "yellow_flags": sum(1 for flag in found if flag.colour == clocks.YELLOW),
        "last_event": dict(project.last_event) if project.last_event else None,
    }


def _open_problem(problem: ProblemState, flags: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": problem.problem_id, "title": problem.title, "raised_on": problem.raised_on,
        "same_day": problem.same_day, "responsible_unit": problem.responsible_unit,
        "has_plan": problem.has_plan, "escalated_to": problem.escalated_to,
        "owner": problem.owner, "last_activity_on": problem.last_activity_on,
        "working_days_open": problem.working_days_open, "flags": flags,
    }


def _open_commitment(commitment: CommitmentState, flags: list[dict[str, Any]]
                     ) -> dict[str, Any]:
    return {
        "approval_id": commitment.approval_id, "item": commitment.item,
        "department": commitment.department, "granted_on": commitment.granted_on,
        "missing_documents": list(commitment.missing_documents),
        "promised_on": commitment.promised_on, "due_on": commitment.due_on, "flags": flags,
    }


def _flag(flag: clocks.Flag) -> dict[str, Any]:
    return asdict(flag)


def _urgency(card: dict[str, Any]) -> tuple:
    upcoming = card["next_milestone"]
    return (-card["red_flags"], -card["yellow_flags"],
            upcoming["planned_on"] if upcoming else date.max, card["name"])


def _team_load(led: list[tuple[Project, Standing, list[clocks.Flag]]]) -> list[dict[str, Any]]:
    """For a chief agent: each member of their teams, with what they carry on those projects."""
    load: dict[str, dict[str, Any]] = {}
    for project, judged, found in led:
        red = sum(1 for flag in found if flag.colour == clocks.RED)
        open_problems = len(judged.open_problems)
        for member in project.team:
            row = load.setdefault(member, {"username": member, "projects": 0,
                                           "open_problems": 0, "red_flags": 0})
            row["projects"] += 1
            row["open_problems"] += open_problems
            row["red_flags"] += red
    return sorted(load.values(), key=lambda row: (-row["red_flags"], row["username"]))

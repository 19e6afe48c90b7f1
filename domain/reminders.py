"""Reminders ("我的提醒"): what a person is told about, made from the rules' obligations and from
the events recorded.

- `late` and `due_soon`: an obligation of the rules (domain.obligations.reminded: late, or due
  within REMINDER_WORKING_DAYS working days) to its owner; the service centre's to each office
  user of the county.
- `instruction`: a leader's instruction on a project, to its chief and co-agents.
- `escalation`: a problem escalated, to the project's agents and to whoever takes it over
  (the leader named, or the office users of the county).
- `team_added` and `team_removed`: a team change, to each person it adds or removes.

Each reminder has a key that says what it is about (an obligation: its rule, subject and due
date; an event: its version), so that the same reminder made twice is the same row: a view
stores it once whoever makes it. Pure: the view (projections.reminders) calls these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from domain.calendar import WorkingCalendar
from domain.history import History
from domain.obligations import OFFICE, reminded, standing

LATE, DUE_SOON = "late", "due_soon"
INSTRUCTION, ESCALATION = "instruction", "escalation"
TEAM_ADDED, TEAM_REMOVED = "team_added", "team_removed"
KINDS = (LATE, DUE_SOON, INSTRUCTION, ESCALATION, TEAM_ADDED, TEAM_REMOVED)
# An event is news for this long after its business date; older ones (a view built anew over
# years of history) are history, not reminders.
NEWS_DAYS = 14

Offices = Callable[[str | None], Iterable[str]]  # a county's office users


def reminder_id(project_id: Any, key: str) -> str:
    """The id of a reminder (the same for each person it goes to)."""
    return hashlib.sha256(f"{project_id}/{key}".encode()).hexdigest()[:24]


def _reminder(project: Any, key: str, kind: str, to: Iterable[str], on: date,
              **about: Any) -> list[dict[str, Any]]:
    base = {"id": reminder_id(project.id, key), "project_id": str(project.id),
            "project": project.name, "county": project.county, "kind": kind, "on": on,
            "rule": None, "subject": None, "due_on": None, "version": None, "actor": None}
    return [base | about | {"username": u} for u in dict.fromkeys(to) if u]


def obligation_reminders(project: Any, today: date, calendar: WorkingCalendar,
                         offices: Offices) -> list[dict[str, Any]]:
    """The reminders of what the project owes today, by the rules, to each owner."""
    rows = []
    for found in reminded(standing(History(project), today, calendar)):
        kind = LATE if found.late else DUE_SOON
        subject = {k: found.subject[k] for k in ("kind", "id", "title")}
        key = f"{kind}/{found.rule}/{subject['kind']}/{subject['id']}/{found.due_on}"
        to = offices(project.county) if found.owner == OFFICE else [found.owner]
        rows += _reminder(project, key, kind, to, today, rule=found.rule, subject=subject,
                          due_on=found.due_on)
    return rows


# The events that bring reminders of their own (by class name), while they are news.
NEWS_EVENTS = ("InstructionGiven", "ProblemEscalated", "TeamAssigned")


def is_news(event: Any, today: date) -> bool:
    """Whether the event brings reminders of its own today (see `event_reminders`)."""
    return type(event).__name__ in NEWS_EVENTS and \
        event.occurred_on >= today - timedelta(days=NEWS_DAYS)


def event_reminders(project: Any, event: Any, today: date, offices: Offices
                    ) -> list[dict[str, Any]]:
    """The reminders one event of `project` (the project as of that event) brings."""
    if not is_news(event, today):
        return []
    name = type(event).__name__
    on = event.occurred_on
    about = {"version": event.originator_version, "actor": event.actor}
    key = f"event/{event.originator_version}"
    agents = [project.chief_agent, *project.co_agents]
    mine = [u for u in agents if u != event.actor]
    if name == "InstructionGiven":
        subject = _problem(project, event.problem_id)
        return _reminder(project, key, INSTRUCTION, mine, on, subject=subject, **about)
    if name == "ProblemEscalated":
        to = offices(project.county) if event.escalated_to == OFFICE else [event.leader]
        return _reminder(project, key, ESCALATION, [*mine, *to], on,
                         subject=_problem(project, event.problem_id), **about)
    before = _team_before(project, event.originator_version)
    after = {project.chief_agent, *project.co_agents, project.leader} - {None}
    return (_reminder(project, key, TEAM_ADDED, sorted(after - before), on, **about)
            + _reminder(project, key, TEAM_REMOVED, sorted(before - after), on, **about))


def _problem(project: Any, problem_id: str | None) -> dict[str, Any] | None:
    if problem_id is None:
        return None
    problem = project.problems.get(problem_id) or {}
    return {"kind": "problem", "id": problem_id, "title": problem.get("title", problem_id)}


def _team_before(project: Any, version: int) -> set[str]:
    """The team (agents and leader) before the team change at `version`."""
    earlier = [t for t in project.team_history if t["version"] < version]
    if not earlier:
        return set()
    last = earlier[-1]
    return {last["chief_agent"], *last["co_agents"], last["leader"]} - {None}

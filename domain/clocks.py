"""Flags and milestone colours: the obligations of domain.obligations as a board shows them,
each able to explain itself.

A red flag is an obligation late on the day; a yellow one a milestone due within
DUE_SOON_WORKING_DAYS working days (or due today, or due over a weekend and not yet late).
Nothing here decides what is due or late: it reads `standing()`, as the reports do, so a board
and a report judged on the same day flag the same items with the same counts. A suspended or
terminated project shows no flags: one owes nothing while suspended, the other owes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.calendar import UNKNOWN, WorkingCalendar
from domain.history import History
from domain.obligations import (
    COMMITMENT_OVERDUE,
    CONDITION_OVERDUE,
    OPINION_OVERDUE,
    DUE_SOON_WORKING_DAYS,
    MILESTONE_OVERDUE,
    PROBLEM_FOLLOW_UP_LATE,
    PROBLEM_NOT_SOLVED_SAME_DAY,
    PROBLEM_PLAN_LATE,
    ActiveDays,
    Obligation,
    Standing,
    standing,
)
from domain.project import Project

__all__ = [
    "COMMITMENT_OVERDUE", "CONDITION_OVERDUE", "MILESTONE_DUE_SOON", "MILESTONE_OVERDUE",
    "OPINION_OVERDUE", "PROBLEM_FOLLOW_UP_LATE", "PROBLEM_NOT_SOLVED_SAME_DAY", "PROBLEM_PLAN_LATE", "Flag",
    "flags", "flags_of", "milestone_colours", "colours_of",
]

RED, YELLOW, GREEN = "red", "yellow", "green"
MILESTONE_DUE_SOON = "milestone_due_soon"


@dataclass(frozen=True)
class Flag:
    """A rule's verdict on one milestone, problem or commitment, with its reasons."""

    rule: str
    colour: str
    subject: dict[str, Any]  # kind, id, title, project_id, project (name)
    owner: str  # a username, or "office"
    due_on: date  # the working day it is (or was) due by
    working_days_late: int  # red: >= 1; yellow: 0
    working_days_left: int | None  # yellow: working days to due_on (0: due today)
    explanation: str  # in English, for the API's readers
    thresholds: dict[str, int]
    events: list[dict[str, Any]]  # version, type, occurred_on, actor of each event behind it
    reason: dict[str, Any]  # {"rule", "values"}: what a page words in its reader's language


def flags(project: Project, today: date, *, calendar: WorkingCalendar) -> list[Flag]:
    """Every red and yellow flag of a project on a day: red first, then by due date."""
    history = History(project)
    return flags_of(history, standing(history, today, calendar), calendar)


def milestone_colours(project: Project, today: date, *, calendar: WorkingCalendar
                      ) -> dict[str, str]:
    """The colour of each milestone owed on a day (planned, not reached nor skipped)."""
    history = History(project)
    return colours_of(standing(history, today, calendar))


def colours_of(found: Standing) -> dict[str, str]:
    """Milestone colours from a project's standing: red late, yellow due soon, else green."""
    if found.status != "active":
        return {}
    return {o.subject["id"]: RED if o.late else YELLOW if o.due_soon else GREEN
            for o in found.obligations if o.subject["kind"] == "milestone"}


def flags_of(history: History, found: Standing, calendar: WorkingCalendar) -> list[Flag]:
    """The flags of a project's standing, red first, then by due date."""
    if found.status != "active":
        return []
    result = []
    for obligation in found.obligations:
        if obligation.late:
            result.append(_flag(history, found, obligation, RED, obligation.rule, calendar))
        elif obligation.due_soon and obligation.rule == MILESTONE_OVERDUE:
            result.append(_flag(history, found, obligation, YELLOW, MILESTONE_DUE_SOON,
                                calendar))
    return sorted(result, key=lambda f: (f.colour != RED, f.due_on, f.rule, f.subject["id"]))


def _flag(history: History, found: Standing, o: Obligation, colour: str, rule: str,
          calendar: WorkingCalendar) -> Flag:
    paused, unknown = _admitted(history, o, found.day, calendar)
    return Flag(rule, colour, dict(o.subject), o.owner, o.due_on, o.working_days_late,
                o.working_days_left, _explain(o, rule, found.day) + _notes(paused, unknown),
                dict(o.thresholds), _cite(history.project, o.versions),
                _reason(o, rule, found.day, paused, unknown))


def _reason(o: Obligation, rule: str, day: date, paused: int, unknown: list[int]
            ) -> dict[str, Any]:
    """The rule and every value its explanation states, for a page to word in any language:
    the subject, the day judged on, the due date and the date promised (different when it
    fell on a day off), the days late or left, the thresholds, the facts the rule cites
    (`previous` plan, `granted_on` and `missing_documents`, `raised_on`, `old_on`,
    `since_kind` and `since_on` of the latest follow-up or reopening), the working days while
    suspended that do not count, and the years whose official calendar is not known."""
    facts = {key: value for key, value in o.facts.items() if key != "since"}
    since = o.facts.get("since")
    if "since" in o.facts:
        facts |= {"since_kind": since and since[0], "since_on": since and since[1]}
    return {"rule": rule, "values": {
        "kind": o.subject["kind"], "title": o.subject["title"], "day": day,
        "due_on": o.due_on, "promised_on": o.promised_on,
        "working_days_late": o.working_days_late, "working_days_left": o.working_days_left,
        **o.thresholds, **facts, "paused_working_days": paused, "unknown_years": unknown}}


def _explain(o: Obligation, rule: str, day: date) -> str:
    """What the rule says of this obligation on the day, in English (the pages translate
    from the flag's data)."""
    title, due, f = o.subject["title"], o.due_on, o.facts
    moved = f" (planned for {o.promised_on}, a day off)" if o.promised_on != due else ""
    if o.subject["kind"] in ("commitment", "condition") and moved:
        moved = f" (promised for {o.promised_on}, a day off)"
    late = f"{o.working_days_late} working days late"
    if rule == MILESTONE_DUE_SOON:
        replanned = f", replanned from {f['previous']}" if f.get("previous") else ""
        return (f"milestone {title} is due by {due}{moved}{replanned}, {o.working_days_left} "
                f"working days after {day}, and is not reached: yellow within "
                f"{DUE_SOON_WORKING_DAYS}")
    if rule == MILESTONE_OVERDUE:
        replanned = f", replanned from {f['previous']}" if f.get("previous") else ""
        return (f"milestone {title} was due by {due}{moved}{replanned} and is not reached on "
                f"{day}: {late}")
    if rule == COMMITMENT_OVERDUE:
        return (f"approval {title} was granted on {f['granted_on']} with documents missing "
                f"({', '.join(f['missing_documents'])}), due by {due}{moved}; they are not "
                f"supplied on {day}: {late}")
    if rule == CONDITION_OVERDUE:
        whose = f["department"] if f["party"] == "department" else "the investor"
        return (f"the park-entry review concluded on {f['concluded_on']} carried the condition "
                f"{title!r}, {whose}'s to meet by {due}{moved}; it is not met on {day}: {late}")
    if rule == OPINION_OVERDUE:
        return (f"the park-entry review {f['review_id']} convened on {f['convened_on']} invited "
                f"{title}, whose opinion was due within "
                f"{o.thresholds['opinion_within_working_days']} working days, by {due}; it is "
                f"not given on {day}: {late}")
    raised = f"problem {title!r} was raised on {f['raised_on']}"
    if rule == PROBLEM_NOT_SOLVED_SAME_DAY:
        return (f"{raised} as solvable the same day (不过夜), due by {due}, and is still open "
                f"on {day}: {late}")
    if rule == PROBLEM_PLAN_LATE:
        return (f"{raised} and has no solution plan on {day}; one was due within "
                f"{o.thresholds['plan_within_working_days']} working days, by {due}: {late}")
    since = f["since"]
    what = (f"{since[0].removeprefix('problem_').replace('_', ' ')} on {since[1]}" if since
            else f"not followed up since it became old on {f['old_on']}")
    return (f"{raised}, is old and must be followed up every "
            f"{o.thresholds['follow_up_every_working_days']} working days: {what}, so one was "
            f"due by {due}: {late}")


def _admitted(history: History, o: Obligation, day: date, calendar: WorkingCalendar
              ) -> tuple[int, list[int]]:
    """What an explanation must admit about its count: the working days while suspended that
    do not count, and the years whose official calendar is not known."""
    start, end = (o.due_on, day) if o.late else (day, o.due_on)
    # A problem's clock counts from its raising, an opinion's from the convening: the days it
    # skipped while suspended moved it.
    began = o.facts.get("raised_on") or o.facts.get("convened_on") or start
    paused = ActiveDays(calendar, history, day).paused(began, end)
    unknown = [year for year in range(start.year, end.year + 1)
               if calendar.source(year) == UNKNOWN]
    return paused, unknown


def _notes(paused: int, unknown: list[int]) -> str:
    text = f"; {paused} working days while suspended do not count" if paused else ""
    if unknown:
        text += (f"; the official calendar for {', '.join(map(str, unknown))} is not known "
                 "yet, so its working days are counted Monday to Friday")
    return text


def _cite(project: Project, versions: tuple[int, ...]) -> list[dict[str, Any]]:
    """The events behind a flag and the corrections that amended them, in version order."""
    cited: set[int] = set()
    for version in versions:
        cited.add(version)
        cited.update(project.fact(version)["corrected_by"])
    facts = [project.fact(version) for version in sorted(cited)]
    return [{"version": f["version"], "type": f["type"], "occurred_on": f["occurred_on"],
             "actor": f["actor"]} for f in facts]

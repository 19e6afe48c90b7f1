"""An event in a line, by what it recorded: its type, the milestone, problem or approval it is
about (or its gist), its business date and who recorded it, by name. Used wherever a person
picks or reads an event among many (the correction form, the recent events of a project)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.web.format import day, display_name, money
from app.web.labels import EVENT_LABELS, MILESTONE_LABELS, OPINION_LABELS, label

GIST = 24  # characters of a free text shown as an event's gist


def subject_of(event: dict[str, Any], project: dict[str, Any]) -> str:
    """What an event is about, in a few words: a milestone, a problem's or an approval's
    title, an amount, or the start of its text."""
    data, kind = event["data"], event["type"]
    if kind == "milestone_planned":
        return gettext("%(milestone)s for %(day)s",
                       milestone=label(MILESTONE_LABELS, data.get("milestone")),
                       day=day(data.get("planned_on")))
    if kind == "milestone_reached":
        return label(MILESTONE_LABELS, data.get("milestone"))
    if data.get("problem_id"):
        found = next((p for p in project.get("problems", [])
                      if p["id"] == data["problem_id"]), None)
        return found["title"] if found else data.get("title") or data["problem_id"]
    if data.get("approval_id"):
        found = next((a for a in project.get("approvals", [])
                      if a["id"] == data["approval_id"]), None)
        return found["item"] if found else data.get("item") or data["approval_id"]
    if kind == "park_review_convened":
        return "、".join(data.get("departments") or [])
    if kind == "park_review_opinion_given":
        return gettext("%(department)s: %(opinion)s", department=data.get("department"),
                       opinion=label(OPINION_LABELS, data.get("opinion")))
    if kind == "park_review_concluded":
        return gettext("passed") if data.get("passed") else gettext("not passed")
    if kind == "progress_reported":
        return money(data.get("investment_completed"))
    if kind == "team_assigned":
        return display_name(data.get("chief_agent"))
    if kind == "service_rated":
        return gettext("%(rating)s of 5", rating=data.get("rating"))
    if kind == "signed":
        return data.get("name") or ""
    if kind == "corrected":
        return gettext("v%(version)s", version=data.get("corrects_version"))
    text = next((data[name] for name in ("instruction", "purpose", "reason", "note")
                 if data.get(name)), "")
    return text if len(text) <= GIST else text[:GIST] + "…"


def event_line(event: dict[str, Any], project: dict[str, Any]) -> str:
    """`v12 · 节点计划：用地报批获批，计划 2026-05-01 · 2026-04-24 · 张伟`."""
    what = label(EVENT_LABELS, event["type"])
    subject = subject_of(event, project)
    if subject:
        what = gettext("%(what)s: %(subject)s", what=what, subject=subject)
    return " · ".join((f"v{event['version']}", what, day(event["occurred_on"]),
                       display_name(event["actor"])))

"""Who may see and record what: the roles of DOMAIN.md and the users' scopes as one rule."""

from __future__ import annotations

from typing import Any

from domain.counties import PROVINCE
from domain.errors import NotAllowed

# Events only the service centre (office) records.
OFFICE_ONLY = {"signed", "team_assigned", "service_rated"}
# What a leader records.
LEADER_TYPES = {"instruction_given"}


def check_can_record(
    user: dict[str, Any], event_type: str, team: list[str] | None,
    corrected: dict[str, Any] | None = None,
) -> None:
    """Raise NotAllowed unless this user may record this event type on a project with this team.

    For a correction, `corrected` has the `type` of the event it corrects and the `actor_role`
    of who recorded it: an agent corrects only what an agent could have recorded and did.
    """
    role, username = user["role"], user["username"]
    if user.get("disabled"):
        raise NotAllowed(f"{username} is disabled")
    if role == "office":
        return
    if role == "auditor":
        raise NotAllowed("auditors read everything and record nothing")
    if role == "leader":
        if event_type in LEADER_TYPES:
            return
        raise NotAllowed(f"leaders record leader instructions only, not {event_type}")
    if role == "agent":
        kind = corrected["type"] if event_type == "corrected" and corrected else event_type
        if kind in OFFICE_ONLY:
            raise NotAllowed(f"only the office records {kind}")
        if kind in LEADER_TYPES:
            raise NotAllowed(f"{kind} is recorded by the leader who gave it, or the office")
        if corrected and corrected.get("actor_role") not in (None, "agent"):
            raise NotAllowed("an agent cannot correct what the office or a leader recorded")
        if team is None or username not in team:
            raise NotAllowed(f"{username} is not on this project's team")
        return
    raise NotAllowed(f"unknown role {role!r}")  # pragma: no cover


def scope_of(user: dict[str, Any], home: str | None) -> str | None:
    """The county a user serves (a code; None while no county is listed), or "province"."""
    return user.get("scope") or home


def sees(user: dict[str, Any], county: str | None, home: str | None) -> bool:
    """Whether a user may see a county's projects, boards and reports: those of their own
    county, or every county for a province user. A project that names no county is the home
    county's."""
    scope = scope_of(user, home)
    return scope == PROVINCE or scope == (county or home)


def check_can_serve(user: dict[str, Any]) -> None:
    """Raise NotAllowed for a province user: they read every county and record on none (the
    province office signs nothing on a county's behalf)."""
    if user.get("scope") == PROVINCE:
        raise NotAllowed("province users read every county and record on none: a county's "
                         "own users record its projects")

"""Which county a page shows to the signed-in user: their own, or for a province user the one
asked for (`?county=`), or every county; and for a province user who asked for none, the
counties to choose one from."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_login import current_user

from app.store import service
from domain.counties import PROVINCE


def county_filter() -> dict[str, Any]:
    """The filter of the project cards for the signed-in user (`county`, `home`)."""
    banban = service()
    scope = banban.scope_of_user(banban.user(current_user.username))
    county = (request.args.get("county") or None) if scope == PROVINCE else scope
    return {"county": county, "home": banban.home_county()}


def counties_with_projects(banban: Any) -> list[dict[str, Any]]:
    """Every listed county with how many projects it has (from the directory: no project is
    loaded)."""
    listed = banban.directory.by_county() if banban.directory is not None else {}
    return [county | {"projects": len(listed.get(county["code"], ()))}
            for county in banban.counties()]


# What narrows a project list without naming a county: asked for, the province's projects
# are listed (those the reader leads, or a search), not the counties.
NARROWING = ("q", "mine", "led", "phase", "status")


def counties_first() -> list[dict[str, Any]] | None:
    """For a province user who asked for no county and nothing that narrows the list, while
    several counties are listed: the counties to choose one from (a page of each of a
    province's 50,000 projects would load every one and help no one); else None, and the
    page shows the projects `county_filter` keeps."""
    banban = service()
    if request.args.get("county") or any(request.args.get(name) for name in NARROWING) or \
            banban.scope_of_user(banban.user(current_user.username)) != PROVINCE:
        return None
    counties = counties_with_projects(banban)
    return counties if len(counties) > 1 else None


def asked_county() -> dict[str, Any] | None:
    """The county a province user asked for (`?county=`; 404 if it is not listed), or None
    (a county user's pages are their own county's, whatever they ask)."""
    code = request.args.get("county")
    banban = service()
    if not code or banban.scope_of_user(banban.user(current_user.username)) != PROVINCE:
        return None
    found = next((c for c in banban.counties() if c["code"] == code), None)
    if found is None:
        abort(404)
    return found

"""Which county a page shows to the signed-in user: their own, or for a province user the one
asked for (`?county=`), or every county."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from app.store import service
from domain.counties import PROVINCE


def county_filter() -> dict[str, Any]:
    """The filter of the project cards for the signed-in user (`county`, `home`)."""
    banban = service()
    scope = banban.scope_of_user(banban.user(current_user.username))
    county = (request.args.get("county") or None) if scope == PROVINCE else scope
    return {"county": county, "home": banban.home_county()}

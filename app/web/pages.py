"""The start page, which takes each role where it works."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

bp = Blueprint("pages", __name__)

# Where each role works: (endpoint, its arguments).
HOME_OF_ROLE = {
    "agent": ("agents.board", {}),
    "leader": ("leaders.dispatch", {"cadence": "weekly"}),
    "office": ("agents.projects", {}),
    "auditor": ("audit.index", {}),
}


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    endpoint, arguments = HOME_OF_ROLE[current_user.role]
    return redirect(url_for(endpoint, **arguments))

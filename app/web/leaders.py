"""Pages for leaders: the dispatch report of each cadence, its pictures, print and Excel."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.web.auth import roles_required

bp = Blueprint("leaders", __name__)


@bp.get("/dispatch/<cadence>")
@roles_required("leader", "office", "auditor")
def dispatch(cadence: str):
    return render_template("leaders/dispatch.html", cadence=cadence)

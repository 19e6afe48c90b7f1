"""Pages for help secretaries: their board, project pages and the forms that record events."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.web.auth import roles_required

bp = Blueprint("agents", __name__)


@bp.get("/board")
@roles_required("agent")
def board():
    return render_template("agents/board.html")


@bp.get("/projects")
@roles_required()
def projects():
    return render_template("agents/projects.html")

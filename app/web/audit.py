"""Pages for auditors: full histories, projects as of any moment, published reports."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.web.auth import roles_required

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("")
@roles_required("auditor")
def index():
    return render_template("audit/index.html")

"""My reminders ("我的提醒"): the page, opening one (read, then its project), reading them all,
and the count of unread ones in every page's header."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from app.store import reminders
from app.web.auth import roles_required

bp = Blueprint("my_reminders", __name__)


@bp.app_context_processor
def unread_reminders() -> dict[str, Any]:
    """The header's count of the signed-in user's unread reminders."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_reminders": reminders().view.unread_count(current_user.username)}


@bp.get("/reminders")
@roles_required()
def index():
    """My reminders, newest first, the unread ones marked."""
    return render_template("reminders/index.html",
                           reminders=reminders().view.reminders(current_user.username))


@bp.get("/reminders/<reminder_id>")
@roles_required()
def open_reminder(reminder_id: str):
    """Open a reminder: it is read, and its project is shown."""
    view = reminders().view
    found = view.reminder(current_user.username, reminder_id)
    if found is None:
        abort(404)
    view.mark_read(current_user.username, [reminder_id])
    return redirect(url_for("agents.project", project_id=found["project_id"]))


@bp.post("/reminders/read")
@roles_required()
def read_all():
    """Mark every reminder of mine read."""
    reminders().view.mark_read(current_user.username)
    return redirect(url_for("my_reminders.index"))

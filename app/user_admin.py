"""What the office does to users, for its pages (app/web/office.py) and the API
(app/api/users.py) alike: each change is the domain's command, checked first against whom the
office manages, with a password made here and shown once, and the user's web sessions ended
where the change should end them (as `flask users` does)."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app

from app.security import hash_password
from app.store import service

# What the office may do to a user, each by the same name on the page and in the API.
ACTIONS = ("rename", "password", "token", "disable", "enable", "sign_out")


def new_password() -> str:
    """A random password, shown once to whoever made it."""
    return secrets.token_urlsafe(12)


def end_sessions(username: str) -> int:
    """Delete the user's web sessions (each is refused anyway on its next request)."""
    return current_app.extensions["banban.store"].web_state().delete_user_sessions(username)


def create(actor: str, username: str, role: str, display_name: str,
           scope: str | None) -> tuple[dict[str, Any], str]:
    """Create a user in a scope the office manages; the user and their password."""
    banban = service()
    banban.check_manages(actor, scope=scope)
    password = new_password()
    made = banban.register_user(username.strip(), role, actor=actor, display_name=display_name,
                                password_hash=hash_password(password), scope=scope)
    return made, password


def act(actor: str, username: str, action: str, *, display_name: str | None = None,
        reason: str | None = None) -> str | None:
    """Do one of ACTIONS to a user the office manages; the new password for `password`, the
    new API token for `token` (as `flask users token` gives it: shown once, only its digest
    is recorded)."""
    banban = service()
    banban.check_manages(actor, username)
    if action == "rename":
        banban.rename_user(username, display_name, actor=actor)
        return None
    if action == "enable":
        banban.enable_user(username, actor=actor)
        return None
    if action == "token":
        return banban.issue_token(username, actor=actor)
    password = None
    if action == "password":
        password = new_password()
        banban.set_password(username, hash_password(password), actor=actor)
    elif action == "disable":
        banban.disable_user(username, actor=actor, reason=reason)
    else:
        banban.sign_out_everywhere(username, actor=actor)
    end_sessions(username)
    return password


def sign_out(actor: str, username: str) -> None:
    """End every web session of a user: the office's for one it manages, anyone's for
    themselves."""
    if actor == username:
        service().sign_out_everywhere(username, actor=actor)
        end_sessions(username)
    else:
        act(actor, username, "sign_out")

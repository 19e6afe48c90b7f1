"""Signing in and out of the web pages: Flask-Login over sessions held on the server
(app/web/sessions.py), sign-in attempts limited across workers (app/web/limits.py)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app import user_admin
from app.security import hash_password, password_problem, verify_password
from app.store import service
from app.web import limits, sessions
from app.web.redirects import local_path
from domain.errors import UserNotFound

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
# Failed attempts, counted in the store across every worker (a success costs nothing).
limiter = Limiter(key_func=get_remote_address, storage_uri=limits.URI,
                  strategy="fixed-window")
# Guessing one account's password is limited per address and username; the address limit
# stops one address trying many accounts.
ACCOUNT_LIMIT = "10 per minute; 50 per hour"
ADDRESS_LIMIT = "60 per minute"


def account_key() -> str:
    return f"{get_remote_address()}|{(request.form.get('username') or '').strip().lower()}"


class WebUser(UserMixin):
    """A signed-in user; the session id changes when the password does, ending old sessions."""

    def __init__(self, user: dict[str, Any], password_hash: str | None):
        self.username: str = user["username"]
        self.role: str = user["role"]
        self.display_name: str = user["display_name"]
        self._stamp = (password_hash or "")[-12:]

    def get_id(self) -> str:
        return f"{self.username}|{self._stamp}"


def load_user(session_id: str) -> WebUser | None:
    """The session's user, if the session still stands: the user exists and is enabled, the
    password is the one signed in with, the office has not signed the user out everywhere
    since, and the sign-in is not older than the absolute lifetime. Else the session ends."""
    username, _, stamp = session_id.partition("|")
    try:
        user = service().user(username)
        password_hash = service().password_hash(username)
    except UserNotFound:
        user = password_hash = None
    ended = user and user["sessions_ended_at"]
    signed_in_at = session.get(sessions.SIGNED_IN_AT) or 0
    if (user is None or user["disabled"] or WebUser(user, password_hash).get_id() != session_id
            or (ended and ended.timestamp() >= signed_in_at)
            or sessions.too_old(current_app)):
        session.clear()
        return None
    return WebUser(user, password_hash)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=32)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(),
                                                                Length(max=200)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    again = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])

    def validate_new(self, field) -> None:
        problem = password_problem(field.data or "", current_user.username,
                                   current_user.display_name)
        if problem:
            raise ValidationError(PASSWORD_PROBLEMS[problem.code])


# What a person is told of a password refused (app.security.password_problem's codes).
PASSWORD_PROBLEMS = {
    "too_short": _l("A password needs at least 10 characters."),
    "guessable": _l("This password is too easy to guess: avoid names, dates, words and common "
                    "patterns; a few unrelated words or a long mix of characters will do."),
}


def failed(response) -> bool:
    """Whether a sign-in attempt failed (only failures count towards the limits)."""
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key, deduct_when=failed)
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    refused = False
    if form.validate_on_submit():
        user = load_credentials(form.username.data.strip(), form.password.data)
        if user is not None:
            sessions.start()  # a new session id: one fixed before sign-in is worth nothing
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        refused = True
    status = 401 if refused else 200
    return render_template("auth/login.html", form=form, failed=refused), status


def load_credentials(username: str, password: str) -> WebUser | None:
    """The enabled user whose password this is, or None. Every failure (no such user, a
    disabled one, a wrong password) verifies a password hash first, so all take as long."""
    try:
        user = service().user(username)
        password_hash = service().password_hash(username)
    except UserNotFound:
        user = password_hash = None
    right = verify_password(password_hash, password)
    if user is None or user["disabled"] or not right:
        return None
    return WebUser(user, password_hash)


@bp.post("/logout")
def logout():
    """End the session everywhere: its record on the server is deleted, so a copy of the
    cookie is worth nothing afterwards."""
    language = session.get("lang")
    logout_user()
    session.clear()
    sessions.session_interface().regenerate(session)  # and deletes the record
    if language:
        session["lang"] = language
    flash(_l("You have signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password: every other session of the user ends, this one goes on."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    form = PasswordForm()
    if form.validate_on_submit():
        username = current_user.username
        if load_credentials(username, form.current.data) is None:
            form.current.errors.append(_l("This is not your current password."))
        else:
            service().set_password(username, hash_password(form.new.data), actor=username)
            user_admin.end_sessions(username)
            user = load_credentials(username, form.new.data)
            sessions.start()
            login_user(user)
            flash(_l("Your password is changed; you are signed out everywhere else."))
            return redirect(url_for("pages.home"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.post("/account/sign-out-everywhere")
def sign_out_everywhere():
    """End every session of the signed-in user, this one included."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    user_admin.sign_out(current_user.username, current_user.username)
    return logout()


def safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in; never another site."""
    return local_path(target) or url_for("pages.home")


def roles_required(*roles: str):
    """Only signed-in users of these roles (403 for the others)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def init_app(app: Flask) -> None:
    sessions.init_app(app, lambda: app.extensions["banban.store"].web_state())
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
    limiter.init_app(app)

"""Signing in and out of the web pages (Flask-Login sessions, rate-limited attempts)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.security import verify_password
from app.store import service
from domain.errors import UserNotFound

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
# Counted per worker process (memory): with N workers the limits are at most N times these.
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://",
                  strategy="moving-window")
# Guessing one account's password is limited per address and username; a whole office
# behind one NAT address signing in at the start of the day stays well under the second.
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
    username, _, stamp = session_id.partition("|")
    try:
        user = service().user(username)
        password_hash = service().password_hash(username)
    except UserNotFound:
        return None
    web_user = WebUser(user, password_hash)
    if user["disabled"] or web_user.get_id() != session_id:
        return None
    return web_user


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=32)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key)
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = load_credentials(form.username.data.strip(), form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else 200
    return render_template("auth/login.html", form=form, failed=failed), status


def load_credentials(username: str, password: str) -> WebUser | None:
    """The enabled user whose password this is, or None (the same answer for every failure)."""
    try:
        user = service().user(username)
        password_hash = service().password_hash(username)
    except UserNotFound:
        return None
    if user["disabled"] or not verify_password(password_hash, password):
        return None
    return WebUser(user, password_hash)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_l("You have signed out."))
    return redirect(url_for("auth.login"))


def safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in; never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.home")


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
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
    limiter.init_app(app)

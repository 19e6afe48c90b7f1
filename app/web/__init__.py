"""The web pages: server-rendered, for help secretaries, leaders and auditors.

Everything a page needs is served by the app itself (county intranets have no internet).
Security comes from libraries: Flask-Login (sessions), Flask-WTF (CSRF on every form),
Flask-Limiter (login attempts) and Flask-Talisman (security headers and the content security
policy, which allows no inline script or style).
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from app.web import (
    agents,
    audit,
    auth,
    errors,
    format,
    i18n,
    inputs,
    leaders,
    office,
    pages,
    reminders,
)
from app.web.secret import secret_key

csrf = CSRFProtect()
talisman = Talisman()

CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask, api_blueprints: list) -> None:
    """Attach sessions, CSRF, headers, languages and the page blueprints."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    secure = bool(app.config.get("BANBAN_HTTPS"))
    app.config.setdefault("SESSION_COOKIE_SECURE", secure)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)  # a form may stay open all day

    app.request_class = inputs.Request  # form bytes that are not UTF-8 become U+FFFD
    csrf.init_app(app)
    for blueprint in api_blueprints:
        csrf.exempt(blueprint)  # the API authenticates with bearer tokens, not cookies
    # County intranets often serve plain HTTP: HTTPS is enforced only when configured.
    talisman.init_app(app, content_security_policy=CSP, force_https=secure,
                      session_cookie_secure=secure, strict_transport_security=secure,
                      referrer_policy="same-origin", frame_options="DENY")
    i18n.init_app(app)
    auth.init_app(app)
    format.init_app(app)
    errors.init_app(app)
    for blueprint in (auth.bp, pages.bp, agents.bp, leaders.bp, audit.bp, reminders.bp,
                      office.bp):
        app.register_blueprint(blueprint)

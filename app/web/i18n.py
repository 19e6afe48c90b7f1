"""Languages: Simplified Chinese by default, English on request (Flask-Babel)."""

from __future__ import annotations

import os

from flask import Blueprint, Flask, redirect, request, session, url_for
from flask_babel import Babel

from app.web.redirects import local_path

# Locale code -> the language's own name, as the picker shows it.
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LOCALE = "zh_CN"
TRANSLATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "translations")

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    """The language chosen in this session, else Chinese (the county's language)."""
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LOCALE


def html_lang(locale: str) -> str:
    """The page's `lang` attribute: zh_CN -> zh-CN."""
    return locale.replace("_", "-")


@bp.post("/lang/<code>")
def choose(code: str):
    """Switch the session's language and go back where the user was."""
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(local_path(request.form.get("next")) or url_for("pages.home"))


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.abspath(TRANSLATIONS))
    app.config.setdefault("WTF_I18N_ENABLED", True)
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    @app.context_processor
    def languages():
        from flask_babel import get_locale

        locale = "zh_CN" if get_locale().language == "zh" else "en"
        return {"LANGUAGES": LANGUAGES, "current_locale": locale,
                "html_lang": html_lang(locale)}

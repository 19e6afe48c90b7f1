"""Sessions held on the server (Flask-Session), in the web state beside the store.

The browser holds only a random session id; what the session says (who is signed in, the
language, the CSRF secret) is in the `banban_sessions` table. So signing out deletes the session
everywhere at once: a copy of the cookie taken before is worth nothing after. A session ends when
it has been idle for `BANBAN_SESSION_IDLE_MINUTES` (480: a working day) or is older than
`BANBAN_SESSION_MAX_HOURS` (24) since its sign-in; a password change, disabling the user and the
office's "sign out everywhere" end every session of the user at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import msgspec
from flask import Flask, session
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_babel import LazyString

from app.state import WebState

IDLE_MINUTES = 480
MAX_HOURS = 24
SIGNED_IN_AT = "signed_in_at"  # the session's key for when its user signed in (epoch seconds)


class StoreSessionInterface(ServerSideSessionInterface):
    """Flask-Session's server-side sessions, kept in the web state's sessions table."""

    ttl = False  # rows carry their expiry; expired ones are deleted now and then

    def __init__(self, app: Flask, state: Callable[[], WebState]) -> None:
        self.state = state
        super().__init__(app, key_prefix="", permanent=False, sid_length=32,
                         serialization_format="msgpack", cleanup_n_requests=500)
        # Flashed messages may be lazy translations: stored as the text they read now.
        self.serializer.encoder = msgspec.msgpack.Encoder(enc_hook=_plain)

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        data = self.state().session(store_id, time.time())
        return None if data is None else self.serializer.decode(data)

    def _delete_session(self, store_id: str) -> None:
        self.state().delete_session(store_id)

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        # Flask-Login keeps "<username>|<password stamp>" as the user id.
        user_id = session.get("_user_id")
        username = user_id.partition("|")[0] if isinstance(user_id, str) else None
        self.state().save_session(store_id, username, self.serializer.encode(session),
                                  time.time() + session_lifetime.total_seconds())

    def _delete_expired_sessions(self) -> None:
        self.state().delete_expired(time.time())


def _plain(value: Any) -> Any:
    if isinstance(value, LazyString):
        return str(value)
    raise TypeError(f"a session cannot hold a {type(value).__name__}")


def init_app(app: Flask, state: Callable[[], WebState]) -> None:
    """Keep the app's sessions on the server, idle and absolute lifetimes configured."""
    idle = int(app.config.get("BANBAN_SESSION_IDLE_MINUTES") or IDLE_MINUTES)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=idle)
    app.config.setdefault("SESSION_REFRESH_EACH_REQUEST", True)  # idle time, not since sign-in
    app.config.setdefault("BANBAN_SESSION_MAX_HOURS", MAX_HOURS)
    app.session_interface = StoreSessionInterface(app, state)


def start(signed_in_at: float | None = None) -> None:
    """A new session for a user signing in: a new id (the old one ends), and the time."""
    interface = session_interface()
    interface.regenerate(session)
    session[SIGNED_IN_AT] = time.time() if signed_in_at is None else signed_in_at


def too_old(app: Flask) -> bool:
    """Whether the session's sign-in is older than the absolute lifetime."""
    signed_in_at = session.get(SIGNED_IN_AT)
    limit = float(app.config["BANBAN_SESSION_MAX_HOURS"]) * 3600
    return signed_in_at is None or time.time() - float(signed_in_at) > limit


def session_interface() -> StoreSessionInterface:
    from flask import current_app

    return current_app.session_interface  # type: ignore[return-value]

"""The User aggregate: an account with a role, a password hash, API tokens, and its history.

Passwords arrive already hashed (the web layer owns the hashing library); API tokens are
random secrets of which only a SHA-256 digest is recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.counties import PROVINCE
from domain.errors import DomainError, InvalidValue
from domain.fields import coerce_text, is_username
from domain.lifecycle import ROLES
from domain.text import is_blank

_USER_NAMESPACE = uuid5(NAMESPACE_URL, "urn:banban:user")


def user_id(username: str) -> UUID:
    """The aggregate id of a username: stable, so a user is found by name without an index."""
    return uuid5(_USER_NAMESPACE, username)


def digest(secret: str) -> str:
    """The recorded digest of a token secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class User(Aggregate):
    """A person who signs in: agent, office, leader or auditor."""

    class Event(Aggregate.Event):
        actor: str

    class Registered(Event, Aggregate.Created):
        # v2 gives the user's scope: a county's code, or "province" (v1: the home county).
        class_version = 2
        username: str
        role: str
        display_name: str
        password_hash: str | None
        scope: str | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["scope"] = None

    class PasswordSet(Event):
        password_hash: str

        def apply(self, aggregate: User) -> None:
            aggregate.password_hash = self.password_hash

    class TokenIssued(Event):
        token_digest: str

        def apply(self, aggregate: User) -> None:
            aggregate.token_digests.append(self.token_digest)

    class Disabled(Event):
        reason: str | None

        def apply(self, aggregate: User) -> None:
            aggregate.disabled = True

    class Enabled(Event):
        def apply(self, aggregate: User) -> None:
            aggregate.disabled = False

    class Renamed(Event):
        """The name people read the user by changed (the username stays)."""

        display_name: str

        def apply(self, aggregate: User) -> None:
            aggregate.display_name = self.display_name

    class SignedOutEverywhere(Event):
        """Every session of the user begun before this ended (signing in again starts anew)."""

        def apply(self, aggregate: User) -> None:
            aggregate.sessions_ended_at = self.timestamp

    # The county (code) whose projects the user sees and serves, "province" for every county,
    # None for the home county. A class default too, for users loaded from before scopes.
    scope: str | None = None

    def __init__(self, username: str, role: str, display_name: str, password_hash: str | None,
                 scope: str | None = None):
        self.scope = scope
        self.username = username
        self.role = role
        self.display_name = display_name
        self.password_hash = password_hash
        self.token_digests: list[str] = []
        self.disabled = False
        self.sessions_ended_at = None

    @classmethod
    def register(
        cls, *, username: str, role: str, display_name: str | None, password_hash: str | None,
        actor: str, scope: str | None = None,
    ) -> User:
        """Create an account; the username is its identity for good."""
        if not is_username(username):
            raise InvalidValue(
                "username must be 2-32 lowercase letters, digits, '.', '_' or '-', "
                "starting with a letter", field="username",
            )
        if role not in ROLES:
            raise InvalidValue(f"role must be one of {', '.join(ROLES)}", field="role")
        if scope == PROVINCE and role == "agent":
            raise InvalidValue("an agent serves one county's projects: give --county",
                               field="scope")
        if display_name is None or is_blank(display_name):
            display_name = username
        return cls._create(
            cls.Registered, id=user_id(username), actor=actor, username=username, role=role,
            display_name=coerce_text("display_name", display_name, long=False),
            password_hash=password_hash, scope=scope,
        )

    def set_password(self, password_hash: str, *, actor: str) -> None:
        """Replace the password hash."""
        self.trigger_event(self.PasswordSet, actor=actor, password_hash=password_hash)

    def issue_token(self, *, actor: str) -> str:
        """Make a new API token; only its digest is recorded, the token is shown once."""
        secret = secrets.token_urlsafe(32)
        self.trigger_event(self.TokenIssued, actor=actor, token_digest=digest(secret))
        return f"{self.username}.{secret}"

    def disable(self, *, actor: str, reason: str | None = None) -> None:
        """Refuse this user from now on (history keeps everything they did)."""
        if self.disabled:
            raise DomainError(f"{self.username} is already disabled", field="username",
                              code="no_change")
        self.trigger_event(self.Disabled, actor=actor, reason=reason)

    def enable(self, *, actor: str) -> None:
        """Let a disabled user in again."""
        if not self.disabled:
            raise DomainError(f"{self.username} is not disabled", field="username",
                              code="no_change")
        self.trigger_event(self.Enabled, actor=actor)

    def rename(self, display_name: str, *, actor: str) -> None:
        """Change the name shown for this user everywhere."""
        if display_name is None or is_blank(display_name):
            raise InvalidValue("display_name must not be blank", field="display_name")
        name = coerce_text("display_name", display_name, long=False)
        if name == self.display_name:
            raise DomainError(f"{self.username} is already called {name}",
                              field="display_name", code="no_change")
        self.trigger_event(self.Renamed, actor=actor, display_name=name)

    def sign_out_everywhere(self, *, actor: str) -> None:
        """End every session of the user that began before now."""
        self.trigger_event(self.SignedOutEverywhere, actor=actor)

    def accepts_token_secret(self, secret: str) -> bool:
        """Whether a token secret is one of this user's, compared in constant time."""
        wanted = digest(secret)
        return any(hmac.compare_digest(wanted, known) for known in self.token_digests)

    def as_dict(self) -> dict:
        """Plain data for callers (never the password hash's use outside sign-in)."""
        return {
            "username": self.username, "role": self.role, "display_name": self.display_name,
            "disabled": self.disabled, "created_at": self.created_on, "scope": self.scope,
            "sessions_ended_at": self.sessions_ended_at,
        }



# Every stored User event class, by its stored topic: `Banban.users` and the workers' watch of
# users (domain.user_watch) follow them in the log.
USER_TOPICS = sorted(get_topic(cls) for cls in vars(User).values()
                     if isinstance(cls, type) and issubclass(cls, User.Event)
                     and cls is not User.Event)

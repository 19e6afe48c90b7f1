"""The office's side of users: which users an office manages (those of its county; every one
for the province's office), and the changes it makes to them with the same rules and history
as the command line.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

from typing import Any

from domain.access import PROVINCE, scope_of
from domain.errors import NotAllowed
from domain.users import user_id


class Staffing:
    """Users as an office manages them."""

    def managed_users(self, actor: str) -> list[dict[str, Any]]:
        """The users an office manages, in order of registration."""
        office = self._manager(actor)
        return [u for u in self.users() if self._manages(office, u)]

    def check_manages(self, actor: str, username: str | None = None,
                      scope: str | None = None) -> dict[str, Any]:
        """The office user `actor`, if they may manage this user (or create one in `scope`);
        NotAllowed otherwise."""
        office = self._manager(actor)
        target = self.user(username) if username is not None else {
            "scope": self.scope_named(scope or office["scope"], "office")}
        if not self._manages(office, target):
            raise NotAllowed(f"{actor} manages the users of their own county only")
        return office

    def user_history(self, username: str) -> list[dict[str, Any]]:
        """What was done to a user, oldest first: each change, who made it and when (no
        password hash or token digest)."""
        self.user(username)  # UserNotFound
        return [{"type": type(e).__name__, "actor": e.actor, "recorded_at": e.timestamp,
                 "reason": getattr(e, "reason", None),
                 "display_name": getattr(e, "display_name", None),
                 "role": getattr(e, "role", None)}
                for e in self.events.get(user_id(username))]

    def rename_user(self, username: str, display_name: str, *, actor: str) -> None:
        """Change the name a user is shown by."""
        self._change_user(username, lambda user: user.rename(display_name, actor=actor))

    def enable_user(self, username: str, *, actor: str) -> None:
        """Let a disabled user sign in again."""
        self._change_user(username, lambda user: user.enable(actor=actor))

    def _manager(self, actor: str) -> dict[str, Any]:
        office = self.user(actor)
        if office["role"] != "office" or office["disabled"]:
            raise NotAllowed("only the office manages users")
        return office

    def _manages(self, office: dict[str, Any], user: dict[str, Any]) -> bool:
        home = self.home_county()
        mine = scope_of(office, home)
        return mine == PROVINCE or scope_of(user, home) == mine

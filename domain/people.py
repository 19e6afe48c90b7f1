"""What the application needs of a view of every user (projections.people keeps one)."""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol
from uuid import UUID


class Person(NamedTuple):
    """A user as a view of every user keeps it."""

    user_id: UUID
    registered: int  # the notification id of the user's registration
    changed: int  # the notification id of the user's last event
    user: dict[str, Any]  # as `User.as_dict` gives it


class PeopleView(Protocol):
    """Every user, kept current by the user events."""

    def people(self, application_name: str, since: int = 0) -> tuple[int, list[Person]]:
        """The position in the log the view reflects, and the users whose last event is
        after notification `since` (0: every user) in order of registration: read together,
        as of one moment (a rebuild emptying the view between two reads cannot pass a
        change over)."""

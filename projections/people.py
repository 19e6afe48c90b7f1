"""The people: every user as lists name them, one row per user, kept by the user events.

Every page names people by display name, the staffing of a county lists its office's users and
the digest writes to each of them, so the application asks for every user often. Read from
the log, the first such question in a process reads every user event from the start: on
PostgreSQL a scan of the whole log (it has no index by topic), at province scale millions of
rows. Kept here, a process reads the rows of the users changed since it last looked
(`Banban.users`): none, mostly.

A row is a user as of its last event the view has applied (its plain data, as
`User.as_dict` gives it), with the notification id of its registration (the lists' order) and
of its last event (what changed since a position).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository
from eventsourcing.persistence import Notification

from domain.application import Banban
from domain.canonical import to_json
from domain.people import Person
from domain.users import USER_TOPICS
from projections.views import View, open_view

# The live view's tables (the number moves when what a row holds changes).
PEOPLE_PREFIX = "banban_people_v1"
# The keys of a user's plain data that are moments (kept as ISO text).
_MOMENTS = ("created_at", "sessions_ended_at")


class PeopleView(View, ABC):
    """Stores one row per user together with the position they reflect."""

    @abstractmethod
    def people(self, application_name: str, since: int = 0) -> tuple[int, list[Person]]:
        """The position in the log the view reflects, and the users whose last event is
        after notification `since` (0: every user) in order of registration, read in one
        statement."""


class People:
    """Keeps one row per user, as of the last user event the view has applied."""

    name = PEOPLE_PREFIX
    topics = tuple(USER_TOPICS)

    def __init__(self, view: PeopleView, app: Banban, repository: Repository | None = None):
        self.view = view
        self.app = app
        # A replay passes a repository without snapshots: its rows come from the events alone.
        self.repository = app.repository if repository is None else repository

    def rows_for_notifications(self, notifications: Sequence[Notification]
                               ) -> list[dict[str, Any]]:
        """A row per user the notifications are about, as of the last of them (a user is
        loaded at that version: one that changed again since is its next batch's)."""
        first: dict[UUID, int] = {}
        last: dict[UUID, tuple[int, int]] = {}
        for notification in notifications:
            first.setdefault(notification.originator_id, notification.id)
            last[notification.originator_id] = (notification.id, notification.originator_version)
        rows = []
        for user_id, (changed, version) in last.items():
            user = self.repository.get(user_id, version=version)
            rows.append({"user_id": user_id, "username": user.username,
                         "registered": first[user_id], "changed": changed,
                         "person": to_json(user.as_dict())})
        return rows


def person_out(user_id: Any, registered: int, changed: int, text: str) -> Person:
    """A row as handed out: the user's plain data with its moments as datetimes again."""
    user = json.loads(text)
    for key in _MOMENTS:
        if user.get(key) is not None:
            user[key] = datetime.fromisoformat(user[key])
    return Person(UUID(str(user_id)), registered, changed, user)


def open_people_view(app: Banban, prefix: str = PEOPLE_PREFIX) -> PeopleView:
    """The people view for the application's store, its tables created if missing."""
    return open_view(app, "people", prefix)  # type: ignore[return-value]

"""Reminders ("我的提醒") as a view the events keep: one row per person and reminder, stored once
however many workers and runners make it, with what each person has read.

The events bring the reminders of instructions, escalations and team changes, and of what each
project they touch owes today (domain.reminders). What falls due or late while nothing is
recorded is found by a sweep of every project once a day (`sweep`), by whichever process reads
the view first that day. A reminder's key says what it is about, so a row made twice (two
processes, or a sweep after an event) is inserted once: its primary key keeps it single.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from eventsourcing.application import Repository
from eventsourcing.utils import get_topic

from domain.access import scope_of
from domain.application import Banban
from domain.project import PROJECT_TOPICS, Project
from domain.reminders import (
    DUE_SOON,
    LATE,
    NEWS_DAYS,
    NEWS_EVENTS,
    event_reminders,
    is_news,
    obligation_reminders,
)
from projections.folded import FOLDED, Folded, FoldingProjection
from projections.views import View, open_view

REMINDERS_PREFIX = "banban_reminders_v1"
# The columns of a reminder row, in table order.
COLUMNS = ("username", "id", "project_id", "project", "county", "kind", "rule", "subject",
           "due_on", "version", "actor", "on_day")


class RemindersView(View, ABC):
    """Reminder rows, what each person has read, and the last day swept."""

    # What a person has read, and the digests sent, are not derived: a rebuild keeps them.
    kept = ("read", "sent")

    @abstractmethod
    def reminders(self, username: str, *, unread: bool = False, limit: int = 200
                  ) -> list[dict[str, Any]]:
        """A person's reminders, newest first, each with `read`."""

    @abstractmethod
    def unread_count(self, username: str) -> int:
        """How many of a person's reminders are unread."""

    @abstractmethod
    def mark_read(self, username: str, ids: Iterable[str] | None = None) -> int:
        """Mark a person's reminders read (all when `ids` is None); how many were unread."""

    @abstractmethod
    def swept_on(self) -> date | None:
        """The last day the sweep ran."""

    @abstractmethod
    def save_sweep(self, day: date, rows: Sequence[dict[str, Any]]) -> None:
        """Insert a sweep's rows (those already stored are left) and note the day swept."""

    @abstractmethod
    def recipients_on(self, day: date) -> list[str]:
        """Who has reminders of a day (the day's digests)."""

    @abstractmethod
    def claim_digest(self, username: str, day: date) -> bool:
        """Note a person's digest of a day as being sent; False if it was already."""

    @abstractmethod
    def release_digest(self, username: str, day: date) -> None:
        """Forget a claim whose digest could not be sent (the next run tries again)."""

    def reminder(self, username: str, reminder_id: str) -> dict[str, Any] | None:
        """One of a person's reminders, or None."""
        return next((r for r in self.reminders(username, limit=10_000)
                     if r["id"] == reminder_id), None)


class ProjectReminders(FoldingProjection):
    """Keeps the reminders view: the rows each batch of events brings, and the daily sweep."""

    name = REMINDERS_PREFIX
    topics = PROJECT_TOPICS

    def __init__(self, view: RemindersView, app: Banban, repository: Repository | None = None,
                 owed_with_events: bool = True):
        self.view = view
        self.app = app
        # A replay passes a repository without snapshots: its rows come from the events alone.
        self.repository = app.repository if repository is None else repository
        self.folded = Folded(self.repository, FOLDED)
        # Whether a batch of events also brings what each project it touches owes today, as
        # it stands after the batch (a replay leaves that to the sweep: see `derivable`).
        self.owed_with_events = owed_with_events

    # The events that bring reminders of their own, while they are news (a rebuild tells
    # them to the batch with their project as of each; what is owed comes from the projects
    # as they stand).
    told_topics = tuple(sorted(get_topic(getattr(Project, name)) for name in NEWS_EVENTS))

    def tells(self, event: Project.Event) -> bool:
        return is_news(event, self.app.clock())

    def batch(self) -> RemindersBatch:
        """The reminders a batch of events brings."""
        return RemindersBatch(self)

    def sweep(self, today: date | None = None) -> int:
        """Once a day: the reminders of what every project owes today; how many rows made
        (0 when the day was swept already)."""
        today = today or self.app.clock()
        if self.view.swept_on() == today:
            return 0
        calendar, offices = self.app.calendar(), self._offices()
        rows = []
        for project_id in self.app.project_ids():
            project = self.repository.get(project_id)
            rows += obligation_reminders(project, today, calendar, offices)
        self.view.save_sweep(today, rows)
        return len(rows)

    def _offices(self):
        """A county's office users (enabled), read once per batch when first asked."""
        users: list[dict[str, Any]] = []
        home = self.app.home_county()

        def offices(county: str | None) -> list[str]:
            if not users:
                users.extend(u for u in self.app.users()
                             if u["role"] == "office" and not u["disabled"])
            # The county's own service centre; the province's reads, it does not serve.
            return [u["username"] for u in users if scope_of(u, home) == (county or home)]

        return offices


class RemindersBatch:
    """Each event's reminders as it is told them, and (when the projection says so) what each
    project touched owes today once the batch is done."""

    def __init__(self, projection: ProjectReminders):
        self.app, self.owed = projection.app, projection.owed_with_events
        self.today, self.offices = self.app.clock(), projection._offices()
        self.reminders: list[dict[str, Any]] = []
        self.touched: dict[Any, Project] = {}

    def add(self, event: Project.Event, project: Project) -> None:
        self.stands(project)
        self.reminders += event_reminders(project, event, self.today, self.offices)

    def stands(self, project: Project) -> None:
        self.touched[project.id] = project

    def rows(self) -> list[dict[str, Any]]:
        rows = self.reminders
        if self.owed:
            calendar = self.app.calendar()
            for project in self.touched.values():
                rows += obligation_reminders(project, self.today, calendar, self.offices)
        return rows


# How a replay compares a row it derives (app.audit.replay): the same both ways, or each
# replayed row live (the live view keeping more).
EQUAL, COVERED = "equal", "covered"


def derivable(today: date) -> dict[str, Callable[[dict[str, Any]], str | None]]:
    """The tables a replay on `today` derives from the events, each with which of its rows
    and how they compare. An event's reminder while the event is news (its business date
    within NEWS_DAYS): EQUAL, the same row both ways, since whenever the live view saw the
    event it was news then too. What a project owes today: COVERED, the live view must hold
    the reminder (the same person and id, which name the rule, the item and its due date),
    made today or on an earlier day with that day and the project's name then; the live view
    keeps more (what was owed on earlier days, or earlier today before a later event settled
    it). The service centre's go to the county's office users as they are at the replay (a
    change of them since the live view made a row shows as a difference). Older events'
    reminders are news no more to a replay (None). No other table: what
    people read, the digests sent and the days swept are what people and processes did,
    which no event says."""
    since = (today - timedelta(days=NEWS_DAYS)).isoformat()

    def reminder(row: dict[str, Any]) -> str | None:
        if row["kind"] in (LATE, DUE_SOON):
            return COVERED
        return EQUAL if row["on_day"] >= since else None

    return {"main": reminder}


def reminder_row(row: dict[str, Any], subject: Callable[[Any], Any]) -> tuple[Any, ...]:
    """A reminder as the values of its columns: dates as ISO text, the subject (when there is
    one) as the store keeps JSON."""
    values = dict(row, on_day=row["on"])
    for name in ("due_on", "on_day"):
        if isinstance(values[name], date):
            values[name] = values[name].isoformat()
    if values["subject"] is not None:
        values["subject"] = subject(values["subject"])
    return tuple(values[c] for c in COLUMNS)


def reminder_out(row: dict[str, Any], subject: Any, read: bool) -> dict[str, Any]:
    """A reminder as handed out: plain data."""
    return {"id": row["id"], "kind": row["kind"], "project_id": str(row["project_id"]),
            "project": row["project"], "county": row["county"], "rule": row["rule"],
            "subject": subject, "due_on": row["due_on"], "version": row["version"],
            "actor": row["actor"], "on": row["on_day"], "read": read}


def open_reminders_view(app: Banban, prefix: str = REMINDERS_PREFIX) -> RemindersView:
    """The reminders view for the application's store, its tables created if missing."""
    return open_view(app, "reminders", prefix)  # type: ignore[return-value]

"""Project cards: one row per project (headline fields and summary) plus its team, for lists."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from types import EllipsisType
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.application import Banban
from domain.canonical import to_json
from domain.project import Project
from domain.tables import creating_tables
from domain.views import project_summary

# Every stored Project event class: the notification log is filtered by these in the database.
PROJECT_TOPICS = tuple(sorted(
    get_topic(cls) for cls in vars(Project).values()
    if isinstance(cls, type) and issubclass(cls, Project.Event) and cls is not Project.Event
))


class CardsView(TrackingRecorder, ABC):
    """Stores project cards and their teams together with the position they reflect."""

    @abstractmethod
    def save(self, rows: Sequence[dict[str, Any]], tracking: Tracking, *,
             previous: int | None | EllipsisType = ...) -> None:
        """Upsert the rows and record the tracking position, in one transaction.

        With `previous` given, the view must be exactly at that position (None: never
        tracked), else IntegrityError: a batch covering (previous, tracking] is then only
        applied by the one process that moved the view from `previous`. Without it, the
        library's rule applies: the position must move forward (one event at a time).
        """

    @abstractmethod
    def cards(self, agent: str | None = None, phase: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
        """Cards matching every filter given, in signing order."""

    @abstractmethod
    def card(self, project_id: UUID | str) -> dict[str, Any] | None:
        """One project's card, or None."""

    @abstractmethod
    def drop_all(self) -> None:
        """Delete every card, team row and tracked position (before a rebuild)."""

    def close(self) -> None:
        """Release the view's own connections, if it has any."""


class ProjectCards(Projection[CardsView]):
    """Keeps one card per project, as of the last event the view has processed."""

    name = "banban_cards"
    topics = PROJECT_TOPICS

    def __init__(self, view: CardsView, app: Banban):
        super().__init__(view)
        # The state is loaded from the application rather than patched from the event,
        # because a correction can change any earlier fact and the aggregate refolds it all.
        self.app = app

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event (as the library's ProjectionRunner does) and track it."""
        self.view.save(self.rows_for([domain_event]), tracking)

    def rows_for(self, events: Iterable[DomainEventProtocol[UUID]]) -> list[dict[str, Any]]:
        """One card row per project touched, at the last version among the events."""
        versions: dict[UUID, int] = {}
        for event in events:
            if isinstance(event, Project.Event):
                versions[event.originator_id] = max(
                    event.originator_version, versions.get(event.originator_id, 0))
        return [card_row(self.app.repository.get(project_id, version=version))
                for project_id, version in versions.items()]


def card_row(project: Project) -> dict[str, Any]:
    """The card of a project as plain data, with its summary as canonical JSON text."""
    summary = project_summary(project)
    return {
        "project_id": project.id, "version": project.version, "name": project.name,
        "phase": project.phase, "status": project.status,
        "signed_on": project.signed_on and project.signed_on.isoformat(),
        "chief_agent": project.chief_agent,
        "summary": to_json(summary),
        "team": [(project.chief_agent, "chief")] + [(u, "co") for u in project.co_agents],
    }


def card_out(row: dict[str, Any], summary: dict[str, Any]) -> dict[str, Any]:
    """A card as handed out: columns, plus the summary as plain data."""
    return {
        "project_id": UUID(str(row["project_id"])), "version": row["version"],
        "name": row["name"], "phase": row["phase"], "status": row["status"],
        "signed_on": row["signed_on"], "chief_agent": row["chief_agent"], "summary": summary,
    }


def open_cards_view(app: Banban, prefix: str = "banban_cards") -> CardsView:
    """The cards view for the application's store, its tables created if missing."""
    datastore = getattr(app.factory, "datastore", None)
    kind = type(datastore).__name__
    if kind == "PostgresDatastore":
        from projections.cards_postgres import PostgresCardsView

        # Same database and schema as the events; the application's pool is shared.
        view: CardsView = PostgresCardsView(datastore, prefix=prefix)
    elif kind == "SQLiteDatastore" and not datastore.pool.is_sqlite_memory_mode:
        from eventsourcing.sqlite import SQLiteDatastore

        from projections.cards_sqlite import SQLiteCardsView

        # A file of its own: SQLite has one writer per file, and a rebuild must not make
        # the event store's writers wait.
        own = SQLiteDatastore(views_path(datastore.pool.db_name),
                              lock_timeout=datastore.pool.lock_timeout)
        view = SQLiteCardsView(own, prefix=prefix, owns_datastore=True)
    else:
        raise ValueError(f"views need a SQLite file or PostgreSQL store, not {kind}")
    with creating_tables(datastore):
        view.create_table()
    return view


def views_path(store_path: str) -> str:
    """The SQLite file of the views of an event store file: `banban.db` -> `banban.views.db`."""
    base, extension = os.path.splitext(store_path)
    return f"{base}.views{extension or '.db'}"

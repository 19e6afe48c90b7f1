"""What every read view has: rows saved with their position in one transaction, exact batches,
dropping for a rebuild, and a plain dump of every row for comparisons."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from types import EllipsisType
from typing import Any

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.utils import resolve_topic

from domain.tables import creating_tables, side_store

Rows = dict[str, list[dict[str, Any]]]
# Ids asked for in one statement (SQLite allows 32,766 parameters).
CHUNK = 900
# A view's tables: suffix ("" for the prefix itself) -> the columns that key its rows.
Tables = dict[str, tuple[str, ...]]


def table_name(prefix: str, suffix: str) -> str:
    """The table of a view's prefix and a suffix: `banban_cards` + `team` -> `banban_cards_team`."""
    return f"{prefix}_{suffix}" if suffix else prefix


def keyed(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows in the order of their key (in Python: the stores' text collations differ)."""
    return sorted(rows, key=lambda row: tuple(row[column] for column in key))


def chunked(ids: list[str]) -> Iterator[list[str]]:
    """The ids in lists of at most CHUNK, to ask for each in one statement."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


class View(TrackingRecorder, ABC):
    """A projection's tables together with the position in the event log they reflect."""

    datastore: Any
    # The table prefix when none is given (the live view's).
    default_prefix: str
    # Tables (suffixes) a rebuild keeps: what people did, which no event says.
    kept: tuple[str, ...] = ()

    def save(self, rows: Any, tracking: Tracking, *,
             previous: int | None | EllipsisType = ...) -> None:
        """Write the rows and record the tracking position, in one transaction.

        With `previous` given, the view must be exactly at that position (None: never
        tracked), else IntegrityError: a batch covering (previous, tracking] is then only
        applied by the one process that moved the view from `previous`. Without it, the
        library's rule applies: the position must move forward (one event at a time).
        """
        with self.datastore.transaction(commit=True) as cursor:
            # Tracking first: on SQLite the first write takes the file's write lock (waiting
            # for it), on PostgreSQL the tracking row's lock orders concurrent savers; either
            # way the position check and the writes then see the latest committed view.
            if previous is ...:
                self._insert_tracking(cursor, tracking)
            else:
                self._move_tracking(cursor, tracking, previous)
            self._write(cursor, rows)

    def write(self, rows: Any) -> None:
        """Write rows without moving the position: a rebuild's, which records its position
        once every row is written (projections.runner.rebuild_all)."""
        with self.datastore.transaction(commit=True) as cursor:
            self._write(cursor, rows)

    @abstractmethod
    def _move_tracking(self, cursor: Any, tracking: Tracking, previous: int | None) -> None:
        """Compare-and-set the position: IntegrityError if another process moved it."""

    @abstractmethod
    def _write(self, cursor: Any, rows: Any) -> None:
        """Write one batch's rows (inside the save's transaction)."""

    @abstractmethod
    def drop_all(self) -> None:
        """Delete every row (but those of `kept` tables) and the tracked position (before a
        rebuild)."""

    @abstractmethod
    def dump(self) -> Rows:
        """Every row of every table, as plain data (text, numbers), in key order.

        The same content gives the same dump on SQLite and PostgreSQL, so that views can be
        compared row by row across stores.
        """

    def close(self) -> None:
        """Release the view's own connections, if it has any."""


# The class of each kind of view on each kind of store, imported when first needed.
_CLASSES = {
    ("cards", "SQLiteDatastore"): "projections.cards_sqlite:SQLiteCardsView",
    ("cards", "PostgresDatastore"): "projections.cards_postgres:PostgresCardsView",
    ("reminders", "SQLiteDatastore"): "projections.reminders_sqlite:SQLiteRemindersView",
    ("reminders", "PostgresDatastore"): "projections.reminders_postgres:PostgresRemindersView",
    ("people", "SQLiteDatastore"): "projections.people_sqlite:SQLitePeopleView",
    ("people", "PostgresDatastore"): "projections.people_postgres:PostgresPeopleView",
    ("publications", "SQLiteDatastore"):
        "projections.publications_sqlite:SQLitePublicationsView",
    ("publications", "PostgresDatastore"):
        "projections.publications_postgres:PostgresPublicationsView",
}


def open_view(app: Any, kind: str, prefix: str, datastore: Any = None) -> View:
    """A view of a kind ("cards") beside the application's events, or in `datastore`
    (a scratch store), its tables created if missing.

    On PostgreSQL the view's tables are in the events' schema and share the application's
    pool. On SQLite they are in a file of their own (`banban.db` -> `banban.views.db`): SQLite
    has one writer per file, and a rebuild must not make the event store's writers wait.
    """
    events = getattr(app.factory, "datastore", None)
    owns = False
    if datastore is None:
        datastore, owns = events, False
        if type(events).__name__ == "SQLiteDatastore" and not events.pool.is_sqlite_memory_mode:
            datastore, owns = side_store(events, "views")[0], True
    name = type(datastore).__name__
    if (kind, name) not in _CLASSES or (
            name == "SQLiteDatastore" and datastore.pool.is_sqlite_memory_mode):
        raise ValueError(f"views need a SQLite file or PostgreSQL store, not {name}")
    view = resolve_topic(_CLASSES[kind, name])(datastore, prefix=prefix, owns_datastore=owns)
    with creating_tables(events if events is not None else datastore):
        view.create_table()
    return view

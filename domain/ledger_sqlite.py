"""The SQLite application recorder that links the events it inserts (domain.ledger).

The links live in the events' own file: a transaction cannot span two SQLite files, and the
chain (evidence, never rebuilt) has no reason to sit with the views, which are. Stores made
before kept the chain in the views file (`banban.views.db`); the first start of this release
copies its links and seals into the events file, once, and leaves the old tables unread.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Mapper, Notification, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from domain.ledger import LINKS_TABLE, SEALS_TABLE, LinkedRecorder
from domain.tables import views_path

_OLD = "banban_old_views"  # the views file, attached while its chain is copied


class LinkedSQLiteRecorder(LinkedRecorder, SQLiteApplicationRecorder):
    """Events, their links and seals in one SQLite file, written in one transaction."""

    def __init__(self, datastore: SQLiteDatastore, *, mapper: Mapper, key: bytes | None,
                 events_table_name: str = "stored_events"):
        SQLiteApplicationRecorder.__init__(self, datastore, events_table_name)
        LinkedRecorder.__init__(self, mapper, key)
        self.select_event_statement = (
            f"SELECT rowid, * FROM {self.events_table_name} WHERE rowid = ?")

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {LINKS_TABLE} (position INTEGER PRIMARY KEY, "
            "notification_id INTEGER NOT NULL, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, digest TEXT NOT NULL, hash TEXT NOT NULL, "
            "latest TEXT, key_id TEXT)",
            f"CREATE TABLE IF NOT EXISTS {SEALS_TABLE} (label TEXT PRIMARY KEY, "
            "kind TEXT NOT NULL, position INTEGER NOT NULL, notification_id INTEGER, "
            "head TEXT NOT NULL, sealed_at TEXT)",
        ]

    def create_table(self) -> None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      (LINKS_TABLE,))
            new = c.fetchone() is None
        super().create_table()
        if new:
            self._copy_views_file_chain()

    def _copy_views_file_chain(self) -> None:
        """Copy the chain a previous release kept in the views file, if there is one (the
        caller holds the table-creation lock: this happens once)."""
        if self.datastore.pool.is_sqlite_memory_mode:
            return
        old = views_path(self.datastore.pool.db_name)
        if not os.path.exists(old):
            return
        with self.datastore.get_connection(commit=True) as conn:
            # ATTACH cannot happen inside a transaction: on the connection, then one transaction.
            conn.cursor().execute(f"ATTACH DATABASE ? AS {_OLD}", (old,))
            try:
                with conn.transaction(commit=True) as c:
                    c.execute(f"SELECT 1 FROM {_OLD}.sqlite_master WHERE type = 'table' "
                              "AND name = ?", (LINKS_TABLE,))
                    if c.fetchone() is not None:
                        c.execute(f"INSERT INTO {LINKS_TABLE} SELECT position, notification_id, "
                                  "originator_id, originator_version, digest, hash, latest, NULL "
                                  f"FROM {_OLD}.{LINKS_TABLE}")
                        c.execute(f"INSERT INTO {SEALS_TABLE} SELECT label, kind, position, "
                                  f"notification_id, head, sealed_at FROM {_OLD}.{SEALS_TABLE}")
            finally:
                conn.cursor().execute(f"DETACH DATABASE {_OLD}")

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        # The first INSERT takes the file's write lock, so the chain's tail read after it is
        # the last one committed.
        ids = super()._insert_events(c, stored_events, **kwargs) or []
        self._link(c, list(zip(ids, stored_events, strict=True)), kwargs.get("accepting", ()))
        if snapshots := self._snapshots(kwargs):
            recorder, stored = snapshots
            recorder._insert_events(c, stored)
        return ids

    def _sql(self, text: str) -> str:
        return text.format(links=LINKS_TABLE, seals=SEALS_TABLE, events=self.events_table_name,
                           id="rowid").replace("%s", "?")

    def _event_at(self, cursor: Any, notification_id: int) -> Notification | None:
        cursor.execute(self.select_event_statement, (notification_id,))
        row = cursor.fetchone()
        if row is None:
            return None
        return Notification(id=row["rowid"],
                            originator_id=self.convert_originator_id(row["originator_id"]),
                            originator_version=row["originator_version"], topic=row["topic"],
                            state=row["state"])

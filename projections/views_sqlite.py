"""Views in SQLite: their own file next to the event store, tables named by a prefix."""

from __future__ import annotations

import re
from abc import abstractmethod

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from projections.views import Rows, Tables, keyed, table_name


class SQLiteView(SQLiteTrackingRecorder):
    """A view's tables and its tracking row in one SQLite file, one transaction per save.

    Subclasses name their tables (`tables`), give their CREATE statements and write a batch's
    rows with `_write`.
    """

    tables: Tables

    def __init__(self, datastore: SQLiteDatastore, *, prefix: str | None = None,
                 owns_datastore: bool = False):
        prefix = prefix or self.default_prefix
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", prefix):
            raise ValueError(f"invalid table prefix {prefix!r}")
        if not datastore.single_row_tracking:
            # Exact batches compare-and-set one tracking row per application.
            raise OperationalError(f"the {prefix} view needs single-row tracking")
        self.prefix = prefix
        # The library's SQLite tracking table is always `tracking`; one views file holds
        # several views, each with its own position, so each gets a table of its own.
        self.tracking_table = f"{prefix}_tracking"
        self.owns_datastore = owns_datastore
        super().__init__(datastore)
        t = self.tracking_table
        self.insert_tracking_statement = (
            f"INSERT INTO {t} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {t} WHERE application_name=?")

    def table(self, suffix: str = "") -> str:
        """The name of one of the view's tables (the prefix itself for "")."""
        return table_name(self.prefix, suffix)

    def construct_create_table_statements(self) -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS {self.tracking_table} (application_name TEXT, "
                "notification_id INTEGER, PRIMARY KEY (application_name)) WITHOUT ROWID",
                *self.view_statements()]

    @abstractmethod
    def view_statements(self) -> list[str]:
        """CREATE statements of the view's own tables and indexes."""

    def _move_tracking(self, c: SQLiteCursor, tracking: Tracking, previous: int | None) -> None:
        name, new = tracking.application_name, tracking.notification_id
        if previous is None:
            c.execute(f"INSERT INTO {self.tracking_table} VALUES (?, ?)", (name, new))
            return
        c.execute(f"UPDATE {self.tracking_table} SET notification_id=? "
                  "WHERE application_name=? AND notification_id=? RETURNING notification_id",
                  (new, name, previous))
        if c.fetchone() is None:
            raise IntegrityError(f"{self.prefix}: {name} is no longer at {previous}")

    def drop_all(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            # The migration marker stays: it says the tracking table is single-row.
            c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name != ?",
                      (self.table_migration_identifier,))
            for suffix in set(self.tables) - set(self.kept):
                c.execute(f"DELETE FROM {table_name(self.prefix, suffix)}")

    def dump(self) -> Rows:
        result = {}
        with self.datastore.transaction(commit=False) as c:
            for suffix, key in self.tables.items():
                c.execute(f"SELECT * FROM {table_name(self.prefix, suffix)}")
                result[suffix or "main"] = keyed([dict(row) for row in c.fetchall()], key)
        return result

    def close(self) -> None:
        if self.owns_datastore:
            self.datastore.close()

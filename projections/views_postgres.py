"""Views in PostgreSQL: tables in the event store's schema (or a scratch one), named by a prefix."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from domain.canonical import to_json
from projections.views import Rows, Tables, keyed, table_name


class PostgresView(PostgresTrackingRecorder):
    """A view's tables and its tracking row in PostgreSQL, one transaction per save.

    Subclasses name their tables (`tables`), give their CREATE statements and write a batch's
    rows with `_write`. In their SQL (see `_sql`) `{s}` is the schema, `{main}` or
    `{<suffix>}` a table and `{<name>_ix}` the index `<prefix>_<name>` (of `indexes`).
    """

    tables: Tables
    indexes: tuple[str, ...] = ()

    def __init__(self, datastore: PostgresDatastore, *, prefix: str | None = None,
                 owns_datastore: bool = False):
        prefix = prefix or self.default_prefix
        if not datastore.single_row_tracking:
            # Exact batches compare-and-set one tracking row per application.
            raise OperationalError(f"the {prefix} view needs single-row tracking")
        super().__init__(datastore, tracking_table_name=f"{prefix}_tracking")
        self.prefix = prefix
        self.owns_datastore = owns_datastore
        self.names: dict[str, Identifier] = {"s": Identifier(self.datastore.schema),
                                             "tracking": Identifier(self.tracking_table_name)}
        for suffix in self.tables:
            table = table_name(prefix, suffix)
            self.check_identifier_length(table)
            self.names[suffix or "main"] = Identifier(table)
        for name in self.indexes:
            self.check_identifier_length(f"{prefix}_{name}")
            self.names[f"{name}_ix"] = Identifier(f"{prefix}_{name}")
        self.sql_create_statements += [self._sql(s) for s in self.view_statements()]

    @abstractmethod
    def view_statements(self) -> list[str]:
        """CREATE statements of the view's own tables and indexes (see `_sql`)."""

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(**self.names)

    def _move_tracking(self, curs: Cursor[DictRow], tracking: Tracking,
                       previous: int | None) -> None:
        name, new = tracking.application_name, tracking.notification_id
        if previous is None:
            # A concurrent first insert waits for ours, then fails on the primary key.
            curs.execute(self._sql("INSERT INTO {s}.{tracking} VALUES (%s, %s)"), (name, new))
            return
        # Under READ COMMITTED a concurrent update is waited for and the WHERE re-checked.
        curs.execute(self._sql("UPDATE {s}.{tracking} SET notification_id = %s WHERE "
                               "application_name = %s AND notification_id = %s "
                               "RETURNING notification_id"), (new, name, previous))
        if curs.fetchone() is None:
            raise IntegrityError(f"{self.tracking_table_name}: {name} is no longer at {previous}")

    def drop_all(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            # The migration marker stays: it says the tracking table is single-row.
            curs.execute(self._sql("DELETE FROM {s}.{tracking} WHERE application_name <> %s"),
                         (self.table_migration_identifier,))
            for suffix in set(self.tables) - set(self.kept):
                curs.execute(self._sql(f"DELETE FROM {{s}}.{{{suffix or 'main'}}}"))

    def dump(self) -> Rows:
        result = {}
        with self.datastore.transaction(commit=False) as curs:
            for suffix, key in self.tables.items():
                curs.execute(self._sql(f"SELECT * FROM {{s}}.{{{suffix or 'main'}}}"))
                result[suffix or "main"] = keyed([{name: _plain(value) for name, value
                                                   in row.items()} for row in curs.fetchall()], key)
        return result

    def close(self) -> None:
        if self.owns_datastore:
            self.datastore.close()


def _plain(value: Any) -> Any:
    """A column's value as SQLite gives it: ids as text, JSON documents as canonical text."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict | list):
        return to_json(value)
    return value

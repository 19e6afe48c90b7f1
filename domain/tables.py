"""Creating tables when several processes start at once.

Gunicorn workers, CLI commands and projection runners all begin by creating the tables they
need, and on a new store they may do it at the same moment. Neither store makes that safe by
itself: PostgreSQL's `CREATE TABLE IF NOT EXISTS` can fail against a concurrent one ("tuple
concurrently updated"), and on a new SQLite file the switch to WAL and the tracking table's
first row race ("database is locked", a duplicate tracking row). So table creation is
serialised: an advisory lock on PostgreSQL, a lock file beside the SQLite file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# An arbitrary constant naming "Banban creates its tables" among the database's advisory locks.
TABLES_LOCK = 0x62616E62616E  # "banban"


@contextmanager
def creating_tables(datastore: Any) -> Iterator[None]:
    """Hold the store's table-creation lock while the block runs."""
    kind = type(datastore).__name__
    if kind == "PostgresDatastore":
        # Pool connections are in autocommit mode: a session lock, released explicitly.
        with datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (TABLES_LOCK,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (TABLES_LOCK,))
    elif kind == "SQLiteDatastore" and not datastore.pool.is_sqlite_memory_mode:
        with open(f"{datastore.pool.db_name}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        yield


def views_path(store_path: str) -> str:
    """The SQLite file of the views of an event store file: `banban.db` -> `banban.views.db`."""
    return beside(store_path, "views")


def beside(store_path: str, name: str) -> str:
    """A SQLite file named beside an event store file: `banban.db`, "web" -> `banban.web.db`."""
    base, extension = os.path.splitext(store_path)
    return f"{base}.{name}{extension or '.db'}"


def side_store(events: Any, name: str) -> tuple[Any, bool]:
    """Where tables kept beside the events go, and whether it is PostgreSQL: on SQLite a file
    of its own (`name`, see `beside`: one writer per file, and the events' writer must not
    wait for them), on PostgreSQL the events' own store (its schema and pool)."""
    if type(events).__name__ == "SQLiteDatastore":
        from eventsourcing.sqlite import SQLiteDatastore

        return SQLiteDatastore(beside(events.pool.db_name, name),
                               lock_timeout=events.pool.lock_timeout), False
    return events, True

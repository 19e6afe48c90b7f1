"""Where the parts of dispatch reports are kept (domain.dispatch_parts): one table beside the
views, shared by every worker and process.

A row is one project's part of one report (its key: period, day judged on, calendar) at one
version of the project, with its basis (a digest of the facts it is judged from: a project
changed in none of them has its part renewed at the new version, not made again). Nothing in
it is a record: it is made again from the events whenever it is missing or of another basis,
so `flask projections rebuild` empties it, and rows no report can ask for again (a running
period's parts judged on a day gone by) are pruned once a day. On SQLite the table is in the
views' file (`banban.views.db`), on PostgreSQL in the store's schema.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from eventsourcing.persistence import OperationalError, ProgrammingError

from domain.tables import creating_tables, side_store
from projections.views import chunked

PARTS_TABLE = "banban_dispatch_parts"
# Times a write PostgreSQL chose as a deadlock's victim is tried in all (rolled back each time).
ATTEMPTS = 3
DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for `deadlock detected`


class PartsStore:
    """Parts by (key, project id), each with its project's version and the day-columns that
    say when it can no longer be asked for."""

    def __init__(self, datastore: Any, *, postgres: bool, owns_datastore: bool) -> None:
        self.datastore = datastore
        self.owns_datastore = owns_datastore
        self.p = "%s" if postgres else "?"
        self.postgres = postgres
        self.table = (f'"{datastore.schema}".' if postgres else "") + PARTS_TABLE
        self.create = [
            f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT NOT NULL, "
            "project_id TEXT NOT NULL, version BIGINT NOT NULL, as_of TEXT NOT NULL, "
            "period_end TEXT NOT NULL, body TEXT NOT NULL, "
            "basis TEXT NOT NULL DEFAULT '', PRIMARY KEY (key, project_id))",
            f"CREATE INDEX IF NOT EXISTS {PARTS_TABLE}_as_of ON {self.table} (as_of)",
        ]
        self._pruned: date | None = None
        self._lock = threading.Lock()

    def create_tables(self) -> None:
        """The table, and its basis column where a table kept before parts had one lacks it
        (added with an empty basis, which no part's is: processes of the code before, during
        an upgrade, keep working on it, under keys of their own: PARTS_FORMAT)."""
        with self.datastore.transaction(commit=True) as cursor:
            for statement in self.create:
                cursor.execute(statement)
        if self._has_basis():  # looked at first: an ALTER locks the table, even for nothing
            return
        try:
            # A transaction of its own that writes first: on SQLite one that had read first
            # could not wait for another writer (the runner) and would fail at once.
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(f"ALTER TABLE {self.table} ADD COLUMN basis TEXT NOT NULL "
                               "DEFAULT ''")
        except (OperationalError, ProgrammingError):
            if not self._has_basis():  # else another process added it meanwhile
                raise

    def _has_basis(self) -> bool:
        """Whether the table has its basis column."""
        with self.datastore.transaction(commit=False) as cursor:
            if self.postgres:
                cursor.execute("SELECT column_name AS name FROM information_schema.columns "
                               "WHERE table_schema = %s AND table_name = %s",
                               (self.datastore.schema, PARTS_TABLE))
            else:
                cursor.execute(f"SELECT name FROM pragma_table_info('{PARTS_TABLE}')")
            return "basis" in {row["name"] for row in cursor.fetchall()}

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.p)

    def get(self, key: str, ids: list[str]) -> dict[str, tuple[int, str, str]]:
        return {row["project_id"]: (row["version"], row["basis"], row["body"])
                for row in self._rows("project_id, version, basis, body", key, ids)}

    def versions(self, keys: list[str], ids: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
        found: dict[tuple[str, str], tuple[int, str]] = {}
        with self.datastore.transaction(commit=False) as cursor:
            for chunk in chunked(ids):
                cursor.execute(self._sql(
                    f"SELECT key, project_id, version, basis FROM {self.table} WHERE key IN "
                    f"({', '.join('?' * len(keys))}) AND project_id IN "
                    f"({', '.join('?' * len(chunk))})"), (*keys, *chunk))
                found.update(((row["key"], row["project_id"]), (row["version"], row["basis"]))
                             for row in cursor.fetchall())
        return found

    def _rows(self, columns: str, key: str, ids: list[str]) -> list[Any]:
        """These columns of the rows of these ids under the key."""
        found: list[Any] = []
        with self.datastore.transaction(commit=False) as cursor:
            for chunk in chunked(ids):
                marks = ", ".join("?" * len(chunk))
                cursor.execute(self._sql(
                    f"SELECT {columns} FROM {self.table} WHERE key = ? AND "
                    f"project_id IN ({marks})"), (key, *chunk))
                found += cursor.fetchall()
        return found

    def put(self, key: str, period_end: date, as_of: date,
            parts: list[tuple[str, int, str, str]]) -> None:
        """Keep parts (replacing the key's older ones), and once a day prune the rows of
        running periods judged on days gone by.

        Rows are written in the order of their project ids, whatever order they come in: the
        view runner and the workers keep the same report's parts at once, each listing its
        projects in its own order, and rows locked in two orders would wait on each other."""
        rows = [(key, part_id, version, basis, as_of.isoformat(), period_end.isoformat(), body)
                for part_id, version, basis, body in sorted(parts)]
        self._write(self._sql(
            f"INSERT INTO {self.table} (key, project_id, version, basis, as_of, period_end, "
            "body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, project_id) DO UPDATE SET "
            "version = excluded.version, basis = excluded.basis, as_of = excluded.as_of, "
            "period_end = excluded.period_end, body = excluded.body"), rows)
        self._prune(as_of)

    def renew(self, parts: list[tuple[str, str, int, str]]) -> None:
        """Set the version of kept (key, id, version, basis) parts whose basis held, in one
        transaction (in the order of their keys and ids, as `put` writes). A part replaced
        meanwhile by one of another basis is left as it is; one of the same basis is the same
        part, whatever version it was kept at (a share's version is a fingerprint, in no
        order)."""
        self._write(self._sql(f"UPDATE {self.table} SET version = ? WHERE key = ? AND "
                              "project_id = ? AND basis = ?"),
                    [(version, key, part_id, basis)
                     for key, part_id, version, basis in sorted(parts)])

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run the statement for each row in one transaction, tried again if PostgreSQL
        ends it to break a deadlock (a prune deleting rows a put is replacing, each in its own
        order): the transaction was rolled back, and the rows are only ever made again."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.datastore.transaction(commit=True) as cursor:
                    cursor.executemany(sql, rows)
                return
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != DEADLOCK or attempt == ATTEMPTS:
                    raise

    def _prune(self, today: date) -> None:
        """Delete parts judged before `today` on a day that was not their period's last: a
        running period is judged on today only, so nothing will ask for them again."""
        with self._lock:
            if self._pruned is not None and self._pruned >= today:
                return
            self._pruned = today
        self._write(self._sql(f"DELETE FROM {self.table} WHERE as_of < ? AND "
                              "as_of < period_end"), [(today.isoformat(),)])

    def count(self) -> int:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT COUNT(*) AS n FROM {self.table}")
            return int(cursor.fetchone()["n"])

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def close(self) -> None:
        if self.owns_datastore:
            self.datastore.close()


def open_parts_store(app: Any) -> PartsStore | None:
    """The parts store beside the application's events, its table created if missing; None
    for a store in memory (nothing to share: reports are computed whole)."""
    events = app.factory.datastore
    if type(events).__name__ == "SQLiteDatastore" and events.pool.is_sqlite_memory_mode:
        return None
    datastore, postgres = side_store(events, "views")
    store = PartsStore(datastore, postgres=postgres, owns_datastore=not postgres)
    with creating_tables(events):
        store.create_tables()
    return store

"""The web layer's own state beside the events: server-side sessions and sign-in counters.

Neither is a record of what happened to a project or a user (a session, a failed attempt), so
neither is an event: they live in two small tables that every worker shares, so that signing out
ends a session on every worker and the sign-in limits count every worker's attempts. On SQLite
the tables are in a file of their own next to the store (`banban.db` -> `banban.web.db`: a write
per page view must not wait for the events' writer); on PostgreSQL in the store's schema.
"""

from __future__ import annotations

from typing import Any

from domain.tables import creating_tables, side_store

SESSIONS, COUNTERS = "banban_sessions", "banban_counters"


class WebState:
    """Sessions (id, user, data, expiry) and counters (key, count, expiry) in one store.

    Times are seconds since the epoch. Every method is one short transaction.
    """

    def __init__(self, datastore: Any, *, postgres: bool, owns_datastore: bool) -> None:
        self.datastore = datastore
        self.owns_datastore = owns_datastore
        self.p = "%s" if postgres else "?"
        schema = f'"{datastore.schema}".' if postgres else ""
        self.sessions, self.counters = schema + SESSIONS, schema + COUNTERS
        binary = "BYTEA" if postgres else "BLOB"
        real = "DOUBLE PRECISION" if postgres else "REAL"
        self.create = [
            f"CREATE TABLE IF NOT EXISTS {self.sessions} (session_id TEXT PRIMARY KEY, "
            f"username TEXT, data {binary} NOT NULL, expiry {real} NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {SESSIONS}_user ON {self.sessions} (username)",
            f"CREATE TABLE IF NOT EXISTS {self.counters} (key TEXT PRIMARY KEY, "
            f"hits INTEGER NOT NULL, expiry {real} NOT NULL)",
        ]

    def _run(self, sql: str, params: tuple = (), *, fetch: bool = False) -> Any:
        """Run one statement in a transaction: its row if `fetch`, else how many rows it
        changed."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql.replace("?", self.p), params)
            if fetch:
                return cursor.fetchone()
            # eventsourcing's SQLite cursor wraps sqlite3's, which has the count.
            return getattr(cursor, "sqlite_cursor", cursor).rowcount

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            for statement in self.create:
                cursor.execute(statement)

    # ---- sessions --------------------------------------------------------------------------

    def session(self, session_id: str, now: float) -> bytes | None:
        """The data of a session that has not expired."""
        row = self._run(f"SELECT data FROM {self.sessions} WHERE session_id = ? AND expiry > ?",
                        (session_id, now), fetch=True)
        return None if row is None else bytes(row["data"])

    def save_session(self, session_id: str, username: str | None, data: bytes,
                     expiry: float) -> None:
        self._run(f"INSERT INTO {self.sessions} (session_id, username, data, expiry) "
                  "VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET "
                  "username = excluded.username, data = excluded.data, expiry = excluded.expiry",
                  (session_id, username, data, expiry))

    def delete_session(self, session_id: str) -> None:
        self._run(f"DELETE FROM {self.sessions} WHERE session_id = ?", (session_id,))

    def delete_user_sessions(self, username: str) -> int:
        """End every session of a user; how many there were."""
        return self._run(f"DELETE FROM {self.sessions} WHERE username = ?", (username,))

    def user_sessions(self, username: str, now: float) -> int:
        """How many live sessions a user has."""
        row = self._run(f"SELECT COUNT(*) AS n FROM {self.sessions} WHERE username = ? AND "
                        "expiry > ?", (username, now), fetch=True)
        return int(row["n"])

    def delete_expired(self, now: float) -> None:
        self._run(f"DELETE FROM {self.sessions} WHERE expiry <= ?", (now,))
        self._run(f"DELETE FROM {self.counters} WHERE expiry <= ?", (now,))

    # ---- counters (a fixed window each) ----------------------------------------------------

    def count(self, key: str, window: float, amount: int, now: float) -> int:
        """Add to a counter, starting a new window of `window` seconds if the last one ended;
        the count in the window."""
        row = self._run(
            f"INSERT INTO {self.counters} (key, hits, expiry) VALUES (?, ?, ?) "
            f"ON CONFLICT (key) DO UPDATE SET "
            f"hits = CASE WHEN {self.counters}.expiry <= ? THEN excluded.hits "
            f"ELSE {self.counters}.hits + excluded.hits END, "
            f"expiry = CASE WHEN {self.counters}.expiry <= ? THEN excluded.expiry "
            f"ELSE {self.counters}.expiry END RETURNING hits",
            (key, amount, now + window, now, now), fetch=True)
        return int(row["hits"])

    def counter(self, key: str, now: float) -> tuple[int, float]:
        """(count, end of its window) of a counter; (0, now) when none is running."""
        row = self._run(f"SELECT hits, expiry FROM {self.counters} WHERE key = ? AND "
                        "expiry > ?", (key, now), fetch=True)
        return (0, now) if row is None else (int(row["hits"]), float(row["expiry"]))

    def clear_counter(self, key: str) -> None:
        self._run(f"DELETE FROM {self.counters} WHERE key = ?", (key,))

    def clear_counters(self) -> int:
        return self._run(f"DELETE FROM {self.counters}")

    def close(self) -> None:
        if self.owns_datastore:
            self.datastore.close()


def open_web_state(app: Any) -> WebState:
    """The web state beside the application's events, its tables created if missing."""
    events = app.factory.datastore
    datastore, postgres = side_store(events, "web")
    state = WebState(datastore, postgres=postgres, owns_datastore=not postgres)
    with creating_tables(events):
        state.create_tables()
    return state

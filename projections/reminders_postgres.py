"""The reminders view in PostgreSQL: tables in the event store's schema, named by a prefix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from projections.reminders import (
    COLUMNS,
    REMINDERS_PREFIX,
    RemindersView,
    reminder_out,
    reminder_row,
)
from projections.views_postgres import PostgresView

_INSERT = (f"INSERT INTO {{s}}.{{main}} VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
           "ON CONFLICT DO NOTHING")


class PostgresRemindersView(PostgresView, RemindersView):
    """Reminders, reads, the day swept and tracking in PostgreSQL."""

    default_prefix = REMINDERS_PREFIX
    tables = {"": ("username", "id"), "read": ("username", "id"), "swept": ("day",),
              "sent": ("username", "day")}
    indexes = ("day",)

    def view_statements(self) -> list[str]:
        return [
            "CREATE TABLE IF NOT EXISTS {s}.{main} (username text NOT NULL, id text NOT NULL, "
            "project_id text NOT NULL, project text NOT NULL, county text, kind text NOT NULL, "
            "rule text, subject jsonb, due_on text, version integer, actor text, "
            "on_day text NOT NULL, PRIMARY KEY (username, id))",
            "CREATE TABLE IF NOT EXISTS {s}.{read} (username text NOT NULL, id text NOT NULL, "
            "read_at text NOT NULL, PRIMARY KEY (username, id))",
            "CREATE TABLE IF NOT EXISTS {s}.{swept} (day text PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS {s}.{sent} (username text NOT NULL, day text NOT NULL, "
            "PRIMARY KEY (username, day))",
            "CREATE INDEX IF NOT EXISTS {day_ix} ON {s}.{main} (on_day)",
        ]

    def _write(self, curs: Cursor[DictRow], rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            curs.executemany(self._sql(_INSERT), [reminder_row(row, Jsonb) for row in rows])

    def reminders(self, username: str, *, unread: bool = False, limit: int = 200
                  ) -> list[dict[str, Any]]:
        sql = ("SELECT m.*, r.read_at FROM {s}.{main} m LEFT JOIN {s}.{read} r "
               "ON r.username = m.username AND r.id = m.id WHERE m.username = %s")
        if unread:
            sql += " AND r.read_at IS NULL"
        sql += " ORDER BY m.on_day DESC, m.due_on, m.project COLLATE \"C\", m.id LIMIT %s"
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(sql), (username, limit))
            return [reminder_out(r, r["subject"], r["read_at"] is not None)
                    for r in curs.fetchall()]

    def unread_count(self, username: str) -> int:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(
                "SELECT COUNT(*) AS n FROM {s}.{main} m WHERE m.username = %s AND NOT EXISTS "
                "(SELECT 1 FROM {s}.{read} r WHERE r.username = m.username AND r.id = m.id)"),
                (username,))
            return curs.fetchone()["n"]

    def mark_read(self, username: str, ids: Iterable[str] | None = None) -> int:
        sql = "INSERT INTO {s}.{read} SELECT username, id, %s FROM {s}.{main} WHERE username = %s"
        params: list[Any] = [datetime.now(UTC).isoformat(), username]
        if ids is not None:
            sql += " AND id = ANY(%s)"
            params.append(list(ids))
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql(sql + " ON CONFLICT DO NOTHING"), params)
            return curs.rowcount

    def swept_on(self) -> date | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql("SELECT MAX(day) AS day FROM {s}.{swept}"))
            day = curs.fetchone()["day"]
        return None if day is None else date.fromisoformat(day)

    def save_sweep(self, day: date, rows: Sequence[dict[str, Any]]) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql("INSERT INTO {s}.{swept} VALUES (%s) ON CONFLICT DO NOTHING"),
                         (day.isoformat(),))
            self._write(curs, rows)

    def recipients_on(self, day: date) -> list[str]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql("SELECT DISTINCT username FROM {s}.{main} WHERE on_day = %s "
                                   "ORDER BY username"), (day.isoformat(),))
            return [r["username"] for r in curs.fetchall()]

    def claim_digest(self, username: str, day: date) -> bool:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql("INSERT INTO {s}.{sent} VALUES (%s, %s) ON CONFLICT DO "
                                   "NOTHING RETURNING username"), (username, day.isoformat()))
            return bool(curs.fetchall())

    def release_digest(self, username: str, day: date) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql("DELETE FROM {s}.{sent} WHERE username = %s AND day = %s"),
                         (username, day.isoformat()))

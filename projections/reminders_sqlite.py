"""The reminders view in SQLite: its own tables in the views' file, named by a prefix."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from projections.reminders import (
    COLUMNS,
    REMINDERS_PREFIX,
    RemindersView,
    reminder_out,
    reminder_row,
)
from projections.views_sqlite import SQLiteView

_INSERT = (f"INSERT INTO {{table}} VALUES ({', '.join('?' * len(COLUMNS))}) "
           "ON CONFLICT DO NOTHING")


class SQLiteRemindersView(SQLiteView, RemindersView):
    """Reminders, reads, the day swept and tracking in one SQLite file."""

    default_prefix = REMINDERS_PREFIX
    tables = {"": ("username", "id"), "read": ("username", "id"), "swept": ("day",),
              "sent": ("username", "day")}

    def view_statements(self) -> list[str]:
        main, read, swept = self.table(), self.table("read"), self.table("swept")
        return [
            f"CREATE TABLE IF NOT EXISTS {main} (username TEXT NOT NULL, id TEXT NOT NULL, "
            "project_id TEXT NOT NULL, project TEXT NOT NULL, county TEXT, kind TEXT NOT NULL, "
            "rule TEXT, subject TEXT, due_on TEXT, version INTEGER, actor TEXT, "
            "on_day TEXT NOT NULL, PRIMARY KEY (username, id)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {read} (username TEXT NOT NULL, id TEXT NOT NULL, "
            "read_at TEXT NOT NULL, PRIMARY KEY (username, id)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {swept} (day TEXT PRIMARY KEY) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {self.table('sent')} (username TEXT NOT NULL, "
            "day TEXT NOT NULL, PRIMARY KEY (username, day)) WITHOUT ROWID",
            f"CREATE INDEX IF NOT EXISTS {main}_day ON {main} (on_day)",
        ]

    def _write(self, c: SQLiteCursor, rows: Sequence[dict[str, Any]]) -> None:
        c.executemany(_INSERT.format(table=self.table()),
                      [reminder_row(row, _json) for row in rows])

    def reminders(self, username: str, *, unread: bool = False, limit: int = 200
                  ) -> list[dict[str, Any]]:
        sql = (f"SELECT m.*, r.read_at FROM {self.table()} m LEFT JOIN {self.table('read')} r "
               "ON r.username = m.username AND r.id = m.id WHERE m.username = ?")
        if unread:
            sql += " AND r.read_at IS NULL"
        sql += " ORDER BY m.on_day DESC, m.due_on, m.project, m.id LIMIT ?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, (username, limit))
            return [reminder_out(dict(r), r["subject"] and json.loads(r["subject"]),
                                 r["read_at"] is not None) for r in c.fetchall()]

    def unread_count(self, username: str) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) FROM {self.table()} m WHERE m.username = ? AND NOT "
                      f"EXISTS (SELECT 1 FROM {self.table('read')} r WHERE r.username = "
                      "m.username AND r.id = m.id)", (username,))
            return c.fetchone()[0]

    def mark_read(self, username: str, ids: Iterable[str] | None = None) -> int:
        sql = (f"INSERT INTO {self.table('read')} SELECT username, id, ? FROM {self.table()} "
               "WHERE username = ?")
        params: list[Any] = [datetime.now(UTC).isoformat(), username]
        if ids is not None:
            ids = list(ids)
            sql += f" AND id IN ({', '.join('?' * len(ids))})" if ids else " AND 0"
            params += ids
        with self.datastore.transaction(commit=True) as c:
            c.execute(sql + " ON CONFLICT DO NOTHING RETURNING id", params)
            return len(c.fetchall())

    def swept_on(self) -> date | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT MAX(day) FROM {self.table('swept')}")
            day = c.fetchone()[0]
        return None if day is None else date.fromisoformat(day)

    def save_sweep(self, day: date, rows: Sequence[dict[str, Any]]) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT INTO {self.table('swept')} VALUES (?) ON CONFLICT DO NOTHING",
                      (day.isoformat(),))
            self._write(c, rows)



    def recipients_on(self, day: date) -> list[str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT username FROM {self.table()} WHERE on_day = ? "
                      "ORDER BY username", (day.isoformat(),))
            return [r[0] for r in c.fetchall()]

    def claim_digest(self, username: str, day: date) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT INTO {self.table('sent')} VALUES (?, ?) ON CONFLICT DO NOTHING "
                      "RETURNING username", (username, day.isoformat()))
            return bool(c.fetchall())

    def release_digest(self, username: str, day: date) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {self.table('sent')} WHERE username = ? AND day = ?",
                      (username, day.isoformat()))

def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)

"""The chain view in SQLite: links and seals in the views file, tables named by a prefix."""

from __future__ import annotations

from eventsourcing.sqlite import SQLiteCursor

from domain.chain import Link, Seal
from projections.chain import ChainView, link_row, seal_row, values
from projections.views_sqlite import SQLiteView


class SQLiteChainView(SQLiteView, ChainView):
    """Links, seals and tracking in one SQLite file, written in one transaction per save."""

    default_prefix = "banban_chain"
    tables = {"": ("position",), "seals": ("label",)}

    def view_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table()} (position INTEGER PRIMARY KEY, "
            "notification_id INTEGER NOT NULL, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, digest TEXT NOT NULL, hash TEXT NOT NULL, "
            "latest TEXT)",
            f"CREATE TABLE IF NOT EXISTS {self.table('seals')} (label TEXT PRIMARY KEY, "
            "kind TEXT NOT NULL, position INTEGER NOT NULL, notification_id INTEGER, "
            "head TEXT NOT NULL, sealed_at TEXT)",
        ]

    def _write(self, c: SQLiteCursor, rows: dict[str, list]) -> None:
        links, seals = values(rows)
        c.executemany(f"INSERT INTO {self.table()} VALUES (?, ?, ?, ?, ?, ?, ?)", links)
        c.executemany(f"INSERT INTO {self.table('seals')} VALUES (?, ?, ?, ?, ?, ?)", seals)

    def _select(self, sql: str, params: tuple = ()) -> list[dict]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [dict(row) for row in c.fetchall()]

    def tail(self) -> Link | None:
        rows = self._select(f"SELECT * FROM {self.table()} ORDER BY position DESC LIMIT 1")
        return link_row(rows[0]) if rows else None

    def links(self, after: int = 0, limit: int = 1000) -> list[Link]:
        return [link_row(row) for row in self._select(
            f"SELECT * FROM {self.table()} WHERE position > ? ORDER BY position LIMIT ?",
            (after, limit))]

    def seals(self) -> list[Seal]:
        return [seal_row(row) for row in self._select(
            f"SELECT * FROM {self.table('seals')} ORDER BY position, label")]

    def seal(self, label: str) -> Seal | None:
        rows = self._select(f"SELECT * FROM {self.table('seals')} WHERE label = ?", (label,))
        return seal_row(rows[0]) if rows else None

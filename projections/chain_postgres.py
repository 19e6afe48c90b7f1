"""The chain view in PostgreSQL: links and seals in the event store's schema."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow

from domain.chain import Link, Seal
from projections.chain import ChainView, link_row, seal_row, values
from projections.views_postgres import PostgresView


class PostgresChainView(PostgresView, ChainView):
    """Links, seals and tracking in PostgreSQL, written in one transaction per save."""

    default_prefix = "banban_chain"
    tables = {"": ("position",), "seals": ("label",)}

    def view_statements(self) -> list[str]:
        return [
            "CREATE TABLE IF NOT EXISTS {s}.{main} (position bigint PRIMARY KEY, "
            "notification_id bigint NOT NULL, originator_id text NOT NULL, "
            "originator_version bigint NOT NULL, digest text NOT NULL, hash text NOT NULL, "
            "latest text)",
            "CREATE TABLE IF NOT EXISTS {s}.{seals} (label text PRIMARY KEY, "
            "kind text NOT NULL, position bigint NOT NULL, notification_id bigint, "
            "head text NOT NULL, sealed_at text)",
        ]

    def _write(self, curs: Cursor[DictRow], rows: dict[str, list]) -> None:
        links, seals = values(rows)
        if links:
            curs.executemany(self._sql("INSERT INTO {s}.{main} VALUES "
                                       "(%s, %s, %s, %s, %s, %s, %s)"), links)
        if seals:
            curs.executemany(self._sql("INSERT INTO {s}.{seals} VALUES "
                                       "(%s, %s, %s, %s, %s, %s)"), seals)

    def _select(self, sql: str, params: tuple[Any, ...] = ()) -> list[DictRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(sql), params)
            return curs.fetchall()

    def tail(self) -> Link | None:
        rows = self._select("SELECT * FROM {s}.{main} ORDER BY position DESC LIMIT 1")
        return link_row(rows[0]) if rows else None

    def links(self, after: int = 0, limit: int = 1000) -> list[Link]:
        return [link_row(row) for row in self._select(
            "SELECT * FROM {s}.{main} WHERE position > %s ORDER BY position LIMIT %s",
            (after, limit))]

    def seals(self) -> list[Seal]:
        return [seal_row(row) for row in self._select(
            "SELECT * FROM {s}.{seals} ORDER BY position, label")]

    def seal(self, label: str) -> Seal | None:
        rows = self._select("SELECT * FROM {s}.{seals} WHERE label = %s", (label,))
        return seal_row(rows[0]) if rows else None

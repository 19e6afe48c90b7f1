"""The publications view in PostgreSQL: a table in the event store's schema, named by a
prefix."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow

from domain.publications import Published
from projections.publications import COLUMNS, PUBLICATIONS_PREFIX, PublicationsView
from projections.views_postgres import PostgresView


class PostgresPublicationsView(PostgresView, PublicationsView):
    """A row per revision published and tracking in PostgreSQL."""

    default_prefix = PUBLICATIONS_PREFIX
    tables = {"": ("publication_id", "revision")}
    indexes = ("period",)

    def view_statements(self) -> list[str]:
        return [
            "CREATE TABLE IF NOT EXISTS {s}.{main} (publication_id uuid NOT NULL, "
            "revision integer NOT NULL, version integer NOT NULL, position bigint NOT NULL, "
            "cadence text NOT NULL, period_id text NOT NULL, whose text, actor text NOT NULL, "
            "published_at text NOT NULL, PRIMARY KEY (publication_id, revision))",
            "CREATE INDEX IF NOT EXISTS {period_ix} ON {s}.{main} (cadence, period_id)",
        ]

    def _write(self, curs: Cursor[DictRow], rows: Sequence[dict[str, Any]]) -> None:
        curs.executemany(self._sql(
            f"INSERT INTO {{s}}.{{main}} VALUES ({', '.join(['%s'] * len(COLUMNS))})"),
            [tuple(row[name] for name in COLUMNS) for row in rows])

    def published(self, cadence: str | None = None, period_id: str | None = None
                  ) -> list[Published]:
        sql, params = "SELECT * FROM {s}.{main}", ()
        if cadence is not None and period_id is not None:
            sql, params = sql + " WHERE cadence = %s AND period_id = %s", (cadence, period_id)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(sql + " ORDER BY position"), params)
            return [Published(row["publication_id"], row["revision"], row["version"],
                              row["cadence"], row["period_id"], row["whose"], row["actor"],
                              datetime.fromisoformat(row["published_at"]))
                    for row in curs.fetchall()]

"""The publications view in SQLite: its own table in the views' file, named by a prefix."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor

from domain.publications import Published
from projections.publications import COLUMNS, PUBLICATIONS_PREFIX, PublicationsView
from projections.views_sqlite import SQLiteView


class SQLitePublicationsView(SQLiteView, PublicationsView):
    """A row per revision published and tracking in one SQLite file."""

    default_prefix = PUBLICATIONS_PREFIX
    tables = {"": ("publication_id", "revision")}

    def view_statements(self) -> list[str]:
        main = self.table()
        return [
            f"CREATE TABLE IF NOT EXISTS {main} (publication_id TEXT NOT NULL, "
            "revision INTEGER NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL, "
            "cadence TEXT NOT NULL, period_id TEXT NOT NULL, whose TEXT, actor TEXT NOT NULL, "
            "published_at TEXT NOT NULL, PRIMARY KEY (publication_id, revision)) WITHOUT ROWID",
            f"CREATE INDEX IF NOT EXISTS {main}_period ON {main} (cadence, period_id)",
        ]

    def _write(self, c: SQLiteCursor, rows: Sequence[dict[str, Any]]) -> None:
        c.executemany(f"INSERT INTO {self.table()} VALUES ({', '.join('?' * len(COLUMNS))})",
                      [tuple(str(row[name]) if name == "publication_id" else row[name]
                             for name in COLUMNS) for row in rows])

    def published(self, cadence: str | None = None, period_id: str | None = None
                  ) -> list[Published]:
        sql, params = f"SELECT * FROM {self.table()}", ()
        if cadence is not None and period_id is not None:
            sql, params = sql + " WHERE cadence = ? AND period_id = ?", (cadence, period_id)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql + " ORDER BY position", params)
            return [Published(UUID(row["publication_id"]), row["revision"], row["version"],
                              row["cadence"], row["period_id"], row["whose"], row["actor"],
                              datetime.fromisoformat(row["published_at"]))
                    for row in c.fetchall()]

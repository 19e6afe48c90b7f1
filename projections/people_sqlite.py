"""The people view in SQLite: its own table in the views' file, named by a prefix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from projections.people import PEOPLE_PREFIX, PeopleView, Person, person_out
from projections.views_sqlite import SQLiteView


class SQLitePeopleView(SQLiteView, PeopleView):
    """A row per user and tracking in one SQLite file, written in one transaction per save."""

    default_prefix = PEOPLE_PREFIX
    tables = {"": ("user_id",)}

    def view_statements(self) -> list[str]:
        people = self.table()
        return [
            f"CREATE TABLE IF NOT EXISTS {people} (user_id TEXT PRIMARY KEY, "
            "username TEXT NOT NULL, registered INTEGER NOT NULL, changed INTEGER NOT NULL, "
            "person TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {people}_changed ON {people} (changed)",
        ]

    def _write(self, c: SQLiteCursor, rows: Sequence[dict[str, Any]]) -> None:
        c.executemany(
            f"INSERT INTO {self.table()} VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO "
            "UPDATE SET username=excluded.username, changed=excluded.changed, "
            "person=excluded.person",
            [(str(row["user_id"]), row["username"], row["registered"], row["changed"],
              row["person"]) for row in rows])

    def people(self, application_name: str, since: int = 0) -> tuple[int, list[Person]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT t.position, p.user_id, p.registered, p.changed, p.person FROM "
                      f"(SELECT MAX(notification_id) AS position FROM {self.tracking_table} "
                      f"WHERE application_name = ?) t LEFT JOIN {self.table()} p "
                      "ON p.changed > ? ORDER BY p.registered", (application_name, since))
            rows = c.fetchall()
        return rows[0]["position"] or 0, [person_out(*tuple(row)[1:]) for row in rows
                                          if row["user_id"] is not None]

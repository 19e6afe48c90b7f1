"""The people view in PostgreSQL: a table in the event store's schema, named by a prefix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow

from projections.people import PEOPLE_PREFIX, PeopleView, Person, person_out
from projections.views_postgres import PostgresView


class PostgresPeopleView(PostgresView, PeopleView):
    """A row per user and tracking in PostgreSQL, written in one transaction per save."""

    default_prefix = PEOPLE_PREFIX
    tables = {"": ("user_id",)}
    indexes = ("changed",)

    def view_statements(self) -> list[str]:
        return [
            "CREATE TABLE IF NOT EXISTS {s}.{main} (user_id uuid PRIMARY KEY, "
            "username text NOT NULL, registered bigint NOT NULL, changed bigint NOT NULL, "
            "person text NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {changed_ix} ON {s}.{main} (changed)",
        ]

    def _write(self, curs: Cursor[DictRow], rows: Sequence[dict[str, Any]]) -> None:
        curs.executemany(self._sql(
            "INSERT INTO {s}.{main} VALUES (%s, %s, %s, %s, %s) ON CONFLICT (user_id) DO "
            "UPDATE SET username = EXCLUDED.username, changed = EXCLUDED.changed, "
            "person = EXCLUDED.person"),
            [(row["user_id"], row["username"], row["registered"], row["changed"],
              row["person"]) for row in rows])

    def people(self, application_name: str, since: int = 0) -> tuple[int, list[Person]]:
        with self.datastore.transaction(commit=False) as curs:
            # One statement: one snapshot of the position and the rows.
            curs.execute(self._sql(
                "SELECT t.position, p.user_id, p.registered, p.changed, p.person FROM "
                "(SELECT MAX(notification_id) AS position FROM {s}.{tracking} "
                "WHERE application_name = %s) t LEFT JOIN {s}.{main} p ON p.changed > %s "
                "ORDER BY p.registered"), (application_name, since))
            rows = curs.fetchall()
        return rows[0]["position"] or 0, [
            person_out(row["user_id"], row["registered"], row["changed"], row["person"])
            for row in rows if row["user_id"] is not None]

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

    def people(self, since: int = 0) -> list[Person]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql("SELECT user_id, registered, changed, person FROM {s}.{main} "
                                   "WHERE changed > %s ORDER BY registered"), (since,))
            return [person_out(row["user_id"], row["registered"], row["changed"],
                               row["person"]) for row in curs.fetchall()]

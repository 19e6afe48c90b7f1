"""The cards view in PostgreSQL: tables in the event store's schema, named by a prefix."""

from __future__ import annotations

from collections.abc import Sequence
from types import EllipsisType
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from projections.cards import CardsView, card_out


class PostgresCardsView(CardsView, PostgresTrackingRecorder):
    """Cards, team rows and tracking in PostgreSQL, written in one transaction per save."""

    def __init__(self, datastore: PostgresDatastore, *, prefix: str = "banban_cards"):
        if not datastore.single_row_tracking:
            # Exact batches compare-and-set one tracking row per application.
            raise OperationalError("the cards view needs single-row tracking")
        super().__init__(datastore, tracking_table_name=f"{prefix}_tracking")
        for name in (prefix, f"{prefix}_team"):
            self.check_identifier_length(name)
        schema = Identifier(self.datastore.schema)
        self.names = {"s": schema, "cards": Identifier(prefix),
                      "team": Identifier(f"{prefix}_team"),
                      "tracking": Identifier(self.tracking_table_name),
                      "phase_ix": Identifier(f"{prefix}_phase"),
                      "status_ix": Identifier(f"{prefix}_status"),
                      "team_ix": Identifier(f"{prefix}_team_project")}
        self.sql_create_statements += [self._sql(s) for s in (
            "CREATE TABLE IF NOT EXISTS {s}.{cards} (project_id uuid PRIMARY KEY, "
            "version integer NOT NULL, name text NOT NULL, phase text NOT NULL, "
            "status text NOT NULL, signed_on text, chief_agent text NOT NULL, "
            "summary jsonb NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {phase_ix} ON {s}.{cards} (phase)",
            "CREATE INDEX IF NOT EXISTS {status_ix} ON {s}.{cards} (status)",
            "CREATE TABLE IF NOT EXISTS {s}.{team} (username text NOT NULL, "
            "project_id uuid NOT NULL, role text NOT NULL, PRIMARY KEY (username, project_id))",
            "CREATE INDEX IF NOT EXISTS {team_ix} ON {s}.{team} (project_id)",
        )]

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(**self.names)

    def save(self, rows: Sequence[dict[str, Any]], tracking: Tracking, *,
             previous: int | None | EllipsisType = ...) -> None:
        with self.datastore.transaction(commit=True) as curs:
            # Tracking first: the row lock it takes orders concurrent savers of this view.
            if previous is ...:
                self._insert_tracking(curs, tracking)
            else:
                self._move_tracking(curs, tracking, previous)
            for row in rows:
                self._upsert(curs, row)

    def _move_tracking(self, curs: Cursor[DictRow], tracking: Tracking,
                       previous: int | None) -> None:
        """Compare-and-set the position: IntegrityError if another process moved it."""
        name, new = tracking.application_name, tracking.notification_id
        if previous is None:
            # A concurrent first insert waits for ours, then fails on the primary key.
            curs.execute(self._sql("INSERT INTO {s}.{tracking} VALUES (%s, %s)"), (name, new))
            return
        # Under READ COMMITTED a concurrent update is waited for and the WHERE re-checked.
        curs.execute(self._sql("UPDATE {s}.{tracking} SET notification_id = %s WHERE "
                               "application_name = %s AND notification_id = %s "
                               "RETURNING notification_id"), (new, name, previous))
        if curs.fetchone() is None:
            raise IntegrityError(f"{self.tracking_table_name}: {name} is no longer at {previous}")

    def _upsert(self, curs: Cursor[DictRow], row: dict[str, Any]) -> None:
        project_id = row["project_id"]
        curs.execute(self._sql(
            "INSERT INTO {s}.{cards} VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb) "
            "ON CONFLICT (project_id) DO UPDATE SET version = EXCLUDED.version, "
            "name = EXCLUDED.name, phase = EXCLUDED.phase, status = EXCLUDED.status, "
            "signed_on = EXCLUDED.signed_on, chief_agent = EXCLUDED.chief_agent, "
            "summary = EXCLUDED.summary"),
            (project_id, row["version"], row["name"], row["phase"], row["status"],
             row["signed_on"], row["chief_agent"], row["summary"]))
        curs.execute(self._sql("DELETE FROM {s}.{team} WHERE project_id = %s"), (project_id,))
        curs.executemany(self._sql("INSERT INTO {s}.{team} VALUES (%s, %s, %s) "
                                   "ON CONFLICT DO NOTHING"),
                         [(username, project_id, role) for username, role in row["team"]])

    def cards(self, agent: str | None = None, phase: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT c.* FROM {s}.{cards} c", []
        if agent is not None:
            sql += " JOIN {s}.{team} t ON t.project_id = c.project_id AND t.username = %s"
            params.append(agent)
        conditions = [(f"c.{column} = %s", value) for column, value
                      in (("phase", phase), ("status", status)) if value is not None]
        if conditions:
            sql += " WHERE " + " AND ".join(condition for condition, _ in conditions)
            params += [value for _, value in conditions]
        sql += " ORDER BY c.signed_on, c.name, c.project_id"
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(sql), params)
            return [card_out(r, r["summary"]) for r in curs.fetchall()]

    def card(self, project_id: UUID | str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql("SELECT * FROM {s}.{cards} WHERE project_id = %s"),
                         (UUID(str(project_id)),))
            row = curs.fetchone()
        return None if row is None else card_out(row, row["summary"])

    def drop_all(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            # The migration marker stays: it says the tracking table is single-row.
            curs.execute(self._sql("DELETE FROM {s}.{tracking} WHERE application_name <> %s"),
                         (self.table_migration_identifier,))
            curs.execute(self._sql("DELETE FROM {s}.{cards}"))
            curs.execute(self._sql("DELETE FROM {s}.{team}"))

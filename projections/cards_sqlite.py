"""The cards view in SQLite: its own file next to the event store, tables named by a prefix."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from types import EllipsisType
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from projections.cards import CardsView, card_out


class SQLiteCardsView(CardsView, SQLiteTrackingRecorder):
    """Cards, team rows and tracking in one SQLite file, written in one transaction per save."""

    def __init__(self, datastore: SQLiteDatastore, *, prefix: str = "banban_cards",
                 owns_datastore: bool = False):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", prefix):
            raise ValueError(f"invalid table prefix {prefix!r}")
        if not datastore.single_row_tracking:
            # Exact batches compare-and-set one tracking row per application.
            raise OperationalError("the cards view needs single-row tracking")
        self.cards_table, self.team_table = prefix, f"{prefix}_team"
        # The library's SQLite tracking table is always `tracking`; one views file holds
        # several views, each with its own position, so each gets a table of its own.
        self.tracking_table = f"{prefix}_tracking"
        self.owns_datastore = owns_datastore
        super().__init__(datastore)
        t = self.tracking_table
        self.insert_tracking_statement = (
            f"INSERT INTO {t} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {t} WHERE application_name=?")

    def construct_create_table_statements(self) -> list[str]:
        cards, team = self.cards_table, self.team_table
        return [
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table} (application_name TEXT, "
            "notification_id INTEGER, PRIMARY KEY (application_name)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {cards} (project_id TEXT PRIMARY KEY, "
            "version INTEGER NOT NULL, name TEXT NOT NULL, phase TEXT NOT NULL, "
            "status TEXT NOT NULL, signed_on TEXT, chief_agent TEXT NOT NULL, "
            "summary TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {cards}_phase ON {cards} (phase)",
            f"CREATE INDEX IF NOT EXISTS {cards}_status ON {cards} (status)",
            f"CREATE TABLE IF NOT EXISTS {team} (username TEXT NOT NULL, "
            "project_id TEXT NOT NULL, role TEXT NOT NULL, "
            "PRIMARY KEY (username, project_id)) WITHOUT ROWID",
            f"CREATE INDEX IF NOT EXISTS {team}_project ON {team} (project_id)",
        ]

    def save(self, rows: Sequence[dict[str, Any]], tracking: Tracking, *,
             previous: int | None | EllipsisType = ...) -> None:
        with self.datastore.transaction(commit=True) as c:
            # Tracking first: the first write takes SQLite's write lock (waiting for it),
            # so the position check and the upserts see the latest committed view.
            if previous is ...:
                self._insert_tracking(c, tracking)
            else:
                self._move_tracking(c, tracking, previous)
            for row in rows:
                self._upsert(c, row)

    def _move_tracking(self, c: SQLiteCursor, tracking: Tracking, previous: int | None) -> None:
        """Compare-and-set the position: IntegrityError if another process moved it."""
        name, new = tracking.application_name, tracking.notification_id
        if previous is None:
            c.execute(f"INSERT INTO {self.tracking_table} VALUES (?, ?)", (name, new))
            return
        c.execute(f"UPDATE {self.tracking_table} SET notification_id=? "
                  "WHERE application_name=? AND notification_id=? RETURNING notification_id",
                  (new, name, previous))
        if c.fetchone() is None:
            raise IntegrityError(f"{self.cards_table}: {name} is no longer at {previous}")

    def _upsert(self, c: SQLiteCursor, row: dict[str, Any]) -> None:
        project_id = str(row["project_id"])
        c.execute(
            f"INSERT INTO {self.cards_table} VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (project_id) DO UPDATE SET version=excluded.version, "
            "name=excluded.name, phase=excluded.phase, status=excluded.status, "
            "signed_on=excluded.signed_on, chief_agent=excluded.chief_agent, "
            "summary=excluded.summary",
            (project_id, row["version"], row["name"], row["phase"], row["status"],
             row["signed_on"], row["chief_agent"], row["summary"]))
        c.execute(f"DELETE FROM {self.team_table} WHERE project_id=?", (project_id,))
        c.executemany(f"INSERT INTO {self.team_table} VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                      [(username, project_id, role) for username, role in row["team"]])

    def cards(self, agent: str | None = None, phase: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
        sql, params = f"SELECT c.* FROM {self.cards_table} c", []
        if agent is not None:
            sql += f" JOIN {self.team_table} t ON t.project_id = c.project_id AND t.username = ?"
            params.append(agent)
        conditions = [(f"c.{column} = ?", value) for column, value
                      in (("phase", phase), ("status", status)) if value is not None]
        if conditions:
            sql += " WHERE " + " AND ".join(condition for condition, _ in conditions)
            params += [value for _, value in conditions]
        sql += " ORDER BY c.signed_on, c.name, c.project_id"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [card_out(dict(r), json.loads(r["summary"])) for r in c.fetchall()]

    def card(self, project_id: UUID | str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {self.cards_table} WHERE project_id=?",
                      (str(project_id),))
            row = c.fetchone()
        return None if row is None else card_out(dict(row), json.loads(row["summary"]))

    def drop_all(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            # The migration marker stays: it says the tracking table is single-row.
            c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name != ?",
                      (self.table_migration_identifier,))
            c.execute(f"DELETE FROM {self.cards_table}")
            c.execute(f"DELETE FROM {self.team_table}")

    def close(self) -> None:
        if self.owns_datastore:
            self.datastore.close()

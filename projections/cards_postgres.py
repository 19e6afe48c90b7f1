"""The cards view in PostgreSQL: tables in the event store's schema, named by a prefix."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from projections.cards import CARDS_PREFIX, CardsView, Listed, Stored, card_out
from projections.views_postgres import PostgresView


class PostgresCardsView(PostgresView, CardsView):
    """Cards, team rows and tracking in PostgreSQL, written in one transaction per save."""

    default_prefix = CARDS_PREFIX
    tables = {"": ("project_id",), "team": ("username", "project_id"), "facts": ("project_id",)}
    indexes = ("phase", "status", "county", "team_project")

    def view_statements(self) -> list[str]:
        return [
            "CREATE TABLE IF NOT EXISTS {s}.{main} (project_id uuid PRIMARY KEY, "
            "version integer NOT NULL, name text NOT NULL, phase text NOT NULL, "
            "status text NOT NULL, signed_on text, chief_agent text NOT NULL, "
            "summary jsonb NOT NULL, county text)",
            "CREATE INDEX IF NOT EXISTS {phase_ix} ON {s}.{main} (phase)",
            "CREATE INDEX IF NOT EXISTS {county_ix} ON {s}.{main} (county)",
            "CREATE INDEX IF NOT EXISTS {status_ix} ON {s}.{main} (status)",
            "CREATE TABLE IF NOT EXISTS {s}.{team} (username text NOT NULL, "
            "project_id uuid NOT NULL, role text NOT NULL, PRIMARY KEY (username, project_id))",
            "CREATE INDEX IF NOT EXISTS {team_project_ix} ON {s}.{team} (project_id)",
            "CREATE TABLE IF NOT EXISTS {s}.{facts} (project_id uuid PRIMARY KEY, "
            "version integer NOT NULL, facts text NOT NULL)",
        ]

    def _write(self, curs: Cursor[DictRow], rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._upsert(curs, row)

    def _upsert(self, curs: Cursor[DictRow], row: dict[str, Any]) -> None:
        project_id = row["project_id"]
        curs.execute(self._sql(
            "INSERT INTO {s}.{main} VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s) "
            "ON CONFLICT (project_id) DO UPDATE SET version = EXCLUDED.version, "
            "name = EXCLUDED.name, phase = EXCLUDED.phase, status = EXCLUDED.status, "
            "signed_on = EXCLUDED.signed_on, chief_agent = EXCLUDED.chief_agent, "
            "summary = EXCLUDED.summary, county = EXCLUDED.county"),
            (project_id, row["version"], row["name"], row["phase"], row["status"],
             row["signed_on"], row["chief_agent"], row["summary"], row["county"]))
        curs.execute(self._sql("DELETE FROM {s}.{team} WHERE project_id = %s"), (project_id,))
        curs.executemany(self._sql("INSERT INTO {s}.{team} VALUES (%s, %s, %s) "
                                   "ON CONFLICT DO NOTHING"),
                         [(username, project_id, role) for username, role in row["team"]])
        curs.execute(self._sql("INSERT INTO {s}.{facts} VALUES (%s, %s, %s) ON CONFLICT "
                               "(project_id) DO UPDATE SET version = EXCLUDED.version, "
                               "facts = EXCLUDED.facts"),
                     (project_id, row["version"], row["facts"]))

    def facts(self, ids: Collection[UUID]) -> dict[UUID, Stored]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql("SELECT project_id, version, facts FROM {s}.{facts} "
                                   "WHERE project_id = ANY(%s)"), ([UUID(str(i)) for i in ids],))
            return {row["project_id"]: Stored(row["version"], row["facts"])
                    for row in curs.fetchall()}

    def cards(self, agent: str | None = None, phase: str | None = None,
              status: str | None = None, county: str | None = None,
              home: str | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT c.* FROM {s}.{main} c", []
        if agent is not None:
            sql += " JOIN {s}.{team} t ON t.project_id = c.project_id AND t.username = %s"
            params.append(agent)
        conditions = [(f"c.{column} = %s", value) for column, value
                      in (("phase", phase), ("status", status)) if value is not None]
        if county is not None:
            # A project that names no county is the home county's.
            conditions.append(("COALESCE(c.county, %s) = %s", (home or "", county)))
        if conditions:
            sql += " WHERE " + " AND ".join(condition for condition, _ in conditions)
            for _, value in conditions:
                params += list(value) if isinstance(value, tuple) else [value]
        sql += " ORDER BY c.signed_on, c.name, c.project_id"
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(sql), params)
            return [card_out(r, r["summary"]) for r in curs.fetchall()]

    def directory(self, ids: Collection[UUID] | None = None) -> list[Listed]:
        sql, params = "SELECT project_id, version, signed_on, name, county FROM {s}.{main}", ()
        if ids is not None:
            sql, params = sql + " WHERE project_id = ANY(%s)", ([UUID(str(i)) for i in ids],)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql(sql), params)
            return [Listed(row["project_id"], row["version"], row["signed_on"], row["name"],
                           row["county"]) for row in curs.fetchall()]

    def card(self, project_id: UUID | str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql("SELECT * FROM {s}.{main} WHERE project_id = %s"),
                         (UUID(str(project_id)),))
            row = curs.fetchone()
        return None if row is None else card_out(row, row["summary"])

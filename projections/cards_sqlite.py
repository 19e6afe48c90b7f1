"""The cards view in SQLite: its own file next to the event store, tables named by a prefix."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor

from projections.cards import CARDS_PREFIX, CardsView, Listed, Stored, card_out
from projections.views import chunked
from projections.views_sqlite import SQLiteView


class SQLiteCardsView(SQLiteView, CardsView):
    """Cards, team rows and tracking in one SQLite file, written in one transaction per save."""

    default_prefix = CARDS_PREFIX
    tables = {"": ("project_id",), "team": ("username", "project_id"), "facts": ("project_id",)}

    def view_statements(self) -> list[str]:
        cards, team = self.table(), self.table("team")
        return [
            f"CREATE TABLE IF NOT EXISTS {cards} (project_id TEXT PRIMARY KEY, "
            "version INTEGER NOT NULL, name TEXT NOT NULL, phase TEXT NOT NULL, "
            "status TEXT NOT NULL, signed_on TEXT, chief_agent TEXT NOT NULL, "
            "summary TEXT NOT NULL, county TEXT)",
            f"CREATE INDEX IF NOT EXISTS {cards}_phase ON {cards} (phase)",
            f"CREATE INDEX IF NOT EXISTS {cards}_county ON {cards} (county)",
            f"CREATE INDEX IF NOT EXISTS {cards}_status ON {cards} (status)",
            f"CREATE TABLE IF NOT EXISTS {team} (username TEXT NOT NULL, "
            "project_id TEXT NOT NULL, role TEXT NOT NULL, "
            "PRIMARY KEY (username, project_id)) WITHOUT ROWID",
            f"CREATE INDEX IF NOT EXISTS {team}_project ON {team} (project_id)",
            f"CREATE TABLE IF NOT EXISTS {self.table('facts')} (project_id TEXT PRIMARY KEY, "
            "version INTEGER NOT NULL, facts TEXT NOT NULL)",
        ]

    def _write(self, c: SQLiteCursor, rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._upsert(c, row)

    def _upsert(self, c: SQLiteCursor, row: dict[str, Any]) -> None:
        project_id = str(row["project_id"])
        c.execute(
            f"INSERT INTO {self.table()} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (project_id) DO UPDATE SET version=excluded.version, "
            "name=excluded.name, phase=excluded.phase, status=excluded.status, "
            "signed_on=excluded.signed_on, chief_agent=excluded.chief_agent, "
            "summary=excluded.summary, county=excluded.county",
            (project_id, row["version"], row["name"], row["phase"], row["status"],
             row["signed_on"], row["chief_agent"], row["summary"], row["county"]))
        c.execute(f"DELETE FROM {self.table('team')} WHERE project_id=?", (project_id,))
        c.executemany(f"INSERT INTO {self.table('team')} VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                      [(username, project_id, role) for username, role in row["team"]])
        c.execute(f"INSERT INTO {self.table('facts')} VALUES (?, ?, ?) ON CONFLICT (project_id) "
                  "DO UPDATE SET version=excluded.version, facts=excluded.facts",
                  (project_id, row["version"], row["facts"]))

    def facts(self, ids: Collection[UUID]) -> dict[UUID, Stored]:
        found = {}
        with self.datastore.transaction(commit=False) as c:
            for chunk in chunked([str(each) for each in ids]):
                c.execute(f"SELECT project_id, version, facts FROM {self.table('facts')} "
                          f"WHERE project_id IN ({', '.join('?' * len(chunk))})", chunk)
                found.update((UUID(row["project_id"]), Stored(row["version"], row["facts"]))
                             for row in c.fetchall())
        return found

    def cards(self, agent: str | None = None, phase: str | None = None,
              status: str | None = None, county: str | None = None,
              home: str | None = None) -> list[dict[str, Any]]:
        sql, params = f"SELECT c.* FROM {self.table()} c", []
        if agent is not None:
            sql += f" JOIN {self.table('team')} t ON t.project_id = c.project_id AND t.username = ?"
            params.append(agent)
        conditions = [(f"c.{column} = ?", value) for column, value
                      in (("phase", phase), ("status", status)) if value is not None]
        if county is not None:
            # A project that names no county is the home county's.
            conditions.append(("COALESCE(c.county, ?) = ?", (home or "", county)))
        if conditions:
            sql += " WHERE " + " AND ".join(condition for condition, _ in conditions)
            for _, value in conditions:
                params += list(value) if isinstance(value, tuple) else [value]
        sql += " ORDER BY c.signed_on, c.name, c.project_id"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [card_out(dict(r), json.loads(r["summary"])) for r in c.fetchall()]

    def directory(self, ids: Collection[UUID] | None = None) -> list[Listed]:
        sql = f"SELECT project_id, version, signed_on, name, county FROM {self.table()}"
        asked = [None] if ids is None else list(chunked([str(each) for each in ids]))
        found = []
        with self.datastore.transaction(commit=False) as c:
            for chunk in asked:
                if chunk is None:
                    c.execute(sql)
                else:
                    c.execute(f"{sql} WHERE project_id IN ({', '.join('?' * len(chunk))})",
                              chunk)
                found += [Listed(UUID(row["project_id"]), row["version"], row["signed_on"],
                                 row["name"], row["county"]) for row in c.fetchall()]
        return found

    def card(self, project_id: UUID | str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {self.table()} WHERE project_id=?",
                      (str(project_id),))
            row = c.fetchone()
        return None if row is None else card_out(dict(row), json.loads(row["summary"]))

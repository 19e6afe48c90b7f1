"""Replaying every view from the events alone into a scratch store, and comparing row by row.

The live views are caught up first, to one position; the scratch views are built up to that
same position in a temporary SQLite file (SQLite store) or a scratch schema (PostgreSQL store,
dropped afterwards), from a repository without snapshots, so that nothing but the stored events
goes into them. Then every row of every table is compared: all of the cards; of the reminders,
what the events derive on the day of the replay (projections.reminders.derivable: the events'
reminders while they are news, what each project owes today; not what people read). (The hash
chain is not a view: it is written with the events, and `flask audit verify` recomputes all of
it.)
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Repository

from domain.application import Banban
from projections import reminders
from projections.cards import CARDS_PREFIX, ProjectCards
from projections.people import PEOPLE_PREFIX, People
from projections.publications import PUBLICATIONS_PREFIX, Publications
from projections.runner import BULK, catch_up
from projections.views import View, open_view


@dataclass(frozen=True)
class Difference:
    """One row that differs between a live view and its replay."""

    view: str
    table: str
    key: tuple
    live: dict[str, Any] | None
    replayed: dict[str, Any] | None

    def __str__(self) -> str:
        if self.live is None:
            return f"{self.view}.{self.table} {self.key}: missing from the live view"
        if self.replayed is None:
            return f"{self.view}.{self.table} {self.key}: not in the replay (extra live row)"
        columns = [c for c in self.replayed if self.live.get(c) != self.replayed[c]]
        shown = ", ".join(f"{c}: live {self.live.get(c)!r}, replayed {self.replayed[c]!r}"
                          for c in columns)
        return f"{self.view}.{self.table} {self.key}: {shown}"


@dataclass
class Replay:
    """What a replay compared: rows per view and table, the position, and the differences."""

    position: int
    rows: dict[str, dict[str, int]]
    differences: list[Difference]


def replay(app: Banban, live: dict[str, Any],
           progress: Callable[[str, int, int], None] | None = None) -> Replay:
    """Rebuild each live view (by name: "cards", "reminders", "people",
    "publications") from the events into a scratch
    store and compare what the events derive of it."""
    for projection in live.values():
        catch_up(app, projection)
    # Writers may have moved some view further meanwhile: bring all to the furthest.
    position = max(p.view.max_tracking_id(app.name) or 0 for p in live.values())
    for projection in live.values():
        catch_up(app, projection, stop=position)
    today = app.clock()
    if "reminders" in live:
        live["reminders"].sweep(today)  # as the day's first request would
    with scratch_datastore(app) as datastore:
        replayed = _scratch(app, datastore, live)
        result = Replay(position, {}, [])
        try:
            for name, projection in live.items():
                scratch = replayed[name]
                catch_up(app, scratch, stop=position, batch=BULK,
                         progress=None if progress is None else
                         (lambda done, stop, name=name: progress(name, done, stop)))
                rules = None
                if name == "reminders":
                    scratch.sweep(today)
                    rules = reminders.derivable(today)
                rows, differences = compare(name, projection.view, scratch.view, rules)
                result.rows[name] = rows
                result.differences += differences
        finally:
            for projection in replayed.values():
                projection.view.close()
    return result


def _scratch(app: Banban, datastore: Any, live: dict[str, Any]) -> dict[str, Any]:
    """A scratch projection for each live view, reading events without snapshots."""
    repository = Repository(event_store=app.events)
    made: dict[str, Any] = {}
    if "cards" in live:
        made["cards"] = ProjectCards(open_view(app, "cards", CARDS_PREFIX, datastore), app,
                                     repository=repository)
    if "reminders" in live:
        made["reminders"] = reminders.ProjectReminders(
            open_view(app, "reminders", reminders.REMINDERS_PREFIX, datastore), app,
            repository=repository, owed_with_events=False)
    if "people" in live:
        made["people"] = People(open_view(app, "people", PEOPLE_PREFIX, datastore), app,
                                repository=repository)
    if "publications" in live:
        made["publications"] = Publications(
            open_view(app, "publications", PUBLICATIONS_PREFIX, datastore), app,
            repository=repository)
    return made


# The tables a replay derives, each with which rows and how they compare
# (projections.reminders.derivable); without them, every row of every table, equal.
Rules = dict[str, Callable[[dict[str, Any]], str | None]]


def compare(name: str, live: View, replayed: View, rules: Rules | None = None
            ) -> tuple[dict[str, int], list[Difference]]:
    """Row counts per table compared (of the rows compared) and every differing row, tables
    keyed as the view declares."""
    mine, theirs = live.dump(), replayed.dump()
    rows, differences = {}, []
    for table, key in live.tables.items():
        table = table or "main"
        if rules is not None and table not in rules:
            continue
        how = (lambda row: reminders.EQUAL) if rules is None else rules[table]
        every_live = {tuple(row[c] for c in key): row for row in mine[table]}
        keyed_live = {k: row for k, row in every_live.items() if how(row) == reminders.EQUAL}
        keyed_replayed = {tuple(row[c] for c in key): row for row in theirs[table] if how(row)}
        rows[table] = len(keyed_replayed)
        for row_key in sorted(keyed_live.keys() | keyed_replayed.keys(), key=str):
            a, b = keyed_live.get(row_key), keyed_replayed.get(row_key)
            if b is not None and how(b) == reminders.COVERED:
                a = every_live.get(row_key)
                if a is None:
                    differences.append(Difference(name, table, row_key, None, b))
            elif a != b:
                differences.append(Difference(name, table, row_key, a, b))
    return rows, differences


@contextmanager
def scratch_datastore(app: Banban) -> Iterator[Any]:
    """A datastore for scratch views, removed afterwards: a temporary SQLite file, or a new
    schema in the same PostgreSQL database."""
    events = app.factory.datastore
    if type(events).__name__ == "PostgresDatastore":
        from eventsourcing.postgres import PostgresFactory
        from eventsourcing.utils import Environment

        schema = f"banban_replay_{uuid.uuid4().hex[:12]}"
        with events.get_connection() as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        env = {**app.env, "POSTGRES_SCHEMA": schema, "POSTGRES_POOL_SIZE": "1",
               "POSTGRES_MAX_OVERFLOW": "1"}
        try:
            scratch = PostgresFactory(Environment(app.name, env)).datastore
            try:
                yield scratch
            finally:
                scratch.close()
        finally:
            with events.get_connection() as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        return
    from eventsourcing.sqlite import SQLiteDatastore

    with tempfile.TemporaryDirectory(prefix="banban-replay-") as directory:
        scratch = SQLiteDatastore(os.path.join(directory, "replay.views.db"))
        try:
            yield scratch
        finally:
            scratch.close()

"""Issue 5's acceptance: random single-row changes made with plain SQL to a populated store's
events table (a byte of a state changed, a row deleted, a forged row inserted, two rows'
contents swapped) are each caught by `flask audit verify`, which names the position; undone,
the store verifies again. A seeded random loop, a few seconds per store."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from collections import Counter

import pytest

from app import create_app
from projections.chain import EventChain, open_chain_view
from projections.runner import catch_up
from tests.conftest import _pg_connect, app_config

KINDS = ("changed", "deleted", "inserted", "swapped")
SECONDS = 4
SHIFT = 10_000_000  # beyond any id here: moves rows out of the way of each other


class RawEvents:
    """The events table through plain SQL, as someone with access to the database changes it.
    Rows are (id, originator_id, originator_version, topic, state), by id."""

    def __init__(self, store_env):
        if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
            self.conn = sqlite3.connect(store_env["SQLITE_DBNAME"], isolation_level=None)
            self.table, self.id, self.mark = "stored_events", "rowid", "?"
        else:
            self.conn = _pg_connect()
            self.table = f'"{store_env["POSTGRES_SCHEMA"]}".banban_events'
            self.id, self.mark = "notification_id", "%s"

    def run(self, sql: str, *params):
        return self.conn.execute(sql.replace("?", self.mark).format(t=self.table, id=self.id),
                                 params)

    def rows(self) -> list[tuple]:
        return [(row[0], row[1], row[2], row[3], bytes(row[4])) for row in self.run(
            "SELECT {id}, originator_id, originator_version, topic, state FROM {t} ORDER BY {id}")]

    def insert(self, row: tuple) -> None:
        self.run("INSERT INTO {t} ({id}, originator_id, originator_version, topic, state) "
                 "VALUES (?, ?, ?, ?, ?)", *row)

    def delete(self, notification_id: int) -> None:
        self.run("DELETE FROM {t} WHERE {id} = ?", notification_id)

    def set_state(self, notification_id: int, state: bytes) -> None:
        self.run("UPDATE {t} SET state = ? WHERE {id} = ?", state, notification_id)

    def set_content(self, notification_id: int, row: tuple) -> None:
        self.run("UPDATE {t} SET originator_id = ?, originator_version = ?, topic = ?, state = ? "
                 "WHERE {id} = ?", *row[1:], notification_id)

    def shift(self, after: int, by: int) -> None:
        """Move every id above `after` by `by` (in two steps: ids stay unique throughout)."""
        self.run("UPDATE {t} SET {id} = {id} + ? WHERE {id} > ?", SHIFT, after)
        self.run("UPDATE {t} SET {id} = {id} - ? WHERE {id} > ?", SHIFT - by, after + SHIFT)

    def close(self) -> None:
        self.conn.close()


def tamper(raw: RawEvents, rows: list[tuple], kind: str, j: int, rng: random.Random):
    """Make one change at position j (1-based); return how to undo it."""
    row = rows[j - 1]
    if kind == "changed":
        state = bytearray(row[4])
        state[rng.randrange(len(state))] ^= rng.randrange(1, 256)
        raw.set_state(row[0], bytes(state))
        return lambda: raw.set_state(row[0], row[4])
    if kind == "deleted":
        raw.delete(row[0])
        return lambda: raw.insert(row)
    if kind == "inserted":
        # A forged event in a new aggregate, its state copied from another event, given the id
        # of position j after the later rows are moved up by one.
        donor = rng.choice(rows)
        raw.shift(row[0] - 1, 1)
        raw.insert((row[0], uuid.uuid4() if raw.id != "rowid" else uuid.uuid4().hex, 1,
                    donor[3], donor[4]))

        def undo():
            raw.delete(row[0])
            raw.shift(row[0], -1)
        return undo
    k = rng.randrange(j + 1, len(rows) + 1)
    other = rows[k - 1]
    placeholder = (0, uuid.uuid4() if raw.id != "rowid" else uuid.uuid4().hex, 1, "x", b"")
    raw.set_content(row[0], placeholder)
    raw.set_content(other[0], row)
    raw.set_content(row[0], other)

    def undo_swap():
        raw.set_content(row[0], placeholder)
        raw.set_content(other[0], other)
        raw.set_content(row[0], row)
    return undo_swap


@pytest.fixture
def verify_cli(populated, store_env):
    """Runs `flask audit verify` on the populated store (its chain caught up first)."""
    chain = EventChain(open_chain_view(populated), populated)
    catch_up(populated, chain)
    chain.view.close()
    app = create_app(app_config(store_env))
    runner = app.test_cli_runner()
    yield lambda *args: runner.invoke(args=["audit", "verify", *args])
    app.extensions["banban.store"].close()


def test_every_random_single_row_change_is_named_at_its_position(populated, store_env,
                                                                  verify_cli):
    untouched = verify_cli()
    assert untouched.exit_code == 0, untouched.output
    assert "intact:" in untouched.output
    raw = RawEvents(store_env)
    rng = random.Random(5)
    tried: Counter = Counter()
    try:
        rows = raw.rows()
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline or len(tried) < len(KINDS):
            kind = KINDS[sum(tried.values()) % len(KINDS)]
            j = rng.randrange(1, len(rows) + (0 if kind == "swapped" else 1))
            undo = tamper(raw, rows, kind, j, rng)
            try:
                result = verify_cli("--no-link")
            finally:
                undo()
            assert result.exit_code == 1, (kind, j, result.output)
            assert f"NOT INTACT: {kind} at position {j} " in result.output, (kind, j,
                                                                             result.output)
            tried[kind] += 1
        assert raw.rows() == rows  # every change was undone
    finally:
        raw.close()
    again = verify_cli()
    assert again.exit_code == 0, again.output
    assert min(tried.values()) >= 3, tried

"""Changes made with plain SQL, as someone with write access to the database makes them, each
caught by `flask audit verify`:

- issue 5's acceptance: random single-row changes to a populated store's events table (a byte
  of a state changed, a row deleted, a forged row inserted, two rows' contents swapped), each
  named at its position; undone, the store verifies again (a seeded loop, seconds per store);
- issue 12's: a forged event appended (named, and never linked by verify or by the next
  write); a forged event with a forged link (caught by AUDIT_KEY when set; without it, a
  consistent rewrite is caught by a head written down); an event written without its link by
  a program other than the application (named until an operator accepts it).
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import date

import pytest

from app import create_app
from app.audit.records import store_facts
from domain.application import Banban
from domain.chain import Chain, StoredFact
from domain.ledger import LINK_COLUMNS, SEAL_COLUMNS
from domain.users import User
from tests.conftest import TODAY, _pg_connect, app_config
from tests.integration.test_chain import AUDIT_KEY

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

    def append(self, topic: str, state: bytes) -> tuple[uuid.UUID, int]:
        """A forged event of a new aggregate after the last one (the store numbers it)."""
        forged = uuid.uuid4()
        self.run("INSERT INTO {t} (originator_id, originator_version, topic, state) "
                 "VALUES (?, 1, ?, ?)", forged if self.id != "rowid" else forged.hex,
                 topic, state)
        return forged, self.rows()[-1][0]

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


class RawChain(RawEvents):
    """The chain's tables through plain SQL: links as the attacker computes them."""

    def __init__(self, store_env):
        super().__init__(store_env)
        prefix = "" if self.id == "rowid" else f'"{store_env["POSTGRES_SCHEMA"]}".'
        self.links, self.seals = f"{prefix}banban_chain", f"{prefix}banban_chain_seals"

    def write(self, chain: Chain, facts, after: int) -> None:
        """Replace every link after position `after` (and the seals that fall from there) by
        those `chain` makes of `facts`."""
        self.run(f"DELETE FROM {self.links} WHERE position > ?", after)
        self.run(f"DELETE FROM {self.seals} WHERE position >= ?", after)
        for fact in facts:
            link, seals = chain.link(fact)
            self.run(f"INSERT INTO {self.links} ({', '.join(LINK_COLUMNS)}) VALUES "
                     f"({', '.join('?' * len(LINK_COLUMNS))})", *astuple(link, LINK_COLUMNS))
            for seal in seals:
                self.run(f"INSERT INTO {self.seals} ({', '.join(SEAL_COLUMNS)}) VALUES "
                         f"({', '.join('?' * len(SEAL_COLUMNS))})", *astuple(seal, SEAL_COLUMNS))


def append_forged(store_env) -> tuple[uuid.UUID, int]:
    """A forged event appended with plain SQL (a new aggregate, its state the last event's);
    its originator id and notification id."""
    raw = RawEvents(store_env)
    try:
        last = raw.rows()[-1]
        return raw.append(last[3], last[4])
    finally:
        raw.close()


def astuple(row, columns) -> tuple:
    return tuple(asdict(row)[column] for column in columns)


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
def audit_cli(store_env):
    """Runs `flask audit ...` on the store (made by the test), each run a process of its own
    as an operator's would be (the environment read then: AUDIT_KEY)."""

    def run(*args):
        app = create_app(app_config(store_env))
        try:
            return app.test_cli_runner().invoke(args=["audit", *args])
        finally:
            app.extensions["banban.store"].close()

    return run


@pytest.fixture
def verify_cli(populated, audit_cli):
    """Runs `flask audit verify` on the populated store."""
    return lambda *args: audit_cli("verify", *args)


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
        # Random changes for a few seconds, and at least three of each kind however slow the
        # machine (the count is what is checked, not what fits in the time).
        while time.monotonic() < deadline or min(tried[kind] for kind in KINDS) < 3:
            kind = KINDS[sum(tried.values()) % len(KINDS)]
            j = rng.randrange(1, len(rows) + (0 if kind == "swapped" else 1))
            undo = tamper(raw, rows, kind, j, rng)
            try:
                result = verify_cli()
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


def head_of(output: str) -> str:
    [head] = [line.removeprefix("head: ") for line in output.splitlines()
              if line.startswith("head: ")]
    return head


def test_an_appended_forged_event_is_named_and_linked_neither_by_verify_nor_by_the_next_write(
        populated, store_env, verify_cli):
    """Issue 12, finding 3: verify used to link the forged row itself ("1 events recorded
    since are not linked yet"), the next write linked it too, and `--head` passed."""
    before = verify_cli()
    assert before.exit_code == 0, before.output
    forged, notification_id = append_forged(store_env)
    position = populated.recorder.chain_tail().position + 1
    named = (f"NOT INTACT: unlinked at position {position} (notification {notification_id}, "
             f"{forged} v1)")
    for _ in range(2):  # verify writes nothing: the second run finds the same
        found = verify_cli()
        assert found.exit_code == 1 and named in found.output, found.output
    project_id = next(populated.project_ids())
    version = populated.project(project_id)["version"]
    populated.record(project_id, "office", "visit_logged", expected_version=version,
                     occurred_on=date(2026, 3, 2), fields={"purpose": "回访"})
    after = verify_cli()
    assert after.exit_code == 1 and named in after.output, after.output
    assert f"(the other {position} events match their links" in after.output
    # The write's event, after the forged one, is the chain's tail (not necessarily the next
    # id: on PostgreSQL a write that goes the two-round-trip way leaves a gap in the ids).
    tail = populated.recorder.chain_tail()
    assert (tail.originator_id, tail.originator_version) == (str(project_id), version + 1)
    assert tail.notification_id > notification_id
    assert verify_cli("--head", head_of(before.output)).exit_code == 1


def _keyed_store(store_env) -> None:
    """A store whose chain is keyed with AUDIT_KEY: a few users and their tokens."""
    banban = Banban(env={**store_env, "AUDIT_KEY": AUDIT_KEY}, clock=lambda: TODAY)
    try:
        for username in ("office", "zhang", "li"):
            banban.register_user(username, "office", actor="test")
            banban.issue_token(username, actor="test")
    finally:
        banban.close()


def test_a_forged_event_with_a_forged_link_is_caught_by_the_audit_key(store_env, audit_cli,
                                                                      monkeypatch):
    """Without AUDIT_KEY the attacker's link is a plain SHA-256 one (or any hash marked with
    the key's id, which is public): neither is the HMAC the key gives."""
    _keyed_store(store_env)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    assert audit_cli("verify").exit_code == 0
    forged, notification_id = append_forged(store_env)
    raw = RawChain(store_env)
    try:
        topic, state = raw.rows()[-1][3:]
        last, head = raw.run(f"SELECT position, hash FROM {raw.links} ORDER BY position DESC "
                             "LIMIT 1").fetchone()
        fact = StoredFact(notification_id, str(forged), 1, topic, state)
        raw.write(Chain(position=last, head=bytes.fromhex(head)), [fact], after=last)
        position = last + 1
        found = audit_cli("verify")
        assert found.exit_code == 1, found.output
        assert f"NOT INTACT: link altered at position {position} " in found.output
        assert "keyed with no key" in found.output
        key_id = raw.run(f"SELECT key_id FROM {raw.links} WHERE position = 1").fetchone()[0]
        raw.run(f"UPDATE {raw.links} SET key_id = ? WHERE position = ?", key_id, position)
        found = audit_cli("verify")
        assert f"NOT INTACT: link altered at position {position} " in found.output
        assert "the chain itself was changed" in found.output
    finally:
        raw.close()


def test_without_a_key_a_consistently_rewritten_chain_fails_on_a_head_written_down(
        populated, store_env, verify_cli):
    """A forged event put among the old ones and every link after it recomputed: the chain is
    consistent in itself, but no longer passes through the head printed before."""
    before = verify_cli()
    head = head_of(before.output)
    raw = RawChain(store_env)
    try:
        rows = raw.rows()
        j = len(rows) // 2
        raw.shift(rows[j - 1][0] - 1, 1)
        donor = rows[3]
        raw.insert((rows[j - 1][0], uuid.uuid4() if raw.id != "rowid" else uuid.uuid4().hex, 1,
                    donor[3], donor[4]))
        prior = populated.recorder.chain_links(j - 2, 1)[0]
        facts = list(store_facts(populated))[j - 1:]
        raw.write(Chain.after(prior), facts, after=j - 1)
    finally:
        raw.close()
    rewritten = verify_cli()
    assert rewritten.exit_code == 0, rewritten.output  # consistent in itself ...
    pinned = verify_cli("--head", head)
    assert pinned.exit_code == 1 and "NOT INTACT: head not found" in pinned.output


def test_an_event_written_without_its_link_is_named_until_an_operator_accepts_it(
        populated, store_env, audit_cli):
    """Another program using eventsourcing's own recorder on the same store writes an event
    that is sound in every other way; only the decision `flask audit accept` links it."""
    user = User.register(username="outsider", role="office", display_name="外来",
                         password_hash=None, actor="someone")
    plain = populated.factory.application_recorder()  # the library's, which links nothing
    plain.insert_events([populated.mapper.to_stored_event(e) for e in user.collect_events()])
    found = audit_cli("verify")
    position = populated.recorder.chain_tail().position + 1
    assert found.exit_code == 1
    assert f"NOT INTACT: unlinked at position {position} " in found.output
    assert f"{user.id} v1" in found.output
    wrong = audit_cli("accept", "--position", "3", "--reason", "mistyped")
    assert wrong.exit_code == 1
    assert f"no event without its link at position 3 (those without: {position})" in wrong.output
    accepted = audit_cli("accept", "--position", str(position), "--reason",
                         "written by the migration script of 5 March")
    assert accepted.exit_code == 0, accepted.output
    assert f"accepted position {position} " in accepted.output
    verified = audit_cli("verify")
    assert verified.exit_code == 0, verified.output
    assert f"accepted: accepted at position {position} " in verified.output
    decision = populated.recorder.select_notifications(None, 1, topics=[
        "domain.acceptance:Acceptance.Accepted"])[0]
    recorded = populated.mapper.to_domain_event(decision)
    assert recorded.actor.startswith("cli") and recorded.reason.startswith("written by")
    assert [e["position"] for e in recorded.accepted] == [position]
    assert audit_cli("accept", "--position", str(position), "--reason", "again").exit_code == 1

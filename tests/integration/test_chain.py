"""The hash chain on each store: every event linked in the transaction that records it, once and
in log order, whoever writes; seals at period ends and publications; a failed write leaves no
link; the key (AUDIT_KEY) and the cipher (CIPHER_KEY) checked at start; an upgrade from the
chain kept in the SQLite views file."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import asdict
from datetime import date

import pytest
from eventsourcing.persistence import StoredEvent

from app.audit.records import store_facts, verify_store
from domain.application import Banban
from domain.chain import PUBLISHED_TOPIC, Chain, key_id, publication_label
from domain.errors import ConcurrentUpdate, StoreKeyError
from domain.publications import publication_id
from domain.tables import views_path
from tests.conftest import TODAY, new_store

KEY = "yTqRaFgqUTvNDGCfUMq5Tyg4CsKeP2kyvb5aeqFs2Qc="  # 32 bytes, base64
OTHER_KEY = "5xXOs3GCcsXmn64vzaUSTnx6L3MpZajUCjZk7SJVBcs="
AUDIT_KEY = "c2l4dGVlbiBieXRlcyBvZiBrZXkgZm9yIGF1ZGl0cyE="  # 32 bytes, base64


def test_every_event_is_linked_in_log_order_as_it_is_recorded(populated):
    links = list(populated.recorder.all_links())
    facts = list(store_facts(populated))
    assert [link.position for link in links] == list(range(1, len(facts) + 1))
    assert [link.notification_id for link in links] == [fact.notification_id for fact in facts]
    # The stored links are the chain computed straight from the stored events.
    direct = Chain()
    for fact in facts:
        direct.link(fact)
    assert links[-1].hash == direct.head.hex()
    assert verify_store(populated).intact


def test_seals_fall_at_a_week_end_and_at_each_publication(populated):
    seals = {seal.label: seal for seal in populated.recorder.chain_seals()}
    weekly = [seal for label, seal in seals.items() if label.startswith("weekly/")]
    assert weekly, seals
    published = seals[publication_label(publication_id("weekly", "2026-W10"), 2)]
    # The publication seal is the head just before the publication event, there at once.
    links = populated.recorder.chain_links(after=published.position - 1, limit=2)
    assert links[0].hash == published.head
    assert (links[1].originator_id, links[1].originator_version) == (
        str(publication_id("weekly", "2026-W10")), 2)
    assert populated.published_dispatch("weekly", "2026-W10")[0]["seal"]["head"] == published.head
    verdict = verify_store(populated)
    assert verdict.intact and verdict.seals == len(seals)


def test_processes_writing_at_once_have_each_event_linked_exactly_once(populated, store_env):
    apps = [Banban(env=store_env, clock=lambda: TODAY) for _ in range(3)]
    project_ids = list(populated.project_ids())
    errors = []

    def write(app, n):
        try:
            for round_ in range(8):
                project_id = project_ids[(n + round_) % len(project_ids)]
                try:
                    version = app.project(project_id)["version"]
                    app.record(project_id, "office", "visit_logged", expected_version=version,
                               occurred_on=date(2026, 3, 2), fields={"purpose": f"{n}-{round_}"})
                except ConcurrentUpdate:
                    pass  # another writer got there first: nothing recorded, nothing linked
                app.register_user(f"u{n}x{round_}", "agent", actor="test")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(app, n)) for n, app in enumerate(apps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        links = list(populated.recorder.all_links())
        facts = list(store_facts(populated))
        assert [link.notification_id for link in links] == [f.notification_id for f in facts]
        assert verify_store(populated).intact
    finally:
        for app in apps:
            app.close()


def test_a_refused_write_records_neither_event_nor_link(service, sign):
    project = sign()
    before = service.recorder.chain_tail()
    with pytest.raises(ConcurrentUpdate):
        service.record(project["id"], "zhang", "visit_logged", expected_version=7,
                       fields={"purpose": "走访"})
    assert service.recorder.chain_tail() == before
    assert service.recorder.max_notification_id() == before.notification_id


# ---- the audit key ------------------------------------------------------------------------------


def _keyed(store_env, key=AUDIT_KEY) -> dict[str, str]:
    return {**store_env, "AUDIT_KEY": key}


def test_with_an_audit_key_every_link_is_keyed_and_verifies_only_with_it(store_env):
    banban = Banban(env=_keyed(store_env), clock=lambda: TODAY)
    try:
        banban.register_user("office", "office", actor="test")
        banban.issue_token("office", actor="test")
        links = list(banban.recorder.all_links())
        assert {link.key_id for link in links} == {key_id(banban.audit_key)}
        assert verify_store(banban).intact
        plain = Chain()
        for fact in store_facts(banban):
            plain.link(fact)
        assert plain.head.hex() != links[-1].hash  # a plain SHA-256 chain is another chain
    finally:
        banban.close()


@pytest.mark.parametrize("made_with, started_with, message", [
    (AUDIT_KEY, None, "the hash chain is keyed .*: set AUDIT_KEY"),
    (None, AUDIT_KEY, "AUDIT_KEY is set but this store's hash chain is not keyed"),
    (AUDIT_KEY, OTHER_KEY, "AUDIT_KEY is not the key this store's hash chain was made with"),
    (None, "c2hvcnQ=", "AUDIT_KEY must be at least 16 random bytes"),
])
def test_a_missing_wrong_or_malformed_audit_key_refuses_to_start(store_env, made_with,
                                                                  started_with, message):
    env = store_env if made_with is None else _keyed(store_env, made_with)
    banban = Banban(env=env, clock=lambda: TODAY)
    banban.register_user("office", "office", actor="test")
    banban.close()
    env = store_env if started_with is None else _keyed(store_env, started_with)
    with pytest.raises(StoreKeyError, match=message):
        Banban(env=env, clock=lambda: TODAY)


# ---- upgrading a store made by an earlier release -------------------------------------------


def _as_an_earlier_release_left_it(store_env, last: int) -> None:
    """The chain as the release before this one kept it: links without a key column, the last
    event (recorded by a command after that release's last catch-up) not linked yet, and on
    SQLite the links and seals in the views file."""
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        from tests.conftest import _pg_connect

        with _pg_connect() as conn:
            schema = store_env["POSTGRES_SCHEMA"]
            conn.execute(f"ALTER TABLE {schema}.banban_chain DROP COLUMN key_id")
            conn.execute(f"DELETE FROM {schema}.banban_chain WHERE position = %s", (last,))
            conn.execute(f"DELETE FROM {schema}.banban_chain_seals WHERE position = %s",
                         (last - 1,))
        return
    path = store_env["SQLITE_DBNAME"]
    with sqlite3.connect(path) as events, sqlite3.connect(views_path(path)) as views:
        views.execute("CREATE TABLE banban_chain (position INTEGER PRIMARY KEY, notification_id "
                      "INTEGER NOT NULL, originator_id TEXT NOT NULL, originator_version INTEGER "
                      "NOT NULL, digest TEXT NOT NULL, hash TEXT NOT NULL, latest TEXT)")
        views.execute("CREATE TABLE banban_chain_seals (label TEXT PRIMARY KEY, kind TEXT NOT "
                      "NULL, position INTEGER NOT NULL, notification_id INTEGER, head TEXT NOT "
                      "NULL, sealed_at TEXT)")
        views.executemany("INSERT INTO banban_chain VALUES (?, ?, ?, ?, ?, ?, ?)", events.execute(
            "SELECT position, notification_id, originator_id, originator_version, digest, hash, "
            "latest FROM banban_chain WHERE position < ?", (last,)).fetchall())
        views.executemany("INSERT INTO banban_chain_seals VALUES (?, ?, ?, ?, ?, ?)",
                          events.execute("SELECT * FROM banban_chain_seals WHERE position < ?",
                                         (last - 1,)).fetchall())
        events.execute("DROP TABLE banban_chain")
        events.execute("DROP TABLE banban_chain_seals")


def test_a_store_made_by_an_earlier_release_keeps_its_chain_and_names_what_it_left_unlinked(
        service, sign, store_env):
    """On SQLite the first start copies the links beside the events (once); on PostgreSQL the
    links gain their key column. The events that release had not linked yet are reported
    until an operator accepts them."""
    sign()
    head = service.recorder.chain_tail().hash
    service.register_user("late", "agent", actor="test")
    last = service.recorder.chain_tail().position
    service.close()
    _as_an_earlier_release_left_it(store_env, last)
    upgraded = Banban(env=store_env, clock=lambda: TODAY)
    try:
        assert upgraded.recorder.chain_tail().hash == head
        verdict = verify_store(upgraded)
        assert verdict.finding is None
        assert [(u.position, u.originator_version) for u in verdict.unlinked] == [(last, 1)]
        again = Banban(env=store_env, clock=lambda: TODAY)  # nothing copied twice
        assert again.recorder.chain_tail().hash == head
        again.close()
        upgraded.accept_unlinked("cli:admin", "recorded by flask users before the upgrade",
                                 [asdict(verdict.unlinked[0])])
        assert verify_store(upgraded).intact
    finally:
        upgraded.close()


# ---- encryption at rest -------------------------------------------------------------------------


def _raw_states(store_env) -> list[bytes]:
    """The events' stored bytes, read with plain SQL."""
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with sqlite3.connect(store_env["SQLITE_DBNAME"]) as conn:
            return [row[0] for row in conn.execute("SELECT state FROM stored_events")]
    from tests.conftest import _pg_connect

    with _pg_connect() as conn:
        rows = conn.execute(f'SELECT state FROM "{store_env["POSTGRES_SCHEMA"]}".banban_events')
        return [bytes(row[0]) for row in rows]


def _encrypted(store_env, key=KEY) -> dict[str, str]:
    return {**store_env, "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "CIPHER_KEY": key}


def test_an_encrypted_store_holds_ciphertext_and_its_chain_is_over_the_plaintext(store_env):
    banban = Banban(env=_encrypted(store_env), clock=lambda: TODAY)
    try:
        banban.register_user("office", "office", actor="test", display_name="陈敏")
        assert banban.user("office")["display_name"] == "陈敏"
        facts = list(store_facts(banban))
        assert facts[0].state.startswith(b"{") and "陈敏".encode() in facts[0].state
        assert banban.recorder.chain_tail().digest == facts[0].digest.hex()
        assert verify_store(banban).intact
    finally:
        banban.close()
    raw = _raw_states(store_env)
    assert raw and all(b"timestamp" not in state and "陈敏".encode() not in state for state in raw)


@pytest.mark.parametrize("key, message", [
    (OTHER_KEY, "CIPHER_KEY does not decrypt the stored events"),
    (None, "cannot be read without a key: set CIPHER_KEY"),
])
def test_a_wrong_or_missing_key_refuses_to_start_naming_cipher_key(store_env, key, message):
    banban = Banban(env=_encrypted(store_env), clock=lambda: TODAY)
    banban.register_user("office", "office", actor="test")
    banban.close()
    env = store_env if key is None else _encrypted(store_env, key)
    with pytest.raises(StoreKeyError, match=message):
        Banban(env=env, clock=lambda: TODAY)


def test_a_key_on_an_unencrypted_store_and_a_malformed_key_are_refused(store_env):
    banban = Banban(env=store_env, clock=lambda: TODAY)
    banban.register_user("office", "office", actor="test")
    banban.close()
    with pytest.raises(StoreKeyError, match="CIPHER_KEY does not decrypt"):
        Banban(env=_encrypted(store_env), clock=lambda: TODAY)
    with pytest.raises(StoreKeyError, match="CIPHER_KEY / CIPHER_TOPIC cannot be used"):
        Banban(env=_encrypted(store_env, "c2hvcnQ="), clock=lambda: TODAY)


def _recorded(moment: str, n: int = 0) -> bytes:
    return json.dumps({"timestamp": {"_type_": "datetime_iso", "_data_": moment},
                       "n": n}).encode()


@pytest.mark.postgres
@pytest.mark.parametrize("key", [None, AUDIT_KEY])
def test_postgres_links_a_lone_event_in_its_insert_as_the_chain_does(tmp_path, monkeypatch, key):
    """A write of one event is linked by the database in the statement inserting it (one round
    trip); the day's first event (a period's seal may fall), a publication, several events, an
    empty chain and a keyed chain (its key stays here) are linked the other way. Either way the
    links and seals are the chain's."""
    with new_store("postgres", tmp_path) as env:
        banban = Banban(env=env if key is None else _keyed(env, key), clock=lambda: TODAY)
        recorder, other_way = banban.recorder, []
        two_round_trips = recorder._two_round_trips
        monkeypatch.setattr(recorder, "_two_round_trips", lambda *args: (
            other_way.append(len(args[2])), two_round_trips(*args))[1])
        try:
            def write(*events: tuple[str, str], topic: str = "tests:Event") -> None:
                recorder.insert_events([StoredEvent(originator_id=uuid.uuid4(),
                                                    originator_version=1, topic=topic,
                                                    state=_recorded(moment, n))
                                        for n, moment in enumerate(events)])

            write("2026-03-06T10:00:00+08:00")            # an empty chain: the other way
            write("2026-03-06T11:00:00+08:00")            # the same day: in the insert
            write("2026-03-06T09:30:00+08:00")            # earlier than the latest, same day
            write("2026-03-09T08:00:00+08:00")            # Monday: last week's seal falls
            write("2026-03-09T08:05:00+08:00")
            write("2026-03-09T00:30:00+00:00")            # 08:30 in Shanghai
            write("2026-03-09T09:00:00+08:00", topic=PUBLISHED_TOPIC)
            write("2026-03-09T09:10:00+08:00", "2026-03-09T09:11:00+08:00")
            write("2026-03-10T01:00:00+08:00")
            banban.register_user("office", "office", actor="test")  # recorded now: a new day
            banban.issue_token("office", actor="test")
            # The empty chain, Monday, the publication, the two, Tuesday, now's first: 5 of 11
            # writes linked in their insert, none of a keyed chain's.
            assert other_way == ([1, 1, 1, 2, 1, 1] if key is None else [1] * 7 + [2] + [1] * 3)

            chain, seals = Chain(key=banban.audit_key), []
            links = [chain.link(fact) for fact in store_facts(banban)]
            seals = [seal for _, fallen in links for seal in fallen]
            assert [asdict(link) for link in recorder.all_links()] == [
                asdict(link) for link, _ in links]
            assert recorder.chain_seals() == sorted(seals, key=lambda s: (s.position, s.label))
            assert {seal.label for seal in seals} >= {"weekly/2026-W10"}
        finally:
            banban.close()

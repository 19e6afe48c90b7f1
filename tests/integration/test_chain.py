"""The hash chain view on each store: every event linked once in log order, seals at period
ends and publications, verification of an untouched store, and encryption at rest."""

from __future__ import annotations

import threading

import pytest

from app.audit.records import store_facts, verify_store
from domain.application import Banban
from domain.chain import Chain, publication_label
from domain.errors import StoreKeyError
from domain.publications import publication_id
from projections.chain import EventChain, open_chain_view
from projections.runner import catch_up
from tests.conftest import TODAY

KEY = "yTqRaFgqUTvNDGCfUMq5Tyg4CsKeP2kyvb5aeqFs2Qc="  # 32 bytes, base64
OTHER_KEY = "5xXOs3GCcsXmn64vzaUSTnx6L3MpZajUCjZk7SJVBcs="


def chain_of(service: Banban, prefix: str = "banban_chain") -> EventChain:
    return EventChain(open_chain_view(service, prefix=prefix), service)


def test_every_event_is_linked_once_in_log_order_whatever_the_batches(populated):
    views = {batch: chain_of(populated, f"chain_{batch}") for batch in (1, 7, 500)}
    try:
        for batch, chain in views.items():
            assert catch_up(populated, chain, batch=batch) == populated.recorder.max_notification_id()
        dumps = [chain.view.dump() for chain in views.values()]
        assert dumps[0] == dumps[1] == dumps[2]
        links = dumps[0]["main"]
        assert [row["position"] for row in links] == list(range(1, len(links) + 1))
        # The stored links are the chain computed straight from the stored events.
        direct = Chain()
        for fact in store_facts(populated):
            direct.link(fact)
        assert links[-1]["hash"] == direct.head.hex()
        assert verify_store(populated, views[7]).intact
    finally:
        for chain in views.values():
            chain.view.close()


def test_seals_fall_at_a_week_end_and_at_each_publication(populated):
    chain = chain_of(populated)
    try:
        catch_up(populated, chain)
        seals = {seal.label: seal for seal in chain.view.seals()}
        weekly = [seal for label, seal in seals.items() if label.startswith("weekly/")]
        assert weekly, seals
        published = seals[publication_label(publication_id("weekly", "2026-W10"), 2)]
        # The publication seal is the head just before the publication event.
        links = chain.view.links(after=published.position - 1, limit=2)
        assert links[0].hash == published.head
        assert (links[1].originator_id, links[1].originator_version) == (
            str(publication_id("weekly", "2026-W10")), 2)
        verdict = verify_store(populated, chain)
        assert verdict.intact and verdict.seals == len(seals)
    finally:
        chain.view.close()


def test_processes_catching_up_at_once_link_each_event_exactly_once(populated, store_env):
    apps = [Banban(env=store_env, clock=lambda: TODAY) for _ in range(3)]
    chains = [chain_of(app) for app in apps]
    errors = []

    def run(app, chain):
        try:
            for batch in (3, 5, 500):
                catch_up(app, chain, batch=batch)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(apps, chains)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert chains[0].view.tail().position == sum(1 for _ in store_facts(populated))
        assert verify_store(populated, chains[0]).intact
    finally:
        for app, chain in zip(apps, chains):
            chain.view.close()
            app.close()


# ---- encryption at rest -------------------------------------------------------------------------


def _raw_states(store_env) -> list[bytes]:
    """The events' stored bytes, read with plain SQL."""
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        import sqlite3

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
        chain = chain_of(banban)
        catch_up(banban, chain)
        facts = list(store_facts(banban))
        assert facts[0].state.startswith(b"{") and "陈敏".encode() in facts[0].state
        assert chain.view.tail().digest == facts[0].digest.hex()
        assert verify_store(banban, chain).intact
        chain.view.close()
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

"""`flask audit verify|replay|seals|export|import` as an operator runs them, on each store."""

from __future__ import annotations

import sqlite3

import pytest

from app import create_app
from tests.conftest import app_config
from tests.e2e.server import Gunicorn
from tests.integration.test_views_property import fresh_store


@pytest.fixture
def runner(app):
    # An app context as the `flask` command gives one (`flask demo` is a plain click command).
    with app.app_context():
        yield app.test_cli_runner()


def run(runner, *args, code=0):
    result = runner.invoke(args=list(args))
    assert result.exit_code == code, result.output
    return result.output


def lines_starting(output: str, prefix: str) -> list[str]:
    return [line.removeprefix(prefix) for line in output.splitlines() if line.startswith(prefix)]


def test_the_demo_county_verifies_replays_exports_and_imports(runner, tmp_path):
    """The acceptance on a store built by `flask demo`: verify and replay pass, an export
    verifies offline against the head, and an import into a new store ends at the same head."""
    run(runner, "demo")
    first = run(runner, "audit", "verify")
    assert "events recorded since are not linked yet" in first  # nothing linked before
    assert "linked the" in first
    again = run(runner, "audit", "verify", "--progress")
    assert "intact: 36" in again and "verifying: " in again
    [head], [code] = lines_starting(again, "head: "), lines_starting(again, "code: ")
    assert len(head) == 64 and len(code) == 19

    replayed = run(runner, "audit", "replay")
    assert "identical: every live row equals its replay" in replayed
    assert "cards: main 60" in replayed

    export = str(tmp_path / "county.jsonl")
    exported = run(runner, "audit", "export", export)
    assert lines_starting(exported, "head: ") == [head]
    offline = run(runner, "audit", "verify", "--file", export, "--seal", code)
    assert f"{code} is the head after" in offline
    wrong = run(runner, "audit", "verify", "--file", export, "--head", "0" * 63 + "1", code=1)
    assert "NOT INTACT: head not found" in wrong

    with fresh_store("sqlite") as env:
        other = create_app(app_config(env))
        try:
            with other.app_context():
                imported = run(other.test_cli_runner(), "audit", "import", export)
                assert lines_starting(imported, "head: ") == [head]
                assert "identical" in run(other.test_cli_runner(), "audit", "replay")
        finally:
            other.extensions["banban.store"].close()
    refused = run(runner, "audit", "import", export, code=1)
    assert "the store is not empty" in refused



def test_a_view_row_changed_behind_the_projection_is_listed_by_replay(runner, api, project,
                                                                     app, store_env):
    api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "milestone_reached", "expected_version": 1, "milestone": "land_approved"})
    assert "identical" in run(runner, "audit", "replay")
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with sqlite3.connect(store_env["SQLITE_DBNAME"].replace(".db", ".views.db")) as conn:
            conn.execute("UPDATE banban_cards_v2 SET phase = 'operation'")
    else:
        from tests.conftest import _pg_connect

        with _pg_connect() as conn:
            conn.execute(f'UPDATE "{store_env["POSTGRES_SCHEMA"]}".banban_cards_v2 '
                         "SET phase = 'operation'")
    differs = run(runner, "audit", "replay", code=1)
    assert "phase: live 'operation', replayed 'land'" in differs
    assert "1 rows differ" in differs


def test_an_offline_verification_touches_no_store(tmp_path, runner, project):
    export = str(tmp_path / "county.jsonl")
    run(runner, "audit", "export", export)
    nowhere = tmp_path / "nowhere" / "banban.db"
    offline = create_app({"TESTING": True, "BANBAN_STORE": "sqlite",
                          "BANBAN_SQLITE_PATH": str(nowhere)})
    with offline.app_context():
        assert "intact: " in run(offline.test_cli_runner(), "audit", "verify", "--file", export)
        missing = run(offline.test_cli_runner(), "audit", "verify", "--file",
                      str(tmp_path / "none.jsonl"), code=1)
    assert not nowhere.exists()
    assert "cannot read" in missing
    unwritable = run(runner, "audit", "export", str(tmp_path / "no" / "such" / "x.jsonl"), code=1)
    assert "cannot write" in unwritable


def test_the_seals_list_names_each_publication(runner, api, project):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    listed = run(runner, "audit", "seals")
    assert "publication/" in listed and "/2 " in listed


def test_a_wrong_cipher_key_stops_the_cli_and_the_server_naming_it(store_env, monkeypatch):
    """No app context around: each app below is the one its commands run in."""
    key = "yTqRaFgqUTvNDGCfUMq5Tyg4CsKeP2kyvb5aeqFs2Qc="
    config = app_config(store_env)
    encrypted = create_app({**config, "CIPHER": {
        "CIPHER_KEY": key, "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher"}})
    with encrypted.app_context():
        run(encrypted.test_cli_runner(), "users", "create", "office", "--role", "office")
    encrypted.extensions["banban.store"].close()

    plain = create_app(config)
    with plain.app_context():
        refused = run(plain.test_cli_runner(), "users", "list", code=1)
    assert "Error: the stored events cannot be read without a key: set CIPHER_KEY" in refused
    plain.extensions["banban.store"].close()

    monkeypatch.setenv("CIPHER_KEY", "5xXOs3GCcsXmn64vzaUSTnx6L3MpZajUCjZk7SJVBcs=")
    try:
        server = Gunicorn(store_env, workers=1)
    except RuntimeError as exited_at_once:
        log = str(exited_at_once)
    else:
        try:
            # The arbiter listens before its worker boots; the worker's refusal halts it.
            assert server.process.wait(timeout=30) == 3
            log = server.log()
        finally:
            server.stop()
    assert "cannot start: CIPHER_KEY does not decrypt the stored events" in log


def test_a_successful_write_is_linked_before_it_is_answered(api, project, app, banban):
    chain = app.extensions["banban.store"].chain_unsynced()
    assert chain.view.tail().notification_id == banban.recorder.max_notification_id()
    refused = api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 9, "purpose": "走访"})
    assert refused.status_code == 409
    banban.register_user("late", "agent", actor="test")  # not through a request: not linked
    assert chain.view.tail().notification_id < banban.recorder.max_notification_id()
    api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访"})
    assert chain.view.tail().notification_id == banban.recorder.max_notification_id()

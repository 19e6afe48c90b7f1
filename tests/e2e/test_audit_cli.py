"""`flask audit verify|accept|replay|seals|export|import` as an operator runs them, on each
store."""

from __future__ import annotations

import re
import sqlite3

import pytest

from app import create_app
from projections.cards import CARDS_PREFIX
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
    loaded = run(runner, "demo")
    again = run(runner, "audit", "verify", "--progress")  # the demo's events linked as written
    events = int(re.search(r"(\d+) events", loaded)[1])
    assert int(re.search(r"intact: (\d+) events", again)[1]) >= events
    assert "verifying: " in again
    [head], [code] = lines_starting(again, "head: "), lines_starting(again, "code: ")
    assert len(head) == 64 and len(code) == 19

    replayed = run(runner, "audit", "replay")
    assert "identical: every live row equals its replay" in replayed
    assert "cards: main 60" in replayed
    assert "reminders: main " in replayed

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
                imported = run(other.test_cli_runner(), "audit", "import", export, "--seal", code)
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
            conn.execute(f"UPDATE {CARDS_PREFIX} SET phase = 'operation'")
    else:
        from tests.conftest import _pg_connect

        with _pg_connect() as conn:
            conn.execute(f'UPDATE "{store_env["POSTGRES_SCHEMA"]}".{CARDS_PREFIX} '
                         "SET phase = 'operation'")
    differs = run(runner, "audit", "replay", code=1)
    assert "phase: live 'operation', replayed 'land'" in differs
    assert "1 rows differ" in differs


def _tamper(store_env, sql: str) -> None:
    """Run SQL on the live views behind the projections' back."""
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with sqlite3.connect(store_env["SQLITE_DBNAME"].replace(".db", ".views.db")) as conn:
            conn.execute(sql.format(s=""))
    else:
        from tests.conftest import _pg_connect

        with _pg_connect() as conn:
            conn.execute(sql.format(s=f'"{store_env["POSTGRES_SCHEMA"]}".'))


def test_replay_compares_the_reminders_the_events_derive_but_not_what_was_read(
        runner, api, project, store_env):
    pid = project["id"]
    zhang, leader = api("zhang"), api("leader")
    assert leader.post(f"/api/projects/{pid}/events", json={
        "type": "instruction_given", "expected_version": 1, "instruction": "加快用地报批",
        "leader": "leader"}).status_code == 201
    assert api("office").post(f"/api/projects/{pid}/events", json={
        "type": "milestone_planned", "expected_version": 2, "milestone": "land_approved",
        "planned_on": project["signed_on"]}).status_code == 201
    kinds = {r["kind"] for r in zhang.get("/api/reminders").get_json()["reminders"]}
    assert {"instruction", "late"} <= kinds
    assert zhang.post("/api/reminders/read", json={}).status_code == 200

    replayed = run(runner, "audit", "replay")
    assert "identical" in replayed and "reminders: main 3 rows" in replayed, replayed

    _tamper(store_env, "UPDATE {s}banban_reminders_v1 SET project = '伪造' "
                       "WHERE kind = 'instruction'")
    _tamper(store_env, "DELETE FROM {s}banban_reminders_v1 WHERE kind = 'late'")
    differs = run(runner, "audit", "replay", code=1)
    assert "project: live '伪造', replayed '鲁丽绿色新材料产业园'" in differs
    assert "missing from the live view" in differs


def test_replay_finds_a_user_changed_in_the_people_view_behind_the_events_back(
        runner, api, project, store_env):
    replayed = run(runner, "audit", "replay")
    assert "identical" in replayed and "people: main " in replayed, replayed
    # A row says the office user is the province's, and a user no event registered appears.
    _tamper(store_env, "UPDATE {s}banban_people_v1 SET person = "
                       "replace(person, '\"role\":\"agent\"', '\"role\":\"office\"') "
                       "WHERE username = 'zhang'")
    _tamper(store_env, "INSERT INTO {s}banban_people_v1 SELECT "
                       "'00000000-0000-4000-8000-000000000001', 'ghost', registered, changed, "
                       "person FROM {s}banban_people_v1 WHERE username = 'li'")
    differs = run(runner, "audit", "replay", code=1)
    assert "live '{" in differs and "\"role\":\"office\"" in differs, differs
    assert "('00000000-0000-4000-8000-000000000001',): not in the replay" in differs, differs


def test_replay_finds_a_publication_changed_in_its_view_behind_the_events_back(
        runner, api, project, store_env):
    assert api("office").post("/api/dispatch/weekly/2026-W48/publish").status_code == 201
    replayed = run(runner, "audit", "replay")
    assert "identical" in replayed and "publications: main 1 rows" in replayed, replayed
    _tamper(store_env, "UPDATE {s}banban_publications_v1 SET actor = 'leader'")
    differs = run(runner, "audit", "replay", code=1)
    assert "actor: live 'leader', replayed 'office'" in differs, differs


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


def test_every_write_is_linked_in_its_own_transaction_whatever_path_records_it(
        api, project, runner, banban, client):
    """API, pages, command line and the service itself: the chain's last link is always the
    log's last event, with no catch-up anywhere."""
    def linked() -> bool:
        return banban.recorder.chain_tail().notification_id == \
            banban.recorder.max_notification_id()

    assert linked()
    refused = api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 9, "purpose": "走访"})
    assert refused.status_code == 409 and linked()
    banban.register_user("late", "agent", actor="test")
    assert linked()
    run(runner, "users", "create", "cliuser", "--role", "agent", "--password", "orchard lantern tiger 47")
    assert linked()
    assert api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访"}).status_code == 201
    assert linked()
    assert "intact" in run(runner, "audit", "verify")


def test_an_import_refusal_is_one_line_and_writes_nothing(runner, project, tmp_path):
    """Issue 12, finding 4, as the operator sees it: one line naming the line, the originator
    and the version; exit code 1; no traceback; an empty store still empty."""
    from tests.integration.test_transfer import rehashed

    def foreign_topic(entries):
        entries[-1]["event"]["topic"] = "this:s"
        return entries

    export = str(tmp_path / "county.jsonl")
    run(runner, "audit", "export", export)
    forged = rehashed(export, str(tmp_path / "forged.jsonl"), foreign_topic)
    with fresh_store("sqlite") as env:
        other = create_app(app_config(env))
        try:
            with other.app_context():
                refused = run(other.test_cli_runner(), "audit", "import", forged, code=1)
                assert other.extensions["banban.store"].get().recorder.max_notification_id() \
                    is None
        finally:
            other.extensions["banban.store"].close()
    assert refused.count("\n") == 1 and refused.startswith(f"Error: {forged}, line "), refused
    assert "topic 'this:s' is not one of the application's event types" in refused
    assert "Traceback" not in refused


def test_a_forged_event_stays_unlinked_through_api_writes_until_accepted(api, project, runner,
                                                                         banban, store_env):
    from tests.integration.test_tampering import append_forged

    forged, _ = append_forged(store_env)
    position = banban.recorder.chain_tail().position + 1
    assert api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访"}).status_code == 201
    found = run(runner, "audit", "verify", code=1)
    assert f"NOT INTACT: unlinked at position {position} " in found and str(forged) in found
    accepted = run(runner, "audit", "accept", "--position", str(position), "--reason",
                   "restored by hand from the paper ledger")
    assert f"accepted position {position}" in accepted
    verified = run(runner, "audit", "verify")
    assert f"accepted: accepted at position {position} " in verified and "intact:" in verified


def test_a_keyed_export_verifies_offline_only_with_its_key_and_a_forged_link_is_caught(
        store_env, tmp_path):
    from tests.integration.test_chain import AUDIT_KEY

    config = app_config(store_env)
    keyed = create_app({**config, "AUDIT_KEY": AUDIT_KEY})
    export = str(tmp_path / "keyed.jsonl")
    try:
        with keyed.app_context():
            cli = keyed.test_cli_runner()
            run(cli, "users", "create", "office", "--role", "office", "--password", "orchard lantern tiger 47")
            run(cli, "audit", "export", export)
            assert "intact: " in run(cli, "audit", "verify", "--file", export)
            forged = _with_a_forged_event_appended(export, str(tmp_path / "forged.jsonl"))
            caught = run(cli, "audit", "verify", "--file", forged, code=1)
            assert "NOT INTACT: link altered at position 2 " in caught
    finally:
        keyed.extensions["banban.store"].close()
    plain = create_app({**config, "AUDIT_KEY": None})
    with plain.app_context():
        refused = run(plain.test_cli_runner(), "audit", "verify", "--file", export, code=1)
    assert "its hash chain is keyed (key id " in refused and "set AUDIT_KEY" in refused


def _with_a_forged_event_appended(path: str, out: str) -> str:
    """The file with an event appended and linked as a forger without the key can: a plain
    SHA-256 link after the last one, marked with the key's (public) id; header brought along."""
    import json
    from dataclasses import asdict

    from app.audit.transfer import _event_in
    from domain.chain import Chain, Link

    with open(path, encoding="utf-8") as file:
        lines = [json.loads(text) for text in file]
    header = lines[0]
    n = header["events"]  # the last event's line is lines[n]
    last = lines[n]
    event = {**last["event"], "originator_id": "00000000-0000-4000-8000-000000000001",
             "notification_id": last["event"]["notification_id"] + 1}
    link, _ = Chain.after(Link(position=n, **last["link"])).link(_event_in(dict(event)))
    forged = {"position": n + 1, "event": event,
              "link": {**{k: v for k, v in asdict(link).items() if k != "position"},
                       "key_id": last["link"]["key_id"]}}
    header.update(events=n + 1, links=n + 1, head=link.hash)
    with open(out, "w", encoding="utf-8") as file:
        for line in [header, *lines[1:n + 1], forged, *lines[n + 1:]]:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
    return out

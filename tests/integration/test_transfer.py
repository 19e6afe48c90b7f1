"""Export and import: the whole log between stores of either kind, identical afterwards (by a
state hash of every project, view row and the chain); an export verifies offline and shows what
was changed in it; an interrupted import resumes; a file that is not the application's record
(a topic not its own, a state not its event's fields, a duplicate, a head other than the one
written down), however well re-hashed, is refused with one line naming it and nothing written."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict

import pytest
from eventsourcing.persistence import OperationalError

from app.audit.importing import import_log
from app.audit.records import verify_store
from app.audit.state import state_hash
from app.audit.transfer import ExportFile, TransferError, _event_in, export_log
from domain.application import Banban
from domain.chain import Chain, short_code
from projections.cards import ProjectCards, open_cards_view
from projections.runner import catch_up
from tests.conftest import PG_REQUIRED, TODAY, postgres_unavailable
from tests.integration.test_chain import KEY
from tests.integration.test_views_property import fresh_store


class Views:
    """A service's cards, caught up, and the state hash over them and the chain."""

    def __init__(self, service: Banban):
        self.service = service
        self.cards = ProjectCards(open_cards_view(service), service)

    def state(self) -> str:
        catch_up(self.service, self.cards)
        return state_hash(self.service, [self.cards.view])

    def close(self) -> None:
        self.cards.view.close()


@pytest.fixture
def source(populated):
    views = Views(populated)
    yield views
    views.close()


@pytest.fixture
def exported(source, tmp_path):
    path = str(tmp_path / "export.jsonl")
    header, verdict = export_log(source.service, path)
    assert verdict.intact
    return path, header


def _require(backend: str) -> None:
    if backend == "postgres" and (reason := postgres_unavailable()):
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL is required (BANBAN_TEST_POSTGRES=required): {reason}")
        pytest.skip(reason)


@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgres",
                                                           marks=pytest.mark.postgres)])
@pytest.mark.parametrize("encrypted", [False, True])
def test_an_import_is_identical_to_its_source_across_stores(source, exported, target,
                                                             encrypted):
    """Run on each source store and each target: SQLite->PostgreSQL and PostgreSQL->SQLite
    among them; the target encrypted at rest or not (the chain is over the plaintext)."""
    _require(target)
    path, header = exported
    with fresh_store(target) as env:
        if encrypted:
            env = {**env, "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
                   "CIPHER_KEY": KEY}
        service = Banban(env=env, clock=lambda: TODAY)
        views = Views(service)
        try:
            result = import_log(service, path, batch=37)
            assert (result["events"], result["head"]) == (header["events"], header["head"])
            assert views.state() == source.state()
            assert [p["id"] for p in service.list_projects()] == [
                p["id"] for p in source.service.list_projects()]
            assert service.published_dispatch("weekly", "2026-W10")[1] == \
                source.service.published_dispatch("weekly", "2026-W10")[1]
        finally:
            views.close()
            service.close()


def test_the_state_hash_sees_a_project_a_view_row_and_the_chain(source, store_env):
    before = source.state()
    project_id = next(source.service.project_ids())
    version = source.service.project(project_id)["version"]
    source.service.record(project_id, "office", "visit_logged", expected_version=version,
                          fields={"purpose": "回访"})
    assert source.state() != before


def test_a_store_with_events_is_refused_and_nothing_is_written(exported, source):
    path, _ = exported
    before = source.service.recorder.max_notification_id()
    with pytest.raises(TransferError, match="not empty"):
        import_log(source.service, path)
    assert source.service.recorder.max_notification_id() == before


def _rewrite(path: str, line: int, change) -> None:
    with open(path, encoding="utf-8") as file:
        lines = file.readlines()
    lines[line] = json.dumps(change(json.loads(lines[line])), ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8") as file:
        file.writelines(lines)


def _edit_state(entry):
    entry["event"]["state"] = entry["event"]["state"].replace("走访", "造假", 1)
    return entry


def test_an_export_verifies_offline_and_a_changed_line_is_named(exported):
    path, header = exported
    with ExportFile(path) as export:
        verdict = export.verify(expected_head=header["code"])
    assert verdict.intact and verdict.head == header["head"]
    assert verdict.head_found_at == header["events"]
    with open(path, encoding="utf-8") as file:
        visit = next(n for n, text in enumerate(file) if "走访" in text)
    _rewrite(path, visit, _edit_state)
    with ExportFile(path) as export:
        finding = export.verify().finding
    assert (finding.kind, finding.position) == ("changed", visit)


def test_a_file_rewritten_with_a_consistent_chain_fails_on_the_head_written_down(
        exported, tmp_path, populated):
    """Someone who changes an event and recomputes every link and the header still cannot
    match the head printed on a report."""
    path, header = exported

    def edit(entries):
        visit = next(e for e in entries if "走访" in e["event"].get("state", ""))
        _edit_state(visit)
        return entries

    forged = rehashed(path, str(tmp_path / "forged.jsonl"), edit)
    with ExportFile(forged) as export:
        assert export.verify().intact  # consistent in itself ...
    with ExportFile(forged) as export:
        finding = export.verify(expected_head=header["head"]).finding
    assert finding.kind == "head not found"  # ... but not the record that was sealed


def rehashed(path: str, out: str, change) -> str:
    """The export at `path` with `change(entries)` made to its event entries, then every link,
    seal, count and the header's head recomputed, as a forger without AUDIT_KEY would."""
    with open(path, encoding="utf-8") as file:
        lines = [json.loads(text) for text in file]
    header, entries = lines[0], change([line for line in lines[1:] if "seal" not in line])
    chain, seals = Chain(), []
    for n, entry in enumerate(entries, start=1):
        entry["position"] = n
        link, fallen = chain.link(_event_in(dict(entry["event"])))
        entry["link"] = {k: v for k, v in asdict(link).items() if k != "position"}
        seals += [{"seal": asdict(seal)} for seal in fallen]
    header.update(events=len(entries), links=len(entries), seals=len(seals),
                  head=chain.head.hex(), code=short_code(chain.head), key_id=None)
    with open(out, "w", encoding="utf-8") as file:
        file.writelines(json.dumps(line, ensure_ascii=False) + "\n"
                        for line in [header, *entries, *seals])
    return out


@pytest.mark.parametrize("broken, message", [
    ("not json\n", "line 1: not JSON"),
    ('{"format": "other"}\n', "not a Banban audit export"),
])
def test_a_file_that_is_not_an_export_is_refused_clearly(tmp_path, broken, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(broken)
    with pytest.raises(TransferError, match=message):
        ExportFile(str(path))


@pytest.mark.parametrize("part, name, value", [
    ("link", "notification_id", "3"), ("event", "originator_version", True),
    ("link", "key_id", 7), ("event", "topic", None)])
def test_a_value_of_the_wrong_type_in_a_file_is_malformed_not_a_crash(exported, part, name,
                                                                     value):
    path, _ = exported
    _rewrite(path, 3, lambda entry: {**entry, part: {**entry[part], name: value}})
    with ExportFile(path) as export, pytest.raises(TransferError,
                                                    match=r"line 4: malformed \("):
        export.verify()


def test_a_changed_or_truncated_file_is_refused_and_nothing_is_written(exported, store_env):
    path, _ = exported
    with open(path, encoding="utf-8") as file:
        lines = file.readlines()
    with open(path, "w", encoding="utf-8") as file:
        file.writelines(lines[:-5])  # the last seal lines and events gone
    with fresh_store("sqlite") as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            with pytest.raises(TransferError, match="does not verify, nothing imported"):
                import_log(service, path)
            assert service.recorder.max_notification_id() is None
        finally:
            service.close()


def test_an_interrupted_import_resumes_after_the_events_it_wrote(exported, source,
                                                                 monkeypatch):
    path, header = exported
    with fresh_store("sqlite") as env:
        service = Banban(env=env, clock=lambda: TODAY)
        views = Views(service)
        insert = service.recorder.insert_events
        calls = []

        def failing(events, **kwargs):
            calls.append(len(events))
            if len(calls) == 3:
                raise OperationalError("disk full")
            return insert(events, **kwargs)

        monkeypatch.setattr(service.recorder, "insert_events", failing)
        try:
            with pytest.raises(TransferError, match="interrupted after 40 of .*--resume"):
                import_log(service, path, batch=20)
            assert service.recorder.max_notification_id() == 40
            monkeypatch.setattr(service.recorder, "insert_events", insert)
            with pytest.raises(TransferError, match="not empty"):
                import_log(service, path)
            result = import_log(service, path, resume=True)
            assert result["resumed_after"] == 40 and result["head"] == header["head"]
            assert views.state() == source.state()
        finally:
            views.close()
            service.close()


# ---- issue 12, finding 4: an import trusts nothing in the file ---------------------------------


def _foreign_topic(entries):
    entries[30]["event"]["topic"] = "this:s"  # resolving it would import the module `this`
    return entries, 30


def _fields_not_the_events(entries):
    k = next(k for k, e in enumerate(entries) if '"purpose"' in e["event"]["state"])
    entries[k]["event"]["state"] = entries[k]["event"]["state"].replace('"purpose"', '"porpoise"')
    return entries, k


def _wrong_type(entries):
    k = next(k for k, e in enumerate(entries) if '"purpose"' in e["event"]["state"])
    state = json.loads(entries[k]["event"]["state"])
    state["purpose"] = 5
    entries[k]["event"]["state"] = json.dumps(state, ensure_ascii=False)
    return entries, k


def _duplicate(entries):
    return entries + [json.loads(json.dumps(entries[40]))], len(entries)


def _missing_version(entries):
    k = next(k for k, e in enumerate(entries) if e["event"]["originator_version"] == 3)
    return entries[:k] + entries[k + 1:], k


def _created_elsewhere(entries):
    k = next(k for k, e in enumerate(entries) if '"originator_topic"' in e["event"]["state"])
    state = json.loads(entries[k]["event"]["state"])
    state["originator_topic"] = "this:s"
    entries[k]["event"]["state"] = json.dumps(state, ensure_ascii=False)
    return entries, k


def _id_in_capitals(entries):
    entries[7]["event"]["originator_id"] = entries[7]["event"]["originator_id"].upper()
    return entries, 7


@pytest.mark.parametrize("change, refusal", [
    (_foreign_topic, "topic 'this:s' is not one of the application's event types"),
    (_fields_not_the_events, "the state's fields are not the event's: missing purpose; unknown "
                             "porpoise"),
    (_wrong_type, "purpose is 5: expected str"),
    (_duplicate, r"a second event with version \d+ \(it is at version \d+ already\)"),
    (_missing_version, "version 4 follows version 2"),
    (_created_elsewhere, "originator_topic 'this:s' is not "),
    (_id_in_capitals, "the originator id is not written as the store writes it"),
])
def test_a_rehashed_file_that_is_not_the_applications_record_is_refused_writing_nothing(
        exported, tmp_path, change, refusal):
    """Issue 12, finding 4: each of these imported cleanly (`this:s` then imported the module
    `this` when the event was read), or wrote its first batches and died with a raw
    AttributeError or IntegrityError."""
    path, _ = exported
    where = {}

    def changed(entries):
        entries, where["k"] = change(entries)
        return entries

    forged = rehashed(path, str(tmp_path / "forged.jsonl"), changed)
    with ExportFile(forged) as export:
        assert export.verify().intact  # the forger recomputed every link and the header
    sys.modules.pop("this", None)
    with fresh_store("sqlite") as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            with pytest.raises(TransferError) as refused:
                import_log(service, forged, batch=20)
            assert service.recorder.max_notification_id() is None
        finally:
            service.close()
    message = str(refused.value)
    line = where["k"] + 2  # the header is line 1, the first event line 2
    assert re.match(rf"{re.escape(forged)}, line {line}: [0-9a-fA-F-]{{36}} v\d+: ", message), \
        message
    assert re.search(refusal, message) and message.endswith("(nothing imported)"), message
    assert "\n" not in message and "this" not in sys.modules


def test_an_import_pinned_to_a_head_refuses_a_file_that_ends_elsewhere(exported, tmp_path):
    path, header = exported
    shorter = rehashed(path, str(tmp_path / "shorter.jsonl"), lambda entries: entries[:-1])
    with fresh_store("sqlite") as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            for pinned in (header["head"], header["code"]):
                with pytest.raises(TransferError, match=f"not at {pinned}: it is not the export"):
                    import_log(service, shorter, expected_head=pinned)
            assert service.recorder.max_notification_id() is None
            assert import_log(service, path, expected_head=header["code"].lower())["head"] == \
                header["head"]
        finally:
            service.close()


def test_a_keyed_export_imports_only_with_its_key_and_a_plain_one_into_a_keyed_store(
        exported, tmp_path, store_env):
    from tests.integration.test_chain import AUDIT_KEY, OTHER_KEY

    path, header = exported  # a plain chain
    with fresh_store("sqlite") as env:
        keyed = Banban(env={**env, "AUDIT_KEY": AUDIT_KEY}, clock=lambda: TODAY)
        try:
            result = import_log(keyed, path)  # the same events, linked with the key
            assert result["head"] != header["head"] and verify_store(keyed).intact
            again = str(tmp_path / "keyed.jsonl")
            keyed_header, _ = export_log(keyed, again)
            assert keyed_header["key_id"] is not None
        finally:
            keyed.close()
    for key, message in ((None, "its hash chain is keyed .*: set AUDIT_KEY"),
                         (OTHER_KEY, "not the key it was made with")):
        with fresh_store("sqlite") as env:
            other = Banban(env=env if key is None else {**env, "AUDIT_KEY": key},
                           clock=lambda: TODAY)
            try:
                with pytest.raises(TransferError, match=message):
                    import_log(other, again)
                assert other.recorder.max_notification_id() is None
            finally:
                other.close()
    with fresh_store(_backend(store_env)) as env:
        same = Banban(env={**env, "AUDIT_KEY": AUDIT_KEY}, clock=lambda: TODAY)
        try:
            assert import_log(same, again)["head"] == keyed_header["head"]
        finally:
            same.close()


def _backend(store_env) -> str:
    return "sqlite" if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite" else "postgres"

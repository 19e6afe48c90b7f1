"""Import: an export file loaded into an empty store, checked whole before anything is written.

A file is data from outside, whoever wrote it. Before the first event is written, the whole
file is read three times:

1. it must verify (app/audit/transfer.py): its events against its links and seals and its
   header, its links keyed as the header says (with AUDIT_KEY); with a head or short code
   given (`expected_head`, the one export printed), its chain must end exactly there;
2. every event must be one the application could have recorded (domain.event_schema): its
   topic one of the application's own event classes (looked up, never imported), its state
   exactly that class's fields of the declared types, its originator a UUID, and each
   aggregate's events its own class's, numbered 1, 2, 3, ... from a creation event;
3. the store must be empty, or with `resume` hold exactly the file's first events.

Each refusal is a TransferError naming the file's line, the originator and the version. Then
the events are inserted in the chain's order in batches, one transaction each, through the
store's recorder (its cipher applies, it numbers the events and links each in its own
transaction), and the new chain must end at the file's head (or, when the target's AUDIT_KEY
is not the file's, hold the same events in the same order). An interrupted import leaves the
store holding the file's first events: `resume` checks they are exactly those and carries on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import zip_longest
from typing import Any
from uuid import UUID

from eventsourcing.persistence import PersistenceError, StoredEvent

from app.audit.records import store_facts
from app.audit.transfer import ExportFile, TransferError
from domain.application import Banban
from domain.chain import GENESIS, StoredFact, key_id, normal_code, short_code
from domain.event_schema import Sequences, event_class, state_problem
from domain.ledger import to_stored


def import_log(app: Banban, path: str, *, resume: bool = False, expected_head: str | None = None,
               batch: int = 500, progress: Callable[[int, int], None] | None = None
               ) -> dict[str, Any]:
    """Load an export into this (empty) store; return counts and the new chain's head.

    TransferError, with nothing written, for anything the module docstring refuses."""
    with ExportFile(path) as export:
        key = export.key(app.audit_key)
        verdict = export.verify(key=key)
        header = export.header
    if not verdict.intact:
        found = verdict.finding or verdict.unlinked[0]
        raise TransferError(f"{path} does not verify, nothing imported: {found}")
    if expected_head is not None and not _is(verdict.head, expected_head):
        raise TransferError(f"{path} ends at {verdict.head} ({verdict.code}), not at "
                            f"{expected_head}: it is not the export written down (nothing "
                            "imported)")
    _check_events(app, path)
    done = _already_imported(app, path, resume)
    total = header["events"]
    written = done
    try:
        for stored in _batches(app, path, done, batch):
            app.recorder.insert_events(stored)
            written += len(stored)
            if progress is not None:
                progress(written, total)
    except PersistenceError as error:
        raise TransferError(f"interrupted after {written} of {total} events ({error}): run "
                            "the import again with --resume") from None
    head = _check_chain(app, path, header)
    return {"events": total, "resumed_after": done, "head": head, "code": short_code(head)}


def _is(head: str, expected: str) -> bool:
    """Whether a head is the one given in full (hex) or as its short code."""
    text = expected.strip().lower()
    return text == head or normal_code(expected) == short_code(head)


def _check_events(app: Banban, path: str) -> None:
    """Every event one the application could have recorded (see the module docstring)."""
    sequences = Sequences()
    with ExportFile(path) as export:
        for _, fact, line in export.in_chain_order():
            problem = _problem(app, fact, sequences)
            if problem is not None:
                raise TransferError(f"{path}, line {line}: {fact.originator_id} "
                                    f"v{fact.originator_version}: {problem} (nothing imported)")


def _problem(app: Banban, fact: StoredFact, sequences: Sequences) -> str | None:
    """What makes one event not the application's, or None."""
    found = event_class(fact.topic)
    if found is None:
        return f"topic {fact.topic!r} is not one of the application's event types"
    if fact.state is None:
        return "its state could not be decrypted when it was exported"
    try:
        canonical = str(UUID(fact.originator_id))
    except ValueError:
        return "the originator is not an aggregate id (a UUID)"
    if canonical != fact.originator_id:
        # The store would keep the canonical form, and the event's digest would change.
        return f"the originator id is not written as the store writes it ({canonical})"
    cls, aggregate = found
    try:
        state = app.mapper.transcoder.decode(fact.state)
    except (TypeError, ValueError, RecursionError) as error:
        return f"its state cannot be read ({error})"
    return state_problem(cls, state) or sequences.problem(
        fact.originator_id, fact.originator_version, cls, aggregate, state)


def _already_imported(app: Banban, path: str, resume: bool) -> int:
    """How many of the file's events the store holds (0 for an empty store); TransferError for a
    store that is not empty, unless resuming and its events are exactly the file's first."""
    if not app.recorder.max_notification_id():
        return 0
    if not resume:
        raise TransferError("the store is not empty: import loads an export into an empty store "
                            "only (nothing imported)")
    held = 0
    with ExportFile(path) as export:
        entries = export.in_chain_order()
        for fact in store_facts(app):
            entry = next(entries, None)
            if entry is None or entry[1].digest != fact.digest:
                raise TransferError(f"cannot resume: the store's event at position {held + 1} "
                                    "is not the file's (nothing imported)")
            held += 1
    return held


def _batches(app: Banban, path: str, done: int, size: int) -> Iterator[list[StoredEvent]]:
    """The file's events after the first `done`, in the chain's order, ready for this store."""
    pending: list[StoredEvent] = []
    with ExportFile(path) as export:
        for n, (_, fact, _) in enumerate(export.in_chain_order()):
            if n >= done:
                pending.append(to_stored(app.mapper, fact, UUID(fact.originator_id)))
            if len(pending) == size:
                yield pending
                pending = []
    if pending:
        yield pending


def _check_chain(app: Banban, path: str, header: dict[str, Any]) -> str:
    """The new chain's head, once checked against the file: the same head with the same key,
    else the same events in the same order (the digests of its links)."""
    tail = app.recorder.chain_tail()
    head = tail.hash if tail else GENESIS.hex()
    mine = None if app.audit_key is None else key_id(app.audit_key)
    if mine == header["key_id"]:
        if head != header["head"]:
            raise TransferError(f"imported, but the chain ends at {head}, not the file's "
                                f"{header['head']}: run flask audit verify")
        return head
    with ExportFile(path) as export:
        pairs = zip_longest(app.recorder.all_links(), export.in_chain_order())
        for position, (link, entry) in enumerate(pairs, start=1):
            if link is None or entry is None or link.digest != entry[0].digest:
                raise TransferError(f"imported, but the chain's link at position {position} "
                                    "is not for the file's event: run flask audit verify")
    return head

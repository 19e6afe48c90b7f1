"""Import: an export file loaded into an empty store, through the store's own recorder.

The whole file is read and verified first (its events against its links and seals and its
header, its links keyed as the header says, with AUDIT_KEY): nothing is written unless it is
intact and complete. The events are then inserted in the chain's order in batches, one
transaction each, through the store's recorder (its cipher applies, it numbers the events and
links each in its own transaction), and the new chain must end at the file's head (or, when the
target's AUDIT_KEY is not the file's, hold the same events in the same order). An interrupted
import leaves the store holding the file's first events: `resume` checks they are exactly those
and carries on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import zip_longest
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from app.audit.records import store_facts
from app.audit.transfer import ExportFile, TransferError
from domain.application import Banban
from domain.chain import GENESIS, key_id, short_code
from domain.ledger import to_stored


def import_log(app: Banban, path: str, *, resume: bool = False, batch: int = 500,
               progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Load an export into this (empty) store; return counts and the new chain's head.

    Refuses, writing nothing, a store that already holds events (unless `resume` and they are
    the file's first ones) and a file that does not verify."""
    with ExportFile(path) as export:
        key = export.key(app.audit_key)
        verdict = export.verify(key=key)
        header = export.header
    if not verdict.intact:
        found = verdict.finding or verdict.unlinked[0]
        raise TransferError(f"{path} does not verify, nothing imported: {found}")
    _check_importable(path)
    done = _already_imported(app, path, resume)
    total = header["events"]
    written = done
    for stored in _batches(app, path, done, batch):
        app.recorder.insert_events(stored)
        written += len(stored)
        if progress is not None:
            progress(written, total)
    head = _check_chain(app, path, header)
    return {"events": total, "resumed_after": done, "head": head, "code": short_code(head)}


def _check_importable(path: str) -> None:
    """Every event must have a readable state and a UUID originator, before anything is written."""
    with ExportFile(path) as export:
        for _, fact, line in export.in_chain_order():
            if fact.state is None:
                raise TransferError(f"{path}, line {line}: the event could not be decrypted when "
                                    "exported (nothing imported)")
            try:
                UUID(fact.originator_id)
            except ValueError:
                raise TransferError(f"{path}, line {line}: {fact.originator_id!r} is not an "
                                    "aggregate id (nothing imported)") from None


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

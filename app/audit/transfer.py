"""Export and import of the whole event log, as JSON Lines, with its chain and seals.

The file (`banban-audit-export`, version 1), one JSON object per line:

1. a header: `format`, `version`, `application`, `exported_at`, the counts of `events`,
   `links` and `seals`, the chain's `head` and its short `code`;
2. one entry per position of the log, in order: `{"position": n, "event": {...}, "link":
   {...}}`. The event is the stored event with its state in plaintext (the store's cipher and
   compressor undone): `notification_id`, `originator_id`, `originator_version`, `topic` and
   `state` (the transcoded JSON as text; `state_base64` for bytes that are not UTF-8, and
   `undecryptable_base64` for stored bytes the key could not open). The link is the chain
   view's link at that position (`notification_id`, `originator_id`, `originator_version`,
   `digest`, `hash`, `latest`). On an intact store every entry has both;
3. one line per seal: `{"seal": {label, kind, position, notification_id, head, sealed_at}}`.

So a file can be verified with nothing else (`flask audit verify --file`), exactly as a store
is: the events against the links and seals, and the head against one written down.

The export is plaintext whatever the store's encryption: it holds everything the events hold
(password hashes, token digests), so keep it as a backup is kept.

Import loads a file into an empty store, in batches through the recorder (so the target's own
cipher applies), in the file's order; the target numbers the events itself. It first reads the
whole file and verifies it (nothing is written unless it is intact and complete); after the last
batch, the target's chain must end at the file's head. Each batch is one transaction: an
interrupted import leaves the store holding the file's first events, and `resume=True` carries
on after them (having checked they are exactly the file's).
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from itertools import tee
from typing import IO, Any
from uuid import UUID

from app.audit.records import store_facts, verify_store
from domain.application import Banban
from domain.canonical import to_json
from domain.chain import GENESIS, Link, Seal, StoredFact, short_code
from domain.verification import Finding, Progress, Verdict, verify
from projections.chain import EventChain, to_stored
from projections.runner import catch_up

FORMAT, VERSION = "banban-audit-export", 1


class TransferError(Exception):
    """An export or import cannot be done; nothing was written (the message says why)."""


# ---- export ---------------------------------------------------------------------------------


def export_log(app: Banban, chain: EventChain, path: str,
               progress: Progress | None = None) -> tuple[dict[str, Any], Verdict]:
    """Write the log, its links and seals to `path`; return the header and the store's verdict.

    The store is verified first. Intact, the events recorded since the chain last caught up
    are linked and the file holds exactly the linked events (one recorded meanwhile waits for
    the next export). Not intact, the file holds every event and link as they stand, so that
    an auditor can verify it offline and see the same finding. The file appears whole or not
    at all (written beside it, then renamed).
    """
    verdict = verify_store(app, chain)
    stop = None
    if verdict.intact:
        catch_up(app, chain)
        stop = chain.view.max_tracking_id(app.name) or 0
    view = chain.view
    tail = view.tail()
    seals = view.seals()
    counts = {"events": 0, "links": 0}
    directory = os.path.dirname(os.path.abspath(path))
    with tempfile.TemporaryFile("w+", encoding="utf-8") as body:
        for entry in _entries(view.all_links(), store_facts(app, stop=stop)):
            counts["events"] += "event" in entry
            counts["links"] += "link" in entry
            body.write(to_json(entry) + "\n")
            if progress is not None:
                progress(entry["position"])
        header = {
            "format": FORMAT, "version": VERSION, "application": app.name,
            "exported_at": datetime.now(timezone.utc).isoformat(), **counts,
            "seals": len(seals), "head": tail.hash if tail else GENESIS.hex(),
        }
        header["code"] = short_code(header["head"])
        body.seek(0)
        fd, partial = tempfile.mkstemp(prefix=".export-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(to_json(header) + "\n")
                while chunk := body.read(1 << 20):
                    out.write(chunk)
                for seal in seals:
                    out.write(to_json({"seal": asdict(seal)}) + "\n")
            os.replace(partial, path)
        except BaseException:
            os.unlink(partial)
            raise
    return header, verdict


def _entries(links: Iterator[Link], facts: Iterator[StoredFact]) -> Iterator[dict[str, Any]]:
    """The file's entries: the link and the event at each position, side by side."""
    position = 0
    while True:
        link, fact = next(links, None), next(facts, None)
        if link is None and fact is None:
            return
        position += 1
        entry: dict[str, Any] = {"position": position}
        if fact is not None:
            entry["event"] = _event_out(fact)
        if link is not None:
            entry["link"] = {k: v for k, v in asdict(link).items() if k != "position"}
        yield entry


def _event_out(fact: StoredFact) -> dict[str, Any]:
    event: dict[str, Any] = {"notification_id": fact.notification_id,
                             "originator_id": fact.originator_id,
                             "originator_version": fact.originator_version, "topic": fact.topic}
    if fact.state is None:
        event["undecryptable_base64"] = base64.b64encode(fact.raw).decode()
    else:
        try:
            event["state"] = fact.state.decode("utf-8")
        except UnicodeDecodeError:
            event["state_base64"] = base64.b64encode(fact.state).decode()
    return event


# ---- reading a file -------------------------------------------------------------------------


class ExportFile:
    """An export read line by line: its header, then its links and events side by side, then
    its seals. TransferError for anything that is not a well-formed export."""

    def __init__(self, path: str):
        self.path = path
        try:
            # Bytes that are not UTF-8 survive reading and fail where they stand (as malformed).
            self._file: IO[str] = open(  # noqa: SIM115 - closed in close()
                path, encoding="utf-8", errors="surrogateescape")
        except OSError as error:
            raise TransferError(f"cannot read {path}: {error.strerror}") from None
        self.line = 1
        self.seals: list[Seal] = []
        try:
            self.header = self._header(self._file.readline())
        except BaseException:
            self._file.close()
            raise

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ExportFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _header(self, text: str) -> dict[str, Any]:
        header = self._json(text)
        if header.get("format") != FORMAT:
            raise TransferError(f"{self.path} is not a Banban audit export (no {FORMAT} header)")
        if header.get("version") != VERSION:
            raise TransferError(f"{self.path}: export version {header.get('version')!r}, this "
                                f"release reads version {VERSION}")
        for name in ("events", "links", "seals"):
            if not isinstance(header.get(name), int):
                raise TransferError(f"{self.path}: the header has no count of {name}")
        if not isinstance(header.get("head"), str):
            raise TransferError(f"{self.path}: the header has no head")
        return header

    def _json(self, text: str) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except ValueError:
            raise TransferError(f"{self.path}, line {self.line}: not JSON") from None
        if not isinstance(value, dict):
            raise TransferError(f"{self.path}, line {self.line}: not a JSON object")
        return value

    def entries(self) -> Iterator[tuple[Link | None, StoredFact | None]]:
        """(link, event) at each position, in order; the seals that follow fill `seals`."""
        expected = 1
        for text in self._file:
            self.line += 1
            line = self._json(text)
            if "seal" in line:
                self.seals.append(self._parsed(lambda: Seal(**line["seal"])))
                continue
            if self.seals or line.get("position") != expected:
                raise TransferError(f"{self.path}, line {self.line}: expected position "
                                    f"{expected}")
            expected += 1
            link, event = line.get("link"), line.get("event")
            yield (None if link is None else self._parsed(lambda: Link(position=expected - 1,
                                                                       **link)),
                   None if event is None else self._parsed(lambda: _event_in(event)))

    def _parsed(self, make: Callable[[], Any]) -> Any:
        """What `make` builds from the current line; TransferError naming it if malformed."""
        try:
            return make()
        except (TypeError, KeyError, ValueError, AttributeError) as error:
            raise TransferError(f"{self.path}, line {self.line}: malformed ({error})") from None

    def verify(self, expected_head: str | None = None,
               progress: Progress | None = None) -> Verdict:
        """Verify the file's events against its links, seals and header (offline)."""
        counted = {"events": 0, "links": 0}

        def side(pairs: Iterator, index: int, name: str) -> Iterator:
            for pair in pairs:
                if pair[index] is not None:
                    counted[name] += 1
                    yield pair[index]

        links, events = tee(self.entries())
        verdict = verify(side(links, 0, "links"), side(events, 1, "events"), _Later(self.seals),
                         expected_head=expected_head, progress=progress)
        if verdict.intact:
            verdict.finding = self._check_header(verdict, counted)
        return verdict

    def _check_header(self, verdict: Verdict, counted: dict[str, int]) -> Finding | None:
        found = {**counted, "seals": len(self.seals)}
        for name, number in found.items():
            if number != self.header[name]:
                return Finding("incomplete file", None, None, None, None,
                               f"the header counts {self.header[name]} {name}, the file holds "
                               f"{number}")
        if verdict.head != self.header["head"]:
            return Finding("header changed", None, None, None, None,
                           f"the header's head is {self.header['head']}, the events give "
                           f"{verdict.head}")
        return None


class _Later:
    """An iterable of a list that is filled while other iterators are read (the file's seals)."""

    def __init__(self, items: list) -> None:
        self.items = items

    def __iter__(self) -> Iterator:
        return iter(self.items)


def _event_in(event: dict[str, Any]) -> StoredFact:
    for name in ("originator_id", "topic"):
        event[name].encode("utf-8")  # text that is not UTF-8 is malformed here, not later
    if "state" in event:
        state: bytes | None = event["state"].encode("utf-8")
    elif "state_base64" in event:
        state = base64.b64decode(event["state_base64"], validate=True)
    else:
        return StoredFact(event["notification_id"], event["originator_id"],
                          event["originator_version"], event["topic"], None,
                          base64.b64decode(event["undecryptable_base64"], validate=True))
    return StoredFact(event["notification_id"], event["originator_id"],
                      event["originator_version"], event["topic"], state)


# ---- import ---------------------------------------------------------------------------------


def import_log(app: Banban, chain: EventChain, path: str, *, resume: bool = False,
               batch: int = 500, progress: Callable[[int, int], None] | None = None
               ) -> dict[str, Any]:
    """Load an export into this (empty) store; return counts and the new chain's head.

    Refuses, writing nothing, a store that already holds events (unless `resume` and they are
    the file's first ones) and a file that does not verify. See the module docstring.
    """
    with ExportFile(path) as export:
        verdict = export.verify()
        header = export.header
    if not verdict.intact:
        raise TransferError(f"{path} does not verify, nothing imported: {verdict.finding}")
    if verdict.unlinked:
        raise TransferError(f"{path} ends with {verdict.unlinked} events no link covers: export "
                            "from a store that verifies (nothing imported)")
    _check_importable(path)
    done = _already_imported(app, path, resume)
    total = header["events"]
    with ExportFile(path) as export:
        pending, position = [], 0
        for position, (_, fact) in enumerate(export.entries(), start=1):
            if position > done:
                pending.append(to_stored(app.mapper, fact, UUID(fact.originator_id)))
            if len(pending) == batch:
                _insert(app, pending, position, total, progress)
        _insert(app, pending, position, total, progress)
    catch_up(app, chain)
    tail = chain.view.tail()
    head = tail.hash if tail else GENESIS.hex()
    if head != header["head"]:
        raise TransferError(f"imported, but the chain ends at {head}, not the file's "
                            f"{header['head']}: run flask audit verify")
    return {"events": total, "resumed_after": done, "head": head, "code": short_code(head)}


def _insert(app: Banban, pending: list, position: int, total: int,
            progress: Callable[[int, int], None] | None) -> None:
    """Insert one batch (one transaction) and empty it."""
    if pending:
        app.recorder.insert_events(pending)
        pending.clear()
    if progress is not None:
        progress(position, total)


def _check_importable(path: str) -> None:
    """Every event must have a readable state and a UUID originator, before anything is written."""
    with ExportFile(path) as export:
        for _, fact in export.entries():
            if fact.state is None:
                raise TransferError(f"{path}: the event at notification {fact.notification_id} "
                                    "could not be decrypted when exported (nothing imported)")
            try:
                UUID(fact.originator_id)
            except ValueError:
                raise TransferError(f"{path}: {fact.originator_id!r} is not an aggregate id "
                                    "(nothing imported)") from None


def _already_imported(app: Banban, path: str, resume: bool) -> int:
    """How many of the file's events the store holds (0 for an empty store); TransferError for a
    store that is not empty, unless resuming and its events are exactly the file's first."""
    if app.recorder.max_notification_id() is None:
        return 0
    if not resume:
        raise TransferError("the store is not empty: import loads an export into an empty store "
                            "only (nothing imported)")
    held = 0
    with ExportFile(path) as export:
        entries = export.entries()
        for fact in store_facts(app):
            entry = next(entries, None)
            if entry is None or entry[1] is None or entry[1].digest != fact.digest:
                raise TransferError(f"cannot resume: the store's event at position {held + 1} "
                                    "is not the file's (nothing imported)")
            held += 1
    return held

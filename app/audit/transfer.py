"""Export of the whole event log, as JSON Lines, with its chain and seals; reading such a file.

The file (`banban-audit-export`, version 2; version 1 files, from before keyed chains, read
too), one JSON object per line:

1. a header: `format`, `version`, `application`, `exported_at`, the counts of `events`,
   `links` and `seals`, the chain's `head`, its short `code` and the `key_id` of the key its
   links were made with (null for plain SHA-256 links);
2. one entry per position of the log, in order: `{"position": n, "event": {...}, "link":
   {...}}`. The event is the stored event with its state in plaintext (the store's cipher and
   compressor undone): `notification_id`, `originator_id`, `originator_version`, `topic` and
   `state` (the transcoded JSON as text; `state_base64` for bytes that are not UTF-8, and
   `undecryptable_base64` for stored bytes the key could not open). The link is the chain's
   link at that position (`notification_id`, `originator_id`, `originator_version`,
   `digest`, `hash`, `latest`, `key_id`). Events are in the log's order and links in the
   chain's, exactly as the store holds them: on an intact store every entry has both, the
   same event's unless one was accepted late (its link then comes where it was accepted);
3. one line per seal: `{"seal": {label, kind, position, notification_id, head, sealed_at}}`.

So a file can be verified with nothing else (`flask audit verify --file`), exactly as a store
is: the events against the links and seals, and the head against one written down.

The export is plaintext whatever the store's encryption: it holds everything the events hold
(password hashes, token digests), so keep it as a backup is kept.

Import (app/audit/importing.py) loads such a file into an empty store.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import typing
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from itertools import tee
from typing import IO, Any

from app.audit.records import store_facts, verify_store
from domain.application import Banban
from domain.canonical import to_json
from domain.chain import GENESIS, Link, Seal, StoredFact, key_id, short_code
from domain.event_schema import conforms
from domain.verification import Finding, Progress, Verdict, in_chain_order, verify

FORMAT, VERSION, READS = "banban-audit-export", 2, (1, 2)


class TransferError(Exception):
    """An export or import cannot be done; nothing was written (the message says why)."""


# ---- export ---------------------------------------------------------------------------------


def export_log(app: Banban, path: str, progress: Progress | None = None
               ) -> tuple[dict[str, Any], Verdict]:
    """Write the log, its links and seals to `path`; return the header and the store's verdict.

    The file holds the store as it stands at one moment (what is recorded meanwhile waits for
    the next export), verified first: intact or not, every event and link as they are, so
    that an auditor can verify it offline and see the same findings. The file appears whole
    or not at all (written beside it, then renamed).
    """
    extent = app.recorder.chain_extent()
    verdict = verify_store(app, extent=extent)
    stop, last = extent
    links = app.recorder.chain_links(last - 1, 1) if last else []
    seals = [seal for seal in app.recorder.chain_seals() if seal.position < last]
    counts = {"events": 0, "links": 0}
    directory = os.path.dirname(os.path.abspath(path))
    with tempfile.TemporaryFile("w+", encoding="utf-8") as body:
        for entry in _entries(app.recorder.all_links(upto=last), store_facts(app, stop=stop)):
            counts["events"] += "event" in entry
            counts["links"] += "link" in entry
            body.write(to_json(entry) + "\n")
            if progress is not None:
                progress(entry["position"])
        header = {
            "format": FORMAT, "version": VERSION, "application": app.name,
            "exported_at": datetime.now(timezone.utc).isoformat(), **counts,
            "seals": len(seals), "head": links[0].hash if links else GENESIS.hex(),
            "key_id": None if app.audit_key is None else key_id(app.audit_key),
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
        if header.get("version") not in READS:
            raise TransferError(f"{self.path}: export version {header.get('version')!r}, this "
                                f"release reads versions {', '.join(map(str, READS))}")
        for name in ("events", "links", "seals"):
            if not conforms(header.get(name), int):
                raise TransferError(f"{self.path}: the header has no count of {name}")
        if not isinstance(header.get("head"), str):
            raise TransferError(f"{self.path}: the header has no head")
        if not conforms(header.setdefault("key_id", None), str | None):
            raise TransferError(f"{self.path}: the header's key_id is not text")
        return header

    def key(self, audit_key: bytes | None) -> bytes | None:
        """The key to verify the file's links with: AUDIT_KEY if they were made with it, None
        for plain links; TransferError when the file needs a key AUDIT_KEY is not."""
        wanted = self.header["key_id"]
        if wanted is None:
            return None
        if audit_key is None:
            raise TransferError(f"{self.path}: its hash chain is keyed (key id {wanted}): set "
                                "AUDIT_KEY to the key it was made with")
        if key_id(audit_key) != wanted:
            raise TransferError(f"{self.path}: its hash chain is keyed with key id {wanted}, "
                                f"AUDIT_KEY is {key_id(audit_key)}: not the key it was made with")
        return audit_key

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
                self.seals.append(self._parsed(lambda: _typed(Seal, **line["seal"])))
                continue
            if self.seals or line.get("position") != expected:
                raise TransferError(f"{self.path}, line {self.line}: expected position "
                                    f"{expected}")
            expected += 1
            link, event = line.get("link"), line.get("event")
            yield (None if link is None else self._parsed(
                       lambda: _typed(Link, position=expected - 1, **link)),
                   None if event is None else self._parsed(lambda: _event_in(event)))

    def _parsed(self, make: Callable[[], Any]) -> Any:
        """What `make` builds from the current line; TransferError naming it if malformed."""
        try:
            return make()
        except (TypeError, KeyError, ValueError, AttributeError) as error:
            raise TransferError(f"{self.path}, line {self.line}: malformed ({error})") from None

    def verify(self, expected_head: str | None = None, progress: Progress | None = None, *,
               key: bytes | None = None) -> Verdict:
        """Verify the file's events against its links (made with `key`), seals and header
        (offline)."""
        counted = {"events": 0, "links": 0}
        links, events = self._sides(counted)
        verdict = verify(links, events, _Later(self.seals), key=key,
                         expected_head=expected_head, progress=progress)
        if verdict.intact:
            verdict.finding = self._check_header(verdict, counted)
        return verdict

    def in_chain_order(self) -> Iterator[tuple[Link, StoredFact, int]]:
        """Each link with its event and that event's line, in the chain's order (for a file
        that verifies: ValueError where it does not)."""
        links, events = self._sides({"events": 0, "links": 0})
        for link, fact, position in in_chain_order(links, events):
            yield link, fact, position + 1  # the header is line 1, position n is line n + 1

    def _sides(self, counted: dict[str, int]) -> tuple[Iterator[Link], Iterator[StoredFact]]:
        """The links and the events of the entries, as two iterators, each counted."""

        def side(pairs: Iterator, index: int, name: str) -> Iterator:
            for pair in pairs:
                if pair[index] is not None:
                    counted[name] += 1
                    yield pair[index]

        links, events = tee(self.entries())
        return side(links, 0, "links"), side(events, 1, "events")

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
    row = {name: event[name] for name in ("notification_id", "originator_id",
                                          "originator_version", "topic")}
    if "state" in event:
        return _typed(StoredFact, **row, state=event["state"].encode("utf-8"))
    if "state_base64" in event:
        return _typed(StoredFact, **row, state=base64.b64decode(event["state_base64"],
                                                               validate=True))
    return _typed(StoredFact, **row, state=None,
                  raw=base64.b64decode(event["undecryptable_base64"], validate=True))


def _typed(cls: type, **values: Any) -> Any:
    """A Link, Seal or StoredFact from a line's values, each of its field's declared type
    (TypeError for a missing or unknown field, ValueError for a value of the wrong type)."""
    made = cls(**values)
    hints = typing.get_type_hints(cls)
    for name in values:
        if not conforms(values[name], hints[name]):
            raise ValueError(f"{name} is {values[name]!r}")
    return made

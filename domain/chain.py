"""The hash chain over the event log: links, heads, seals and their short codes.

Every stored event, in the notification log's order, gets a link: position 1, 2, 3, ... (made
in the transaction that records it: domain.ledger; an event written outside the application
is linked only by an operator's recorded decision, after the others: domain.acceptance). The
link's hash covers the event's digest and the previous link's hash, so changing, removing,
adding or moving any event changes every hash from there on. The digest covers what the
event *is*: its originator id, originator version, topic (its type) and its state as the
transcoder wrote it (the event's data and its recorded time), in plaintext, after the store's
cipher and compressor are undone. It leaves out the notification id, which is only where one
store keeps the event (an imported store renumbers, PostgreSQL has gaps): the chain is the
same in every copy of the record, encrypted or not.

    digest = SHA-256("banban-event-v1" | originator id | version | topic | state)
    hash_n = SHA-256("banban-link-v1" | hash_{n-1} | digest_n),   hash_0 = 32 zero bytes

(each field length-prefixed, so no two different events have the same input). A keyed chain
(AUDIT_KEY) makes each hash an HMAC-SHA-256 of the same input under the key instead, and every
link names the key by its id (an HMAC of a fixed text, which says nothing of the key): without
the key no one can make a link that verifies. The head is the last hash. A head is read aloud
as its short code: the first 80 bits in base32, four groups of four (`7KQ2-M4ZD-XH3A-PL6C`).

Seals are heads worth writing down, derived from the log alone:
- a period seal for each dispatch period (weekly, half-monthly, monthly, quarterly; in
  Asia/Shanghai business dates): the head just before the first event recorded after the
  period's last day, i.e. what was on record when the period ended;
- a publication seal for each published dispatch report: the head just before the publication
  event, i.e. the record the report was computed from.

Standard library only (with domain.periods), so that an export can be checked with no store.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from uuid import UUID

from domain.periods import CADENCES, Period, business_date

GENESIS = bytes(32)
_EVENT_TAG = b"banban-event-v1"
_LINK_TAG = b"banban-link-v1"
_KEY_ID_TAG = b"banban-audit-key-id"
# The stored topic of a published dispatch report (domain.publications.Publication.Published).
PUBLISHED_TOPIC = "domain.publications:Publication.Published"
# The stored topic of an operator's decision to link events written without their link
# (domain.acceptance.Acceptance.Accepted).
ACCEPTED_TOPIC = "domain.acceptance:Acceptance.Accepted"
MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class StoredFact:
    """One event as the chain sees it: where it is, what it is, and its plaintext state.

    `state` is None when the stored bytes could not be decrypted or decompressed; `raw` then
    holds them, so that the digest still differs from the linked one (and says so).
    """

    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes | None
    raw: bytes = b""

    @property
    def digest(self) -> bytes:
        """The event's digest (see the module docstring)."""
        if self.state is None:
            return hashlib.sha256(b"banban-undecryptable" + self.raw).digest()
        return _hash(_EVENT_TAG, self.originator_id.encode(), str(self.originator_version).encode(),
                     self.topic.encode(), self.state)

    @property
    def recorded_at(self) -> datetime | None:
        """The recorded time inside the state, or None if the state does not say one."""
        return recorded_at(self.state)


@dataclass(frozen=True)
class Link:
    """A position in the chain: the event it covers, its digest and the hash up to it.

    `latest` is the latest recorded time among the events linked so far (recorded times are
    set before commit, so the log's order and theirs can differ by a few milliseconds).
    """

    position: int
    notification_id: int
    originator_id: str
    originator_version: int
    digest: str
    hash: str
    latest: str | None
    key_id: str | None = None  # the key the hash was made with (None: plain SHA-256)


@dataclass(frozen=True)
class Seal:
    """A head worth writing down: after `position` links (`notification_id` the last one's)."""

    label: str
    kind: str  # "period" or "publication"
    position: int
    notification_id: int | None
    head: str
    sealed_at: str | None  # the recorded time of the event that passed the period end

    @property
    def code(self) -> str:
        """The head's short code, to compare aloud."""
        return short_code(self.head)


@dataclass
class Chain:
    """The chain's running state: link one event after another, collecting seals.

    The recorder (as it inserts events) and verification both advance one of these, so there is
    exactly one definition of a link and of when a seal falls.
    """

    position: int = 0
    head: bytes = GENESIS
    latest: datetime | None = None
    notification_id: int | None = None
    heads: list[bytes] | None = field(default=None, repr=False)  # every head, when kept
    key: bytes | None = field(default=None, repr=False)  # AUDIT_KEY, for a keyed chain

    @classmethod
    def after(cls, link: Link | None, key: bytes | None = None) -> Chain:
        """The chain's state just after a stored link (an empty chain for None)."""
        if link is None:
            return cls(key=key)
        latest = None if link.latest is None else datetime.fromisoformat(link.latest)
        return cls(position=link.position, head=bytes.fromhex(link.hash), latest=latest,
                   notification_id=link.notification_id, key=key)

    @property
    def key_id(self) -> str | None:
        """The id of the key the links are made with (None for plain SHA-256)."""
        return None if self.key is None else key_id(self.key)

    def link(self, fact: StoredFact, digest: bytes | None = None) -> tuple[Link, list[Seal]]:
        """Link the next event; return its link and the seals it makes fall (before it)."""
        digest = fact.digest if digest is None else digest
        seals = list(self._seals_before(fact))
        self.head = _hash(_LINK_TAG, self.head, digest, key=self.key)
        self.position += 1
        self.notification_id = fact.notification_id
        if self.heads is not None:
            self.heads.append(self.head)
        link = Link(position=self.position, notification_id=fact.notification_id,
                    originator_id=fact.originator_id, originator_version=fact.originator_version,
                    digest=digest.hex(), hash=self.head.hex(),
                    latest=None if self.latest is None else self.latest.isoformat(),
                    key_id=self.key_id)
        return link, seals

    def _seals_before(self, fact: StoredFact) -> Iterator[Seal]:
        recorded = fact.recorded_at
        if recorded is not None:
            if self.latest is not None and recorded > self.latest:
                for period in periods_ended(self.latest, recorded):
                    yield self._seal(f"{period.cadence}/{period.id}", "period", recorded)
            if self.latest is None or recorded > self.latest:
                self.latest = recorded
        if fact.topic == PUBLISHED_TOPIC:
            yield self._seal(publication_label(fact.originator_id, fact.originator_version),
                             "publication", recorded)

    def _seal(self, label: str, kind: str, recorded: datetime | None) -> Seal:
        return Seal(label=label, kind=kind, position=self.position,
                    notification_id=self.notification_id, head=self.head.hex(),
                    sealed_at=None if recorded is None else recorded.isoformat())


def publication_label(publication_id: UUID | str, version: int) -> str:
    """The seal label of one publication: the publication aggregate's id and event version."""
    return f"publication/{publication_id}/{version}"


def periods_ended(before: datetime, after: datetime) -> list[Period]:
    """The dispatch periods whose last day is on or after `before`'s business date and before
    `after`'s: those that ended between two recorded times. In order of their last day."""
    first, last = business_date(before), business_date(after)
    if first == last:
        return []  # most events: no period ends within a day (and linking is on the write path)
    ended = []
    for cadence in CADENCES:
        period = Period.containing(cadence, first)
        while period.end < last:
            ended.append(period)
            period = period.next()
    order = {cadence: n for n, cadence in enumerate(CADENCES)}
    return sorted(ended, key=lambda p: (p.end, order[p.cadence]))


def recorded_at(state: bytes | None) -> datetime | None:
    """The recorded time in an event's transcoded state (eventsourcing's `datetime_iso`)."""
    try:
        stamp = json.loads(state)["timestamp"]["_data_"]
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError, KeyError, UnicodeDecodeError):
        return None
    return moment if moment.tzinfo is not None else None


def short_code(head: str | bytes) -> str:
    """A head's first 80 bits in base32, as four groups of four (`7KQ2-M4ZD-XH3A-PL6C`)."""
    raw = bytes.fromhex(head) if isinstance(head, str) else head
    text = base64.b32encode(raw[:10]).decode()
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def normal_code(code: str) -> str:
    """A short code as typed (any case, with or without dashes or spaces) in its printed form."""
    text = "".join(code.split()).replace("-", "").upper()
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def id_text(originator_id: UUID | str) -> str:
    """An originator id as text: a UUID in its canonical form, anything else as it is."""
    if isinstance(originator_id, UUID):
        return str(originator_id)
    try:
        return str(UUID(originator_id))
    except ValueError:
        return originator_id


def audit_key(text: str | None) -> bytes | None:
    """AUDIT_KEY's bytes (None when unset); ValueError unless it is at least 16 bytes in base64."""
    if not text:
        return None
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"AUDIT_KEY must be at least {MIN_KEY_BYTES} random bytes in base64")
    return key


@lru_cache(maxsize=4)
def key_id(key: bytes) -> str:
    """A key's public name: the first 64 bits of an HMAC of a fixed text under it."""
    return hmac.new(key, _KEY_ID_TAG, hashlib.sha256).hexdigest()[:16]


def decision(fact: StoredFact) -> dict | None:
    """An acceptance decision's state (`actor`, `reason` and the `accepted` events, each with
    its position, notification id, originator, version and digest), or None if `fact` is not
    one; a decision that cannot be read accepts nothing."""
    if fact.topic != ACCEPTED_TOPIC or fact.state is None:
        return None
    try:
        state = json.loads(fact.state)
        accepted = [item for item in state["accepted"] if isinstance(item, dict)]
        return {"actor": state.get("actor"), "reason": state.get("reason"), "accepted": accepted}
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return {"actor": None, "reason": None, "accepted": []}


def link_pieces(digest: bytes) -> tuple[bytes, bytes]:
    """The unkeyed link after any head, as pieces a database can finish with its own SHA-256
    once it has read the head: (before, after) such that the link's hash is
    SHA-256(before | head | after). (A keyed chain's link needs the key, which stays with the
    application: a database's statements and their logs never see it.)"""
    return (_LINK_TAG + len(GENESIS).to_bytes(8, "big"),
            len(digest).to_bytes(8, "big") + digest)


def _hash(tag: bytes, *parts: bytes, key: bytes | None = None) -> bytes:
    sha = hashlib.sha256(tag) if key is None else hmac.new(key, tag, hashlib.sha256)
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.digest()

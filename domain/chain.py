"""The hash chain over the event log: links, heads, seals and their short codes.

Every stored event, in the notification log's order, gets a link: position 1, 2, 3, ... The
link's hash covers the event's digest and the previous link's hash, so changing, removing,
adding or moving any event changes every hash from there on. The digest covers what the
event *is*: its originator id, originator version, topic (its type) and its state as the
transcoder wrote it (the event's data and its recorded time), in plaintext, after the store's
cipher and compressor are undone. It leaves out the notification id, which is only where one
store keeps the event (an imported store renumbers, PostgreSQL has gaps): the chain is the
same in every copy of the record, encrypted or not.

    digest = SHA-256("banban-event-v1" | originator id | version | topic | state)
    hash_n = SHA-256("banban-link-v1" | hash_{n-1} | digest_n),   hash_0 = 32 zero bytes

(each field length-prefixed, so no two different events have the same input). The head is
the last hash. A head is read aloud as its short code: the first 80 bits in base32, four groups
of four (`7KQ2-M4ZD-XH3A-PL6C`).

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
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.periods import CADENCES, Period, business_date

GENESIS = bytes(32)
_EVENT_TAG = b"banban-event-v1"
_LINK_TAG = b"banban-link-v1"
# The stored topic of a published dispatch report (domain.publications.Publication.Published).
PUBLISHED_TOPIC = "domain.publications:Publication.Published"


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

    The chain projection and verification both advance one of these, so there is exactly one
    definition of a link and of when a seal falls.
    """

    position: int = 0
    head: bytes = GENESIS
    latest: datetime | None = None
    notification_id: int | None = None
    heads: list[bytes] | None = field(default=None, repr=False)  # every head, when kept

    @classmethod
    def after(cls, link: Link | None) -> Chain:
        """The chain's state just after a stored link (an empty chain for None)."""
        if link is None:
            return cls()
        latest = None if link.latest is None else datetime.fromisoformat(link.latest)
        return cls(position=link.position, head=bytes.fromhex(link.hash), latest=latest,
                   notification_id=link.notification_id)

    def link(self, fact: StoredFact, digest: bytes | None = None) -> tuple[Link, list[Seal]]:
        """Link the next event; return its link and the seals it makes fall (before it)."""
        digest = fact.digest if digest is None else digest
        seals = list(self._seals_before(fact))
        self.head = _hash(_LINK_TAG, self.head, digest)
        self.position += 1
        self.notification_id = fact.notification_id
        if self.heads is not None:
            self.heads.append(self.head)
        link = Link(position=self.position, notification_id=fact.notification_id,
                    originator_id=fact.originator_id, originator_version=fact.originator_version,
                    digest=digest.hex(), hash=self.head.hex(),
                    latest=None if self.latest is None else self.latest.isoformat())
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


def _hash(tag: bytes, *parts: bytes) -> bytes:
    sha = hashlib.sha256(tag)
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.digest()

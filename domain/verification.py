"""Verifying the record against its chain: every event linked, none changed, and if not, how.

`verify` walks the stored links (in the chain's order) beside the stored events (in the log's
order), recomputing each digest and hash.

An event no link covers is reported as **unlinked**, with its place in the log, and the walk
goes on past it so that everything after it is still checked. The application links every
event in the transaction that records it (domain.ledger), so such an event was written by
something else. An event is taken as unlinked when the link beside it names a later
notification id; only an operator's recorded decision (domain.acceptance) links it later. Its
link then comes out of the log's order (a notification id lower than one linked before), and
the decision's own event must be the next one linked and name it, or the link is reported
(an **unrecorded acceptance**).

At the first other place where the events and the links part, it looks at what follows to say
what happened there:

- changed: the event at the position is not any linked event, and the linked one is gone;
- deleted: the linked event is gone and the rest moved up;
- inserted: an event that no link covers sits before the linked one, in its place;
- swapped: the event linked at another position is here, and this one's is there;
- reordered: the event linked at another position is here, the linked one elsewhere;
- link altered: the event is the linked one, but the stored link's hash is not what it gives,
  or the link is not keyed as the chain is (someone changed the chain rather than the events).

With every link matched, the seals the events give must be the stored seals, and a head or a
short code an auditor brings (from a printed report) must be one the chain passed through.
A keyed chain (AUDIT_KEY) is verified with its key: without it no link can be recomputed.

Pure: the caller supplies the links, events and seals (from a store, or from an export file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from domain.chain import (
    GENESIS,
    Chain,
    Link,
    Seal,
    StoredFact,
    decision,
    normal_code,
    short_code,
)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Finding:
    """What verification found, at which position (1-based: in the chain's order, which is the
    log's until an event is accepted late; for an unlinked event, its place in the log)."""

    kind: str  # changed, deleted, inserted, swapped, reordered, link altered, unlinked, seal ...
    position: int | None
    notification_id: int | None
    originator_id: str | None
    originator_version: int | None
    detail: str
    digest: str | None = None  # the event's digest, for an unlinked or accepted event

    def __str__(self) -> str:
        where = "" if self.position is None else f" at position {self.position}"
        row = ""
        if self.originator_id is not None:
            row = (f" (notification {self.notification_id}, {self.originator_id} "
                   f"v{self.originator_version})")
        return f"{self.kind}{where}{row}: {self.detail}"


@dataclass
class Verdict:
    """The outcome: the first finding, the events no link covers, those accepted late, the
    head and what was checked. Intact when there is neither a finding nor an unlinked event."""

    finding: Finding | None = None
    linked: int = 0
    unlinked: list[Finding] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)
    head: str = GENESIS.hex()
    seals: int = 0
    head_found_at: int | None = None

    @property
    def intact(self) -> bool:
        return self.finding is None and not self.unlinked

    @property
    def code(self) -> str:
        return short_code(self.head)


class _Step(NamedTuple):
    """What a link covers: the event, its digest and its place in the log; `found` False when
    the events part from the links there (`event` is then the one that stands in the way, or
    None at the end of the log); `late` when the link was made by a decision, after others."""

    event: StoredFact | None
    digest: bytes | None
    position: int
    found: bool
    late: bool = False


class _Walk:
    """The events in the log's order, taken link by link; those passed over kept aside."""

    def __init__(self, events: Iterable[StoredFact]):
        self.rest = iter(events)
        self.read = 0  # how many have been read: the last one's place in the log
        self.passed: dict[str, _Step] = {}  # by digest: events no link has covered yet
        self.highest = 0  # the highest notification id linked so far

    def take(self, link: Link) -> _Step:
        """The event a link covers. A link naming a lower notification id than one linked
        before was made late, by a decision: its event is one passed over. Otherwise events
        before the one it covers in the log are passed over (the link names a later id)."""
        step = self.passed.get(link.digest) if link.notification_id < self.highest else None
        if step is not None and step.event.notification_id == link.notification_id:
            del self.passed[link.digest]
            return step._replace(found=True, late=True)
        for event in self.rest:
            self.read += 1
            digest = event.digest
            step = _Step(event, digest, self.read, found=digest.hex() == link.digest)
            if step.found:
                self.highest = max(self.highest, link.notification_id)
                return step
            if event.notification_id >= link.notification_id:
                return step
            self.passed[digest.hex()] = step
        return _Step(None, None, self.read + 1, found=False)

    def unlinked(self) -> list[Finding]:
        """Every event passed over and never accepted, and every one left, in log order."""
        for event in self.rest:
            self.read += 1
            self.passed[event.digest.hex()] = _Step(event, event.digest, self.read, found=False)
        return [_finding("unlinked", step.position, step.event, "no link covers this event: it "
                         "was not recorded by the application (flask audit accept links it, if "
                         "it belongs to the record)", digest=step.digest.hex())
                for step in sorted(self.passed.values(), key=lambda step: step.position)]


def verify(links: Iterable[Link], events: Iterable[StoredFact], seals: Iterable[Seal], *,
           key: bytes | None = None, expected_head: str | None = None,
           progress: Progress | None = None) -> Verdict:
    """Check the events against the links and seals, the links made with `key` (AUDIT_KEY, or
    None); `expected_head` is a full head in hex or a short code the chain must have passed."""
    verdict = Verdict()
    # Every head is kept only when one is looked for (32 bytes and a list slot per event).
    chain = Chain(heads=None if expected_head is None else [GENESIS], key=key)
    recomputed: dict[str, Seal] = {}
    link_iter, walk = iter(links), _Walk(events)
    awaiting: list[Link] = []  # links made by a decision whose event has not come yet
    for link in link_iter:
        step = walk.take(link)
        if not step.found:
            first = None if step.event is None else (step.event, step.digest)
            verdict.finding = _classify(link, first, link_iter, walk.rest)
            return verdict
        if step.late:
            awaiting.append(link)
        else:
            verdict.finding = _decided(awaiting, step.event, link.position, verdict.accepted)
        new, fallen = chain.link(step.event, step.digest)
        verdict.finding = verdict.finding or _link_altered(link, new, step.event)
        if verdict.finding is not None:
            return verdict
        recomputed.update((seal.label, seal) for seal in fallen)
        verdict.linked += 1
        if progress is not None:
            progress(verdict.linked)
    verdict.unlinked = walk.unlinked()
    verdict.head = chain.head.hex()
    verdict.finding = (_decided(awaiting, None, None, verdict.accepted)
                       or _check_seals(recomputed, seals))
    verdict.seals = len(recomputed)
    if verdict.finding is None and expected_head is not None:
        verdict.finding, verdict.head_found_at = _check_head(expected_head, chain.heads)
    return verdict


def in_chain_order(links: Iterable[Link], events: Iterable[StoredFact]
                   ) -> Iterator[tuple[Link, StoredFact, int]]:
    """Each link with the event it covers and that event's place in the log, in the chain's
    order (an event accepted late comes where its link is), for a record that verifies;
    ValueError where it does not."""
    walk = _Walk(events)
    for link in links:
        step = walk.take(link)
        if not step.found:
            raise ValueError(f"the events part from the links at position {link.position}")
        yield link, step.event, step.position


def _link_altered(stored: Link, made: Link, event: StoredFact) -> Finding | None:
    """The stored link must be the one the event gives, keyed as the chain is."""
    if stored.key_id != made.key_id:
        return _finding("link altered", stored.position, event, "the link is keyed with "
                        f"{stored.key_id or 'no key'}, the chain with {made.key_id or 'no key'}: "
                        "the application did not make it")
    if stored.hash != made.hash:
        return _finding("link altered", stored.position, event, "the event is the linked one, "
                        "but the stored link's hash is not the one it gives: the chain itself "
                        "was changed")
    return None


def _decided(awaiting: list[Link], event: StoredFact | None, position: int | None,
             notes: list[Finding]) -> Finding | None:
    """Note the events a decision accepts; links made out of the log's order must be followed
    by the decision that names them."""
    made = None if event is None else decision(event)
    named = set()
    for item in [] if made is None else made["accepted"]:
        named.add(item.get("digest"))
        notes.append(Finding("accepted", item.get("position"), item.get("notification_id"),
                             item.get("originator_id"), item.get("originator_version"),
                             f"linked by the decision at position {position} ({made['actor']}: "
                             f"{made['reason']})", item.get("digest")))
    if not awaiting or {link.digest for link in awaiting} <= named:
        awaiting.clear()
        return None
    first = awaiting[0]
    return _finding("unrecorded acceptance", first.position, first, "linked out of the log's "
                    "order, but the next event is not a recorded decision accepting it")


def _classify(link: Link, first: tuple[StoredFact, bytes] | None, links: Iterator[Link],
              events: Iterator[StoredFact]) -> Finding:
    """Name what happened at the first position where the events and the links part."""
    j = link.position
    rest_links = [link, *links]
    rest_events = ([] if first is None else [first]) + [(e, e.digest) for e in events]
    linked_at = {other.digest: other.position for other in rest_links}
    found = [digest.hex() for _, digest in rest_events]
    if not rest_events:
        return _finding("deleted", j, link, "the linked event is missing (and every one after)")
    event, digest = rest_events[0]
    k = linked_at.get(digest.hex())
    own_elsewhere = link.digest in found
    if k is not None and k != j:
        if not own_elsewhere:
            return _finding("deleted", j, link,
                            f"the linked event is missing; the event linked at position {k} "
                            "follows in its place")
        if len(found) > k - j and found[k - j] == link.digest:
            return _finding("swapped", j, event,
                            f"holds the event linked at position {k}, and position {k} holds "
                            f"the one linked here ({link.originator_id} v{link.originator_version})")
        return _finding("reordered", j, event,
                        f"holds the event linked at position {k}; the one linked here "
                        f"({link.originator_id} v{link.originator_version}) is further on")
    if own_elsewhere:
        return _finding("inserted", j, event, "an event no link covers stands before the "
                        f"linked one ({link.originator_id} v{link.originator_version})")
    unreadable = "; its stored bytes cannot be decrypted" if event.state is None else ""
    return _finding("changed", j, event,
                    f"the event differs from the one linked ({link.originator_id} "
                    f"v{link.originator_version}, notification {link.notification_id})"
                    f"{unreadable}")


def _check_seals(recomputed: dict[str, Seal], stored: Iterable[Seal]) -> Finding | None:
    """Every stored seal must be one the events give, with the same head; and none missing."""
    seen = set()
    for seal in sorted(stored, key=lambda s: (s.position, s.label)):
        seen.add(seal.label)
        mine = recomputed.get(seal.label)
        if mine is None:
            return _seal_finding("seal not derivable", seal, "no event passes this point")
        if (mine.position, mine.head) != (seal.position, seal.head):
            return _seal_finding("seal changed", seal,
                                 f"stored {seal.code} after {seal.position} events, the events "
                                 f"give {mine.code} after {mine.position}")
    missing = sorted((s for label, s in recomputed.items() if label not in seen),
                     key=lambda s: s.position)
    if missing:
        return _seal_finding("seal missing", missing[0], "the events give this seal, the "
                             "store has none")
    return None


def _check_head(expected: str, heads: list[bytes]) -> tuple[Finding | None, int | None]:
    """Find a head given in full hex or as a short code among the heads the chain passed."""
    text = expected.strip().lower()
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        wanted = bytes.fromhex(text)
        matches = [position for position, head in enumerate(heads) if head == wanted]
    else:
        code = normal_code(expected)
        matches = [position for position, head in enumerate(heads) if short_code(head) == code]
    if matches:
        return None, matches[-1]
    return Finding("head not found", None, None, None, None,
                   f"the chain never had the head {expected}: the record up to the moment it "
                   "was written down has changed (or it was copied wrongly)"), None


def _finding(kind: str, position: int, row: Link | StoredFact, detail: str,
             digest: str | None = None) -> Finding:
    return Finding(kind, position, row.notification_id, row.originator_id,
                   row.originator_version, detail, digest)


def _seal_finding(kind: str, seal: Seal, detail: str) -> Finding:
    return Finding(kind, seal.position, seal.notification_id, None, None,
                   f"{seal.label}: {detail}")

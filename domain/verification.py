"""Verifying the record against its chain: the first place it was changed, and how.

`verify` walks the stored events (in log order) beside the stored links (in position order),
recomputing each digest and hash. At the first position where they part it looks at what
follows to say what happened there:

- changed: the event at the position is not any linked event, and the linked one is gone;
- deleted: the linked event is gone and the rest moved up;
- inserted: an event that no link covers sits before the linked one;
- swapped: the event linked at another position is here, and this one's is there;
- reordered: the event linked at another position is here, the linked one elsewhere;
- link altered: the event is the linked one, but the stored link's hash is not what it gives
  (someone changed the chain rather than the events).

With every link matched, the seals the events give must be the stored seals, and a head or a
short code an auditor brings (from a printed report) must be one the chain passed through.
Events after the last link are reported as not yet linked: on a live store they are the ones
recorded since the chain last caught up, so they are not an error by themselves.

Pure: the caller supplies the links, events and seals (from a store, or from an export file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

from domain.chain import GENESIS, Chain, Link, Seal, StoredFact, normal_code, short_code

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Finding:
    """What verification found wrong, at which position (1-based, in the log's order)."""

    kind: str  # changed, deleted, inserted, swapped, reordered, link altered, seal ..., head ...
    position: int | None
    notification_id: int | None
    originator_id: str | None
    originator_version: int | None
    detail: str

    def __str__(self) -> str:
        where = "" if self.position is None else f" at position {self.position}"
        row = ""
        if self.originator_id is not None:
            row = (f" (notification {self.notification_id}, {self.originator_id} "
                   f"v{self.originator_version})")
        return f"{self.kind}{where}{row}: {self.detail}"


@dataclass
class Verdict:
    """The outcome: intact or not, the first finding, the head and what was checked."""

    finding: Finding | None = None
    linked: int = 0
    unlinked: int = 0
    head: str = GENESIS.hex()
    seals: int = 0
    head_found_at: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.finding is None

    @property
    def code(self) -> str:
        return short_code(self.head)


def verify(links: Iterable[Link], events: Iterable[StoredFact], seals: Iterable[Seal], *,
           expected_head: str | None = None, progress: Progress | None = None) -> Verdict:
    """Check the events against the links and seals; `expected_head` is a full head in hex or
    a short code that the chain must have passed through."""
    verdict = Verdict()
    # Every head is kept only when one is looked for (32 bytes and a list slot per event).
    chain = Chain(heads=None if expected_head is None else [GENESIS])
    recomputed: dict[str, Seal] = {}
    link_iter, event_iter = iter(links), iter(events)
    for link, event in zip_longest(link_iter, event_iter):
        if link is None:
            verdict.unlinked = 1 + sum(1 for _ in event_iter)
            break
        if event is None:
            verdict.finding = _classify(link, None, link_iter, event_iter)
            return verdict
        digest = event.digest
        if digest.hex() != link.digest:
            verdict.finding = _classify(link, (event, digest), link_iter, event_iter)
            return verdict
        new, fallen = chain.link(event, digest)
        if new.hash != link.hash:
            verdict.finding = _finding("link altered", link.position, event,
                                       "the event is the linked one, but the stored link's hash "
                                       "is not the one it gives: the chain itself was changed")
            return verdict
        recomputed.update((seal.label, seal) for seal in fallen)
        verdict.linked += 1
        if progress is not None:
            progress(verdict.linked)
    verdict.head = chain.head.hex()
    verdict.finding = _check_seals(recomputed, seals)
    verdict.seals = len(recomputed)
    if verdict.finding is None and expected_head is not None:
        verdict.finding, verdict.head_found_at = _check_head(expected_head, chain.heads)
    return verdict


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


def _finding(kind: str, position: int, row: Link | StoredFact, detail: str) -> Finding:
    return Finding(kind, position, row.notification_id, row.originator_id,
                   row.originator_version, detail)


def _seal_finding(kind: str, seal: Seal, detail: str) -> Finding:
    return Finding(kind, seal.position, seal.notification_id, None, None,
                   f"{seal.label}: {detail}")

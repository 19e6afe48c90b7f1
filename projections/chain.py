"""The chain view: one link per stored event, in the log's order, and the seals (domain.chain).

The links are evidence, not only a cache: `flask audit verify` checks the events against them,
and a head copied from them onto a printed report lets anyone check the record later. So the
chain is never dropped by `flask projections rebuild`; `flask audit replay` rebuilds it into a
scratch store to compare instead.

It is caught up like the cards view (`projections.runner.catch_up`, exact batches), but from
the stored events' bytes rather than from domain events: the digest is over the state exactly
as it was transcoded, which no re-encoding of a decoded event could promise.
"""

from __future__ import annotations

import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import Mapper, Notification, StoredEvent, Tracking
from eventsourcing.projection import Projection

from domain.application import Banban
from domain.chain import Chain, Link, Seal, StoredFact, id_text
from projections.views import View, open_view


class ChainView(View, ABC):
    """Stores links and seals together with the position they reflect."""

    @abstractmethod
    def tail(self) -> Link | None:
        """The last link, or None for an empty chain."""

    @abstractmethod
    def links(self, after: int = 0, limit: int = 1000) -> list[Link]:
        """Up to `limit` links after a position, in order."""

    @abstractmethod
    def seals(self) -> list[Seal]:
        """Every seal, in the order they fell."""

    @abstractmethod
    def seal(self, label: str) -> Seal | None:
        """One seal by its label, or None."""

    def all_links(self, batch: int = 1000) -> Iterator[Link]:
        """Every link, in order, read a batch at a time."""
        after = 0
        while page := self.links(after, batch):
            yield from page
            after = page[-1].position


class EventChain(Projection[ChainView]):
    """Links every stored event (all topics) to the chain."""

    name = "banban_chain"
    topics = ()

    def __init__(self, view: ChainView, app: Banban):
        super().__init__(view)
        self.app = app

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Not supported: the chain covers the stored bytes, which a domain event no longer has."""
        raise NotImplementedError("the chain links stored events: use projections.runner.catch_up")

    def rows_for_notifications(self, notifications: Sequence[Notification]) -> dict[str, list]:
        """The links of a batch, continuing from the view's last link, and the seals that fall."""
        chain = Chain.after(self.view.tail())
        links: list[Link] = []
        seals: list[Seal] = []
        for notification in notifications:
            link, fallen = chain.link(stored_fact(self.app.mapper, notification))
            links.append(link)
            seals += fallen
        return {"links": links, "seals": seals}


def open_chain_view(app: Banban, prefix: str = "banban_chain", datastore: Any = None) -> ChainView:
    """The chain view for the application's store (or a scratch `datastore`)."""
    return open_view(app, "chain", prefix, datastore)  # type: ignore[return-value]


def stored_fact(mapper: Mapper, stored: Notification) -> StoredFact:
    """A stored event as the chain sees it: its state with the cipher and compressor undone."""
    state: bytes | None = stored.state
    try:
        if mapper.cipher:
            state = mapper.cipher.decrypt(state)
        if mapper.compressor:
            state = mapper.compressor.decompress(state)
    except (ValueError, zlib.error):
        state = None
    return StoredFact(notification_id=stored.id, originator_id=id_text(stored.originator_id),
                      originator_version=stored.originator_version, topic=stored.topic,
                      state=state, raw=stored.state)


def to_stored(mapper: Mapper, fact: StoredFact, originator_id: Any) -> StoredEvent:
    """A plaintext event ready for this store: compressed and encrypted as the mapper does."""
    state = fact.state
    if mapper.compressor:
        state = mapper.compressor.compress(state)
    if mapper.cipher:
        state = mapper.cipher.encrypt(state)
    return StoredEvent(originator_id=originator_id, originator_version=fact.originator_version,
                       topic=fact.topic, state=state)


def link_row(row: dict[str, Any]) -> Link:
    """A Link from a view row (either store)."""
    return Link(position=row["position"], notification_id=row["notification_id"],
                originator_id=str(row["originator_id"]),
                originator_version=row["originator_version"], digest=row["digest"],
                hash=row["hash"], latest=row["latest"])


def seal_row(row: dict[str, Any]) -> Seal:
    """A Seal from a view row (either store)."""
    return Seal(label=row["label"], kind=row["kind"], position=row["position"],
                notification_id=row["notification_id"], head=row["head"],
                sealed_at=row["sealed_at"])


LINK_COLUMNS = ("position", "notification_id", "originator_id", "originator_version", "digest",
                "hash", "latest")
SEAL_COLUMNS = ("label", "kind", "position", "notification_id", "head", "sealed_at")


def values(rows: dict[str, list]) -> tuple[list[tuple], list[tuple]]:
    """A batch's links and seals as tuples in column order, for INSERT statements."""
    return ([tuple(getattr(link, c) for c in LINK_COLUMNS) for link in rows["links"]],
            [tuple(getattr(seal, c) for c in SEAL_COLUMNS) for seal in rows["seals"]])

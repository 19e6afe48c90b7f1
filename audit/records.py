"""Reading a store's events for the chain, and verifying a store against its chain view."""

from __future__ import annotations

from collections.abc import Iterator

from domain.application import Banban
from domain.chain import StoredFact
from domain.verification import Progress, Verdict, verify
from projections.chain import EventChain, stored_fact


def store_facts(app: Banban, stop: int | None = None, after: int = 0,
                batch: int = 1000) -> Iterator[StoredFact]:
    """Every stored event after notification `after` (up to `stop`), in the log's order, with
    its plaintext state."""
    start = after + 1
    while True:
        notifications = app.recorder.select_notifications(start, batch, stop=stop)
        if not notifications:
            return
        for notification in notifications:
            yield stored_fact(app.mapper, notification)
        start = notifications[-1].id + 1


def verify_store(app: Banban, chain: EventChain, *, expected_head: str | None = None,
                 progress: Progress | None = None) -> Verdict:
    """Verify the stored events against the chain view's links and seals.

    Events up to the chain's tracked position are checked position by position; those after
    it (recorded since the chain last caught up) are counted as not yet linked.
    """
    view = chain.view
    position = view.max_tracking_id(app.name) or 0
    verdict = verify(view.all_links(), store_facts(app, stop=position), view.seals(),
                     expected_head=expected_head, progress=progress)
    verdict.unlinked += sum(1 for _ in store_facts(app, after=position))
    return verdict

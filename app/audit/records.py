"""Reading a store's events for the chain, and verifying a store against its chain view."""

from __future__ import annotations

from collections.abc import Iterator

from domain.application import Banban
from domain.chain import StoredFact
from domain.verification import Progress, Verdict, verify
from projections.chain import EventChain, stored_fact


def store_facts(app: Banban, stop: int | None = None, batch: int = 1000
                ) -> Iterator[StoredFact]:
    """Every stored event (up to notification `stop`), in the log's order, with its plaintext
    state."""
    start = 1
    while True:
        notifications = app.recorder.select_notifications(start, batch, stop=stop)
        if not notifications:
            return
        for notification in notifications:
            yield stored_fact(app.mapper, notification)
        start = notifications[-1].id + 1


def verify_store(app: Banban, chain: EventChain, *, expected_head: str | None = None,
                 progress: Progress | None = None) -> Verdict:
    """Verify every stored event against the chain view's links and seals.

    Events are checked position by position; those after the last link (recorded since the
    chain last caught up) are counted as not yet linked. Nothing is written: linking them is
    for the caller to do, and only once the record verifies (a forged row would otherwise
    become a link).
    """
    view = chain.view
    return verify(view.all_links(), store_facts(app), view.seals(),
                  expected_head=expected_head, progress=progress)

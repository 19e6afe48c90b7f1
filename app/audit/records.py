"""Reading a store's events for the chain, and verifying a store against its chain."""

from __future__ import annotations

from collections.abc import Iterator

from domain.application import Banban
from domain.chain import StoredFact
from domain.ledger import stored_fact
from domain.verification import Progress, Verdict, verify


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
            yield stored_fact(app.mapper, notification, notification.id)
        start = notifications[-1].id + 1


def verify_store(app: Banban, *, expected_head: str | None = None,
                 progress: Progress | None = None, extent: tuple[int, int] | None = None
                 ) -> Verdict:
    """Verify every stored event against the chain's links and seals, with the store's
    AUDIT_KEY. Read-only: an event without its link is reported, never linked.

    The log and the chain are read up to one snapshot of both (`extent`, by default now:
    what a write records meanwhile is left for the next run), so a write in progress is never
    taken for an event without its link.
    """
    stop, last = app.recorder.chain_extent() if extent is None else extent
    # A seal at position p falls with link p + 1: those up to the last link are p < last.
    seals = [seal for seal in app.recorder.chain_seals() if seal.position < last]
    return verify(app.recorder.all_links(upto=last), store_facts(app, stop=stop), seals,
                  key=app.audit_key, expected_head=expected_head, progress=progress)

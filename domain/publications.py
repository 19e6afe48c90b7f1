"""Published dispatch reports: the office's publication of a period's report, frozen as it was.

One aggregate per (cadence, period); each publication is an event that carries the report as
canonical JSON text, so what was published is served byte for byte forever, whatever is
recorded later (late entries, corrections): those show as changes since, never as edits.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:banban:dispatch")


def publication_id(cadence: str, period_id: str) -> UUID:
    """The aggregate id of a period's publications."""
    return uuid5(_NAMESPACE, f"{cadence}/{period_id}")


class Publication(Aggregate):
    """Every publication of one period's dispatch report."""

    class Event(Aggregate.Event):
        actor: str

    class Published(Event):
        report: str  # canonical JSON text of the report, exactly as published

        def apply(self, aggregate: Publication) -> None:
            aggregate.revisions.append({
                "revision": len(aggregate.revisions) + 1, "actor": self.actor,
                "published_at": self.timestamp, "version": self.originator_version,
            })

    class Opened(Event, Aggregate.Created):
        cadence: str
        period_id: str

    def __init__(self, cadence: str, period_id: str):
        self.cadence = cadence
        self.period_id = period_id
        self.revisions: list[dict] = []

    @classmethod
    def open(cls, cadence: str, period_id: str, *, actor: str) -> Publication:
        """The (empty) publication record of a period."""
        return cls._create(cls.Opened, id=publication_id(cadence, period_id), actor=actor,
                           cadence=cadence, period_id=period_id)

    def publish(self, report_json: str, *, actor: str, published_at: datetime | None = None
                ) -> None:
        """Freeze this report as the period's latest publication, recorded at `published_at`
        (now by default): the moment the report was computed as of."""
        self.trigger_event(self.Published, actor=actor, report=report_json,
                           timestamp=published_at)

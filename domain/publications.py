"""Published dispatch reports: the office's publication of a period's report, frozen as it was.

One aggregate per (cadence, period, and the county or the province summary it is of); each
publication is an event that carries the report as
canonical JSON text, so what was published is served byte for byte forever, whatever is
recorded later (late entries, corrections): those show as changes since, never as edits.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:banban:dispatch")


def publication_id(cadence: str, period_id: str, of: str | None = None) -> UUID:
    """The aggregate id of a period's publications: of the home county's report (`of` None:
    the id it had before there were counties), another county's (its code), or the province
    summary ("province")."""
    return uuid5(_NAMESPACE, f"{cadence}/{period_id}" if of is None else
                 f"{of}/{cadence}/{period_id}")


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
        # v2 says whose report it publishes (v1: the home county's, as `of` None does).
        class_version = 2
        cadence: str
        period_id: str
        of: str | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["of"] = None

    of: str | None = None  # a class default too, for publications loaded from before counties

    def __init__(self, cadence: str, period_id: str, of: str | None = None):
        self.cadence = cadence
        self.period_id = period_id
        self.of = of
        self.revisions: list[dict] = []

    @classmethod
    def open(cls, cadence: str, period_id: str, *, actor: str, of: str | None = None
             ) -> Publication:
        """The (empty) publication record of a period's report (see `publication_id`)."""
        return cls._create(cls.Opened, id=publication_id(cadence, period_id, of), actor=actor,
                           cadence=cadence, period_id=period_id, of=of)

    def publish(self, report_json: str, *, actor: str, published_at: datetime | None = None
                ) -> None:
        """Freeze this report as the period's latest publication, recorded at `published_at`
        (now by default): the moment the report was computed as of."""
        self.trigger_event(self.Published, actor=actor, report=report_json,
                           timestamp=published_at)


class Published(NamedTuple):
    """A revision published, as a view of every publication keeps it."""

    publication_id: UUID
    revision: int
    version: int  # the publication's version that recorded it (its seal's label)
    cadence: str
    period_id: str
    of: str | None
    actor: str
    published_at: datetime


class PublicationsView(Protocol):
    """Every revision published, kept current by the publication events
    (projections.publications keeps one)."""

    def published(self, cadence: str | None = None, period_id: str | None = None
                  ) -> list[Published]:
        """Every revision published (of one period's reports, if named), in the order they
        were recorded."""

"""The publications: every revision of every published dispatch report, one row each, kept by
the publication events.

The auditors' index lists every publication they may see, and a published report's page its
revisions. Read from the log, each such page read every publication's opening by topic from the
log's start: on PostgreSQL a scan of the whole log (it has no index by topic). Kept here, a page
reads these rows (and each revision's seal, by its label).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from eventsourcing.application import Repository
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from domain.application import Banban
from domain.publications import Publication, Published
from projections.views import View, open_view

# The live view's tables (the number moves when what a row holds changes).
PUBLICATIONS_PREFIX = "banban_publications_v1"


class PublicationsView(View, ABC):
    """Stores one row per published revision together with the position they reflect."""

    @abstractmethod
    def published(self, cadence: str | None = None, period_id: str | None = None
                  ) -> list[Published]:
        """Every revision published (of one period's reports, if named), in the order they
        were recorded."""


class Publications:
    """Keeps one row per revision published, as its event says."""

    name = PUBLICATIONS_PREFIX
    topics = (get_topic(Publication.Published),)

    def __init__(self, view: PublicationsView, app: Banban,
                 repository: Repository | None = None):
        self.view = view
        self.app = app
        # A replay passes a repository without snapshots: its rows come from the events alone.
        self.repository = app.repository if repository is None else repository

    def rows_for_notifications(self, notifications: Sequence[Notification]
                               ) -> list[dict[str, Any]]:
        """A row per revision published: the event says its author and moment, and the
        publication's opening (its first version: the report texts of earlier revisions are
        not read) which report of which period it is. A publication holds its opening, then
        its revisions only: revision n is version n + 1."""
        rows = []
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            opened: Publication = self.repository.get(event.originator_id, version=1)
            rows.append({"publication_id": event.originator_id,
                         "revision": event.originator_version - 1,
                         "version": event.originator_version, "position": notification.id,
                         "cadence": opened.cadence, "period_id": opened.period_id,
                         "whose": opened.of, "actor": event.actor,
                         "published_at": event.timestamp.isoformat()})
        return rows


COLUMNS = ("publication_id", "revision", "version", "position", "cadence", "period_id",
           "whose", "actor", "published_at")


def open_publications_view(app: Banban, prefix: str = PUBLICATIONS_PREFIX) -> PublicationsView:
    """The publications view for the application's store, its tables created if missing."""
    return open_view(app, "publications", prefix)  # type: ignore[return-value]

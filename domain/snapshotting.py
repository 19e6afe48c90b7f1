"""Snapshots written in the transaction of the write that makes them due.

eventsourcing takes a snapshot after a save whose event reached the aggregate's interval: it
loads the aggregate again at that version and stores the snapshot in a transaction of its own,
a second commit of that request. A write here already holds the aggregate at exactly that
version (domain.repositories), so the snapshot is taken from it, encoded before the
transaction begins, and inserted by the recorder together with the events and their links
(domain.ledger): one transaction per write, whatever falls due with it.

Only a save of several events of one aggregate whose interval falls before its last event (a
bulk load) keeps the library's way: that version is loaded again and snapshotted afterwards,
and failing to store that snapshot is logged, never an error (the events are recorded; a
snapshot is only a shortcut for loading).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from eventsourcing.application import ProcessingEvent, Recording
from eventsourcing.persistence import PersistenceError

from domain.ledger import SNAPSHOTS
from domain.repositories import fold

logger = logging.getLogger(__name__)


class Snapshotting:
    """The application's snapshots, in the write's own transaction where they can be."""

    snapshots: Any
    snapshotting_intervals: dict[type, int]
    snapshot_class: Any

    def _record(self, processing_event: ProcessingEvent) -> list[Recording]:
        due = [self.snapshots.mapper.to_stored_event(snapshot)
               for snapshot in self._snapshots_at_last_version(processing_event)]
        if due:
            processing_event.saved_kwargs[SNAPSHOTS] = (self.snapshots.recorder, due)
        return super()._record(processing_event)  # type: ignore[misc]

    def _snapshots_at_last_version(self, processing_event: ProcessingEvent) -> Iterator[Any]:
        """Snapshots of the aggregates whose last event in this save reached their interval."""
        if not self.snapshots:
            return
        saved = {(event.originator_id, event.originator_version)
                 for event in processing_event.events}
        for aggregate in processing_event.aggregates.values():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and aggregate.version % interval == 0 and \
                    (aggregate.id, aggregate.version) in saved:
                snapshot_class = getattr(type(aggregate), "Snapshot", self.snapshot_class)
                yield snapshot_class.take(aggregate)

    def _take_snapshots(self, processing_event: ProcessingEvent) -> None:
        """The library's way, for intervals a save passed before its last event."""
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            version = event.originator_version
            if not interval or version % interval or version == aggregate.version:
                continue
            try:
                self.take_snapshot(event.originator_id, version=version,  # type: ignore[attr-defined]
                                   projector_func=fold)
            except PersistenceError as error:
                logger.warning("snapshot not taken (the events were recorded): %r", error)

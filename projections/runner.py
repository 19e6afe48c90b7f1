"""Keeping a projection's view caught up with the event log: catch up, rebuild, status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, Notification, Tracking, TrackingRecorder

from domain.application import Banban
from projections.views import View

Progress = Callable[[int, int], None]


class BatchProjection(Protocol):
    """A projection that turns a batch of notifications into its view's rows (the cards)."""

    topics: tuple[str, ...]

    @property
    def view(self) -> View: ...

    def rows_for_notifications(self, notifications: Sequence[Notification]) -> Any: ...


def catch_up(app: Banban, projection: BatchProjection, batch: int = 500,
             progress: Progress | None = None, stop: int | None = None) -> int:
    """Apply every event recorded up to now (or up to notification `stop`) that the view has
    not seen; return how many.

    Each batch is saved with a compare-and-set of the view's position, so when several
    processes catch up at once each range of events is applied by exactly one of them;
    the others re-read the position and carry on from there. The projection makes a batch's
    rows after the position is read, so rows made from a stale view are never saved.
    """
    view = projection.view
    # Everything at or below the current last id is committed (ids follow commit order on
    # both stores), so reading up to it can neither skip nor wait for an event.
    if stop is None:
        stop = app.recorder.max_notification_id() or 0
    processed = 0
    position = view.max_tracking_id(app.name)
    while (position or 0) < stop:
        notifications = app.recorder.select_notifications(
            (position or 0) + 1, batch, stop=stop, topics=projection.topics)
        # A short batch holds every wanted event up to `stop`: the view can then move past
        # the other events (users') too, so that its lag reads 0.
        last = notifications[-1].id if len(notifications) == batch else stop
        try:
            view.save(projection.rows_for_notifications(notifications),
                      Tracking(app.name, last), previous=position)
        except IntegrityError:
            moved = view.max_tracking_id(app.name)
            if moved == position:
                raise  # not another process's progress: a real constraint failure
            position = moved
            continue
        processed += len(notifications)
        position = last
        if progress is not None:
            progress(position, stop)
    return processed


def rebuild(app: Banban, projection: BatchProjection, progress: Progress | None = None,
            batch: int = 50_000, stop: int | None = None) -> int:
    """Drop the view's rows and position, then apply every event again (up to notification
    id `stop` if given); return how many.

    Bigger batches than a live catch-up's: a card (and what a project owes today) is made
    once per batch for each project in it, and a rebuild has every project in play at once.
    50,000 events rather than 5,000 made a county's rebuild 35% cheaper (bench/RESULTS.md);
    a batch's notifications and rows take some tens of MB."""
    projection.view.drop_all()
    return catch_up(app, projection, batch=batch, progress=progress, stop=stop)


def status(app: Banban, view: TrackingRecorder) -> dict[str, Any]:
    """The view's position, the log's last notification id, and how far behind it is."""
    position = view.max_tracking_id(app.name) or 0
    last = app.recorder.max_notification_id() or 0
    return {"position": position, "max_notification_id": last, "lag": max(last - position, 0)}

"""Keeping a projection's view caught up with the event log: catch up, rebuild, status."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from multiprocessing.util import Finalize
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, Tracking, TrackingRecorder

from domain.application import Banban
from domain.project import Project
from projections.folded import FoldingProjection
from projections.views import View

Progress = Callable[[int, int], None]
# Events a batch when a view has the whole log (or much of it) to apply: an audit's replay, the
# view runner after an upgrade brought a new view (and a rebuild reads the log so many at a
# time). A card (and what a project owes today) is made once per batch for each project in it,
# so bigger batches cost less; 50,000 rather than 5,000 made a county's rebuild 35% cheaper
# (bench/RESULTS.md), and a batch's notifications and rows take some tens of MB. A batch that
# finds less takes what there is.
BULK = 50_000
# Projects a batch of a rebuild of all views (`rebuild_all`): their rows are written together.
PROJECTS = 2_000
# Batches each process of a parallel rebuild makes, at least (when there are projects enough):
# smaller batches share the work out more evenly, and the parent writes rows sooner.
SHARES = 4


class BatchProjection(Protocol):
    """A projection that turns a batch of notifications into its view's rows (the cards)."""

    topics: tuple[str, ...]

    @property
    def view(self) -> View: ...

    def rows_for_notifications(self, notifications: Sequence[Notification]) -> Any: ...


class Opener(Protocol):
    """How a forked process of a parallel rebuild opens the views on an application of its own
    (app.store.Store): `views` gives the same projections as the rebuild's, in its order."""

    def views(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


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
        notifications, last = _next_batch(app, position, stop, batch, projection.topics)
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


def _next_batch(app: Banban, position: int | None, stop: int, batch: int,
                topics: Sequence[str]) -> tuple[Sequence[Notification], int]:
    """The next batch of notifications of these topics after `position`, and the position a
    view that applied them is at: a short batch holds every wanted event up to `stop`, so the
    view can then move past the other events (users') too, and its lag reads 0."""
    notifications = app.recorder.select_notifications(
        (position or 0) + 1, batch, stop=stop, topics=topics)
    return notifications, notifications[-1].id if len(notifications) == batch else stop


def rebuild(app: Banban, projection: BatchProjection, progress: Progress | None = None,
            batch: int = BULK, stop: int | None = None) -> int:
    """Drop the view's rows and position, then apply every event again (up to notification
    id `stop` if given), `BULK` events a batch; return how many."""
    projection.view.drop_all()
    return catch_up(app, projection, batch=batch, progress=progress, stop=stop)


def rebuild_all(app: Banban, projections: Sequence[BatchProjection],
                progress: Progress | None = None, batch: int = BULK,
                projects: int = PROJECTS, processes: int = 1,
                opener: Opener | None = None) -> list[int]:
    """Rebuild several views at once, as `rebuild` of each would: up to the log's last
    notification now, whose id each view is at afterwards.

    Views made from folded projects (projections.folded.FoldingProjection) on the app's own
    repository and the same topics share one pass, which folds no event: it asks the store
    for each project's last version (one query), loads each project once at that version
    (from its snapshot, as any read does) and tells every view's batch the project as it
    stands; only the events a view `tells` (the few that are news) are read and decoded, and
    told with their project as of each. At most `projects` projects a batch. The other views
    are rebuilt on their own after those (a failure of the shared pass leaves them as they
    were). Returns how many events each view applied (for the shared ones: the project events
    up to that notification).

    With `processes` above 1 and an `opener`, forked processes (each with its own application,
    from `opener`) load the projects and make the batches' rows; this process writes them, in
    the batches' order, and records the views' position once every row is written. A failing
    process fails the rebuild: no position is recorded. A store in memory cannot be shared
    with another process: its rebuild stays in this one."""
    shared = [p for p in projections if isinstance(p, FoldingProjection)
              and p.folded.repository is app.repository
              and p.topics == projections[0].topics]
    alone = [p for p in projections if p not in shared]
    processed = _rebuild_shared(app, shared, progress, batch, projects, processes, opener,
                                projections) if shared else 0
    done = {id(p): rebuild(app, p, progress, batch) for p in alone}
    return [done.get(id(p), processed) for p in projections]


def _rebuild_shared(app: Banban, shared: Sequence[FoldingProjection],
                    progress: Progress | None, batch: int, projects: int, processes: int,
                    opener: Opener | None, projections: Sequence[BatchProjection]) -> int:
    """`rebuild_all` of the views that share one pass; how many project events they applied."""
    for projection in shared:
        projection.view.drop_all()
    stop = app.recorder.max_notification_id() or 0
    latest, told, processed = _last_versions(app, shared, stop, batch)
    ids, done = list(latest), 0
    if opener is None or processes < 2 or len(ids) < 2 or _in_memory(app):
        made = (_rows(app, shared, latest, told, ids[start:start + projects])
                for start in range(0, len(ids), projects))
        size = projects
    else:
        size = max(1, min(projects, -(-len(ids) // (processes * SHARES))))
        indexes = [projections.index(p) for p in shared]
        made = _made_apart(opener, indexes, latest, told, ids, size,
                           min(processes, -(-len(ids) // size)))  # no more than the batches
    with closing(made):  # a failed write starts no batch more (those running end first)
        for rows in made:
            for projection, each in zip(shared, rows, strict=True):
                projection.view.write(each)
            done = min(done + size, len(ids))
            if progress is not None:  # the projects made, as a share of the log
                progress(stop * done // len(ids), stop)
    for projection in shared if stop else ():
        try:
            projection.view.save([], Tracking(app.name, stop), previous=None)
        except IntegrityError:
            # Another process caught the emptied view up meanwhile, from the start: it goes on
            # from where that one is (its rows and ours are each a project as of a position).
            catch_up(app, projection)
    return processed


def _rows(app: Banban, shared: Sequence[FoldingProjection], latest: dict[UUID, int],
          told: dict[UUID, list[Project.Event]], ids: Sequence[UUID]) -> list[Any]:
    """Each view's rows of a batch of projects: each project loaded at each event told and at
    its last version."""
    batches = [projection.batch() for projection in shared]
    for project_id in ids:
        for event in told.get(project_id, ()):
            project = app.repository.get(project_id, version=event.originator_version)
            for projection, each in zip(shared, batches, strict=True):
                if projection.tells(event):
                    each.add(event, project)
        project = app.repository.get(project_id, version=latest[project_id])
        for each in batches:
            each.stands(project)
    return [each.rows() for each in batches]


def _made_apart(opener: Opener, indexes: list[int], latest: dict[UUID, int],
                told: dict[UUID, list[Project.Event]], ids: list[UUID], size: int,
                processes: int) -> Iterator[list[Any]]:
    """Each batch's rows (`_rows`), in order, made by `processes` forked processes.

    Forked, a process has what this one read (the versions, the events told) without their
    being sent; only each batch's ids go to it, and its rows come back. Any failure of one
    (an error, or the process killed) is raised here, and the batches not yet begun are
    dropped."""
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_open_apart,
                               initargs=(opener, indexes, latest, told))
    try:
        yield from pool.map(_rows_apart, [ids[start:start + size]
                                          for start in range(0, len(ids), size)])
    finally:
        pool.shutdown(cancel_futures=True)


# What a process of a parallel rebuild works with: its own views, and what the parent read.
_APART: dict[str, Any] = {}


def _open_apart(opener: Opener, indexes: list[int], latest: dict[UUID, int],
                told: dict[UUID, list[Project.Event]]) -> None:
    """Open a forked process's own application and views (closed when it ends)."""
    opened = list(opener.views().values())
    Finalize(None, opener.close, exitpriority=0)
    _APART.update(shared=[opened[i] for i in indexes], latest=latest, told=told)


def _rows_apart(ids: list[UUID]) -> list[Any]:
    shared = _APART["shared"]
    return _rows(shared[0].app, shared, _APART["latest"], _APART["told"], ids)


def _in_memory(app: Banban) -> bool:
    """Whether the application's store is a SQLite database in memory (of this process)."""
    datastore = getattr(app.factory, "datastore", None)
    return type(datastore).__name__ == "SQLiteDatastore" and datastore.pool.is_sqlite_memory_mode


def _last_versions(app: Banban, shared: Sequence[FoldingProjection], stop: int, batch: int
                   ) -> tuple[dict[UUID, int], dict[UUID, list[Project.Event]], int]:
    """Up to notification `stop`: each project's last version (in the order the projects
    were first recorded), the events any of the views `tells` by project, and how many
    project events there are."""
    latest, processed = app.recorder.last_versions(shared[0].topics, stop)
    told: dict[UUID, list[Project.Event]] = {}
    told_topics = sorted(set().union(*(p.told_topics for p in shared)) & set(shared[0].topics))
    position = 0
    while told_topics and position < stop:
        notifications, position = _next_batch(app, position, stop, batch, told_topics)
        for notification in notifications:
            event = app.mapper.to_domain_event(notification)
            if any(projection.tells(event) for projection in shared):
                told.setdefault(event.originator_id, []).append(event)
    return latest, told, processed


def status(app: Banban, view: TrackingRecorder) -> dict[str, Any]:
    """The view's position, the log's last notification id, and how far behind it is."""
    position = view.max_tracking_id(app.name) or 0
    last = app.recorder.max_notification_id() or 0
    return {"position": position, "max_notification_id": last, "lag": max(last - position, 0)}

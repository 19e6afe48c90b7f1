"""Projects kept folded by a projection between batches, to apply each next event to."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import Repository
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Notification

from domain.application import Banban
from domain.project import Project

# Projects kept folded by a projection between batches.
FOLDED = 1_000


class Folded:
    """The last projects a projection made, kept to apply their next event to rather than
    loading them again (a rebuild would otherwise load a project once per batch it is in)."""

    def __init__(self, repository: Repository, size: int = FOLDED):
        self.repository = repository
        self._projects: OrderedDict[UUID, Project] = OrderedDict()
        self.size = size

    def at(self, event: Project.Event) -> Project:
        """The event's project as of the event: the kept one with the event applied when it
        is the version before, else loaded at the event's version."""
        project_id, version = event.originator_id, event.originator_version
        project = self._projects.pop(project_id, None)
        if project is not None and project.version == version - 1:
            project = event.mutate(project)
        elif project is None or project.version != version:
            project = self.repository.get(project_id, version=version)
        self._projects[project_id] = project
        if len(self._projects) > self.size:
            self._projects.popitem(last=False)
        return project


class Batch(Protocol):
    """What a projection makes of one batch of events: told each event with its project folded
    as of it (the same object, folded further, for the project's next event), then asked for
    the rows."""

    def add(self, event: Project.Event, project: Project) -> None: ...

    def stands(self, project: Project) -> None:
        """Told a project as it stands at the batch's end, without its events: what a
        rebuild does for every project (after `add` of the events the projection `tells`)."""

    def rows(self) -> list[dict[str, Any]]: ...


class FoldingProjection:
    """A projection whose rows come from each project event with its project folded as of it.

    On its own it folds with its `folded`; a rebuild of several such views loads each project
    once for all of them at its last version (projections.runner.rebuild_all): the rows of a
    batch are made from the projects as they stand at its end, but for the events the
    projection `tells` (of `told_topics`), each told with its project as of it."""

    app: Banban
    folded: Folded
    # The topics of events whose rows are made from the event itself, not only from its
    # project as it stands at the batch's end.
    told_topics: tuple[str, ...] = ()

    def tells(self, event: Project.Event) -> bool:
        """Whether a rebuild must tell the batch this event (of `told_topics`)."""
        return False

    def batch(self) -> Batch:
        raise NotImplementedError

    def rows_for(self, events: Iterable[DomainEventProtocol[UUID]]) -> list[dict[str, Any]]:
        batch = self.batch()
        for event in events:
            if isinstance(event, Project.Event):
                batch.add(event, self.folded.at(event))
        return batch.rows()

    def rows_for_notifications(self, notifications: Sequence[Notification]
                               ) -> list[dict[str, Any]]:
        """The rows of a batch of notifications (as `projections.runner.catch_up` reads them)."""
        return self.rows_for(self.app.mapper.to_domain_event(n) for n in notifications)

"""Projects kept folded by a projection between batches, to apply each next event to."""

from __future__ import annotations

from collections import OrderedDict
from uuid import UUID

from eventsourcing.application import Repository

from domain.project import Project

# Projects kept folded by a projection between batches.
FOLDED = 1_000


class Folded:
    """The last projects a projection made, kept to apply their next event to rather than
    loading them again (a rebuild would otherwise load a project once per batch it is in)."""

    def __init__(self, repository: Repository, size: int = FOLDED):
        self.repository = repository
        self._projects: OrderedDict[UUID, Project] = OrderedDict()
        self._size = size

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
        if len(self._projects) > self._size:
            self._projects.popitem(last=False)
        return project

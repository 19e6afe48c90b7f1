"""What a user may record on a project now: the event types their role allows on it, and for
each whether the project's state allows it, and if not why (the rules' own reasons).

A mixin of `Banban` (domain/application.py): the pages offer exactly these, so that a form the
project cannot take is never shown empty, and a user looking for it is told why.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.access import check_can_record, check_can_serve
from domain.errors import NotAllowed
from domain.fields import EVENT_TYPES


class Offering:
    """The events a user may record on a project as it stands."""

    def offers(self, project_id: UUID | str, username: str) -> dict[str, Any]:
        """`types`: each event type the user's role and team allow on the project, with None
        when the project's state allows it too, or the code of the reason it does not (e.g.
        `no_open_problem`, `project_suspended`); `milestones`: those a plan or a reaching may
        still name. Nothing for a user who records on no project of its county."""
        user = self.user(username)
        project = self.visible(project_id, user)
        types: dict[str, str | None] = {}
        try:
            check_can_serve(user)
        except NotAllowed:
            return {"types": types, "milestones": []}
        for event_type in EVENT_TYPES:
            try:
                check_can_record(user, event_type, project.team)
            except NotAllowed:
                continue
            types[event_type] = project.why_not(event_type)
        return {"types": types, "milestones": project.milestones_left()}

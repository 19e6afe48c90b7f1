"""Project cards: one row per project (headline fields and summary) plus its team, for lists,
and the facts the reports' parts are made from (domain.history.READ_TYPES, as corrected)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import Repository
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.application import Banban
from domain.canonical import to_json
from domain.history import READ_TYPES
from domain.project import PROJECT_TOPICS, Project
from domain.views import project_summary
from projections.folded import FOLDED, Folded, FoldingProjection
from projections.views import View, open_view

# The live cards' tables. The number moves when what a card holds changes (v3: next milestones
# and open problems by domain.obligations, and the county; v4: whom it waits on; v5: the
# conditions of passed park-entry reviews among its waits; v6: the facts the reports read), so
# that a deployment upgraded to new code builds new cards from the events instead of serving
# ones made by the old rules; the old tables are left as they were (drop them at leisure).
CARDS_PREFIX = "banban_cards_v6"


class Stored(NamedTuple):
    """What the cards keep of a project for the reports: its version, and its facts the rules
    read as text (domain.project.Project.facts_text of domain.history.READ_TYPES)."""

    version: int
    facts: str


class Listed(NamedTuple):
    """A project as the directory lists it: enough to find and order it, and to know whether
    what was kept of it (domain.dispatch_parts) is of its current version."""

    project_id: UUID
    version: int
    signed_on: str  # ISO date
    name: str
    county: str | None


class CardsView(View, ABC):
    """Stores project cards and their teams together with the position they reflect."""

    @abstractmethod
    def cards(self, agent: str | None = None, phase: str | None = None,
              status: str | None = None, county: str | None = None,
              home: str | None = None) -> list[dict[str, Any]]:
        """Cards matching every filter given, in signing order. `county` keeps one county's
        (those naming none are the `home` county's)."""

    @abstractmethod
    def card(self, project_id: UUID | str) -> dict[str, Any] | None:
        """One project's card, or None."""

    @abstractmethod
    def facts(self, ids: Collection[UUID]) -> dict[UUID, Stored]:
        """The facts kept of each of these projects that has a card."""

    @abstractmethod
    def directory(self, ids: Collection[UUID] | None = None) -> list[Listed]:
        """Every project, or those of these ids, as `Listed`, in no particular order (see
        projections.directory for a listing by county in the reports' order)."""


class ProjectCards(FoldingProjection, Projection[CardsView]):
    """Keeps one card per project, as of the last event the view has processed."""

    name = CARDS_PREFIX
    topics = PROJECT_TOPICS

    def __init__(self, view: CardsView, app: Banban, repository: Repository | None = None,
                 folded: int = FOLDED):
        super().__init__(view)
        # A card is made from the whole aggregate rather than patched from the event, because
        # a correction can change any earlier fact and the aggregate refolds it all.
        self.app = app
        # A replay passes a repository without snapshots: its cards come from the events alone.
        self.folded = Folded(app.repository if repository is None else repository, folded)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event (as the library's ProjectionRunner does) and track it."""
        self.view.save(self.rows_for([domain_event]), tracking)

    def batch(self) -> CardsBatch:
        return CardsBatch()


class CardsBatch:
    """One card row per project touched, at the last version among the batch's events."""

    def __init__(self) -> None:
        self.touched: dict[UUID, Project] = {}

    def add(self, event: Project.Event, project: Project) -> None:
        self.stands(project)

    def stands(self, project: Project) -> None:
        self.touched[project.id] = project

    def rows(self) -> list[dict[str, Any]]:
        return [card_row(project) for project in self.touched.values()]

def card_row(project: Project) -> dict[str, Any]:
    """The card of a project as plain data, with its summary as canonical JSON text."""
    summary = project_summary(project)
    return {
        "project_id": project.id, "version": project.version, "name": project.name,
        "phase": project.phase, "status": project.status,
        "signed_on": project.signed_on and project.signed_on.isoformat(),
        "chief_agent": project.chief_agent, "county": project.county,
        "summary": to_json(summary),
        "team": [(project.chief_agent, "chief")] + [(u, "co") for u in project.co_agents],
        # What the reports' parts are made from (a History of them), without the project.
        "facts": project.facts_text(READ_TYPES),
    }


def card_out(row: dict[str, Any], summary: dict[str, Any]) -> dict[str, Any]:
    """A card as handed out: columns, plus the summary as plain data."""
    return {
        "project_id": UUID(str(row["project_id"])), "version": row["version"],
        "name": row["name"], "phase": row["phase"], "status": row["status"],
        "signed_on": row["signed_on"], "chief_agent": row["chief_agent"],
        "county": row["county"], "summary": summary,
    }


def open_cards_view(app: Banban, prefix: str = CARDS_PREFIX) -> CardsView:
    """The cards view for the application's store, its tables created if missing."""
    return open_view(app, "cards", prefix)  # type: ignore[return-value]

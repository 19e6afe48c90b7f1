"""Fixture factories for the domain unit tests: signed projects, recording, refusals, replay."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from domain.errors import DomainError
from domain.project import Project
from domain.views import project_view

SIGNED_ON = date(2024, 3, 1)
TODAY = date(2024, 12, 31)
ON = date(2024, 4, 1)  # a business date after the signing and before today


@pytest.fixture(scope="session")
def make_project():
    """A factory of signed projects; keyword arguments override the signing's fields."""

    def make(*, actor="office", signed_on=SIGNED_ON, today=TODAY, **overrides) -> Project:
        fields = {
            "name": "Luli new materials", "investor": "Luli Group", "industry": "materials",
            "investment": 1_500_000_000, "park": None, "chief_agent": "zhang",
            "co_agents": ["li"], "leader": None,
        } | overrides
        return Project.sign(actor=actor, signed_on=signed_on, today=today, **fields)

    return make


@pytest.fixture(scope="session")
def record():
    """Record one event on a project with sensible defaults for actor and dates."""

    def record_(project, event_type, *, actor="zhang", on=ON, today=TODAY, **fields):
        return project.record(event_type, actor=actor, occurred_on=on, today=today, **fields)

    return record_


def snapshot(project: Project) -> dict:
    """Everything a refused command must leave as it was."""
    return copy.deepcopy({
        "version": project.version, "pending": len(project.pending_events),
        "view": project_view(project), "facts": project.facts,
    })


@pytest.fixture(scope="session")
def at(record):
    """Record an event dated `on` (by the chief agent unless an actor is given), recorded at the
    end of 2026, after every date of the tests of that year."""

    def at_(project, on, event_type, actor="zhang", **fields):
        return record(project, event_type, actor=actor, on=on, today=date(2026, 12, 31),
                      **fields)

    return at_


@pytest.fixture(scope="session")
def refused(record):
    """Record an event expecting a refusal with this code and field; check nothing changed."""

    def refused_(project, event_type, *, code, field, error=DomainError, **kwargs):
        before = snapshot(project)
        with pytest.raises(error) as info:
            record(project, event_type, **kwargs)
        assert (info.value.code, info.value.field) == (code, field), info.value.message
        assert snapshot(project) == before
        return info.value

    return refused_


@pytest.fixture(scope="session")
def replay():
    """Fold a project's events into a fresh aggregate, as a repository would."""

    def replay_(events) -> Project:
        first, *rest = events
        project = first.mutate(None)
        for event in rest:
            project = event.mutate(project)
        return project

    return replay_


@pytest.fixture(scope="module")
def page():
    """A request context of a bare app with the catalogues, as a page renders in."""
    from flask import Flask

    from app.web import i18n

    app = Flask(__name__)
    i18n.init_app(app)
    with app.test_request_context():
        yield

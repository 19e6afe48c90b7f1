"""The application's event classes as stored schema: the topics allowed, states checked against
their class, each aggregate's events in sequence (no store, nothing imported)."""

from __future__ import annotations

import sys
import typing
from datetime import date, datetime, timezone
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic

from domain.acceptance import Acceptance
from domain.errors import DomainError
from domain.event_schema import EVENT_CLASSES, Sequences, conforms, event_class, state_problem
from domain.project import Project
from domain.users import User

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc)


def visit(**changes) -> dict:
    state = {"timestamp": NOW, "actor": "zhang", "occurred_on": date(2026, 11, 24),
             "purpose": "走访", "met_with": None, "note": None}
    state.update(changes)
    return state


def test_every_event_class_of_every_aggregate_is_allowed_and_nothing_else():
    assert event_class(get_topic(Project.VisitLogged)) == (Project.VisitLogged, Project)
    assert event_class(get_topic(Acceptance.Accepted)) == (Acceptance.Accepted, Acceptance)
    assert event_class(get_topic(User.Registered)) == (User.Registered, User)
    sys.modules.pop("this", None)
    for topic in ("this:s", "domain.project:Project", "domain.project:Project.Created",
                  "os:system", "domain.project:Project.VisitLogged.mro"):
        assert event_class(topic) is None, topic
    assert "this" not in sys.modules  # looked up, never imported


def test_every_field_type_an_event_class_declares_has_a_check():
    for cls, _ in EVENT_CLASSES.values():
        for name, hint in typing.get_type_hints(cls).items():
            if name not in ("originator_id", "originator_id_type"):
                conforms(None, hint)  # TypeError for a type with no check


def test_a_state_must_hold_exactly_its_events_fields_of_their_types():
    assert state_problem(Project.VisitLogged, visit()) is None
    assert state_problem(Project.VisitLogged, visit(porpoise="走访")) == (
        "the state's fields are not the event's: unknown porpoise")
    missing = visit()
    del missing["purpose"]
    assert state_problem(Project.VisitLogged, missing) == (
        "the state's fields are not the event's: missing purpose")
    assert state_problem(Project.VisitLogged, visit(purpose=5)) == "purpose is 5: expected str"
    assert state_problem(Project.VisitLogged, visit(occurred_on=NOW)).startswith("occurred_on")
    naive = visit(timestamp=datetime(2026, 11, 25))
    assert state_problem(Project.VisitLogged, naive).startswith("timestamp")
    assert state_problem(Project.VisitLogged, [1]) == "the state is not an object"
    assert state_problem(Project.ServiceRated, {
        "timestamp": NOW, "actor": "x", "occurred_on": date(2026, 1, 1), "rating": True,
        "agent": None, "comment": None}) == "rating is True: expected int"


def test_an_older_class_version_is_upcast_and_a_newer_one_refused():
    old = {"timestamp": NOW, "actor": "leader", "occurred_on": date(2026, 1, 1),
           "instruction": "加快", "problem_id": None}
    assert state_problem(Project.InstructionGiven, dict(old)) is None  # v1: leader added
    newer = {**old, "leader": None, "class_version": 3}
    assert "class_version 3" in state_problem(Project.InstructionGiven, newer)


def test_each_aggregate_runs_one_two_three_from_its_creation_event():
    seq, first, second = Sequences(), str(uuid4()), str(uuid4())
    signed = {"originator_topic": get_topic(Project)}
    assert seq.problem(first, 1, Project.Signed, Project, signed) is None
    assert seq.problem(first, 2, Project.VisitLogged, Project, {}) is None
    assert seq.problem(first, 2, Project.VisitLogged, Project, {}) == (
        "a second event with version 2 (it is at version 2 already)")
    assert seq.problem(first, 4, Project.VisitLogged, Project, {}) == (
        "version 4 follows version 2: versions are missing")
    assert seq.problem(first, 3, User.Disabled, User, {}) == "a User event on a Project"
    assert seq.problem(first, 3, Project.Signed, Project, signed) == (
        "a creation event after the first")
    assert seq.problem(second, 1, Project.VisitLogged, Project, {}) == (
        "the first event does not create it")
    assert seq.problem(second, 2, Project.VisitLogged, Project, {}) == (
        "version 2 is its first event")
    assert seq.problem(second, 1, Project.Signed, Project, {"originator_topic": "this:s"}) == (
        "originator_topic 'this:s' is not Project")


def test_an_acceptance_needs_a_reason_and_an_event():
    event = {"position": 5, "notification_id": 5, "originator_id": "x",
             "originator_version": 1, "digest": "ab", "extra": "dropped"}
    decision = Acceptance.decide(actor="cli:root", reason=" 补录 ", accepted=[event])
    assert (decision.reason, decision.accepted) == ("补录", [{
        k: v for k, v in event.items() if k != "extra"}])
    with pytest.raises(DomainError, match="a reason is required"):
        Acceptance.decide(actor="cli:root", reason="  ", accepted=[event])
    with pytest.raises(DomainError, match="no event to accept"):
        Acceptance.decide(actor="cli:root", reason="x", accepted=[])

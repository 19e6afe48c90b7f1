"""The application's event classes as stored schema: which topics the record may hold, and
whether a stored state is an event of its class.

Events that come from outside (an export file being imported) are checked against these
before anything is written. A topic is looked up among the application's own classes, never
resolved: resolving a topic imports the module it names. A state must hold exactly its class's
fields (after the class's upcasters), each of the declared type; and an aggregate's events must
be its own class's, numbered 1, 2, 3, ... from a creation event.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.acceptance import Acceptance
from domain.catalogues import Catalogues
from domain.counties import Counties
from domain.project import Project
from domain.publications import Publication
from domain.schedule import Schedule
from domain.users import User

AGGREGATES: tuple[type[Aggregate], ...] = (Project, User, Publication, Schedule, Acceptance,
                                           Counties, Catalogues)
# Set from the stored row, not from the state.
_FROM_ROW = {"originator_id", "originator_version"}


def _event_classes(aggregate: type[Aggregate]) -> Iterator[type]:
    base = aggregate.Event  # type: ignore[attr-defined]
    for name, value in vars(aggregate).items():
        # `Created` is the library's generic creation event, made for every aggregate class;
        # each aggregate here creates itself with an event of its own name instead.
        if (isinstance(value, type) and issubclass(value, base) and value is not base
                and name != "Created"):
            yield value


# Every topic the application records, with its class and aggregate.
EVENT_CLASSES: dict[str, tuple[type, type[Aggregate]]] = {
    get_topic(cls): (cls, aggregate) for aggregate in AGGREGATES
    for cls in _event_classes(aggregate)
}


def event_class(topic: str) -> tuple[type, type[Aggregate]] | None:
    """The event class a topic names, and its aggregate; None for any other topic."""
    return EVENT_CLASSES.get(topic)


def state_problem(cls: type, state: Any) -> str | None:
    """What is wrong with a decoded state as an event of `cls` (upcast in place first), or
    None when it is exactly one."""
    if not isinstance(state, dict):
        return "the state is not an object"
    own = getattr(cls, "class_version", 1)
    version = state.pop("class_version", 1)
    if not isinstance(version, int) or not 1 <= version <= own:
        return f"class_version {version!r} is not one this release reads (1 to {own})"
    try:
        for step in range(version, own):
            getattr(cls, f"upcast_v{step}_v{step + 1}")(state)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return f"the state cannot be upcast to class_version {own}: {error!r}"
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)} - _FROM_ROW
    missing, extra = sorted(fields - state.keys()), sorted(state.keys() - fields)
    if missing or extra:
        return "the state's fields are not the event's: " + "; ".join(
            part for part in (f"missing {', '.join(missing)}" if missing else "",
                              f"unknown {', '.join(extra)}" if extra else "") if part)
    for name in sorted(fields):
        if not conforms(state[name], hints[name]):
            return f"{name} is {state[name]!r}: expected {_name(hints[name])}"
    return None


def conforms(value: Any, hint: Any) -> bool:
    """Whether a decoded value is of a field's declared type (the types event classes use)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    if hint is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    if hint in (str, bool, bytes, UUID):
        return isinstance(value, hint)
    raise TypeError(f"no check for fields of type {hint!r}: add one to domain.event_schema")


def _name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint)


class Sequences:
    """Each aggregate's events as they come: its own class's, numbered 1, 2, 3, ... from a
    creation event (which names the aggregate's class)."""

    def __init__(self) -> None:
        self.last: dict[str, tuple[int, type[Aggregate]]] = {}

    def problem(self, originator_id: str, version: int, cls: type, aggregate: type[Aggregate],
                state: dict[str, Any]) -> str | None:
        """What is wrong with this event coming next, or None (and it is taken as next)."""
        previous, owner = self.last.get(originator_id, (0, aggregate))
        if owner is not aggregate:
            return f"a {aggregate.__name__} event on a {owner.__name__}"
        if previous and version <= previous:
            return f"a second event with version {version} (it is at version {previous} already)"
        if version != previous + 1:
            return (f"version {version} follows version {previous}: versions are missing"
                    if previous else f"version {version} is its first event")
        created = issubclass(cls, Aggregate.Created)
        if created != (version == 1):
            return ("a creation event after the first" if created else
                    "the first event does not create it")
        if created and state.get("originator_topic") != get_topic(aggregate):
            return f"originator_topic {state.get('originator_topic')!r} is not {aggregate.__name__}"
        self.last[originator_id] = (version, aggregate)
        return None

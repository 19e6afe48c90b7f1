"""The catalogues a county's office keeps: its industries, parks and responsible units
(departments), event-sourced with who added or retired each value and when.

While a county's catalogue of a kind is empty, its fields take free text, as before; once it
has values, a project's industry, park, a problem's responsible unit, an approval's
department or each department a park review invites must be one of them (`listed`), compared
as names are (width, case and spaces folded) and recorded in the catalogue's own spelling, so
that one department is never counted under several spellings.
Values recorded before are kept and shown as they are; a retired value is offered no more.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, InvalidValue
from domain.fields import coerce_text
from domain.sense import name_key

KINDS = ("industries", "parks", "units")
# The fields each catalogue holds the values of.
FIELD_CATALOGUE = {"industry": "industries", "park": "parks", "responsible_unit": "units",
                   "department": "units"}
# The fields listing several values of a catalogue, each checked.
LIST_CATALOGUE = {"departments": "units"}
# Fields whose name is a catalogued field's but whose value is checked otherwise: an opinion's
# department is one the review invited (the invitation was checked against the catalogue).
NOT_CATALOGUED = {"park_review_opinion_given": frozenset({"department"})}

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:banban:catalogues")


def catalogues_id(county: str | None) -> UUID:
    """The aggregate id of a county's catalogues (None: the county while none is listed)."""
    return uuid5(_NAMESPACE, county or "home")


class Catalogues(Aggregate):
    """One county's catalogues: each kind's values, in the order they were added."""

    class Event(Aggregate.Event):
        actor: str

    class Started(Event, Aggregate.Created):
        county: str | None

    class ValueAdded(Event):
        kind: str
        value: str

        def apply(self, aggregate: Catalogues) -> None:
            aggregate.values[self.kind].append(self.value)

    class ValueRetired(Event):
        kind: str
        value: str
        reason: str

        def apply(self, aggregate: Catalogues) -> None:
            aggregate.values[self.kind].remove(self.value)

    def __init__(self, county: str | None) -> None:
        self.county = county
        self.values: dict[str, list[str]] = {kind: [] for kind in KINDS}

    @classmethod
    def start(cls, county: str | None, *, actor: str) -> Catalogues:
        return cls._create(cls.Started, id=catalogues_id(county), actor=actor, county=county)

    def add(self, kind: str, value: Any, *, actor: str) -> str:
        """Add a value to a catalogue; the value as recorded."""
        text = coerce_text("value", value, long=False)
        if self.find(_kind(kind), text) is not None:
            raise DomainError(f"{text!r} is in the {kind} catalogue already", field="value",
                              code="duplicate_value")
        self.trigger_event(self.ValueAdded, actor=actor, kind=kind, value=text)
        return text

    def retire(self, kind: str, value: Any, reason: Any, *, actor: str) -> str:
        """Offer a value no more (what was recorded with it stays as it is)."""
        text = coerce_text("value", value, long=False)
        found = self.find(_kind(kind), text)
        if found is None:
            raise DomainError(f"{text!r} is not in the {kind} catalogue", field="value",
                              code="unknown_value")
        self.trigger_event(self.ValueRetired, actor=actor, kind=kind, value=found,
                           reason=coerce_text("reason", reason, long=True))
        return found

    def find(self, kind: str, value: str) -> str | None:
        """The catalogue's spelling of a value, if it holds it."""
        key = name_key(value)
        return next((v for v in self.values[kind] if name_key(v) == key), None)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidValue(f"kind must be one of {', '.join(KINDS)}", field="kind")
    return kind


def listed(data: dict[str, Any], catalogue: Callable[[str], Collection[str] | None],
           prefix: str = "", event_type: str | None = None) -> dict[str, Any]:
    """The values of catalogued fields in their catalogue's spelling; DomainError
    `not_in_catalogue`, naming the field (a list's item by its index from 0) and the
    catalogue, for a value it does not hold. A field left empty, or whose county keeps no
    values of its kind, is taken as it is; so is a field the event type checks otherwise."""
    result = dict(data)
    free = NOT_CATALOGUED.get(event_type or "", frozenset())
    for name, kind in FIELD_CATALOGUE.items():
        if data.get(name) and name not in free:
            result[name] = _found(catalogue, kind, data[name], prefix + name)
    for name, kind in LIST_CATALOGUE.items():
        if data.get(name):
            found = [_found(catalogue, kind, value, f"{prefix}{name}.{n}")
                     for n, value in enumerate(data[name])]
            result[name] = list(dict.fromkeys(found))
    return result


def _found(catalogue: Callable[[str], Collection[str] | None], kind: str, value: str,
           field: str) -> str:
    """The catalogue's spelling of a field's value (the value itself while it keeps none)."""
    values = catalogue(kind)
    if not values:
        return value
    key = name_key(value)
    found = next((v for v in values if name_key(v) == key), None)
    if found is None:
        raise DomainError(
            f"{field} {value!r} is not in the county's {kind} catalogue (the office keeps it; "
            f"{len(values)} values: {', '.join(list(values)[:10])}"
            f"{', ...' if len(values) > 10 else ''})",
            field=field, code="not_in_catalogue")
    return found

"""Event data and project fields in plain words: labelled rows with money, dates, people and
codes written as a reader expects them (called while rendering a page, in its language)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import get_locale, gettext

from app.web.format import condition_text, day, display_name, money
from app.web.labels import EVENT_LABELS, FIELD_LABELS, VALUE_LABELS, label
from domain.fields import EVENT_TYPES, SERVER_FIELDS, SIGNING_FIELDS, fields_of

# The kind of each field name, whichever event or state holds it (names mean one thing).
KINDS: dict[str, str] = {
    name: spec.kind
    for fields in (SIGNING_FIELDS, *(spec for _, spec in EVENT_TYPES.values()))
    for name, spec in fields.items()
} | {"occurred_on": "date", "raised_by": "username", "corrected_type": "choice",
     "previous": "changes", "commitment": "changes", "plan": "changes", "visit_count": "count",
     "average_rating": "count"}


@dataclass
class Row:
    """One labelled value; `rows` instead of `value` for a nested record (a correction's
    changes); `version` when the value names another event of the history."""

    name: str
    label: object
    value: str = ""
    rows: list[Row] = field(default_factory=list)
    version: int | None = None


def kind_of(name: str) -> str:
    """The kind of a field by its name; any *_on is a date."""
    return KINDS.get(name) or ("date" if name.endswith("_on") else "text")


def readable(name: str, value: Any, people: Mapping[str, str] | None = None) -> str:
    """One field's value in plain words."""
    if value is None or value == [] or value == {}:
        return "—"
    kind = kind_of(name)
    if kind == "money":
        return money(value)
    if kind == "date":
        return day(value.isoformat() if isinstance(value, date) else value)
    if kind == "bool":
        return gettext("Yes") if value else gettext("No")
    if kind == "rating":
        return gettext("%(rating)s of 5", rating=value)
    if kind == "username":
        return person(value, people)
    if kind == "conditions":
        return ("；" if get_locale().language == "zh" else "; ").join(
            condition_text(c) for c in value)
    if kind in ("usernames", "strings", "confirmations"):
        items = [person(v, people) if kind == "usernames" else
                 str(label(VALUE_LABELS[name], v)) if name in VALUE_LABELS else str(v)
                 for v in value]
        return ("、" if get_locale().language == "zh" else ", ").join(items)
    if name in VALUE_LABELS and isinstance(value, str):
        return str(label(VALUE_LABELS[name], value))
    if isinstance(value, Mapping):  # a record within a record, on one line
        return "; ".join(f"{label(FIELD_LABELS, key)}: {readable(key, inner, people)}"
                         for key, inner in value.items())
    return str(value)


def person(username: str, people: Mapping[str, str] | None) -> str:
    """A person by their display name, as everywhere (app.web.format.display_name)."""
    return display_name(username, people or {})


def rows(names: list[str], data: Mapping[str, Any], people: Mapping[str, str] | None = None
         ) -> list[Row]:
    """Labelled rows for these fields of a record; nested records become nested rows."""
    result = []
    for name in names:
        value = data.get(name)
        row = Row(name, label(FIELD_LABELS, name))
        if kind_of(name) == "changes" and isinstance(value, Mapping) and value:
            row.rows = rows(list(value), value, people)
        else:
            row.value = readable(name, value, people)
        if kind_of(name) == "version" and isinstance(value, int):
            row.version = value
        result.append(row)
    return result


def event_rows(event_type: str, data: Mapping[str, Any],
               people: Mapping[str, str] | None = None) -> list[Row]:
    """An event's data as labelled rows: its declared fields in order, then any others."""
    known = [*fields_of(event_type), *SERVER_FIELDS.get(event_type, ())]
    return rows([*known, *sorted(set(data) - set(known))], data, people)


def event_label(event_type: str) -> object:
    """An event type in plain words."""
    return label(EVENT_LABELS, event_type)

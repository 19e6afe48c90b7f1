"""Marshmallow fields that take exactly what the domain takes (domain.text, domain.dates,
domain.fields), and state it in the OpenAPI document: what a field refuses on its own, the
document says, so that a request valid by the document is refused only by a rule."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain import text
from domain.application import COUNTY_TZ
from domain.dates import (
    DATE_PATTERN,
    DATE_RULE,
    MOMENT_PATTERN,
    MOMENT_RULE,
    parse_date,
    parse_moment,
)
from domain.fields import (
    CONDITION_PARTIES,
    LONG_TEXT,
    SHORT_TEXT,
    USERNAME_PATTERN,
    USERNAME_SHAPE,
)


def described(kwargs: dict[str, Any], rule: str, **schema: Any) -> dict[str, Any]:
    """Field options with the rule appended to the description and JSON Schema keywords."""
    metadata = dict(kwargs.pop("metadata", {}))
    description = metadata.get("description")
    metadata["description"] = f"{description}; {rule}" if description else rule
    return {**kwargs, "metadata": {**metadata, **schema}}


def text_schema(long: bool) -> dict[str, Any]:
    """The JSON Schema keywords of domain.text's rules: allowed characters, nothing refused
    beyond the basic plane, not blank."""
    kind = text.LONG if long else text.SHORT
    refusals = [{"pattern": text.BLANK_PATTERN}]
    if kind.beyond_pattern:
        refusals.append({"pattern": kind.beyond_pattern})
    return {"pattern": kind.allowed_pattern, "not": {"anyOf": refusals}}


class Text(ma.fields.String):
    """Short or long text as the domain takes it (domain.text), its rules in the document."""

    def __init__(self, long: bool = False, **kwargs: Any):
        limit = LONG_TEXT if long else SHORT_TEXT
        rule = (f"up to {limit} characters, not blank; no control characters"
                + (" but line breaks and tabs" if long else ", line breaks, tabs or zero-width "
                   "characters") + ", no direction controls, line separators or U+FFFD")
        super().__init__(validate=validate.Length(max=limit),
                         **described(kwargs, rule, **text_schema(long)))
        self.long = long

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        problem = text.text_problem(value, self.long)
        if problem:
            raise ma.ValidationError(problem.message)
        return value


class Shaped(ma.fields.String):
    """A string of a fixed shape (an id, a username), matched whole."""

    def __init__(self, shape: re.Pattern, source: str, error: str, **kwargs: Any):
        metadata = {**kwargs.pop("metadata", {}), "pattern": f"^{source}$"}
        super().__init__(metadata=metadata, **kwargs)
        self.shape, self.error = shape, error

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not self.shape.fullmatch(value):
            raise ma.ValidationError(self.error)
        return value


class Day(ma.fields.Date):
    """A business date from 1900-01-01 to 2099-12-31, YYYY-MM-DD (domain.dates)."""

    def __init__(self, **kwargs: Any):
        super().__init__(**described(kwargs, DATE_RULE, pattern=DATE_PATTERN))

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_date(value)
        except ValueError as error:
            raise ma.ValidationError(str(error)) from None


class Moment(ma.fields.String):
    """A recorded moment from 1900 to 2099 (domain.dates); without an offset, county time."""

    def __init__(self, **kwargs: Any):
        super().__init__(**described(kwargs, MOMENT_RULE, pattern=MOMENT_PATTERN))

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_moment(value, COUNTY_TZ)
        except ValueError as error:
            raise ma.ValidationError(str(error)) from None


class Whole(ma.fields.Integer):
    """An integer, JSON true and false not being ones."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Flag(ma.fields.Boolean):
    """true or false, and nothing that merely looks like one ("yes", 1)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def username(**kwargs: Any) -> ma.fields.String:
    return Shaped(USERNAME_PATTERN, USERNAME_SHAPE, "must be a username", **kwargs)


# The shape of a county code (GB/T 2260); whether it names a county of the official table, and
# one listed here, is the domain's to say.
COUNTY_SHAPE = "[0-9]{6}"


def county_code(**kwargs: Any) -> Shaped:
    """A county's six-digit code."""
    return Shaped(re.compile(COUNTY_SHAPE), COUNTY_SHAPE,
                  "must be a six-digit county code (GB/T 2260)", **kwargs)


def _short_text_schema() -> dict[str, Any]:
    return {"type": "string", "maxLength": SHORT_TEXT, **text_schema(False)}


class Condition(ma.fields.Field):
    """A park-entry review's condition: a text (the investor's, no due date) or an object
    {text, party, department, due_on}; whether a department is named as its party requires
    is the domain's to say (422 required, department_for_investor)."""

    _OBJECT = ma.Schema.from_dict({
        "text": Text(required=True),
        "party": ma.fields.String(allow_none=True, validate=validate.OneOf(CONDITION_PARTIES)),
        "department": Text(allow_none=True),
        "due_on": Day(allow_none=True),
    }, name="ConditionObject")

    def __init__(self, **kwargs: Any):
        date = {"type": "string", "pattern": DATE_PATTERN, "nullable": True}
        super().__init__(**described(kwargs, "a text (the investor's condition, no due date) "
                                     "or an object", oneOf=[_short_text_schema(), {
            "type": "object", "required": ["text"], "additionalProperties": False,
            "properties": {
                "text": _short_text_schema(),
                "party": {"type": "string", "enum": list(CONDITION_PARTIES), "nullable": True,
                          "description": "whose it is: investor (if omitted) or department"},
                "department": {**_short_text_schema(), "nullable": True,
                               "description": "the department, for a department's condition"},
                "due_on": {**date, "description": f"when it is due, {DATE_RULE}; "
                           "none: waited on, never late"}}}]))

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            return Text().deserialize(value, attr, data, **kwargs)
        if isinstance(value, dict):
            return self._OBJECT().load(value)
        raise ma.ValidationError("must be a text or an object")

"""The fields each project event carries: one table that the domain, the API and the docs share.

A field has a kind (what values it takes) and whether it is required. Every event's fields are
coerced here before any rule reads them (text as domain.text allows, dates as domain.dates
does); the API builds its marshmallow schemas and its document from this table, and the web its
forms, so each refuses what the domain refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain import text
from domain.counties import county_shaped
from domain.dates import parse_date
from domain.errors import InvalidValue
from domain.lifecycle import CORRECTION_ACTIONS, ESCALATION_TARGETS, MILESTONES, OPINIONS
from domain.sense import (
    DATE_TOO_EARLY,
    DATE_TOO_FAR,
    DUPLICATE_NAME,
    INVESTMENT_ABOVE_TOTAL,
    INVESTMENT_JUMP,
    UNUSUAL,
)

# Shapes of ids and usernames, matched whole (the API document anchors them with ^ and $).
ID_SHAPE = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
USERNAME_SHAPE = "[a-z][a-z0-9_.-]{1,31}"
ID_PATTERN, USERNAME_PATTERN = re.compile(ID_SHAPE), re.compile(USERNAME_SHAPE)

SHORT_TEXT = 200
LONG_TEXT = 4000
MAX_LIST = 50
# Integer yuan up to 10^15 (a million 亿): well within a BIGINT and JSON's exact integers.
MAX_MONEY = 10**15
MAX_VERSION = 2**31 - 1
MAX_WORKING_DAYS = 60  # a clock set on an event: at most about three months

# Whose a park-entry review's condition is: the investor's, or a named department's.
CONDITION_PARTIES = ("investor", "department")
CONDITION_KEYS = ("text", "party", "department", "due_on")


def is_username(value: object) -> bool:
    """Whether a value has the shape of a username."""
    return isinstance(value, str) and USERNAME_PATTERN.fullmatch(value) is not None


@dataclass(frozen=True)
class Field:
    """One field of an event: its kind, whether it is required, and a one-line description."""

    kind: str
    required: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()
    minimum: int = 0  # money: the least amount taken


def _f(kind: str, required: bool = False, description: str = "", choices=(), **more) -> Field:
    return Field(kind, required, description, tuple(choices), **more)


def _confirmed(checks: tuple[str, ...]) -> Field:
    """The field of an event that sense checks may find unusual: which findings are right."""
    return _f("confirmations", False, "the codes of the sense checks whose unusual values "
              f"are right and to be recorded as they are ({', '.join(checks)}); the record "
              "keeps those that applied", checks)


_DATES = (DATE_TOO_EARLY, DATE_TOO_FAR)


SIGNING_FIELDS: dict[str, Field] = {
    "name": _f("short_text", True, "project name"),
    "investor": _f("short_text", True, "investing company"),
    "industry": _f("short_text", True, "industry"),
    "investment": _f("money", True, "total planned investment, integer yuan", minimum=1),
    "park": _f("short_text", False, "industrial park, if any"),
    "chief_agent": _f("username", True, "the chief agent's username"),
    "co_agents": _f("usernames", False, "co-agents' usernames"),
    "leader": _f("username", False, "the responsible county leader's username"),
    "county": _f("county", False, "the county's six-digit code (GB/T 2260, e.g. 360829); the "
                                  "home county (the first listed) if omitted"),
    "confirmed": _confirmed((DUPLICATE_NAME, *_DATES)),
}

# API type name -> (event class name, fields beyond actor and occurred_on)
EVENT_TYPES: dict[str, tuple[str, dict[str, Field]]] = {
    "team_assigned": ("TeamAssigned", {
        "chief_agent": _f("username", True, "the chief agent's username"),
        "co_agents": _f("usernames", False, "co-agents' usernames"),
        "leader": _f("username", False, "the responsible leader (unchanged if omitted)"),
        "reason": _f("long_text", False, "why the team changes"),
    }),
    "park_review_convened": ("ParkReviewConvened", {
        "review_id": _f("id", False, "client-chosen id; made by the server if omitted"),
        "departments": _f("strings", True, "the departments invited to give an opinion"),
        "opinion_within_working_days": _f("working_days", False, "the opinions' clock: "
                                          "working days from the convening (if omitted, "
                                          "the county's: BANBAN_OPINION_WORKING_DAYS, 3 "
                                          "by default)"),
        "note": _f("long_text"),
    }),
    "park_review_opinion_given": ("ParkReviewOpinionGiven", {
        "review_id": _f("id", True),
        "department": _f("short_text", True, "the invited department whose opinion it is"),
        "opinion": _f("choice", True, "agree, agree with conditions, or disagree", OPINIONS),
        "conditions": _f("conditions", False, "its conditions; required to agree with "
                         "conditions"),
        "note": _f("long_text"),
    }),
    "park_review_concluded": ("ParkReviewConcluded", {
        "review_id": _f("id", True),
        "passed": _f("bool", False, "whether the project passed: it reaches the milestone "
                                    "park_review_passed"),
        "conditions": _f("conditions", False, "the conditions the project carries: "
                         "obligations of the investor or a department, each met by "
                         "park_review_condition_met"),
        "note": _f("long_text"),
    }),
    "park_review_condition_met": ("ParkReviewConditionMet", {
        "review_id": _f("id", True, "the passed review whose condition it is"),
        "condition": _f("version", True, "the condition's number in the review's conclusion, "
                                         "from 1"),
        "note": _f("long_text"),
    }),
    "milestone_planned": ("MilestonePlanned", {
        "milestone": _f("choice", True, "milestone code", MILESTONES),
        "planned_on": _f("date", True, "the planned date"),
        "reason": _f("long_text", False, "why; required when replanning"),
        "confirmed": _confirmed(_DATES),
    }),
    "milestone_reached": ("MilestoneReached", {
        "milestone": _f("choice", True, "milestone code", MILESTONES),
        "note": _f("long_text"),
    }),
    "approval_applied": ("ApprovalApplied", {
        "approval_id": _f("id", False, "client-chosen id; made by the server if omitted"),
        "item": _f("short_text", True, "the approval item, e.g. 环评"),
        "department": _f("short_text", True, "the department that grants it"),
        "note": _f("long_text"),
    }),
    "approval_granted": ("ApprovalGranted", {
        "approval_id": _f("id", True),
        "missing_documents": _f("strings", False, "documents still missing (容缺): a commitment"),
        "commitment_due_on": _f("date", False, "when the missing documents are due"),
        "note": _f("long_text"),
        "confirmed": _confirmed(_DATES),
    }),
    "approval_rejected": ("ApprovalRejected", {
        "approval_id": _f("id", True),
        "reason": _f("long_text", True),
    }),
    "commitment_fulfilled": ("CommitmentFulfilled", {
        "approval_id": _f("id", True),
        "note": _f("long_text"),
    }),
    "problem_raised": ("ProblemRaised", {
        "problem_id": _f("id", False, "client-chosen id; made by the server if omitted"),
        "title": _f("short_text", True),
        "description": _f("long_text"),
        "same_day": _f("bool", False, "solvable the same day (不过夜)"),
        "responsible_unit": _f("short_text", False, "the department that owns it"),
    }),
    "problem_plan_proposed": ("ProblemPlanProposed", {
        "problem_id": _f("id", True),
        "plan": _f("long_text", True),
        "due_on": _f("date", False, "when the plan should have solved it"),
        "confirmed": _confirmed(_DATES),
    }),
    "problem_escalated": ("ProblemEscalated", {
        "problem_id": _f("id", True),
        "escalated_to": _f("choice", True, "office or leader", ESCALATION_TARGETS),
        "leader": _f("username", False, "the leader who takes it over; required for 'leader'"),
        "note": _f("long_text"),
    }),
    "problem_followed_up": ("ProblemFollowedUp", {
        "problem_id": _f("id", True),
        "note": _f("long_text", True),
    }),
    "problem_resolved": ("ProblemResolved", {
        "problem_id": _f("id", True),
        "resolution": _f("long_text", True),
    }),
    "problem_reopened": ("ProblemReopened", {
        "problem_id": _f("id", True),
        "reason": _f("long_text", True),
    }),
    "progress_reported": ("ProgressReported", {
        "investment_completed": _f("money", True, "investment completed to date, integer yuan"),
        "note": _f("long_text"),
        "confirmed": _confirmed((INVESTMENT_ABOVE_TOTAL, INVESTMENT_JUMP)),
    }),
    "visit_logged": ("VisitLogged", {
        "purpose": _f("long_text", True),
        "met_with": _f("short_text", False, "who was met at the firm"),
        "note": _f("long_text"),
    }),
    "instruction_given": ("InstructionGiven", {
        "instruction": _f("long_text", True),
        "problem_id": _f("id", False, "the problem it is about, if any"),
        "leader": _f("username", False,
                     "the leader who gave it: the recording leader, or named by the office"),
    }),
    "service_rated": ("ServiceRated", {
        "rating": _f("rating", True, "the firm's rating, 1 to 5"),
        "agent": _f("username", False, "the agent rated, if one"),
        "comment": _f("long_text"),
    }),
    "suspended": ("Suspended", {"reason": _f("long_text", True)}),
    "resumed": ("Resumed", {"note": _f("long_text")}),
    "terminated": ("Terminated", {"reason": _f("long_text", True)}),
    "corrected": ("Corrected", {
        "corrects_version": _f("version", True, "the version of the event corrected"),
        "action": _f("choice", True, "amend its fields or void it", CORRECTION_ACTIONS),
        "reason": _f("long_text", True),
        "changes": _f("changes", False, "for 'amend': the fields and their right values"),
        "confirmed": _confirmed(UNUSUAL),
    }),
}

EVENT_CLASS_NAMES = {"signed": "Signed"} | {t: spec[0] for t, spec in EVENT_TYPES.items()}
TYPE_OF_CLASS = {name: t for t, name in EVENT_CLASS_NAMES.items()}

# Fields an amendment may not change: identities, the team (changed by team_assigned), and the
# county (whose users may see the project).
# What was confirmed belongs to the event that confirmed it (a correction confirms its own).
NOT_AMENDABLE = {"approval_id", "problem_id", "review_id", "chief_agent", "co_agents", "leader", "county",
                 "confirmed"}

# Fields the server adds to an event beyond what the client sends.
SERVER_FIELDS = {"corrected": ("corrected_type", "previous")}


def fields_of(event_type: str) -> dict[str, Field]:
    """The fields of an event type, signing included."""
    if event_type == "signed":
        return SIGNING_FIELDS
    return EVENT_TYPES[event_type][1]


# Every field an amendment of some event may change (a name is of one kind on every event).
AMENDABLE: dict[str, Field] = {
    name: field for event_type in ("signed", *EVENT_TYPES) if event_type != "corrected"
    for name, field in fields_of(event_type).items() if name not in NOT_AMENDABLE
}


def default_of(field: Field) -> Any:
    """The value an omitted optional field takes."""
    if field.kind in ("usernames", "strings", "confirmations", "conditions"):
        return []
    if field.kind == "bool":
        return False
    if field.kind == "changes":
        return {}
    return None


def coerce(name: str, field: Field, value: Any) -> Any:
    """Check and convert one raw (JSON) value for a field; raise InvalidValue naming it."""
    if value is None:
        if field.required:
            raise InvalidValue(f"{name} is required", field=name, code="required")
        return default_of(field)
    kind = field.kind
    if kind in ("short_text", "long_text"):
        return coerce_text(name, value, long=kind == "long_text")
    if kind == "username":
        if not is_username(value):
            raise InvalidValue(f"{name} must be a username", field=name)
        return value
    if kind in ("usernames", "strings", "confirmations"):
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise InvalidValue(f"{name} must be a list of at most {MAX_LIST}", field=name)
        item = Field("username", True) if kind == "usernames" else \
            Field("choice", True, choices=field.choices) if kind == "confirmations" else \
            Field("short_text", True)
        items = [coerce(name, item, v) for v in value]
        if len(set(value)) != len(value):
            raise InvalidValue(f"{name} lists the same value twice", field=name)
        return list(dict.fromkeys(items))  # items the same once normalised are one
    if kind == "conditions":
        return coerce_conditions(name, value)
    if kind == "date":
        try:
            return parse_date(value)
        except ValueError as error:
            raise InvalidValue(f"{name} {error}", field=name) from None
    if kind in ("money", "rating", "version", "working_days"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(f"{name} must be an integer", field=name)
        if kind == "money" and not field.minimum <= value <= MAX_MONEY:
            raise InvalidValue(f"{name} must be from {field.minimum} to {MAX_MONEY} yuan",
                               field=name)
        if kind == "rating" and not 1 <= value <= 5:
            raise InvalidValue(f"{name} must be from 1 to 5", field=name)
        if kind == "version" and not 1 <= value <= MAX_VERSION:
            raise InvalidValue(f"{name} must be from 1 to {MAX_VERSION}", field=name)
        if kind == "working_days" and not 1 <= value <= MAX_WORKING_DAYS:
            raise InvalidValue(f"{name} must be from 1 to {MAX_WORKING_DAYS} working days",
                               field=name)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise InvalidValue(f"{name} must be true or false", field=name)
        return value
    if kind == "choice":
        if value not in field.choices:
            raise InvalidValue(f"{name} must be one of {', '.join(field.choices)}", field=name)
        return value
    if kind == "id":
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            raise InvalidValue(
                f"{name} must be 1-64 letters, digits, '.', '_' or '-'", field=name
            )
        return value
    if kind == "county":
        # Whether the code names a county listed here is the rule unknown_county's to say.
        return county_shaped(value, name)
    if kind == "changes":
        if not isinstance(value, dict):
            raise InvalidValue(f"{name} must be an object of field names to values", field=name)
        return dict(value)
    raise InvalidValue(f"{name} has an unknown kind {kind}", field=name)  # pragma: no cover


def coerce_conditions(name: str, value: Any) -> list[dict[str, Any]]:
    """A list of conditions as stored: each {text, party, department, due_on (ISO date or
    None)}; a bare text is the investor's with no due date (as conditions were first
    recorded)."""
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise InvalidValue(f"{name} must be a list of at most {MAX_LIST}", field=name)
    found = [_condition(f"{name}.{n}", item) for n, item in enumerate(value)]
    texts = [c["text"] for c in found]
    if len(set(texts)) != len(texts):
        raise InvalidValue(f"{name} lists the same condition twice", field=name,
                           code="duplicate_condition")
    return found


def as_condition(value: str | dict[str, Any]) -> dict[str, Any]:
    """A stored condition in its current shape (a bare text: the investor's, no due date)."""
    if isinstance(value, str):
        return {"text": value, "party": "investor", "department": None, "due_on": None}
    return dict(value)


def _condition(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return as_condition(coerce_text(name, value, long=False))
    if not isinstance(value, dict):
        raise InvalidValue(f"{name} must be a text or an object with text, party, department "
                           "and due_on", field=name)
    unknown = sorted(set(value) - set(CONDITION_KEYS))
    if unknown:
        raise InvalidValue(f"{name}.{unknown[0]} is not a field of a condition",
                           field=f"{name}.{unknown[0]}")
    spec = {"text": Field("short_text", True),
            "party": Field("choice", False, choices=CONDITION_PARTIES),
            "department": Field("short_text"), "due_on": Field("date")}
    found = {key: coerce(f"{name}.{key}", spec[key], value.get(key)) for key in CONDITION_KEYS}
    found["party"] = found["party"] or "investor"
    if found["party"] == "department" and found["department"] is None:
        raise InvalidValue(f"{name}.department is required for a department's condition",
                           field=f"{name}.department", code="required")
    if found["party"] == "investor" and found["department"] is not None:
        raise InvalidValue(f"{name}.department is only for a department's condition",
                           field=f"{name}.department", code="department_for_investor")
    if found["due_on"] is not None:
        found["due_on"] = found["due_on"].isoformat()  # stored as text within the list
    return found


def coerce_text(name: str, value: Any, *, long: bool) -> str:
    """A text as it is stored (NFC, trimmed), or InvalidValue naming the field and the
    character at fault (domain.text says what text may hold)."""
    limit = LONG_TEXT if long else SHORT_TEXT
    if not isinstance(value, str):
        raise InvalidValue(f"{name} must be text", field=name)
    if len(value) > limit:
        raise InvalidValue(f"{name} is longer than {limit} characters", field=name)
    problem = text.text_problem(value, long)
    if problem:
        raise InvalidValue(f"{name} {problem.message}", field=name)
    return text.clean(value)


def coerce_all(event_type: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Check and convert every field of an event type; unknown names are refused."""
    spec = fields_of(event_type)
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        raise InvalidValue(f"{unknown[0]} is not a field of {event_type}", field=unknown[0])
    return {name: coerce(name, field, raw.get(name)) for name, field in spec.items()}

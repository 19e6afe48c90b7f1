"""Marshmallow schemas of the API, built from the domain's field table where they load events."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import marshmallow as ma
from marshmallow import validate

from app.api.fields import (
    Condition,
    Day,
    Flag,
    Moment,
    Shaped,
    Text,
    Whole,
    county_code,
    described,
    username,
)
from app.project_list import FILTERS, SORTS
from domain.fields import (
    AMENDABLE,
    CONDITION_PARTIES,
    EVENT_TYPES,
    ID_PATTERN,
    ID_SHAPE,
    MAX_LIST,
    MAX_MONEY,
    MAX_VERSION,
    MAX_WORKING_DAYS,
    SIGNING_FIELDS,
    Field,
)
from domain.lifecycle import MILESTONES, OPINIONS, PHASES, STATUSES
from domain.obligations import PARTIES


def marshmallow_field(spec: Field) -> ma.fields.Field:
    """The marshmallow field for one domain field."""
    kwargs: dict[str, Any] = {"required": spec.required,
                              "metadata": {"description": spec.description}}
    if not spec.required:
        kwargs["allow_none"] = True
    kind = spec.kind
    if kind in ("short_text", "long_text"):
        return Text(long=kind == "long_text", **kwargs)
    if kind == "username":
        return username(**kwargs)
    if kind in ("usernames", "strings"):
        # The domain refuses a list that names the same value twice.
        return ma.fields.List(username() if kind == "usernames" else Text(),
                              validate=validate.Length(max=MAX_LIST),
                              **described(kwargs, f"at most {MAX_LIST}, each once",
                                           uniqueItems=True))
    if kind == "conditions":
        return ma.fields.List(Condition(), validate=validate.Length(max=MAX_LIST),
                              **described(kwargs, f"at most {MAX_LIST}, each text once"))
    if kind == "confirmations":
        return ma.fields.List(ma.fields.String(validate=validate.OneOf(spec.choices)),
                              validate=validate.Length(max=len(spec.choices)),
                              **described(kwargs, "each once", uniqueItems=True))
    if kind == "date":
        return Day(**kwargs)
    if kind == "money":
        return Whole(validate=validate.Range(min=spec.minimum, max=MAX_MONEY), **kwargs)
    if kind == "rating":
        return Whole(validate=validate.Range(min=1, max=5), **kwargs)
    if kind == "version":
        return Whole(validate=validate.Range(min=1, max=MAX_VERSION), **kwargs)
    if kind == "working_days":
        return Whole(validate=validate.Range(min=1, max=MAX_WORKING_DAYS), **kwargs)
    if kind == "bool":
        return Flag(**kwargs)
    if kind == "choice":
        return ma.fields.String(validate=validate.OneOf(spec.choices), **kwargs)
    if kind == "id":
        return Shaped(ID_PATTERN, ID_SHAPE, "must be 1-64 letters, digits, '.', '_' or '-'",
                      **kwargs)
    if kind == "changes":
        # Not nullable: the document would state a null as "any object" (anyOf with a bare
        # nullable object), and unknown fields are refused.
        kwargs.pop("allow_none", None)
        return ma.fields.Nested(AmendmentSchema, **kwargs)
    if kind == "county":
        return county_code(**kwargs)
    raise ValueError(f"no marshmallow field for kind {kind}")  # pragma: no cover


# A correction's changes: any amendable field, each of its kind. Which of them the corrected
# event has is a rule (422 not_amendable), as the event is named by corrects_version.
AmendmentSchema = ma.Schema.from_dict(
    {name: marshmallow_field(replace(spec, required=False)) for name, spec in AMENDABLE.items()}
    | {"occurred_on": Day(metadata={"description": "the corrected event's business date"})},
    name="Amendment",
)


def _camel(event_type: str) -> str:
    return "".join(part.title() for part in event_type.split("_"))


# ---- input -----------------------------------------------------------------------------

SignProjectSchema = ma.Schema.from_dict(
    {name: marshmallow_field(spec) for name, spec in SIGNING_FIELDS.items()}
    | {"signed_on": Day(required=True, metadata={"description": "signing date"})},
    name="SignProject",
)


def _event_schema(event_type: str, fields: dict[str, Field]) -> type[ma.Schema]:
    envelope = {
        "type": ma.fields.String(required=True, validate=validate.OneOf([event_type])),
        "expected_version": Whole(
            required=True, validate=validate.Range(min=1, max=MAX_VERSION),
            metadata={"description": "the version the client saw; 409 if stale"}),
        "occurred_on": Day(
            metadata={"description": "business date it happened; today if omitted"}),
    }
    return ma.Schema.from_dict(
        envelope | {name: marshmallow_field(spec) for name, spec in fields.items()},
        name=f"{_camel(event_type)}Event",
    )


EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {
    event_type: _event_schema(event_type, fields)
    for event_type, (_, fields) in EVENT_TYPES.items()
}


class ProjectQuerySchema(ma.Schema):
    """Time travel: a version or a recorded moment (not both: 422 version_and_as_of)."""

    version = ma.fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_VERSION),
                                metadata={"description": "a version; not both it and as_of "
                                          "(422 version_and_as_of)"})
    as_of = Moment(metadata={"description": "the project as recorded by this moment; not both "
                             "it and version (422 version_and_as_of)"})


class ProjectListQuerySchema(ma.Schema):
    """Filters of the project list."""

    phase = ma.fields.String(validate=validate.OneOf(PHASES))
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    agent = username(metadata={"description": "projects whose team has this user"})
    county = county_code(metadata={"description": "a province user: that county's projects "
                                                  "only (a county user always sees their own "
                                                  "county's)"})
    q = ma.fields.String(validate=validate.Length(max=100), metadata={
        "description": "words that the name or the investor holds, every one (width, case "
                       "and spaces folded)"})
    sort = ma.fields.String(validate=validate.OneOf(list(SORTS)), metadata={
        "description": "the column to sort by, then by name (names in pinyin order; `late`: "
                       "items late today by the rules); without it, signing order"})
    order = ma.fields.String(validate=validate.OneOf(["asc", "desc"]), metadata={
        "description": "the order of `sort` (asc by default)"})
    filter = ma.fields.String(validate=validate.OneOf(FILTERS), metadata={
        "description": "`mine`: projects whose team has me; `supervised` (我分管): projects "
                       "I am the responsible leader of"})


# ---- output ----------------------------------------------------------------------------

class MilestoneSchema(ma.Schema):
    milestone = ma.fields.String(metadata={"enum": list(MILESTONES)})
    phase = ma.fields.String()
    planned_on = ma.fields.Date(allow_none=True)
    reached_on = ma.fields.Date(allow_none=True)
    reached_version = ma.fields.Integer(allow_none=True)


class NextMilestoneSchema(ma.Schema):
    milestone = ma.fields.String()
    planned_on = ma.fields.Date()


class LastEventSchema(ma.Schema):
    type = ma.fields.String()
    version = ma.fields.Integer()
    actor = ma.fields.String()
    occurred_on = ma.fields.Date()
    recorded_at = ma.fields.DateTime()


class CommitmentSchema(ma.Schema):
    missing_documents = ma.fields.List(ma.fields.String())
    due_on = ma.fields.Date()
    fulfilled_on = ma.fields.Date(allow_none=True)


class ApprovalSchema(ma.Schema):
    id = ma.fields.String()
    item = ma.fields.String()
    department = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["applied", "granted", "rejected"]})
    applied_on = ma.fields.Date()
    decided_on = ma.fields.Date(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    commitment = ma.fields.Nested(CommitmentSchema, allow_none=True)
    version = ma.fields.Integer()


class ProblemLogSchema(ma.Schema):
    what = ma.fields.String()
    occurred_on = ma.fields.Date()
    actor = ma.fields.String()
    version = ma.fields.Integer()
    text = ma.fields.String(allow_none=True)


class ProblemPlanSchema(ma.Schema):
    text = ma.fields.String()
    proposed_on = ma.fields.Date()
    due_on = ma.fields.Date(allow_none=True)


class ProblemSchema(ma.Schema):
    id = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    same_day = ma.fields.Boolean()
    responsible_unit = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": ["open", "resolved"]})
    raised_on = ma.fields.Date()
    raised_by = ma.fields.String()
    plan = ma.fields.Nested(ProblemPlanSchema, allow_none=True)
    escalated_to = ma.fields.String(allow_none=True)
    leader = ma.fields.String(allow_none=True)
    resolved_on = ma.fields.Date(allow_none=True)
    resolution = ma.fields.String(allow_none=True)
    last_activity_on = ma.fields.Date()
    version = ma.fields.Integer()
    log = ma.fields.List(ma.fields.Nested(ProblemLogSchema))


class TeamSchema(ma.Schema):
    chief_agent = ma.fields.String()
    co_agents = ma.fields.List(ma.fields.String())
    leader = ma.fields.String(allow_none=True)


class TeamChangeSchema(TeamSchema):
    version = ma.fields.Integer()
    occurred_on = ma.fields.Date()
    actor = ma.fields.String()
    reason = ma.fields.String(allow_none=True)


class PlanChangeSchema(ma.Schema):
    milestone = ma.fields.String()
    planned_on = ma.fields.Date()
    previous = ma.fields.Date(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    occurred_on = ma.fields.Date()
    actor = ma.fields.String()


class ProgressSchema(ma.Schema):
    occurred_on = ma.fields.Date()
    investment_completed = ma.fields.Integer()
    note = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    actor = ma.fields.String()


class VisitSchema(ma.Schema):
    occurred_on = ma.fields.Date()
    actor = ma.fields.String()
    purpose = ma.fields.String()
    met_with = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class InstructionSchema(ma.Schema):
    occurred_on = ma.fields.Date()
    actor = ma.fields.String()
    leader = ma.fields.String(metadata={"description": "the leader who gave it"})
    instruction = ma.fields.String()
    problem_id = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class RatingSchema(ma.Schema):
    occurred_on = ma.fields.Date()
    rating = ma.fields.Integer()
    agent = ma.fields.String(allow_none=True)
    comment = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class WaitItemSchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": ["approval", "commitment", "condition",
                                               "milestone", "park_review", "problem"]})
    id = ma.fields.String(metadata={"description": "the approval or problem id, the "
                                    "milestone's code, or a review's condition as "
                                    "<review_id>#<number>"})
    title = ma.fields.String()
    within_working_days = ma.fields.Integer(metadata={
        "description": "for a department's opinion in a park-entry review (kind park_review): "
                       "its clock, working days from the convening; late beyond it"})
    due_on = ma.fields.Date(metadata={
        "description": "for a department's opinion (kind park_review): the day it is due, the "
                       "within_working_days-th working day after the convening (days the "
                       "project was suspended not counted)"})
    working_days_late = ma.fields.Integer(metadata={
        "description": "for a department's opinion (kind park_review): working days late on "
                       "the day judged, from the working day after due_on (0: not late); a "
                       "late opinion is also a red flag, opinion_overdue"})


class WaitSchema(ma.Schema):
    party = ma.fields.String(metadata={
        "enum": list(PARTIES),
        "description": "whom the next step waits on (rule 9 of the README's rules)"})
    name = ma.fields.String(allow_none=True, metadata={
        "description": "the department's name, the leader's username, the investor's name, "
                       "the chief agent for the team; null for the office"})
    item = ma.fields.Nested(WaitItemSchema, metadata={"description": "what it waits for"})
    since = ma.fields.Date(metadata={"description": "the business date the wait began"})
    working_days = ma.fields.Integer(metadata={
        "description": "working days waited after since up to today (days the project was "
                       "suspended not counted)"})
    paused = ma.fields.List(ma.fields.List(ma.fields.Date()), load_only=True)


class ProjectSummarySchema(ma.Schema):
    id = ma.fields.UUID()
    version = ma.fields.Integer()
    name = ma.fields.String()
    investor = ma.fields.String()
    industry = ma.fields.String()
    investment = ma.fields.Integer(metadata={"description": "integer yuan"})
    park = ma.fields.String(allow_none=True)
    signed_on = ma.fields.Date()
    phase = ma.fields.String(metadata={"enum": list(PHASES)})
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    chief_agent = ma.fields.String()
    co_agents = ma.fields.List(ma.fields.String())
    county = ma.fields.String(allow_none=True, metadata={
        "description": "the county's code (null: the home county, for a project signed before "
                       "counties were listed)"})
    leader = ma.fields.String(allow_none=True)
    investment_completed = ma.fields.Integer(metadata={"description": "integer yuan, to date"})
    open_problems = ma.fields.Integer()
    next_milestone = ma.fields.Nested(NextMilestoneSchema, allow_none=True)
    waiting_on = ma.fields.List(ma.fields.Nested(WaitSchema), metadata={
        "description": "whom the project waits on today, the longest wait first; none while "
                       "it is suspended or once terminated"})
    last_event = ma.fields.Nested(LastEventSchema, allow_none=True)
    recorded_at = ma.fields.DateTime(metadata={"description": "when the signing was recorded"})


class ConditionSchema(ma.Schema):
    text = ma.fields.String()
    party = ma.fields.String(metadata={"enum": list(CONDITION_PARTIES)})
    department = ma.fields.String(allow_none=True, metadata={
        "description": "the department whose condition it is (party department)"})
    due_on = ma.fields.String(allow_none=True, metadata={
        "description": "YYYY-MM-DD; none: waited on, never late"})


class CarriedConditionSchema(ConditionSchema):
    number = ma.fields.Integer(metadata={
        "description": "its number in the conclusion, as park_review_condition_met names it"})
    met_on = ma.fields.Date(allow_none=True)
    met_note = ma.fields.String(allow_none=True)


class OpinionSchema(ma.Schema):
    department = ma.fields.String()
    opinion = ma.fields.String(metadata={"enum": list(OPINIONS)})
    conditions = ma.fields.List(ma.fields.Nested(ConditionSchema))
    note = ma.fields.String(allow_none=True)
    given_on = ma.fields.Date()
    recorded_by = ma.fields.String(metadata={"description": "who recorded it"})
    version = ma.fields.Integer()


class ParkReviewSchema(ma.Schema):
    id = ma.fields.String()
    convened_on = ma.fields.Date()
    departments = ma.fields.List(ma.fields.String(), metadata={"description": "invited"})
    opinion_within_working_days = ma.fields.Integer(allow_none=True, metadata={
        "description": "the opinions' clock set at the convening (null: 3 working days)"})
    note = ma.fields.String(allow_none=True)
    opinions = ma.fields.List(ma.fields.Nested(OpinionSchema), metadata={
        "description": "each department's latest opinion (a later one replaces it)"})
    concluded_on = ma.fields.Date(allow_none=True)
    passed = ma.fields.Boolean(allow_none=True, metadata={
        "description": "a passing conclusion reaches the milestone park_review_passed"})
    conditions = ma.fields.List(ma.fields.Nested(CarriedConditionSchema), metadata={
        "description": "the conditions the project carries: each open until met"})
    version = ma.fields.Integer()


class ProjectSchema(ProjectSummarySchema):
    status_reason = ma.fields.String(allow_none=True)
    team = ma.fields.Nested(TeamSchema)
    team_history = ma.fields.List(ma.fields.Nested(TeamChangeSchema))
    milestones = ma.fields.List(ma.fields.Nested(MilestoneSchema))
    plan_history = ma.fields.List(ma.fields.Nested(PlanChangeSchema))
    approvals = ma.fields.List(ma.fields.Nested(ApprovalSchema))
    problems = ma.fields.List(ma.fields.Nested(ProblemSchema))
    progress = ma.fields.List(ma.fields.Nested(ProgressSchema))
    visit_count = ma.fields.Integer()
    last_visit = ma.fields.Nested(VisitSchema, allow_none=True)
    instructions = ma.fields.List(ma.fields.Nested(InstructionSchema))
    park_reviews = ma.fields.List(ma.fields.Nested(ParkReviewSchema), metadata={
        "description": "the park-entry joint reviews (入园会审)"})
    ratings = ma.fields.List(ma.fields.Nested(RatingSchema))
    average_rating = ma.fields.Float(allow_none=True)
    updated_at = ma.fields.DateTime(metadata={"description": "when the last event was recorded"})


class ProjectTotalsSchema(ma.Schema):
    count = ma.fields.Integer()
    investment = ma.fields.Integer(metadata={"description": "integer yuan"})
    investment_completed = ma.fields.Integer(metadata={"description": "integer yuan, to date"})


class ProjectListSchema(ma.Schema):
    count = ma.fields.Integer()
    totals = ma.fields.Nested(ProjectTotalsSchema, metadata={
        "description": "of the projects listed"})
    projects = ma.fields.List(ma.fields.Nested(ProjectSummarySchema))


class HistoryQuerySchema(ma.Schema):
    """Filters of a project's history."""

    type = ma.fields.String(validate=validate.OneOf(["signed", *EVENT_TYPES]),
                            metadata={"description": "only events of this type"})
    actor = username(metadata={"description": "only events recorded by this user"})


class HistoryEventSchema(ma.Schema):
    version = ma.fields.Integer()
    type = ma.fields.String()
    actor = ma.fields.String()
    occurred_on = ma.fields.Date(metadata={"description": "business date"})
    recorded_at = ma.fields.DateTime(metadata={"description": "when the system recorded it"})
    data = ma.fields.Dict(metadata={"description": "the event's own fields, as recorded"})
    corrected_by = ma.fields.List(ma.fields.Integer(),
                                  metadata={"description": "versions of later corrections"})
    void = ma.fields.Boolean(metadata={"description": "voided by a later correction"})


class HistorySchema(ma.Schema):
    project_id = ma.fields.UUID()
    version = ma.fields.Integer()
    events = ma.fields.List(ma.fields.Nested(HistoryEventSchema))


class RecordedSchema(ma.Schema):
    id = ma.fields.UUID(metadata={"description": "the project's id"})
    version = ma.fields.Integer(metadata={"description": "the project's new version"})
    type = ma.fields.String()
    approval_id = ma.fields.String(metadata={"description": "made by the server if omitted"})
    problem_id = ma.fields.String(metadata={"description": "made by the server if omitted"})
    review_id = ma.fields.String(metadata={"description": "made by the server if omitted"})


class UserSchema(ma.Schema):
    username = ma.fields.String()
    role = ma.fields.String()
    display_name = ma.fields.String()
    disabled = ma.fields.Boolean()
    created_at = ma.fields.DateTime()

"""Live boards: an agent's projects with their colours, clocks and flags."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.auth import authenticate, current_user
from app.api.schemas import LastEventSchema, WaitSchema
from app.errors import refusals
from app.store import cards, service

blp = Blueprint("boards", __name__, url_prefix="/api/boards",
                description="Each agent's live board")
blp.before_request(authenticate)


class FlagSchema(ma.Schema):
    rule = ma.fields.String(metadata={"description": "the clock rule broken or near"})
    colour = ma.fields.String(metadata={"enum": ["red", "yellow"]})
    subject = ma.fields.Dict(metadata={"description": "kind, id, title, project_id, project"})
    owner = ma.fields.String(metadata={"description": "who must act: a username or office"})
    due_on = ma.fields.Date(metadata={"description": "the working day it is due by (a date "
                                      "on a day off moves to the next working day)"})
    working_days_late = ma.fields.Integer(metadata={
        "description": "red: whole working days late, at least 1; yellow: 0"})
    working_days_left = ma.fields.Integer(allow_none=True, metadata={
        "description": "yellow: working days until due_on (0: due today)"})
    explanation = ma.fields.String(metadata={"description": "the rule, applied, in words"})
    thresholds = ma.fields.Dict(metadata={"description": "the rule's working-day limits"})
    events = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "the events behind it: version, occurred_on, actor"})
    reason = ma.fields.Dict(metadata={
        "description": "rule and values: the explanation's facts, to word in any language"})


class BoardMilestoneSchema(ma.Schema):
    milestone = ma.fields.String()
    planned_on = ma.fields.Date()
    colour = ma.fields.String(allow_none=True, metadata={
        "enum": ["green", "yellow", "red", None],
        "description": "none while the project is suspended (it owes nothing meanwhile)"})


class OpenProblemSchema(ma.Schema):
    id = ma.fields.String()
    title = ma.fields.String()
    raised_on = ma.fields.Date()
    same_day = ma.fields.Boolean()
    responsible_unit = ma.fields.String(allow_none=True)
    has_plan = ma.fields.Boolean()
    escalated_to = ma.fields.String(allow_none=True)
    owner = ma.fields.String(metadata={"description": "who must act: the chief agent, or "
                                       "whoever an escalation handed it to (or office)"})
    last_activity_on = ma.fields.Date()
    working_days_open = ma.fields.Integer(metadata={
        "description": "working days since it was raised (days suspended not counted)"})
    flags = ma.fields.List(ma.fields.Nested(FlagSchema))


class OpenCommitmentSchema(ma.Schema):
    approval_id = ma.fields.String()
    item = ma.fields.String()
    department = ma.fields.String()
    granted_on = ma.fields.Date()
    missing_documents = ma.fields.List(ma.fields.String())
    promised_on = ma.fields.Date(metadata={"description": "the date the investor promised"})
    due_on = ma.fields.Date(metadata={"description": "promised_on, moved to the next working "
                                      "day if it is a day off"})
    flags = ma.fields.List(ma.fields.Nested(FlagSchema))


class BoardProjectSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    investor = ma.fields.String()
    phase = ma.fields.String()
    status = ma.fields.String()
    version = ma.fields.Integer()
    role = ma.fields.String(metadata={"enum": ["chief_agent", "co_agent"]})
    chief_agent = ma.fields.String()
    next_milestone = ma.fields.Nested(BoardMilestoneSchema, allow_none=True)
    waiting_on = ma.fields.List(ma.fields.Nested(WaitSchema), metadata={
        "description": "whom the project waits on today, the longest wait first"})
    open_problems = ma.fields.List(ma.fields.Nested(OpenProblemSchema))
    open_commitments = ma.fields.List(ma.fields.Nested(OpenCommitmentSchema))
    flags = ma.fields.List(ma.fields.Nested(FlagSchema))
    red_flags = ma.fields.Integer()
    yellow_flags = ma.fields.Integer()
    last_event = ma.fields.Nested(LastEventSchema, allow_none=True)


class TeamLoadSchema(ma.Schema):
    username = ma.fields.String()
    projects = ma.fields.Integer()
    open_problems = ma.fields.Integer()
    red_flags = ma.fields.Integer()


class CalendarWarningSchema(ma.Schema):
    year = ma.fields.Integer()
    source = ma.fields.String(metadata={"enum": ["unknown"]})
    message = ma.fields.String()


class BoardSchema(ma.Schema):
    username = ma.fields.String()
    today = ma.fields.Date(metadata={"description": "the business date the clocks ran on"})
    calendar_warnings = ma.fields.List(ma.fields.Nested(CalendarWarningSchema), metadata={
        "description": "years whose official calendar is not known that a count crossed: "
                       "their working days were counted Monday to Friday"})
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    projects = ma.fields.List(ma.fields.Nested(BoardProjectSchema),
                              metadata={"description": "most urgent first"})
    team_load = ma.fields.List(ma.fields.Nested(TeamLoadSchema), metadata={
        "description": "for a chief agent: each member of their teams"})


_USERNAME = {"in": "path", "name": "username", "required": True,
             "schema": {"type": "string", "minLength": 1},
             "description": "an agent's username: an agent reads only their own board (403); "
                            "a user who is not an agent has none (422 not_an_agent)"}


@blp.route("/<username>", parameters=[_USERNAME])
class Board(MethodView):
    @blp.response(200, BoardSchema)
    @refusals(blp, 403, 404, 422, codes={404: ("user_not_found",), 422: ("not_an_agent",)})
    def get(self, username: str):
        """An agent's live board: their projects, colours, open problems and commitments."""
        user = current_user()
        mine = [card["project_id"] for card in cards().view.cards(agent=username)]
        return service().board(username, project_ids=mine, reader=user)

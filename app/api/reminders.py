"""My reminders ("我的提醒"): what the authenticated user is told about, read and unread."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from app.api.auth import authenticate, current_user
from app.errors import refusals
from app.store import reminders
from domain.reminders import KINDS

blp = Blueprint("reminders", __name__, url_prefix="/api/reminders",
                description="Each user's reminders, made from the rules and the events")
blp.before_request(authenticate)
_MAX = 500


class ReminderSchema(ma.Schema):
    id = ma.fields.String(metadata={"description": "the reminder's id (the same for everyone "
                                    "it goes to)"})
    kind = ma.fields.String(metadata={"enum": list(KINDS), "description": (
        "late or due_soon (an obligation of the rules, to its owner); instruction, escalation "
        "(on my project or to me); team_added, team_removed (a team change about me)")})
    project_id = ma.fields.String()
    project = ma.fields.String(metadata={"description": "the project's name"})
    county = ma.fields.String(allow_none=True)
    rule = ma.fields.String(allow_none=True, metadata={
        "description": "late and due_soon: the rule (as a flag's)"})
    subject = ma.fields.Dict(allow_none=True, metadata={
        "description": "what it is about: kind (milestone, commitment, problem), id, title"})
    due_on = ma.fields.String(allow_none=True, metadata={"description": "late and due_soon"})
    version = ma.fields.Integer(allow_none=True, metadata={
        "description": "the event's version, for reminders of an event"})
    actor = ma.fields.String(allow_none=True, metadata={"description": "who recorded it"})
    on = ma.fields.String(metadata={"description": "the day it is of"})
    read = ma.fields.Boolean()


class RemindersSchema(ma.Schema):
    unread = ma.fields.Integer(metadata={"description": "how many are unread"})
    reminders = ma.fields.List(ma.fields.Nested(ReminderSchema))


class RemindersQuery(ma.Schema):
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "only unread"})
    limit = ma.fields.Integer(load_default=200, validate=validate.Range(1, _MAX))


class ReadSchema(ma.Schema):
    ids = ma.fields.List(ma.fields.String(validate=validate.Regexp(r"^[0-9a-f]{24}$")),
                         validate=validate.Length(max=_MAX), load_default=None,
                         metadata={"description": "the reminders read; all of mine if omitted"})


class ReadResultSchema(ma.Schema):
    marked = ma.fields.Integer(metadata={"description": "how many were unread and now are read"})
    unread = ma.fields.Integer()


@blp.route("")
class Reminders(MethodView):
    @blp.arguments(RemindersQuery, location="query")
    @blp.response(200, RemindersSchema)
    @refusals(blp, 422)
    def get(self, query):
        """My reminders, newest first (kept up to date with every event and each day)."""
        view, me = reminders().view, current_user()["username"]
        return {"unread": view.unread_count(me),
                "reminders": view.reminders(me, unread=query["unread"], limit=query["limit"])}


@blp.route("/read")
class Read(MethodView):
    @blp.arguments(ReadSchema)
    @blp.response(200, ReadResultSchema)
    @refusals(blp, 400, 413, 422)
    def post(self, body):
        """Mark my reminders read (those listed, or all)."""
        view, me = reminders().view, current_user()["username"]
        marked = view.mark_read(me, body["ids"])
        return {"marked": marked, "unread": view.unread_count(me)}

"""Projects: sign, list, read (now, at a version, as of a moment), history, record an event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from app import project_list
from app.api.auth import authenticate, current_user
from app.api.schemas import (
    EVENT_SCHEMAS,
    HistoryQuerySchema,
    HistorySchema,
    ProjectListQuerySchema,
    ProjectListSchema,
    ProjectQuerySchema,
    ProjectSchema,
    ProjectSummarySchema,
    RecordedSchema,
    SignProjectSchema,
)
from app.errors import ApiError, refusals, validation_error
from app.store import service
from domain.counties import PROVINCE
from domain.obligations import counted
from domain.sense import (
    DATE_TOO_EARLY,
    DATE_TOO_FAR,
    DUPLICATE_NAME,
    INVESTMENT_ABOVE_TOTAL,
    INVESTMENT_JUMP,
)

blp = Blueprint("projects", __name__, url_prefix="/api/projects",
                description="Investment projects and their events")
blp.before_request(authenticate)

# The rules each write may break (422, with the rule's code), beside invalid fields.
_TEAM_RULES = ("unknown_user", "user_disabled", "wrong_role", "chief_agent_also_co_agent",
               "other_county")
_SIGNING_RULES = (*_TEAM_RULES, "future_date", "unknown_county", "not_in_catalogue",
                  DUPLICATE_NAME, DATE_TOO_EARLY, DATE_TOO_FAR)
_EVENT_RULES = (
    *_SIGNING_RULES, "already_void", "approval_not_pending", "before_signing",
    "condition_already_met", "correction_breaks_history", "date_order",
    "department_for_investor", "duplicate_condition", "duplicate_id", "investment_decreased",
    "milestone_already_reached", "no_change", "no_open_commitment", "not_allowed",
    "not_amendable", "not_correctable", "not_invited", "not_on_team", "not_suspended",
    "opinions_missing", "park_review_open", "phase_passed", "phase_regression", "project_suspended",
    "project_terminated", "reason_required", "required", "review_concluded",
    "review_disagreed", "review_not_passed", "unknown_approval", "unknown_condition",
    "unknown_problem", "unknown_review",
    "unknown_version", "void_with_changes",
    INVESTMENT_ABOVE_TOTAL, INVESTMENT_JUMP,
)
_MISSING = {404: ("project_not_found",)}
# Every schema a request loads with, built once: building one copies each of its fields, which
# cost a write as much as loading its body.
_LOADERS: dict[type[ma.Schema], ma.Schema] = {
    schema: schema() for schema in (SignProjectSchema, *EVENT_SCHEMAS.values())}
_SUMMARIES = ProjectSummarySchema(many=True)


@blp.route("")
class Projects(MethodView):
    @blp.arguments(ProjectListQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ProjectListSchema)
    @refusals(blp, 422)
    def get(self, query: dict[str, Any]):
        """List the projects of the user's county (a province user: every county, or the one
        asked for), filtered by phase, status, team member and `filter`, searched by name and
        investor, in signing order or sorted by a column, with their totals."""
        banban, reader = service(), current_user()
        scope = banban.scope_of_user(reader)
        found = project_list.projects(
            reader["username"], county=query.get("county") if scope == PROVINCE else scope,
            home=banban.home_county(), phase=query.get("phase"), status=query.get("status"),
            agent=query.get("agent"), chosen=query.get("filter"), words=query.get("q", ""),
            column=query.get("sort"), descending=query.get("order") == "desc")
        # The view keeps each summary as JSON; loading it through the schema restores its types.
        projects = _SUMMARIES.load([card["summary"] for card in found])
        today, calendar = banban.clock(), banban.calendar()
        for project in projects:
            project["waiting_on"] = counted(project["waiting_on"], today, calendar)
        if "sort" not in query:
            projects.sort(key=lambda p: (p["signed_on"], p["recorded_at"]))
        return {"count": len(projects), "totals": project_list.totals(found, judged=False),
                "projects": projects}

    @blp.doc(requestBody={"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/SignProject"}}}})
    @blp.response(201, ProjectSchema)
    @refusals(blp, 400, 403, 413, 422, codes={422: _SIGNING_RULES})
    def post(self):
        """Sign a project (office only)."""
        body = _load(SignProjectSchema, _json_object())
        signed_on = body.pop("signed_on")
        return service().sign_project(current_user()["username"], signed_on=signed_on, **body)


@blp.route("/<project_id>")
class ProjectResource(MethodView):
    @blp.arguments(ProjectQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ProjectSchema)
    @refusals(blp, 404, 422, codes={**_MISSING, 422: ("unknown_version", "version_and_as_of")})
    def get(self, query: dict[str, Any], project_id: str):
        """A project's current state, or as it was at a version or a recorded moment."""
        if "version" in query and "as_of" in query:
            raise ApiError(422, "version_and_as_of", "give version or as_of, not both", "as_of")
        return service().project(project_id, version=query.get("version"),
                                 as_of=query.get("as_of"), reader=current_user())


@blp.route("/<project_id>/events")
class ProjectEvents(MethodView):
    @blp.arguments(HistoryQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, HistorySchema)
    @refusals(blp, 404, 422, codes=_MISSING)
    def get(self, query: dict[str, Any], project_id: str):
        """The project's full history: every event with actor, business date and recorded time,
        filtered by type and actor if asked (`version` is the project's, whatever the filter)."""
        events = service().history(project_id, reader=current_user())
        version = events[-1]["version"]
        wanted = [e for e in events
                  if query.get("type") in (None, e["type"])
                  and query.get("actor") in (None, e["actor"])]
        return {"project_id": UUID(project_id), "version": version, "events": wanted}

    @blp.doc(requestBody={
        "required": True,
        "content": {"application/json": {"schema": {
            "oneOf": [{"$ref": f"#/components/schemas/{schema.__name__}"}
                      for schema in EVENT_SCHEMAS.values()],
            "discriminator": {"propertyName": "type"},
        }}},
    })
    @blp.response(201, RecordedSchema)
    @refusals(blp, 400, 403, 404, 409, 413, 422, codes={**_MISSING, 422: _EVENT_RULES})
    def post(self, project_id: str):
        """Record one event on a project; `expected_version` guards against lost updates."""
        body = _json_object()
        event_type = body.get("type")
        if not isinstance(event_type, str) or event_type not in EVENT_SCHEMAS:
            raise ApiError(422, "invalid_field",
                           f"type must be one of {', '.join(EVENT_SCHEMAS)}", "type")
        data = _load(EVENT_SCHEMAS[event_type], body)
        data.pop("type")
        expected_version = data.pop("expected_version")
        occurred_on = data.pop("occurred_on", None)
        fields = {k: v for k, v in data.items() if v is not None}
        return service().record(
            project_id, current_user()["username"], event_type,
            expected_version=expected_version, occurred_on=occurred_on, fields=fields,
        )


def _json_object() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(400, "malformed_json", "Content-Type must be application/json", "body")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes
        body = None
    if body is None:
        raise ApiError(400, "malformed_json", "the body is not valid JSON", "body")
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "the body must be a JSON object", "body")
    return body


def _load(schema: type[ma.Schema], body: dict[str, Any]) -> dict[str, Any]:
    try:
        return _LOADERS[schema].load(body)
    except ma.ValidationError as error:
        raise validation_error(error.messages) from None


def register_schemas(api) -> None:
    """Put the request body schemas in the OpenAPI components (the views refer to them)."""
    api.spec.components.schema("SignProject", schema=SignProjectSchema)
    for schema in EVENT_SCHEMAS.values():
        api.spec.components.schema(schema.__name__, schema=schema)

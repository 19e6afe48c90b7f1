"""Projects: sign, list, read (now, at a version, as of a moment), history, record an event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

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
from app.errors import ApiError, validation_error
from app.store import cards, service

blp = Blueprint("projects", __name__, url_prefix="/api/projects",
                description="Investment projects and their events")
blp.before_request(authenticate)

_ERRORS = {
    400: "malformed JSON", 401: "no or bad credentials", 403: "not allowed",
    404: "unknown project", 409: "expected_version is stale", 422: "invalid field or broken rule",
}


def _document_errors(*statuses: int):
    def decorate(view):
        for status in statuses:
            view = blp.alt_response(status, description=_ERRORS[status], schema="Error")(view)
        return view
    return decorate


@blp.route("")
class Projects(MethodView):
    @blp.arguments(ProjectListQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ProjectListSchema)
    @_document_errors(401, 422)
    def get(self, query: dict[str, Any]):
        """List projects, filtered by phase, status and team member, in signing order."""
        # The view keeps each summary as JSON; loading it through the schema restores its types.
        projects = ProjectSummarySchema(many=True).load(
            [card["summary"] for card in cards().view.cards(**query)])
        projects.sort(key=lambda p: (p["signed_on"], p["recorded_at"]))
        return {"count": len(projects), "projects": projects}

    @blp.doc(requestBody={"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/SignProject"}}}})
    @blp.response(201, ProjectSchema)
    @_document_errors(400, 401, 403, 422)
    def post(self):
        """Sign a project (office only)."""
        body = _load(SignProjectSchema, _json_object())
        signed_on = body.pop("signed_on")
        return service().sign_project(current_user()["username"], signed_on=signed_on, **body)


@blp.route("/<project_id>")
class ProjectResource(MethodView):
    @blp.arguments(ProjectQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ProjectSchema)
    @_document_errors(401, 404, 422)
    def get(self, query: dict[str, Any], project_id: str):
        """A project's current state, or as it was at a version or a recorded moment."""
        return service().project(project_id, version=query.get("version"),
                                 as_of=query.get("as_of"))


@blp.route("/<project_id>/events")
class ProjectEvents(MethodView):
    @blp.arguments(HistoryQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, HistorySchema)
    @_document_errors(401, 404, 422)
    def get(self, query: dict[str, Any], project_id: str):
        """The project's full history: every event with actor, business date and recorded time,
        filtered by type and actor if asked (`version` is the project's, whatever the filter)."""
        events = service().history(project_id)
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
    @_document_errors(400, 401, 403, 404, 409, 422)
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
        return schema().load(body)
    except ma.ValidationError as error:
        raise validation_error(error.messages) from None


def register_schemas(api) -> None:
    """Put the request body schemas in the OpenAPI components (the views refer to them)."""
    api.spec.components.schema("SignProject", schema=SignProjectSchema)
    for schema in EVENT_SCHEMAS.values():
        api.spec.components.schema(schema.__name__, schema=schema)

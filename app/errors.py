"""Every API error is JSON: a status, a machine-readable code, a message, and the field at fault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import marshmallow as ma
from eventsourcing.persistence import PersistenceError
from flask import Flask, current_app, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from domain.errors import (
    ConcurrentUpdate,
    CountyNotFound,
    DomainError,
    NotAllowed,
    ProjectNotFound,
    ReportInPreparation,
    UserNotFound,
)
from domain.sense import Unusual


class ErrorSchema(ma.Schema):
    """The body of every error response."""

    status = ma.fields.Integer(metadata={"description": "HTTP status"})
    code = ma.fields.String(metadata={"description": "machine-readable error code"})
    message = ma.fields.String(metadata={"description": "human message naming the field"})
    field = ma.fields.String(allow_none=True, metadata={"description": "the field at fault"})
    errors = ma.fields.Dict(metadata={"description": "every invalid field and its messages"})
    current_version = ma.fields.Integer(metadata={"description": "on 409: the project's version"})
    confirm = ma.fields.List(ma.fields.String(), metadata={
        "description": "on 422 for an unusual value (a sense check): the codes to send in "
                       "`confirmed` to record it as it is, if it is right"})


# What each refusal means, and the codes its body carries on every operation that answers it.
# Every operation can answer 401 and 503; 404 and 422 carry codes of the operation's own too.
_REFUSALS: dict[int, tuple[str, tuple[str, ...]]] = {
    400: ("the body is not a JSON object", ("malformed_json",)),
    401: ("no or bad credentials: send Authorization: Bearer <token>", ("unauthenticated",)),
    403: ("the user's role or team does not allow this", ("forbidden",)),
    404: ("it does not exist", ()),
    409: ("overtaken, nothing was recorded: on a project, expected_version is stale and "
          "current_version says where the project is; elsewhere another change was saved at "
          "the same moment (the message says which); reload and retry", ("version_conflict",)),
    413: ("the body is larger than 1 MB", ("too_large",)),
    422: ("a field is invalid (invalid_field, naming it), or a rule is broken (its code, "
          "naming the field)", ("invalid_field",)),
    503: ("not now, nothing was recorded: retry after Retry-After seconds (store_unavailable: "
          "the event store is unavailable; report_in_preparation, a dispatch report's: its "
          "parts are being made, those made so far kept, so each retry goes on)",
          ("store_unavailable",)),
}
# How soon to ask again for a report whose parts are being made (each asking makes more).
IN_PREPARATION_RETRY_SECONDS = 3
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying",
                                "schema": {"type": "integer"}}}


def refusals(blueprint, *statuses: int, codes: dict[int, Iterable[str]] | None = None):
    """Document every refusal of an operation (401 and 503 always): each status, what it
    means, and the codes its body can carry (`codes`: the operation's own, e.g. the rules it
    may break), so that a client, or a fuzzer, finds no answer the document does not give."""
    def decorate(view):
        for status in sorted({401, 503, *statuses}):
            meaning, common = _REFUSALS[status]
            carried = sorted({*common, *(codes or {}).get(status, ())})
            view = blueprint.alt_response(
                status, description=f"{meaning}: {', '.join(carried)}",
                headers=_RETRY_AFTER if status == 503 else None,
                schema={"allOf": [{"$ref": "#/components/schemas/Error"}, {
                    "type": "object", "properties": {"code": {"type": "string",
                                                              "enum": carried}}}]},
            )(view)
        return view
    return decorate


class ApiError(Exception):
    """An error the API answers with; raised by views and translated here."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.extra = (
            status, code, message, field, extra)

    def response(self):
        body = {"status": self.status, "code": self.code, "message": self.message,
                "field": self.field, **self.extra}
        response = jsonify(body)
        response.status_code = self.status
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="banban"'
        return response


def validation_error(messages: dict[str, Any], status: int = 422) -> ApiError:
    """An ApiError naming the first invalid field of marshmallow's messages."""
    flat = _flatten(messages)
    field, problems = next(iter(flat.items())) if flat else (None, ["invalid input"])
    return ApiError(status, "invalid_field", f"{field}: {' '.join(problems)}", field, errors=flat)


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "body": messages}
    if isinstance(messages, list):
        return _flatten({str(i): m for i, m in enumerate(messages)}, prefix)
    if not isinstance(messages, dict):
        return {prefix or "body": [str(messages)]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = "body" if key == "_schema" else str(key)
        flat.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
    return flat


_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large",
               415: "unsupported_media_type", 422: "invalid_field", 429: "too_many_requests"}


class BanbanApi(Api):
    """flask-smorest's Api with the project's error body; every operation documents its
    refusals itself (`refusals`), none is left to a catch-all default response."""

    ERROR_SCHEMA = ErrorSchema  # registered as the component "Error"
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("messages") or data.get("errors")
        if error.code == 400 and messages:
            return ApiError(400, "malformed_json", "the body is not valid JSON", "body").response()
        if error.code == 422 and messages:
            located: dict[str, Any] = {}
            for location, errors in messages.items():  # webargs groups by json, query, ...
                located.update(errors if isinstance(errors, dict) else {location: errors})
            return validation_error(located).response()
        code = _HTTP_CODES.get(error.code or 500, "server_error")
        message = data.get("message") or error.description or error.name
        return with_headers_of(error, ApiError(error.code or 500, code, message).response())


def with_headers_of(error: HTTPException, response):
    """The response with the headers the HTTP error carries (Allow on a 405), its own body."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Translate domain errors into JSON answers."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error.response()

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        extra = {"confirm": error.codes} if isinstance(error, Unusual) else {}
        return ApiError(422, error.code, error.message, error.field, **extra).response()

    @app.errorhandler(ProjectNotFound)
    def _not_found(error: ProjectNotFound):
        return ApiError(404, "project_not_found", str(error), "project_id").response()

    @app.errorhandler(CountyNotFound)
    def _county_not_found(error: CountyNotFound):
        return ApiError(404, "county_not_found", str(error), "county").response()

    @app.errorhandler(UserNotFound)
    def _user_not_found(error: UserNotFound):
        return ApiError(404, "user_not_found", str(error), "username").response()

    @app.errorhandler(NotAllowed)
    def _not_allowed(error: NotAllowed):
        return ApiError(403, "forbidden", error.message).response()

    @app.errorhandler(PersistenceError)
    def _store_unavailable(error: PersistenceError):
        # The store refused (locked, read-only, full, unreachable): the transaction was rolled
        # back, so nothing was recorded; the client may retry.
        current_app.logger.error("store error: %r", error)
        response = ApiError(503, "store_unavailable",
                            "the event store is unavailable; nothing was recorded, retry later"
                            ).response()
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(ReportInPreparation)
    def _in_preparation(error: ReportInPreparation):
        response = ApiError(503, "report_in_preparation", (
            "the report's parts are being made (a period no view runner keeps, asked for the "
            "first time): those made so far are kept; ask again after Retry-After seconds"
        )).response()
        response.headers["Retry-After"] = str(IN_PREPARATION_RETRY_SECONDS)
        return response

    @app.errorhandler(ConcurrentUpdate)
    def _conflict(error: ConcurrentUpdate):
        extra = {} if error.actual_version is None else {"current_version": error.actual_version}
        return ApiError(409, "version_conflict", str(error), error.field, **extra).response()

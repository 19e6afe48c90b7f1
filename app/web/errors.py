"""Error pages for people: the API keeps answering JSON, the pages answer HTML."""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from flask import Flask, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.errors import IN_PREPARATION_RETRY_SECONDS, with_headers_of
from domain.errors import (
    ConcurrentUpdate,
    CountyNotFound,
    DomainError,
    NotAllowed,
    ProjectNotFound,
    ReportInPreparation,
    UserNotFound,
)


# What a form says when its change was overtaken by another saved at the same moment (what
# was sent is kept on the page), and what a page of its own says.
SAME_MOMENT = _l("Someone else changed this at the same moment, so nothing was recorded. "
                 "Check what the page shows now and send again.")
SAME_MOMENT_PAGE = _l("Someone else changed this at the same moment, so nothing was "
                      "recorded. Reload the page and try again.")
# Status -> (title, what to tell the user).
PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your role does not allow this page or action.")),
    404: (_l("Not found"), _l("There is no such page, project or record.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    409: (_l("Changed at the same moment"), SAME_MOMENT_PAGE),
    413: (_l("Too large"), _l("What was sent is too large.")),
    422: (_l("Not possible"), _l("This cannot be done as asked.")),
    429: (_l("Too many attempts"), _l("Too many attempts from your address. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("The server could not complete the request. Nothing was recorded.")),
    503: (_l("Temporarily unavailable"), _l("The record store is unavailable; nothing was recorded. Try again in a moment.")),
}


IN_PREPARATION = (_l("The report is being prepared"), _l(
    "This period's report is being read for the first time, so its projects' figures are "
    "being worked out; what is done is kept. This page reloads itself every few seconds "
    "until the report is ready."))


def is_api_request() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def error_page(status: int, detail: str | None = None):
    title, message = PAGES.get(status, PAGES[500])
    return render_template("error.html", title=title, message=detail or message), status


def init_app(app: Flask) -> None:
    """Answer HTML outside /api for the errors the API answers in JSON."""
    statuses = {HTTPException: None, ProjectNotFound: 404, UserNotFound: 404,
                CountyNotFound: 404, NotAllowed: 403,
                PersistenceError: 503, DomainError: 422, ConcurrentUpdate: 409}
    for exception, status in statuses.items():
        json_handler = app.error_handler_spec[None][None].get(exception)

        def handler(error, json_handler=json_handler, status=status):
            if is_api_request() and json_handler is not None:
                return json_handler(error)
            if isinstance(error, HTTPException):
                body, code = error_page(error.code or 500)
                return with_headers_of(error, make_response(body, code))
            response = error_page(status)
            if status == 503:
                return response[0], 503, {"Retry-After": "5"}
            return response

        app.register_error_handler(exception, handler)

    json_in_preparation = app.error_handler_spec[None][None].get(ReportInPreparation)

    def in_preparation(error: ReportInPreparation):
        """A report whose parts take more than one request (dispatch_parts.making_for): the
        page says so and asks again by itself (no script: a refresh), each asking going on."""
        if is_api_request() and json_in_preparation is not None:
            return json_in_preparation(error)
        title, message = IN_PREPARATION
        body = render_template("error.html", title=title, message=message,
                               refresh_seconds=IN_PREPARATION_RETRY_SECONDS)
        return body, 503, {"Retry-After": str(IN_PREPARATION_RETRY_SECONDS)}

    app.register_error_handler(ReportInPreparation, in_preparation)

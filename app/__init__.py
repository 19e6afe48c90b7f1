"""The Flask application factory."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from app import cli, config, digest, errors, headers, store, web
from app.api import boards, catalogues, dispatch, projects, reminders, users


class JSONProvider(DefaultJSONProvider):
    """Dates and times as ISO 8601, ids as strings; Chinese text as it is.

    Answers are written by orjson (a county's report is some 100,000 values: the standard
    library takes five times as long), to the same JSON the standard library writes: keys
    sorted, dates, moments and ids as above. Indented answers (debug) use the standard one.
    """

    ensure_ascii = False
    OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
               | orjson.OPT_PASSTHROUGH_DATACLASS)  # dataclasses as the standard one does

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, (date, datetime)):
            return o.isoformat()
        if isinstance(o, UUID):
            return str(o)
        if isinstance(o, tuple):  # a named tuple (orjson writes plain tuples itself)
            return list(o)
        return DefaultJSONProvider.default(o)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)
        body = orjson.dumps(self._prepare_response_obj(args, kwargs), default=self.default,
                            option=self.OPTIONS)
        return self._app.response_class(body, mimetype=self.mimetype)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; nothing connects to the store until the first request or command."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates")
    app.json = JSONProvider(app)
    app.config.update(
        API_TITLE="帮办代办 banban daiban",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    proxies = int(app.config.get("BANBAN_TRUSTED_PROXIES") or 0)
    if proxies:
        # The client's address (and scheme) as the trusted proxies in front of us saw it:
        # the sign-in limits count per real address, never per proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore

    store.init_app(app)        # lazy: the application is built per process, after fork
    digest.init_app(app)       # the daily digest's settings (off unless configured)
    errors.init_app(app)       # domain errors -> JSON answers
    headers.init_app(app)      # Cache-Control: no-store on everything but static files
    api = errors.BanbanApi(app, spec_kwargs={"components": {"securitySchemes": {
        "bearerAuth": {"type": "http", "scheme": "bearer"}}}, "security": [{"bearerAuth": []}]})
    projects.register_schemas(api)
    api.register_blueprint(projects.blp)
    api.register_blueprint(users.blp)
    api.register_blueprint(users.users_blp)
    api.register_blueprint(boards.blp)
    api.register_blueprint(dispatch.blp)
    api.register_blueprint(reminders.blp)
    api.register_blueprint(catalogues.blp)
    web.init_app(app, api_blueprints=[projects.blp, users.blp, users.users_blp, boards.blp,
                                      dispatch.blp, reminders.blp, catalogues.blp])
    cli.init_app(app)
    return app

"""Dispatch reports (一周一调度、半月一汇报、一月一督查、一季一通报): any period, publishing,
the published text byte for byte, and what changed since."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.auth import authenticate, current_user
from app.api.fields import Moment, county_code
from app.errors import refusals
from app.store import service
from domain.periods import CADENCES, PERIOD_ID_PATTERN

blp = Blueprint("dispatch", __name__, url_prefix="/api/dispatch",
                description="Dispatch reports by cadence and period")
blp.before_request(authenticate)

_CADENCE = {"in": "path", "name": "cadence", "required": True,
            "schema": {"type": "string", "enum": list(CADENCES)}}
_PERIOD = {"in": "path", "name": "period", "required": True,
           "schema": {"type": "string", "pattern": PERIOD_ID_PATTERN},
           "description": "2026-W48, 2026-11-H2, 2026-11 or 2026-Q4 (years 1900 to 2099), "
                          "the cadence's own (another cadence's is 422 "
                          "period_of_another_cadence)"}
# The rules a named period may break: one of another cadence's shape, one not begun.
_PERIOD_RULES = ("period_of_another_cadence", "future_period")
# A county that is not listed, or that the reader may not see.
_COUNTY_MISSING = {404: ("county_not_found",)}
# A report whose parts take more than a request may spend making them (a period no view
# runner keeps, first asked): those made are kept, and asking again goes on.
_IN_PREPARATION = {503: ("report_in_preparation",)}


_REPORT = ("A dispatch report: period, projects_by_phase_and_status, signed, milestones_reached, "
           "milestones_overdue, approvals_granted, commitments, conditions_overdue (the "
           "conditions of passed park-entry reviews late on as_of), opinions_overdue (the "
           "invited departments' opinions in open park-entry reviews late on as_of), problems, suspensions, "
           "escalations_and_instructions, investment, red_flags, rankings, roll_up, "
           "due_next_7_days, measures (approval time per project, signing to construction "
           "start, land approval time, the problem clocks kept), comparison (with the "
           "previous period), calendar_warnings (years whose official calendar is not known "
           "that a count crossed). A period that has not begun is 422 future_period.")


class SealSchema(ma.Schema):
    head = ma.fields.String(metadata={"description": "the hash chain's head (SHA-256, hex) over "
                                      "the record the report was computed from"})
    code = ma.fields.String(metadata={"description": "the head's short code, to compare aloud"})
    position = ma.fields.Integer(metadata={"description": "how many events the head covers"})


class PublicationSchema(ma.Schema):
    cadence = ma.fields.String()
    period = ma.fields.String()
    of = ma.fields.String(allow_none=True, metadata={
        "description": "whose report: a county's code, or province for the province summary "
                       "(null while no county is listed)"})
    revision = ma.fields.Integer()
    actor = ma.fields.String()
    published_at = ma.fields.DateTime()
    seal = ma.fields.Nested(SealSchema, allow_none=True)


class AsKnownAtQuerySchema(ma.Schema):
    as_known_at = Moment(metadata={
        "description": "the report from the events recorded by then only"})


class ChangesSchema(ma.Schema):
    publication = ma.fields.Nested(PublicationSchema)
    figures = ma.fields.Dict(metadata={"description": "headline: published, now, change"})
    events = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "events recorded since, about the period's days"})


_COUNTY = {"description": "a province user: this county's report instead of the province "
                          "summary (a county user always gets their own county's; another "
                          "county is 404 county_not_found)"}


class CountyQuerySchema(ma.Schema):
    county = county_code(metadata=_COUNTY)


class TrendQuerySchema(CountyQuerySchema):
    count = ma.fields.Integer(load_default=6, validate=ma.validate.Range(min=1, max=104),
                              metadata={"description": "how many periods, ending with this one"})


class RevisionQuerySchema(CountyQuerySchema):
    revision = ma.fields.Integer(validate=ma.validate.Range(min=1, max=10_000))


class ReportQuerySchema(AsKnownAtQuerySchema, CountyQuerySchema):
    pass


@blp.route("/<cadence>", parameters=[_CADENCE])
class CurrentReport(MethodView):
    @blp.arguments(CountyQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, description=_REPORT)
    @refusals(blp, 404, 422, codes={**_COUNTY_MISSING, **_IN_PREPARATION})
    def get(self, query: dict[str, Any], cadence: str):
        """The report of the current period of a cadence."""
        return service().dispatch(cadence, county=query.get("county"), reader=current_user(),
                                  shared=True)


@blp.route("/<cadence>/<period>", parameters=[_CADENCE, _PERIOD])
class PeriodReport(MethodView):
    @blp.arguments(ReportQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, description=_REPORT)
    @refusals(blp, 404, 422, codes={**_COUNTY_MISSING, 422: _PERIOD_RULES, **_IN_PREPARATION})
    def get(self, query: dict[str, Any], cadence: str, period: str):
        """The report of any period, as the record stands now or as it stood at a recorded time."""
        return service().dispatch(cadence, period, as_known_at=query.get("as_known_at"),
                                  county=query.get("county"), reader=current_user(),
                                  shared=True)


@blp.route("/<cadence>/<period>/trend", parameters=[_CADENCE, _PERIOD])
class Trend(MethodView):
    @blp.arguments(TrendQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, description="The trend: per period, oldest first, its milestones due "
                  "and reached, problems raised and solved, investment completed against plan "
                  "and the measures' period figures (as in each period's own report).")
    @refusals(blp, 404, 422, codes={**_COUNTY_MISSING, 422: _PERIOD_RULES, **_IN_PREPARATION})
    def get(self, query: dict[str, Any], cadence: str, period: str):
        """The figures of the last `count` periods of a cadence, ending with this one."""
        return service().dispatch_trend(cadence, period, query["count"],
                                        county=query.get("county"), reader=current_user())


@blp.route("/<cadence>/<period>/publish", parameters=[_CADENCE, _PERIOD])
class Publish(MethodView):
    @blp.response(201, PublicationSchema)
    @refusals(blp, 403, 409, 422, codes={422: _PERIOD_RULES, **_IN_PREPARATION})
    def post(self, cadence: str, period: str):
        """Publish (freeze) the period's report as it stands now; office only."""
        return service().publish_dispatch(cadence, period, current_user()["username"])


@blp.route("/<cadence>/<period>/published", parameters=[_CADENCE, _PERIOD])
class Published(MethodView):
    @blp.arguments(RevisionQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, description=_REPORT)
    @refusals(blp, 404, 422, codes={**_COUNTY_MISSING,
                                    422: (*_PERIOD_RULES, "not_published", "unknown_revision")})
    def get(self, query: dict[str, Any], cadence: str, period: str):
        """The published report exactly as published (the latest, or ?revision=N); its seal in
        the X-Seal and X-Seal-Code headers."""
        record, text = service().published_dispatch(
            cadence, period, query.get("revision"), county=query.get("county"),
            reader=current_user())
        response = Response(text, mimetype="application/json")
        response.headers["X-Published-At"] = record["published_at"].isoformat()
        response.headers["X-Published-By"] = record["actor"]
        response.headers["X-Revision"] = str(record["revision"])
        if record.get("seal"):
            response.headers["X-Seal"] = record["seal"]["head"]
            response.headers["X-Seal-Code"] = record["seal"]["code"]
        return response


@blp.route("/<cadence>/<period>/changes", parameters=[_CADENCE, _PERIOD])
class Changes(MethodView):
    @blp.arguments(CountyQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ChangesSchema)
    @refusals(blp, 404, 422, codes={**_COUNTY_MISSING,
                                    422: (*_PERIOD_RULES, "not_published"), **_IN_PREPARATION})
    def get(self, query: dict[str, Any], cadence: str, period: str):
        """What was recorded about the period since it was published, and what it changes."""
        return service().dispatch_changes(cadence, period, county=query.get("county"),
                                          reader=current_user())

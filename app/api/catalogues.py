"""The county's catalogues (industries, parks, responsible units), kept by its office."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from app.api.auth import authenticate, current_user
from app.api.fields import Text
from app.errors import ApiError, refusals
from app.store import service
from domain.catalogues import KINDS

blp = Blueprint("catalogues", __name__, url_prefix="/api/catalogues",
                description="Each county's industries, parks and responsible units")
blp.before_request(authenticate)
_KIND = {"in": "path", "name": "kind", "required": True,
         "schema": {"type": "string", "enum": list(KINDS)}}


class CataloguesSchema(ma.Schema):
    industries = ma.fields.List(ma.fields.String())
    parks = ma.fields.List(ma.fields.String())
    units = ma.fields.List(ma.fields.String(), metadata={
        "description": "responsible units (departments)"})


class CatalogueValueSchema(ma.Schema):
    value = Text(required=True)


class CatalogueRetireSchema(CatalogueValueSchema):
    reason = Text(long=True, required=True)


class CatalogueChangeSchema(ma.Schema):
    version = ma.fields.Integer()
    type = ma.fields.String(validate=validate.OneOf(["ValueAdded", "ValueRetired"]))
    actor = ma.fields.String()
    recorded_at = ma.fields.DateTime()
    kind = ma.fields.String()
    value = ma.fields.String()
    reason = ma.fields.String(allow_none=True)


class CatalogueHistorySchema(ma.Schema):
    changes = ma.fields.List(ma.fields.Nested(CatalogueChangeSchema))


def _county() -> str | None:
    return current_user()["scope"]


@blp.route("")
class Catalogues(MethodView):
    @blp.response(200, CataloguesSchema)
    @refusals(blp)
    def get(self):
        """My county's catalogues (a province user's: the home county's)."""
        return service().catalogues(_county())


@blp.route("/history")
class History(MethodView):
    @blp.response(200, CatalogueHistorySchema)
    @refusals(blp)
    def get(self):
        """Every value added to or retired from my county's catalogues: who, when, why."""
        return {"changes": service().catalogue_history(_county())}


@blp.route("/<kind>", parameters=[_KIND])
class Values(MethodView):
    @blp.arguments(CatalogueValueSchema)
    @blp.response(201, CataloguesSchema)
    @refusals(blp, 400, 403, 404, 409, 413, 422,
              codes={404: ["not_found"], 422: ["duplicate_value"]})
    def post(self, body, kind: str):
        """Add a value to one of my county's catalogues (office only)."""
        _known(kind)
        service().add_to_catalogue(current_user()["username"], kind, body["value"])
        return service().catalogues(_county())


@blp.route("/<kind>/retire", parameters=[_KIND])
class Retire(MethodView):
    @blp.arguments(CatalogueRetireSchema)
    @blp.response(200, CataloguesSchema)
    @refusals(blp, 400, 403, 404, 409, 413, 422,
              codes={404: ["not_found"], 422: ["unknown_value"]})
    def post(self, body, kind: str):
        """Offer a value no more (office only); what was recorded with it stays."""
        _known(kind)
        service().retire_from_catalogue(current_user()["username"], kind, body["value"],
                                        body["reason"])
        return service().catalogues(_county())


def _known(kind: str) -> None:
    if kind not in KINDS:
        raise ApiError(404, "not_found", f"no catalogue {kind!r}: {', '.join(KINDS)}", "kind")

"""The signed-in user; and the users the office manages, as its pages manage them
(app.user_admin: the same commands and rules)."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from app import user_admin
from app.api.auth import authenticate, current_user
from app.api.fields import COUNTY_SHAPE, Shaped, Text, username
from app.api.schemas import UserSchema
from app.errors import refusals
from app.store import service
from domain.counties import PROVINCE
from domain.lifecycle import ROLES

blp = Blueprint("me", __name__, url_prefix="/api/me", description="The authenticated user")
blp.before_request(authenticate)


@blp.route("")
class Me(MethodView):
    @blp.response(200, UserSchema)
    @refusals(blp)
    def get(self):
        """Who the token belongs to."""
        return current_user()


users_blp = Blueprint("users", __name__, url_prefix="/api/users",
                      description="The users the office manages (its county's; a province "
                                  "office's: every county's)")
users_blp.before_request(authenticate)

_SCOPE_SHAPE = f"({COUNTY_SHAPE}|{PROVINCE})"
_USERNAME = {"in": "path", "name": "username", "required": True,
             "schema": {"type": "string", "minLength": 1},
             "description": "a user the office manages (another county's: 403)"}
_NOT_FOUND = {404: ("user_not_found",)}


def _scope(**kwargs: Any) -> Shaped:
    return Shaped(re.compile(_SCOPE_SHAPE), _SCOPE_SHAPE,
                  "must be a six-digit county code (GB/T 2260) or 'province'", **kwargs)


class ManagedUserSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String(metadata={"description": "the name the user is shown by"})
    role = ma.fields.String(metadata={"enum": list(ROLES)})
    scope = ma.fields.String(allow_none=True, metadata={
        "description": "the county the user serves (its code), or 'province' (reads every "
                       "county); null while no county is listed"})
    disabled = ma.fields.Boolean(metadata={"description": "true: may not sign in, and their "
                                                          "tokens do not work"})


class UserChangeSchema(ma.Schema):
    type = ma.fields.String(metadata={"enum": [
        "Registered", "PasswordSet", "TokenIssued", "Disabled", "Enabled", "Renamed",
        "SignedOutEverywhere"]})
    actor = ma.fields.String()
    recorded_at = ma.fields.DateTime()
    reason = ma.fields.String(allow_none=True)
    display_name = ma.fields.String(allow_none=True)
    role = ma.fields.String(allow_none=True)


class ManagedUserListSchema(ma.Schema):
    users = ma.fields.List(ma.fields.Nested(ManagedUserSchema))


class ManagedUserHistorySchema(ManagedUserSchema):
    history = ma.fields.List(ma.fields.Nested(UserChangeSchema),
                             metadata={"description": "what was done to the user, oldest first"})


class NewUserSchema(ma.Schema):
    username = username(required=True, metadata={"description": "the user's identity for good"})
    display_name = Text(required=True)
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    scope = _scope(metadata={
        "description": "a listed county's code (the office's own by default), or 'province' "
                       "for an office, leader or auditor of a province office"})


class CreatedUserSchema(ManagedUserSchema):
    password = ma.fields.String(metadata={"description": "shown this once"})


class RenameSchema(ma.Schema):
    display_name = Text(required=True)


class DisableSchema(ma.Schema):
    reason = Text(long=True, metadata={"description": "why, for the record"})


class NewPasswordSchema(ma.Schema):
    username = ma.fields.String()
    password = ma.fields.String(metadata={"description": "shown this once; every web session "
                                                         "of the user has ended"})


def _managed(user: dict[str, Any]) -> dict[str, Any]:
    return {**user, "scope": service().scope_of_user(user)}


def _done(username: str, action: str, **fields: Any) -> dict[str, Any]:
    """Do an action to a user; the user as it leaves them."""
    user_admin.act(current_user()["username"], username, action, **fields)
    return _managed(service().user(username))


@users_blp.route("")
class Users(MethodView):
    @users_blp.response(200, ManagedUserListSchema)
    @refusals(users_blp, 403)
    def get(self):
        """The users the office manages, in order of creation (office only)."""
        found = service().managed_users(current_user()["username"])
        return {"users": [_managed(user) for user in found]}

    @users_blp.arguments(NewUserSchema)
    @users_blp.response(201, CreatedUserSchema)
    @refusals(users_blp, 400, 403, 413, 422, codes={422: (
        "duplicate_username", "unknown_county", "agent_in_province", "no_county_listed")})
    def post(self, body: dict[str, Any]):
        """Create a user in the office's county (a province office: any listed county, or the
        province); their password is made and answered this once."""
        made, password = user_admin.create(current_user()["username"], body["username"],
                                           body["role"], body["display_name"], body.get("scope"))
        return {**_managed(made), "password": password}


@users_blp.route("/<username>", parameters=[_USERNAME])
class ManagedUser(MethodView):
    @users_blp.response(200, ManagedUserHistorySchema)
    @refusals(users_blp, 403, 404, codes=_NOT_FOUND)
    def get(self, username: str):
        """A user the office manages, and what was done to them."""
        banban = service()
        banban.check_manages(current_user()["username"], username)
        return {**_managed(banban.user(username)), "history": banban.user_history(username)}


@users_blp.route("/<username>/rename", parameters=[_USERNAME])
class Rename(MethodView):
    @users_blp.arguments(RenameSchema)
    @users_blp.response(200, ManagedUserSchema)
    @refusals(users_blp, 400, 403, 404, 409, 413, 422, codes={**_NOT_FOUND, 422: ("no_change",)})
    def post(self, body: dict[str, Any], username: str):
        """Change the name a user is shown by."""
        return _done(username, "rename", display_name=body["display_name"])


@users_blp.route("/<username>/password", parameters=[_USERNAME])
class ResetPassword(MethodView):
    @users_blp.response(200, NewPasswordSchema)
    @refusals(users_blp, 403, 404, 409, codes=_NOT_FOUND)
    def post(self, username: str):
        """Reset a user's password to a new one, answered this once; their web sessions end
        (the user changes it at /account/password)."""
        password = user_admin.act(current_user()["username"], username, "password")
        return {"username": username, "password": password}


class NewTokenSchema(ma.Schema):
    username = ma.fields.String()
    token = ma.fields.String(metadata={"description": "shown this once (only its digest is "
                                                      "recorded): `Authorization: Bearer <token>`"})


@users_blp.route("/<username>/token", parameters=[_USERNAME])
class IssueToken(MethodView):
    @users_blp.response(201, NewTokenSchema)
    @refusals(users_blp, 403, 404, 409, codes=_NOT_FOUND)
    def post(self, username: str):
        """Issue a new API token for a user, answered this once (as `flask users token`);
        the user's other tokens keep working."""
        token = user_admin.act(current_user()["username"], username, "token")
        return {"username": username, "token": token}


@users_blp.route("/<username>/disable", parameters=[_USERNAME])
class Disable(MethodView):
    @users_blp.arguments(DisableSchema)
    @users_blp.response(200, ManagedUserSchema)
    @refusals(users_blp, 400, 403, 404, 409, 413, 422, codes={**_NOT_FOUND, 422: ("no_change",)})
    def post(self, body: dict[str, Any], username: str):
        """Disable a user: they cannot sign in, their tokens stop working and their web
        sessions end at once."""
        return _done(username, "disable", reason=body.get("reason"))


@users_blp.route("/<username>/enable", parameters=[_USERNAME])
class Enable(MethodView):
    @users_blp.response(200, ManagedUserSchema)
    @refusals(users_blp, 403, 404, 409, 422, codes={**_NOT_FOUND, 422: ("no_change",)})
    def post(self, username: str):
        """Let a disabled user sign in again (with the password they had)."""
        return _done(username, "enable")


@users_blp.route("/<username>/sign-out", parameters=[_USERNAME])
class SignOut(MethodView):
    @users_blp.response(204)
    @refusals(users_blp, 403, 404, 409, codes=_NOT_FOUND)
    def post(self, username: str):
        """End every web session of a user at once (the office for a user it manages, a user
        for themselves); their API tokens are not affected."""
        user_admin.sign_out(current_user()["username"], username)

"""The signed-in user, and ending a user's sessions."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.auth import authenticate, current_user
from app.api.schemas import UserSchema
from app.errors import ApiError, refusals
from app.store import service

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
                      description="Users: ending their sessions")
users_blp.before_request(authenticate)


@users_blp.route("/<username>/sign-out")
class SignOut(MethodView):
    @users_blp.response(204)
    @refusals(users_blp, 403, 404, codes={404: ["user_not_found"]})
    def post(self, username: str):
        """End every web session of a user at once (the office for anyone, a user for
        themselves); their API tokens are not affected."""
        user = current_user()
        if user["role"] != "office" and user["username"] != username:
            raise ApiError(403, "forbidden", "only the office signs out someone else")
        service().sign_out_everywhere(username, actor=user["username"])
        current_app.extensions["banban.store"].web_state().delete_user_sessions(username)

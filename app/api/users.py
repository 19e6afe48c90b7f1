"""The signed-in user."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.auth import authenticate, current_user
from app.api.schemas import UserSchema
from app.errors import refusals

blp = Blueprint("me", __name__, url_prefix="/api/me", description="The authenticated user")
blp.before_request(authenticate)


@blp.route("")
class Me(MethodView):
    @blp.response(200, UserSchema)
    @refusals(blp)
    def get(self):
        """Who the token belongs to."""
        return current_user()

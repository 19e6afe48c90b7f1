"""Bearer-token authentication for the API blueprint."""

from __future__ import annotations

from typing import Any

from flask import g, request

from app.errors import ApiError
from app.security import bearer_token
from app.store import service


def authenticate() -> None:
    """Set g.user from the Authorization header, or answer 401."""
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        raise ApiError(401, "unauthenticated",
                       "Authorization: Bearer <token> is required (flask users token <username>)",
                       "Authorization")
    user = service().authenticate_token(token)
    if user is None:
        raise ApiError(401, "unauthenticated", "the token is unknown, revoked, or its user is "
                       "disabled", "Authorization")
    g.user = user


def current_user() -> dict[str, Any]:
    """The authenticated user of this request."""
    return g.user

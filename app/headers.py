"""Headers on every answer: nothing behind sign-in is kept by a browser or a proxy.

Pages and API answers are one user's view of the record at one moment (and pages carry CSRF
tokens), so every answer but the static files is `Cache-Control: no-store`: the back button
and a shared computer show nothing of a signed-out session, and no proxy serves one user's
answer to another.
"""

from __future__ import annotations

from flask import Flask, Response, request


def no_store(response: Response) -> Response:
    """Mark an answer as not to be stored, unless it already says so in its own words."""
    if request.endpoint != "static" and "no-store" not in response.headers.get(
            "Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Apply the headers to every answer."""
    app.after_request(no_store)

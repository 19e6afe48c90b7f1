"""End-to-end fixtures: the Flask app over HTTP (test client) on each store, with tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app import create_app
from tests.conftest import app_config
from tests.e2e.browser import chromium  # noqa: F401 - one browser for every module's tests

USERS = [("office", "office"), ("zhang", "agent"), ("li", "agent"), ("wang", "agent"),
         ("leader", "leader"), ("auditor", "auditor")]


@pytest.fixture
def app(store_env) -> Iterator:
    """The Flask app on a fresh store with one user of each role (and a second agent)."""
    flask_app = create_app(app_config(store_env))
    yield flask_app
    flask_app.extensions["banban.store"].close()


@pytest.fixture
def banban(app):
    """The app's service, for setting up and checking state directly."""
    with app.app_context():
        from app.store import service

        return service()


@pytest.fixture
def tokens(banban) -> dict[str, str]:
    """An API token per test user: tokens['zhang'] is an agent's."""
    for username, role in USERS:
        banban.register_user(username, role, actor="test", password_hash="x")
    return {username: banban.issue_token(username, actor="test") for username, _ in USERS}


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(client, tokens):
    """Factory-style helper: api('zhang').post(path, json=...) with that user's token."""

    class As:
        def __init__(self, username: str):
            self.headers = {"Authorization": f"Bearer {tokens[username]}"}

        def get(self, path, **kw):
            return client.get(path, headers=self.headers, **kw)

        def post(self, path, **kw):
            return client.post(path, headers=self.headers, **kw)

    return As


SIGNING = {"name": "鲁丽绿色新材料产业园", "investor": "鲁丽集团", "industry": "新材料",
           "investment": 10_000_000_000, "park": "安福工业园", "signed_on": "2026-01-05",
           "chief_agent": "zhang", "co_agents": ["li"], "leader": "leader"}


@pytest.fixture
def project(api) -> dict:
    """A signed project (chief zhang, co-agent li; wang is an agent not on the team)."""
    response = api("office").post("/api/projects", json=SIGNING)
    assert response.status_code == 201, response.get_json()
    return response.get_json()

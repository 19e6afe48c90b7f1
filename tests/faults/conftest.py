"""Fault-test fixtures: the end-to-end ones (the app on each store, users' tokens, a project)."""

from tests.e2e.conftest import api, app, banban, client, project, tokens

__all__ = ["api", "app", "banban", "client", "project", "tokens"]

"""Integration fixtures: the Banban service on a real store (SQLite file and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.application import Banban
from tests.conftest import TODAY


@pytest.fixture
def service(store_env) -> Iterator[Banban]:
    """A Banban application on a fresh store, with an office user, two agents and a leader."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    for username, role in [("office", "office"), ("zhang", "agent"), ("li", "agent"),
                           ("wang", "agent"), ("leader", "leader"), ("auditor", "auditor")]:
        banban.register_user(username, role, actor="test", password_hash="x")
    yield banban
    banban.close()


@pytest.fixture
def sign(service):
    """Factory: sign a project (by the office) and return its view."""
    from datetime import date

    def _sign(**overrides):
        fields = dict(name="鲁丽绿色新材料产业园", investor="鲁丽集团", industry="新材料",
                      investment=10_000_000_000, park="安福工业园", chief_agent="zhang",
                      co_agents=["li"], leader="leader", signed_on=date(2026, 1, 5))
        fields.update(overrides)
        return service.sign_project("office", **fields)

    return _sign

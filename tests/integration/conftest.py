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


class RecordedClock:
    """Stands in for the library's clock of recorded times: each call is `step` later."""

    def __init__(self, start, step):
        self.now, self.step = start, step

    def __call__(self):
        self.now += self.step
        return self.now


@pytest.fixture
def recorded_clock(monkeypatch) -> RecordedClock:
    """Recorded times from a minute from now, two hours apart: a hundred events span a week's
    end (and so a period seal), whatever the day the tests run."""
    from datetime import datetime, timedelta, timezone

    import eventsourcing.domain

    clock = RecordedClock(datetime.now(timezone.utc) + timedelta(minutes=1), timedelta(hours=2))
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", clock)
    return clock


@pytest.fixture
def populated(service, sign, recorded_clock) -> Banban:
    """The service with four projects, a hundred events of many kinds recorded over eight days
    (so at least one week's end falls among them) and a published weekly report."""
    from datetime import date

    ids = [sign(name=f"项目{i}", signed_on=date(2026, 1, 5 + i))["id"] for i in range(4)]

    def record(project_id, event_type, **fields):
        version = service.project(project_id)["version"]
        service.record(project_id, "office", event_type, expected_version=version,
                       occurred_on=date(2026, 3, 2), fields=fields)

    for round_ in range(6):
        for project_id in ids:
            record(project_id, "visit_logged", purpose=f"走访{round_}")
            record(project_id, "progress_reported", investment_completed=1_000 * (round_ + 1))
            record(project_id, "problem_raised", problem_id=f"P{round_}", title="用地指标")
            record(project_id, "problem_resolved", problem_id=f"P{round_}", resolution="已解决")
    service.publish_dispatch("weekly", "2026-W10", "office")
    return service

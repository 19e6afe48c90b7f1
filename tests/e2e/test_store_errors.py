"""When the store refuses a write, the API says so with 503 and nothing is recorded."""

from __future__ import annotations

from eventsourcing.persistence import OperationalError


def test_a_store_failure_answers_503_and_records_nothing(api, banban, project, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(banban.recorder, "insert_events", refuse)
    response = api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访"})
    assert response.status_code == 503
    body = response.get_json()
    assert body["code"] == "store_unavailable"
    assert response.headers["Retry-After"] == "5"
    monkeypatch.undo()
    assert banban.project(project["id"])["version"] == 1
    assert len(banban.history(project["id"])) == 1

"""Events stored by an earlier release still load after their class gained fields."""

from __future__ import annotations

import json
from datetime import date

from domain.project import Project


def _store_as_version_1(service, event, drop: tuple[str, ...]) -> None:
    """Write an event as release 1 stored it: without the new fields or a class_version."""
    stored = service.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    for name in (*drop, "class_version"):
        state.pop(name, None)
    old = type(stored)(originator_id=stored.originator_id,
                       originator_version=stored.originator_version, topic=stored.topic,
                       state=json.dumps(state).encode())
    service.recorder.insert_events([old])


def test_v1_instructions_and_corrections_load_with_their_upcast_defaults(service, sign):
    project_id = sign()["id"]
    project: Project = service.repository.get(project_id)
    project.record("instruction_given", actor="leader", occurred_on=date(2026, 2, 1),
                   today=date(2026, 11, 25), instruction="加快进度", leader="leader")
    project.record("visit_logged", actor="zhang", occurred_on=date(2026, 2, 2),
                   today=date(2026, 11, 25), purpose="走访")
    project.record("corrected", actor="office", occurred_on=date(2026, 2, 3),
                   today=date(2026, 11, 25), corrects_version=3, action="amend",
                   reason="笔误", changes={"purpose": "回访"})
    instruction, visit, correction = project.collect_events()
    _store_as_version_1(service, instruction, drop=("leader",))
    service.recorder.insert_events([service.mapper.to_stored_event(visit)])
    _store_as_version_1(service, correction, drop=("corrected_type", "previous"))

    loaded = service.project(project_id)
    assert loaded["version"] == 4
    assert loaded["instructions"][0]["leader"] == "leader"  # the recorder, as v1 meant
    assert loaded["last_visit"]["purpose"] == "回访"
    history = service.history(project_id)
    assert history[1]["data"]["leader"] is None
    assert (history[3]["data"]["corrected_type"], history[3]["data"]["previous"]) == (None, {})

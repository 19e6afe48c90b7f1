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


def test_v1_review_conditions_load_as_the_investors_waited_on_and_can_be_met(service, sign):
    """Conditions stored as texts (ParkReviewOpinionGiven and ParkReviewConcluded v1) read as
    the investor's with no due date: carried, waited on, never late, and met as any other."""
    project_id = sign()["id"]
    project: Project = service.repository.get(project_id)
    on, today = date(2026, 2, 2), date(2026, 11, 25)
    project.record("park_review_convened", actor="zhang", occurred_on=on, today=today,
                   review_id="PR-1", departments=["县住建局"])
    project.record("park_review_opinion_given", actor="zhang", occurred_on=on, today=today,
                   review_id="PR-1", department="县住建局", opinion="agree_with_conditions",
                   conditions=["补充消防设计"])
    project.record("park_review_concluded", actor="zhang", occurred_on=on, today=today,
                   review_id="PR-1", passed=True, conditions=["补充消防设计"])
    convened, opinion, concluded = project.collect_events()
    service.recorder.insert_events([service.mapper.to_stored_event(convened)])
    for event in (opinion, concluded):
        stored = service.mapper.to_stored_event(event)
        state = json.loads(stored.state)
        state.pop("class_version")
        state["conditions"] = [c["text"] for c in state["conditions"]]
        service.recorder.insert_events([type(stored)(
            originator_id=stored.originator_id, originator_version=stored.originator_version,
            topic=stored.topic, state=json.dumps(state).encode())])

    loaded = service.project(project_id)
    investors = {"text": "补充消防设计", "party": "investor", "department": None, "due_on": None}
    assert loaded["park_reviews"][0]["opinions"][0]["conditions"] == [investors]
    assert loaded["park_reviews"][0]["conditions"] == [
        investors | {"number": 1, "met_on": None, "met_note": None}]
    assert [(w["party"], w["item"]["id"]) for w in loaded["waiting_on"]
            if w["item"]["kind"] == "condition"] == [("investor", "PR-1#1")]
    service.record(project_id, "zhang", "park_review_condition_met", expected_version=4,
                   occurred_on=date(2026, 3, 2), fields={"review_id": "PR-1", "condition": 1})
    assert [w for w in service.project(project_id)["waiting_on"]
            if w["item"]["kind"] == "condition"] == []


def test_after_an_upgrade_of_an_event_class_old_events_read_and_the_chain_still_verifies(
        service, sign, store_env, monkeypatch):
    """Release N records visits; release N+1 gives VisitLogged a field (class_version 2 and an
    upcaster). The stored bytes are what the chain covers, and an upgrade leaves them as they
    were: the chain made under release N verifies under N+1, and goes on from there."""
    import eventsourcing.utils

    from app.audit.records import verify_store
    from domain.application import Banban
    from tests.conftest import TODAY

    project_id = sign()["id"]
    service.record(project_id, "zhang", "visit_logged", expected_version=1,
                   occurred_on=date(2026, 2, 2), fields={"purpose": "走访"})
    head = service.recorder.chain_tail().hash

    # Release N+1: the same stored topic names a class with a new field, and a default for
    # the events stored before it.
    class VisitLogged(Project.VisitLogged):
        class_version = 2
        channel: str

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["channel"] = "on_site"

    topic = "domain.project:Project.VisitLogged"
    VisitLogged.__module__, VisitLogged.__qualname__ = "domain.project", "Project.VisitLogged"
    monkeypatch.setattr(Project, "VisitLogged", VisitLogged)
    monkeypatch.setitem(eventsourcing.utils._topic_cache, topic, VisitLogged)
    monkeypatch.setitem(eventsourcing.utils._type_cache, VisitLogged, topic)
    upgraded = Banban(env=store_env, clock=lambda: TODAY)  # a new process, nothing cached
    try:
        visit = list(upgraded.events.get(project_id))[1]
        assert (visit.purpose, visit.channel) == ("走访", "on_site")
        verdict = verify_store(upgraded)
        assert verdict.intact and verdict.head == head, verdict.finding
        # Events the new release writes carry their class version, and link on.
        project = upgraded.repository.get(project_id)
        project.trigger_event(VisitLogged, actor="zhang", occurred_on=date(2026, 2, 3),
                              purpose="回访", met_with=None, note=None, channel="phone")
        upgraded.save(project)
        stored = upgraded.recorder.select_notifications(None, 1000)[-1]
        assert b'"class_version":2' in stored.state
        assert upgraded.recorder.chain_tail().notification_id == stored.id
        assert verify_store(upgraded).intact
    finally:
        upgraded.close()

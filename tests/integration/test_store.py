"""The service on a real store: what is saved comes back, from any process, at any point in time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from eventsourcing.persistence import IntegrityError

from domain.application import Banban
from domain.errors import ConcurrentUpdate, DomainError, NotAllowed, ProjectNotFound
from domain.project import Project
from tests.conftest import TODAY


def test_a_signed_project_reads_back_from_a_new_application_on_the_same_store(
        service, sign, store_env):
    project = sign()
    service.record(project["id"], "zhang", "milestone_reached", expected_version=1,
                   occurred_on=date(2026, 2, 1), fields={"milestone": "land_approved"})

    other = Banban(env=store_env, clock=lambda: TODAY)
    try:
        again = other.project(project["id"])
    finally:
        other.close()
    assert again["version"] == 2
    assert again["phase"] == "land"
    assert again["name"] == "鲁丽绿色新材料产业园"
    assert again["milestones"][2]["reached_on"] == date(2026, 2, 1)


def test_the_history_lists_every_event_with_actor_business_date_and_recorded_time(service, sign):
    project = sign()
    service.record(project["id"], "li", "problem_raised", expected_version=1,
                   occurred_on=date(2026, 3, 1), fields={"title": "电力线路迁改", "problem_id": "P1"})
    history = service.history(project["id"])
    assert [(e["version"], e["type"], e["actor"]) for e in history] == [
        (1, "signed", "office"), (2, "problem_raised", "li")]
    assert history[1]["occurred_on"] == date(2026, 3, 1)
    assert history[1]["data"]["title"] == "电力线路迁改"
    assert history[0]["recorded_at"] <= history[1]["recorded_at"]
    assert history[1]["recorded_at"].tzinfo is not None


def test_a_stale_expected_version_is_refused_and_records_nothing(service, sign):
    project = sign()
    service.record(project["id"], "zhang", "visit_logged", expected_version=1,
                   occurred_on=date(2026, 2, 1), fields={"purpose": "走访"})
    with pytest.raises(ConcurrentUpdate) as caught:
        service.record(project["id"], "li", "visit_logged", expected_version=1,
                       occurred_on=date(2026, 2, 2), fields={"purpose": "回访"})
    assert caught.value.actual_version == 2
    assert len(service.history(project["id"])) == 2


def test_two_writers_saving_the_same_version_cannot_both_succeed(service, sign, store_env):
    """The store's own guarantee, under the service's version check."""
    project_id = sign()["id"]
    other = Banban(env=store_env, clock=lambda: TODAY)
    try:
        first: Project = service.repository.get(project_id)
        second: Project = other.repository.get(project_id)
        first.record("visit_logged", actor="zhang", occurred_on=date(2026, 2, 1), today=TODAY,
                     purpose="一")
        second.record("visit_logged", actor="li", occurred_on=date(2026, 2, 1), today=TODAY,
                      purpose="二")
        service.save(first)
        with pytest.raises(IntegrityError):
            other.save(second)
    finally:
        other.close()
    history = service.history(project_id)
    assert [e["actor"] for e in history] == ["office", "zhang"]


def test_a_project_can_be_read_as_it_was_at_a_version_and_at_a_recorded_moment(service, sign):
    project = sign()
    service.record(project["id"], "zhang", "milestone_reached", expected_version=1,
                   occurred_on=date(2026, 2, 1), fields={"milestone": "project_filed"})
    between = datetime.now(timezone.utc)
    service.record(project["id"], "zhang", "milestone_reached", expected_version=2,
                   occurred_on=date(2026, 3, 1), fields={"milestone": "land_approved"})

    assert service.project(project["id"], version=2)["phase"] == "signing"
    assert service.project(project["id"], as_of=between)["version"] == 2
    assert service.project(project["id"])["phase"] == "land"
    with pytest.raises(ProjectNotFound):
        service.project(project["id"], as_of=between - timedelta(days=1))
    with pytest.raises(DomainError) as caught:
        service.project(project["id"], version=7)
    assert caught.value.field == "version"


def test_projects_are_listed_and_filtered_by_phase_status_and_agent(service, sign):
    first = sign(name="甲项目")
    sign(name="乙项目", chief_agent="wang", co_agents=[])
    service.record(first["id"], "zhang", "milestone_reached", expected_version=1,
                   occurred_on=date(2026, 2, 1), fields={"milestone": "land_approved"})

    assert [p["name"] for p in service.list_projects()] == ["甲项目", "乙项目"]
    assert [p["name"] for p in service.list_projects(phase="land")] == ["甲项目"]
    assert [p["name"] for p in service.list_projects(agent="wang")] == ["乙项目"]
    assert [p["name"] for p in service.list_projects(agent="li")] == ["甲项目"]
    assert service.list_projects(status="suspended") == []


def test_signing_names_only_existing_enabled_users_in_the_right_roles(service, sign):
    with pytest.raises(DomainError) as caught:
        sign(chief_agent="nobody")
    assert (caught.value.code, caught.value.field) == ("unknown_user", "chief_agent")
    with pytest.raises(DomainError) as caught:
        sign(leader="zhang")
    assert (caught.value.code, caught.value.field) == ("wrong_role", "leader")
    service.disable_user("wang", actor="test")
    with pytest.raises(DomainError) as caught:
        sign(co_agents=["wang"])
    assert (caught.value.code, caught.value.field) == ("user_disabled", "co_agents")
    assert list(service.project_ids()) == []


def test_only_the_office_signs_projects(service, sign):
    with pytest.raises(NotAllowed):
        service.sign_project("zhang", signed_on=date(2026, 1, 5), name="x", investor="y",
                             industry="z", investment=1, chief_agent="zhang")
    assert list(service.project_ids()) == []


def test_a_long_lived_project_is_snapshotted_and_loads_the_same_as_a_full_replay(service, sign):
    project_id = sign()["id"]
    version = 1
    for i in range(250):
        result = service.record(project_id, "zhang", "visit_logged", expected_version=version,
                                occurred_on=date(2026, 2, 1) + timedelta(days=i % 200),
                                fields={"purpose": f"第{i}次走访"})
        version = result["version"]

    snapshots = list(service.snapshots.get(project_id))
    assert [s.originator_version for s in snapshots] == [100, 200]

    loaded: Project = service.repository.get(project_id)
    replayed = None
    for event in service.events.get(project_id):
        replayed = event.mutate(replayed)
    assert loaded.version == replayed.version == 251
    assert (loaded.visit_count, loaded.last_visit) == (replayed.visit_count, replayed.last_visit)
    assert loaded.visit_count == 250
    assert len(loaded.facts) == 251


def test_a_bulk_save_passing_an_interval_snapshots_that_version_after_the_save(service, sign):
    """Only a save whose last event reaches the interval has the aggregate at that version in
    hand; one that passes it (a bulk load) loads that version again afterwards."""
    project_id = sign()["id"]
    project: Project = service.repository.get(project_id)
    for i in range(150):
        project.record("visit_logged", actor="zhang", occurred_on=date(2026, 2, 1), today=TODAY,
                       purpose=f"第{i}次走访")
    service.save(project)
    assert [s.originator_version for s in service.snapshots.get(project_id)] == [100]
    assert service.repository.get(project_id).visit_count == 150


def test_users_get_tokens_and_disabled_users_are_refused(service):
    token = service.issue_token("zhang", actor="test")
    assert service.authenticate_token(token)["username"] == "zhang"
    assert service.authenticate_token(token + "x") is None
    assert service.authenticate_token("nobody.secret") is None
    service.disable_user("zhang", actor="test")
    assert service.authenticate_token(token) is None
    with pytest.raises(NotAllowed):
        service.issue_token("zhang", actor="test")
    assert [u["username"] for u in service.users()][:2] == ["office", "zhang"]


def test_the_user_list_follows_the_user_events_and_reloads_only_those_they_are_about(
        service, store_env, monkeypatch):
    before = service.users()
    loads = []
    original = service._reads.get

    def counted(aggregate_id, *args, **kwargs):
        loads.append(aggregate_id)
        return original(aggregate_id, *args, **kwargs)

    monkeypatch.setattr(service._reads, "get", counted)
    assert service.users() == before and loads == []  # nothing recorded since: nothing read
    # Another process registers one user and disables another; project events come between.
    other = Banban(env=store_env, clock=lambda: TODAY)
    try:
        other.register_user("xu", "agent", actor="test", display_name="许")
        other.disable_user("zhang", actor="test")
    finally:
        other.close()
    after = service.users()
    assert [u["username"] for u in after] == [u["username"] for u in before] + ["xu"]
    assert next(u for u in after if u["username"] == "zhang")["disabled"] is True
    assert next(u for u in after if u["username"] == "xu")["display_name"] == "许"
    assert len(loads) == 2  # the two users the events were about
    # A new process lists the same.
    fresh = Banban(env=store_env, clock=lambda: TODAY)
    try:
        assert fresh.users() == after
    finally:
        fresh.close()


def test_a_username_is_registered_once(service):
    with pytest.raises(DomainError) as caught:
        service.register_user("zhang", "agent", actor="test")
    assert (caught.value.code, caught.value.field) == ("duplicate_username", "username")


def test_reads_see_writes_made_by_another_process_at_once(service, sign, store_env):
    """Reads keep projects in memory, but bring them up to date with the store every time."""
    project = sign()
    assert service.project(project["id"])["version"] == 1
    assert [p["version"] for p in service.list_projects()] == [1]
    other = Banban(env=store_env, clock=lambda: TODAY)
    try:
        other.record(project["id"], "zhang", "milestone_reached", expected_version=1,
                     occurred_on=date(2026, 2, 1), fields={"milestone": "land_approved"})
    finally:
        other.close()
    assert service.project(project["id"])["phase"] == "land"
    assert [p["phase"] for p in service.list_projects()] == ["land"]


def test_a_view_handed_out_cannot_change_what_later_reads_see(service, sign):
    project = sign()
    view = service.project(project["id"])
    view["team"]["co_agents"].append("intruder")
    view["milestones"].clear()
    again = service.project(project["id"])
    assert again["team"]["co_agents"] == ["li"] and len(again["milestones"]) == 10


def test_many_processes_starting_at_once_on_an_empty_store_all_start(store_env):
    # Gunicorn workers, a CLI command and a projection runner may all create the tables at
    # the same moment; on PostgreSQL an unguarded CREATE TABLE IF NOT EXISTS can then fail.
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from projections.cards import open_cards_view

    starters = 8
    barrier = Barrier(starters)

    def start(_: int) -> int:
        barrier.wait()
        banban = Banban(env=store_env, clock=lambda: TODAY)
        view = open_cards_view(banban)
        try:
            return banban.recorder.max_notification_id() or 0
        finally:
            view.close()
            banban.close()

    for attempt in range(3):  # a race: give it a few chances to show
        with ThreadPoolExecutor(starters) as pool:
            assert list(pool.map(start, range(starters))) == [0] * starters
        if attempt < 2 and store_env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
            from tests.conftest import _pg_connect

            with _pg_connect() as conn:  # empty again for the next attempt
                schema = store_env["POSTGRES_SCHEMA"]
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA {schema}")

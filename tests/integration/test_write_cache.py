"""The projects a worker keeps for writing (domain.write_cache): never ahead of the store, never
behind another worker's writes."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from eventsourcing.persistence import OperationalError

from domain.application import Banban
from domain.errors import ConcurrentUpdate, DomainError
from tests.conftest import TODAY

ON = date(2026, 2, 1)


def visit(service: Banban, project_id, version: int, purpose: str) -> dict:
    return service.record(project_id, "office", "visit_logged", expected_version=version,
                          occurred_on=ON, fields={"purpose": purpose})


@pytest.fixture
def other(store_env):
    """A second application on the same store: another worker."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    yield banban
    banban.close()


def test_a_save_that_lost_its_version_leaves_nothing_of_it_in_the_kept_project(
        service, sign, other, monkeypatch):
    project_id = sign()["id"]
    visit(service, project_id, 1, "kept")  # the project is now kept by `service`
    apply = service.apply

    def overtaken(project, *args, **kwargs):
        # Another worker records version 3 after this write has read version 2.
        visit(other, project_id, 2, "the other worker's")
        return apply(project, *args, **kwargs)

    monkeypatch.setattr(service, "apply", overtaken)
    with pytest.raises(ConcurrentUpdate) as caught:
        service.record(project_id, "office", "problem_raised", expected_version=2,
                       occurred_on=ON, fields={"problem_id": "P-lost", "title": "未记下的问题"})
    assert caught.value.actual_version == 3
    monkeypatch.undo()

    # The next write starts from the store's version 3, which has no such problem.
    with pytest.raises(DomainError) as refused:
        service.record(project_id, "office", "problem_resolved", expected_version=3,
                       occurred_on=ON, fields={"problem_id": "P-lost", "resolution": "x"})
    assert refused.value.code == "unknown_problem"
    assert visit(service, project_id, 3, "after")["version"] == 4
    purposes = [e["data"].get("purpose") for e in service.history(project_id)]
    assert purposes == [None, "kept", "the other worker's", "after"]


def test_a_save_the_store_refused_is_not_kept_and_the_same_version_can_be_written_again(
        service, sign, monkeypatch):
    project_id = sign()["id"]
    visit(service, project_id, 1, "kept")

    def refused(*args, **kwargs):
        raise OperationalError("the disk is full")

    monkeypatch.setattr(service.recorder, "insert_events", refused)
    with pytest.raises(OperationalError):
        visit(service, project_id, 2, "refused")
    monkeypatch.undo()

    # Kept with the refused event applied, the project would be at version 3 and refuse this.
    assert visit(service, project_id, 2, "again")["version"] == 3
    assert [e["data"].get("purpose") for e in service.history(project_id)] == [
        None, "kept", "again"]


def test_a_refused_command_leaves_the_kept_project_as_the_store_has_it(service, sign):
    project_id = sign()["id"]
    visit(service, project_id, 1, "kept")
    with pytest.raises(DomainError):
        service.record(project_id, "office", "problem_resolved", expected_version=2,
                       occurred_on=ON, fields={"problem_id": "PB-none", "resolution": "x"})
    assert visit(service, project_id, 2, "after")["version"] == 3


def test_two_workers_writing_one_project_in_turn_each_see_the_others_events(
        service, sign, other):
    """Each resolves the problem the other raised just before: refused as unknown_problem if
    its kept project had missed the other's write."""
    project_id = sign()["id"]
    version = 1
    workers = [service, other]
    for turn in range(20):
        raiser, resolver = workers[turn % 2], workers[1 - turn % 2]
        version = raiser.record(project_id, "office", "problem_raised", expected_version=version,
                                occurred_on=ON, fields={"problem_id": f"P{turn}",
                                                        "title": f"问题{turn}"})["version"]
        version = resolver.record(project_id, "office", "problem_resolved",
                                  expected_version=version, occurred_on=ON,
                                  fields={"problem_id": f"P{turn}", "resolution": "已解决"}
                                  )["version"]
    assert version == 41
    assert other.project(project_id)["version"] == service.project(project_id)["version"] == 41


def test_a_project_signed_here_is_kept_and_written_without_loading(service, sign, monkeypatch):
    project_id = sign()["id"]
    loads = []
    reconstruct = service._writes.repository._reconstruct_aggregate
    monkeypatch.setattr(service._writes.repository, "_reconstruct_aggregate",
                        lambda *args: loads.append(args) or reconstruct(*args))
    for version in range(1, 6):
        visit(service, project_id, version, f"v{version}")
    assert loads == []


def test_threads_of_one_worker_writing_the_same_version_one_wins_the_other_gets_a_conflict(
        service, sign):
    project_id = sign()["id"]
    for round_ in range(10):
        version = 1 + round_
        barrier = threading.Barrier(2)
        outcomes: list[object] = []

        def write(name: str) -> None:
            barrier.wait()
            try:
                outcomes.append(visit(service, project_id, version, f"{name}{round_}")["version"])
            except ConcurrentUpdate as conflict:
                outcomes.append(conflict)

        threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(map(type, outcomes), key=str) == sorted([int, ConcurrentUpdate], key=str)
    assert [e["version"] for e in service.history(project_id)] == list(range(1, 12))


def test_a_write_at_the_version_kept_here_reads_nothing_of_the_project_from_the_store(
        service, sign, monkeypatch):
    project_id = sign()["id"]
    visit(service, project_id, 1, "kept")
    reads = []
    get = service._writes.repository.get
    monkeypatch.setattr(service._writes.repository, "get",
                        lambda *a, **k: reads.append(a) or get(*a, **k))
    assert visit(service, project_id, 2, "without reading")["version"] == 3
    assert reads == []


def test_a_write_at_a_kept_version_another_worker_has_passed_is_a_conflict(
        service, sign, other):
    project_id = sign()["id"]
    visit(service, project_id, 1, "kept")  # kept here at version 2
    visit(other, project_id, 2, "the other worker's")
    with pytest.raises(ConcurrentUpdate) as caught:
        visit(service, project_id, 2, "stale")
    assert caught.value.actual_version == 3
    assert [e["data"].get("purpose") for e in service.history(project_id)] == [
        None, "kept", "the other worker's"]
    assert visit(service, project_id, 3, "after")["version"] == 4


def test_a_refusal_on_a_kept_version_another_worker_has_passed_is_judged_on_the_store(
        service, sign, other):
    """Kept at version 2, this worker knows no problem P; the store's version 3 raised it. A
    write expecting version 2 is stale (409), not a reference to an unknown problem (422)."""
    project_id = sign()["id"]
    visit(service, project_id, 1, "kept")
    other.record(project_id, "office", "problem_raised", expected_version=2, occurred_on=ON,
                 fields={"problem_id": "P", "title": "另一进程记下的问题"})
    with pytest.raises(ConcurrentUpdate) as caught:
        service.record(project_id, "office", "problem_resolved", expected_version=2,
                       occurred_on=ON, fields={"problem_id": "P", "resolution": "已解决"})
    assert caught.value.actual_version == 3
    assert service.record(project_id, "office", "problem_resolved", expected_version=3,
                          occurred_on=ON, fields={"problem_id": "P", "resolution": "已解决"}
                          )["version"] == 4

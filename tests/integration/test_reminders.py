"""The reminders view on each store: made from the rules' obligations and the events, stored once
however many processes make it, read per person, kept read through a rebuild."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from domain.application import Banban
from projections.reminders import ProjectReminders, open_reminders_view
from projections.runner import catch_up, rebuild
from tests.conftest import TODAY  # 2026-11-25, a Wednesday

TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
def reminders(service):
    """The reminders projection of the service, on an empty view."""
    view = open_reminders_view(service)
    yield ProjectReminders(view, service)
    view.close()


@pytest.fixture
def record(service):
    """Factory: record one event on a project (by `by`, the office by default) today."""
    def _record(project_id, event_type, by="office", on=TODAY, **fields):
        version = service.project(project_id)["version"]
        return service.record(project_id, by, event_type, expected_version=version,
                              occurred_on=on, fields=fields)
    return _record


def kinds(reminders, username):
    return sorted((r["kind"], (r["subject"] or {}).get("id")) for r in
                  reminders.view.reminders(username))


def _commitment_due_tomorrow(record, project_id):
    record(project_id, "approval_applied", approval_id="A1", item="环评", department="生态环境局")
    record(project_id, "approval_granted", approval_id="A1", missing_documents=["环评报告"],
           commitment_due_on=TOMORROW)


def test_a_commitment_due_tomorrow_reminds_the_chief_agent(service, sign, reminders, record):
    project = sign()
    _commitment_due_tomorrow(record, project["id"])

    catch_up(service, reminders)

    [found] = reminders.view.reminders("zhang")
    assert (found["kind"], found["rule"], found["due_on"]) == (
        "due_soon", "commitment_overdue", TOMORROW.isoformat())
    assert (found["project_id"], found["project"], found["read"]) == (
        str(project["id"]), project["name"], False)
    assert reminders.view.reminders("li") == []  # the chief agent owns commitments


def test_a_late_milestone_reminds_its_owner_once_as_late(service, sign, reminders, record):
    project = sign()
    record(project["id"], "milestone_planned", milestone="land_approved",
           planned_on=date(2026, 11, 20), on=date(2026, 11, 2))

    catch_up(service, reminders)
    catch_up(service, reminders)

    assert kinds(reminders, "zhang") == [("late", "land_approved")]


def test_an_instruction_reminds_the_team_but_not_the_leader_who_gave_it(
        service, sign, reminders, record):
    project = sign()
    record(project["id"], "instruction_given", by="leader", instruction="加快进度")

    catch_up(service, reminders)

    assert kinds(reminders, "zhang") == kinds(reminders, "li") == [("instruction", None)]
    assert reminders.view.reminders("leader") == []


def test_an_escalation_reminds_the_team_and_whoever_takes_it(service, sign, reminders, record):
    project = sign()
    record(project["id"], "problem_raised", by="zhang", problem_id="P1", title="用地指标")
    record(project["id"], "problem_escalated", by="zhang", problem_id="P1",
           escalated_to="leader", leader="leader")

    catch_up(service, reminders)

    assert ("escalation", "P1") in kinds(reminders, "leader")
    assert ("escalation", "P1") in kinds(reminders, "li")
    assert ("escalation", "P1") not in kinds(reminders, "zhang")  # who escalated it


def test_a_team_change_reminds_whom_it_adds_and_removes(service, sign, reminders, record):
    project = sign()
    record(project["id"], "team_assigned", chief_agent="zhang", co_agents=["wang"],
           reason="调整分工")

    catch_up(service, reminders)

    assert kinds(reminders, "wang") == [("team_added", None)]
    assert kinds(reminders, "li") == [("team_removed", None)]
    assert reminders.view.reminders("zhang") == []


def test_old_events_are_history_not_reminders(service, sign, reminders, record):
    project = sign()
    record(project["id"], "instruction_given", by="leader", instruction="加快进度",
           on=TODAY - timedelta(days=30))

    catch_up(service, reminders)

    assert reminders.view.reminders("zhang") == []


def test_what_falls_due_without_any_event_is_found_by_the_days_sweep(
        service, sign, reminders, record):
    project = sign()
    record(project["id"], "milestone_planned", milestone="land_approved",
           planned_on=date(2026, 12, 15))
    catch_up(service, reminders)
    assert reminders.view.reminders("zhang") == []

    assert reminders.sweep(date(2026, 12, 14)) == 1
    assert reminders.sweep(date(2026, 12, 14)) == 0  # once a day
    assert kinds(reminders, "zhang") == [("due_soon", "land_approved")]


def test_reading_is_per_person_and_survives_a_rebuild(service, sign, reminders, record):
    project = sign()
    record(project["id"], "instruction_given", by="leader", instruction="加快进度")
    catch_up(service, reminders)
    [mine] = reminders.view.reminders("zhang")

    assert reminders.view.mark_read("zhang", [mine["id"]]) == 1
    assert reminders.view.mark_read("zhang", [mine["id"]]) == 0

    assert reminders.view.unread_count("zhang") == 0
    assert reminders.view.unread_count("li") == 1
    rebuild(service, reminders)
    assert [r["read"] for r in reminders.view.reminders("zhang")] == [True]
    assert reminders.view.reminder("li", mine["id"])["read"] is False


def test_two_workers_and_a_runner_catching_up_together_store_each_reminder_once(
        service, sign, record, store_env):
    ids = [sign(name=f"项目{n}")["id"] for n in range(4)]
    for project_id in ids:
        _commitment_due_tomorrow(record, project_id)
        record(project_id, "instruction_given", by="leader", instruction="加快进度")
    processes = [Banban(env=store_env, clock=lambda: TODAY) for _ in range(3)]
    projections = [ProjectReminders(open_reminders_view(app), app) for app in processes]
    start = threading.Barrier(3)
    errors = []

    def work(app, projection, batch):
        try:
            start.wait()
            catch_up(app, projection, batch=batch)
            projection.sweep()
        except BaseException as error:  # reported below: a thread must not fail silently
            errors.append(error)

    threads = [threading.Thread(target=work, args=(app, projection, batch))
               for app, projection, batch in zip(processes, projections, (2, 3, 500))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        view = projections[0].view
        assert kinds(projections[1], "zhang") == sorted(
            [("due_soon", "A1")] * 4 + [("instruction", None)] * 4)
        assert len(view.reminders("li")) == 4
        assert view.unread_count("zhang") == 8
        assert len(view.dump()["main"]) == 12
    finally:
        for projection, app in zip(projections, processes):
            projection.view.close()
            app.close()

"""The project cards projection on each store: exact, idempotent, rebuildable, safe under races."""

from __future__ import annotations

import os
import threading
from concurrent.futures.process import BrokenProcessPool
from datetime import date, timedelta
from unittest.mock import patch
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.sqlite import SQLiteDatastore

from app.store import Store
from domain.application import Banban
from domain.reminders import DUE_SOON, LATE, NEWS_DAYS, NEWS_EVENTS
from projections.cards import ProjectCards, open_cards_view
from projections.people import People, open_people_view
from projections.publications import Publications, open_publications_view
from projections.reminders import ProjectReminders, open_reminders_view
from projections import runner
from projections.runner import catch_up, rebuild, rebuild_all, status
from projections.views import open_view
from tests.conftest import TODAY

AGENTS = ("zhang", "li", "wang")


@pytest.fixture
def cards(service):
    """The cards projection of the service, on an empty view."""
    view = open_cards_view(service)
    yield ProjectCards(view, service)
    view.close()


@pytest.fixture
def record(service):
    """Factory: record one event on a project (by the office) at its current version."""
    def _record(project_id, event_type, on=date(2026, 3, 2), **fields):
        version = service.project(project_id)["version"]
        return service.record(project_id, "office", event_type, expected_version=version,
                              occurred_on=on, fields=fields)
    return _record


def _reach(record, project_id, milestone="land_approved", on=date(2026, 2, 1)):
    return record(project_id, "milestone_reached", on=on, milestone=milestone)


def _project_events(service) -> int:
    return sum(1 for _ in service.recorder.select_notifications(
        1, 1_000_000, topics=ProjectCards.topics))


def _user_events(service) -> int:
    return sum(1 for _ in service.recorder.select_notifications(1, 1_000_000, topics=People.topics))


def _everything(view) -> dict:
    """Every card, and every agent's list of project ids: the whole view as plain data."""
    return {"cards": view.cards(),
            "teams": {agent: [c["project_id"] for c in view.cards(agent=agent)]
                      for agent in AGENTS}}


def test_cards_appear_after_catch_up_with_the_projects_headline_fields(service, sign, cards):
    first = sign()
    second = sign(name="安福光伏组件", chief_agent="li", co_agents=["wang"],
                  signed_on=date(2026, 2, 9))

    assert catch_up(service, cards) == 2

    card = cards.view.card(second["id"])
    assert {k: v for k, v in card.items() if k != "summary"} == {
        "project_id": second["id"], "version": 1, "name": "安福光伏组件", "phase": "signing",
        "status": "active", "signed_on": "2026-02-09", "chief_agent": "li", "county": None}
    assert card["summary"]["id"] == str(second["id"])
    assert card["summary"]["co_agents"] == ["wang"]
    assert card["summary"]["signed_on"] == "2026-02-09"
    assert [c["project_id"] for c in cards.view.cards()] == [first["id"], second["id"]]
    assert cards.view.card(uuid4()) is None


def test_cards_filter_by_agent_as_chief_or_co_agent_by_phase_and_by_status(
        service, sign, cards, record):
    first = sign()  # zhang chief, li co
    second = sign(name="安福光伏组件", chief_agent="li", co_agents=["wang"])
    _reach(record, first["id"])
    record(second["id"], "suspended", reason="资金未到位")
    catch_up(service, cards)

    def ids(**filters):
        return {c["project_id"] for c in cards.view.cards(**filters)}

    assert ids(agent="zhang") == {first["id"]}
    assert ids(agent="li") == {first["id"], second["id"]}
    assert ids(agent="wang") == {second["id"]}
    assert ids(agent="leader") == set()
    assert ids(phase="land") == {first["id"]}
    assert ids(status="suspended") == {second["id"]}
    assert ids(agent="li", phase="signing") == {second["id"]}
    assert ids(agent="li", phase="land", status="suspended") == set()


def test_a_new_team_replaces_the_old_one_in_the_agent_index(service, sign, cards, record):
    project = sign()
    catch_up(service, cards)
    record(project["id"], "team_assigned", chief_agent="wang", co_agents=["zhang"])
    catch_up(service, cards)

    assert [c["project_id"] for c in cards.view.cards(agent="li")] == []
    assert [c["project_id"] for c in cards.view.cards(agent="wang")] == [project["id"]]
    assert cards.view.card(project["id"])["chief_agent"] == "wang"


def test_a_correction_voiding_a_milestone_takes_the_card_back_to_its_phase(
        service, sign, cards, record):
    project = sign()
    _reach(record, project["id"])
    catch_up(service, cards)
    assert cards.view.card(project["id"])["phase"] == "land"

    record(project["id"], "corrected", corrects_version=2, action="void", reason="录入错误")
    catch_up(service, cards)

    card = cards.view.card(project["id"])
    assert (card["version"], card["phase"]) == (3, "signing")
    assert card["summary"]["last_event"]["type"] == "corrected"


def test_a_kept_project_takes_its_next_event_and_is_loaded_again_after_a_gap(
        service, sign, cards, record, store_env):
    project = sign()
    loads = []

    class Counting:  # the repository the projection loads from, counting its loads
        def get(self, *args, **kwargs):
            loads.append(kwargs.get("version"))
            return service.repository.get(*args, **kwargs)

    mine = ProjectCards(cards.view, service, repository=Counting())
    _reach(record, project["id"])
    catch_up(service, mine, batch=1)
    assert loads == [1]  # signed: loaded; the milestone: applied to the kept project

    # Another worker applies the next two events, so this one's kept project falls behind.
    other_app = Banban(env=store_env, clock=lambda: TODAY)
    other = ProjectCards(open_cards_view(other_app), other_app)
    try:
        record(project["id"], "problem_raised", title="电力线路迁改", problem_id="P1")
        record(project["id"], "corrected", corrects_version=2, action="void", reason="录入错误")
        catch_up(other_app, other)
    finally:
        other.view.close()
        other_app.close()
    record(project["id"], "problem_resolved", problem_id="P1", resolution="已迁改")
    record(project["id"], "milestone_reached", on=date(2026, 2, 3), milestone="land_approved")
    catch_up(service, mine, batch=1)

    assert loads == [1, 5]  # behind by more than one: loaded at the event's version
    fresh = ProjectCards(open_cards_view(service, prefix="fresh_cards"), service)
    try:
        rebuild(service, fresh)
        assert _everything(fresh.view) == _everything(cards.view)
        card = cards.view.card(project["id"])
        assert (card["version"], card["phase"], card["summary"]["open_problems"]) == (
            6, "land", 0)
    finally:
        fresh.view.close()


def test_catching_up_twice_changes_nothing_the_second_time(service, sign, cards, record):
    project = sign()
    _reach(record, project["id"])
    assert catch_up(service, cards) == 2
    before = _everything(cards.view)

    assert catch_up(service, cards) == 0
    assert _everything(cards.view) == before


def _history(service, sign, record, after_each) -> None:
    """Three projects' histories with a correction, a termination, a team change and a user
    registered between them; `after_each` runs after every step."""
    steps = [
        lambda ids: ids.append(sign()["id"]),
        lambda ids: ids.append(sign(name="光伏", chief_agent="li", co_agents=["wang"],
                                    signed_on=date(2026, 1, 20))["id"]),
        lambda ids: _reach(record, ids[0]),
        lambda ids: record(ids[1], "problem_raised", title="电力线路迁改", problem_id="P1"),
        lambda ids: service.register_user("zhao", "agent", actor="test", password_hash="x"),
        lambda ids: record(ids[1], "team_assigned", chief_agent="zhang", co_agents=["li"]),
        lambda ids: record(ids[0], "corrected", corrects_version=2, action="void",
                           reason="录入错误"),
        lambda ids: ids.append(sign(name="新材料二期", co_agents=[])["id"]),
        lambda ids: record(ids[2], "terminated", reason="企业撤资"),
        lambda ids: record(ids[1], "problem_resolved", problem_id="P1", resolution="已迁改"),
    ]
    ids: list = []
    for step in steps:
        step(ids)
        after_each()


def test_the_live_view_equals_a_fresh_rebuild_row_by_row(service, sign, cards, record):
    _history(service, sign, record, lambda: catch_up(service, cards, batch=2))
    rebuilt = ProjectCards(open_cards_view(service, prefix="rebuilt_cards"), service)
    try:
        assert rebuild(service, rebuilt, batch=3) == _project_events(service)
        assert _everything(rebuilt.view) == _everything(cards.view)
        assert len(cards.view.cards()) == 3
        assert rebuilt.view.max_tracking_id(service.name) == cards.view.max_tracking_id(
            service.name)
    finally:
        rebuilt.view.close()


def test_views_rebuilt_in_one_pass_equal_the_live_ones(service, sign, cards, record):
    """`flask projections rebuild`: the cards and the reminders rebuilt together, each project
    loaded once for both (no event folded), equal the views kept live batch by batch, but for
    what the live view was owed while a problem was open (kept as it was made)."""
    reminders = ProjectReminders(open_reminders_view(service), service)

    def live():
        catch_up(service, cards, batch=2)
        catch_up(service, reminders, batch=3)

    _history(service, sign, record, live)
    record(cards.view.cards(status="active")[0]["project_id"], "instruction_given", on=TODAY,
           leader="leader", instruction="加快进度")
    live()
    fresh = [ProjectCards(open_cards_view(service, prefix="rebuilt_cards"), service),
             ProjectReminders(open_reminders_view(service, prefix="rebuilt_reminders"), service)]
    try:
        events = _project_events(service)
        loaded, load = [], service.repository.get

        def get(project_id, version=None, **kwargs):
            loaded.append((project_id, version))
            return load(project_id, version=version, **kwargs)

        with patch.object(service.repository, "get", get):
            assert rebuild_all(service, fresh, batch=4, projects=2) == [events, events]
        # No event folded: each project loaded once at its last version, and at each event
        # that is news (bringing reminders of its own) as of it.
        last = {p["project_id"]: p["version"] for p in cards.view.cards()}
        news = [(event.originator_id, event.originator_version)
                for project_id in last for event in service.events.get(project_id)
                if type(event).__name__ in NEWS_EVENTS
                and event.occurred_on >= TODAY - timedelta(days=NEWS_DAYS)]
        assert news and sorted(loaded, key=str) == sorted([*last.items(), *news], key=str)
        assert _everything(fresh[0].view) == _everything(cards.view)
        assert any(reminders.view.reminders(user) for user in AGENTS)
        # The reminders: the same, but those the live view made while the problem was open
        # and late (kept, as made that day); the rebuild makes what the projects owe as they
        # stand, and the news events' own.
        def owed_for_resolved(reminder):
            return reminder["kind"] in (LATE, DUE_SOON) and \
                (reminder["subject"] or {}).get("id") == "P1"

        for user in AGENTS:
            rebuilt, live = fresh[1].view.reminders(user), reminders.view.reminders(user)
            assert [r for r in live if not owed_for_resolved(r)] == rebuilt
            assert not any(owed_for_resolved(r) for r in rebuilt)
        assert any(owed_for_resolved(r) for r in reminders.view.reminders("zhang"))
        for projection in fresh:
            assert projection.view.max_tracking_id(service.name) == \
                cards.view.max_tracking_id(service.name)
    finally:
        reminders.view.close()
        for projection in fresh:
            projection.view.close()


def test_the_store_names_each_projects_last_version_up_to_a_position(service, sign, record):
    """What a rebuild of all views asks first: of the project events up to a notification
    (users' are not counted), each project's last version in signing order, and how many."""
    first, second = sign(), sign(name="光伏", chief_agent="li", co_agents=["wang"])
    _reach(record, first["id"])
    position = service.recorder.max_notification_id()
    record(second["id"], "suspended", reason="资金未到位")
    service.register_user("zhao", "agent", actor="test", password_hash="x")
    sign(name="后来的")

    latest, events = service.recorder.last_versions(ProjectCards.topics, position)
    assert list(latest.items()) == [(first["id"], 2), (second["id"], 1)] and events == 3


@pytest.fixture
def store(store_env):
    """The views as `flask projections rebuild` opens them (app.store.Store), on the service's
    store: what a forked process of a parallel rebuild opens again for itself."""
    opened = Store(store_env, lambda: TODAY)
    yield opened
    opened.close()


def _history_with_news(service, sign, record) -> None:
    """`_history`, a fourth project, and an instruction given today (news: told to the
    reminders with its project as of it)."""
    _history(service, sign, record, lambda: None)
    fourth = sign(name="电子信息产业园", chief_agent="wang", co_agents=["zhang"])["id"]
    record(fourth, "instruction_given", on=TODAY, leader="leader", instruction="加快进度")


def _made_in(tmp_path):
    """Note the process that makes each batch's rows (in a file: forked processes too)."""
    made, rows = tmp_path / "made-in", runner._rows

    def noting(*args, **kwargs):
        with open(made, "a") as note:
            note.write(f"{os.getpid()}\n")
        return rows(*args, **kwargs)

    return patch.object(runner, "_rows", noting), made


def test_views_rebuilt_by_several_processes_equal_those_rebuilt_by_one(
        service, sign, record, store, tmp_path):
    _history_with_news(service, sign, record)
    service.publish_dispatch("weekly", None, "office")
    one = [ProjectCards(open_cards_view(service, prefix="one_cards"), service),
           ProjectReminders(open_reminders_view(service, prefix="one_reminders"), service),
           People(open_people_view(service, prefix="one_people"), service),
           Publications(open_publications_view(service, prefix="one_publications"), service)]
    apart = list(store.views().values())
    noting, made = _made_in(tmp_path)
    try:
        counts = rebuild_all(service, one, projects=1)
        with noting:
            assert rebuild_all(store.get(), apart, projects=1, processes=2, opener=store) \
                == counts == [_project_events(service)] * 2 + [_user_events(service), 1]
        # Four batches of one project, none made here.
        pids = made.read_text().split()
        assert len(pids) == 4 and str(os.getpid()) not in pids
        assert any(one[1].view.reminders(user) for user in AGENTS)
        for projection, alike in zip(apart, one, strict=True):
            assert projection.view.dump() == alike.view.dump()
            assert projection.view.max_tracking_id(service.name) == \
                service.recorder.max_notification_id()
    finally:
        for projection in one:
            projection.view.close()


@pytest.mark.parametrize("failure", ["an error", "the process killed"])
def test_a_parallel_rebuild_whose_process_fails_fails_and_records_no_position(
        service, sign, record, store, failure):
    _history_with_news(service, sign, record)
    apart = list(store.views().values())
    last = list(service.project_ids())[-1]
    made = runner._rows

    def failing(app, shared, latest, told, ids):
        if last in ids:
            if failure == "an error":
                raise RuntimeError("a project that cannot be made")
            os._exit(1)
        return made(app, shared, latest, told, ids)

    with patch.object(runner, "_rows", failing), \
            pytest.raises(RuntimeError if failure == "an error" else BrokenProcessPool):
        rebuild_all(store.get(), apart, projects=1, processes=2, opener=store)
    for projection in apart:
        assert projection.view.max_tracking_id(service.name) is None


def test_a_store_in_memory_is_rebuilt_in_its_own_process(tmp_path):
    """Another process cannot read a SQLite database in memory: its views (in a file here)
    are rebuilt in this one, whatever the processes asked for."""
    class Unopenable:
        def views(self):
            raise AssertionError("a store in memory opened again")

        def close(self):
            pass

    service = Banban(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                          "SQLITE_DBNAME": ":memory:"}, clock=lambda: TODAY)
    views = SQLiteDatastore(str(tmp_path / "views.db"))
    cards = ProjectCards(open_view(service, "cards", "cards", views), service)
    try:
        for username, role in (("office", "office"), ("zhang", "agent")):
            service.register_user(username, role, actor="test", password_hash="x")
        project = service.sign_project("office", name="光伏", investor="某公司", industry="新材料",
                                       investment=1_000, chief_agent="zhang",
                                       signed_on=date(2026, 1, 5))
        assert rebuild_all(service, [cards], processes=2, opener=Unopenable()) == [1]
        assert [card["project_id"] for card in cards.view.cards()] == [project["id"]]
    finally:
        cards.view.close()
        service.close()


def test_a_rebuild_overtaken_by_another_process_goes_on_from_there(service, sign, cards, record):
    """A web worker catching the emptied view up from the start while the rebuild writes its
    rows (its own batches, each moving the position): the rebuild cannot record its position
    over that one, and catches up from there; the view ends equal to the live one."""
    _history(service, sign, record, lambda: catch_up(service, cards, batch=2))
    fresh = ProjectCards(open_cards_view(service, prefix="rebuilt_cards"), service)
    other = ProjectCards(fresh.view, service)
    middle = service.recorder.max_notification_id() // 2
    write = fresh.view.write

    def overtaken(rows):
        if fresh.view.max_tracking_id(service.name) is None:
            catch_up(service, other, batch=2, stop=middle)
        write(rows)

    try:
        with patch.object(fresh.view, "write", overtaken):
            rebuild_all(service, [fresh], projects=1)
        assert fresh.view.max_tracking_id(service.name) == cards.view.max_tracking_id(
            service.name)
        assert _everything(fresh.view) == _everything(cards.view)
    finally:
        fresh.view.close()


def test_a_rebuild_up_to_a_position_equals_the_view_as_it_stood_there(
        service, sign, cards, record):
    project = sign()
    _reach(record, project["id"])
    catch_up(service, cards)
    position, then = cards.view.max_tracking_id(service.name), _everything(cards.view)
    record(project["id"], "suspended", reason="资金未到位")
    sign(name="光伏", chief_agent="li", co_agents=["wang"])
    catch_up(service, cards)
    rebuilt = ProjectCards(open_cards_view(service, prefix="rebuilt_cards"), service)
    try:
        assert rebuild(service, rebuilt, batch=1, stop=position) == 2
        assert _everything(rebuilt.view) == then != _everything(cards.view)
        assert rebuilt.view.max_tracking_id(service.name) == position
    finally:
        rebuilt.view.close()


def test_a_rebuild_replaces_a_view_that_has_drifted(service, sign, cards, record):
    project = sign()
    catch_up(service, cards)
    cards.view.drop_all()
    assert cards.view.cards() == [] and cards.view.max_tracking_id(service.name) is None

    calls = []
    assert rebuild(service, cards, progress=lambda done, total: calls.append((done, total))) == 1
    assert [c["project_id"] for c in cards.view.cards()] == [project["id"]]
    assert calls[-1][0] == calls[-1][1] == service.recorder.max_notification_id()


def test_a_catch_up_that_loses_a_race_continues_from_the_winners_position(
        service, sign, cards, store_env):
    for n in range(3):
        sign(name=f"项目{n}")
    first = service.recorder.select_notifications(1, 1, topics=ProjectCards.topics)[0]
    other_app = Banban(env=store_env, clock=lambda: TODAY)
    other = ProjectCards(open_cards_view(other_app), other_app)
    raced = []

    class Racing(ProjectCards):
        def rows_for(self, events):
            rows = super().rows_for(events)
            if not raced:  # another worker applies the first event between our read and write
                raced.append(first.id)
                other.process_event(other_app.mapper.to_domain_event(first),
                                    Tracking(other_app.name, first.id))
            return rows

    try:
        assert catch_up(service, Racing(cards.view, service), batch=3) == 2
        assert raced == [first.id]
        assert len(cards.view.cards()) == 3
    finally:
        other.view.close()
        other_app.close()


def test_two_workers_catching_up_at_once_apply_every_event_exactly_once(
        service, sign, record, store_env):
    ids = [sign(name=f"项目{n}")["id"] for n in range(4)]
    for project_id in ids:
        _reach(record, project_id)
        record(project_id, "visit_logged", purpose="走访")
    workers = [Banban(env=store_env, clock=lambda: TODAY) for _ in range(2)]
    projections = [ProjectCards(open_cards_view(app), app) for app in workers]
    start = threading.Barrier(2)
    processed, errors = [], []

    def work(app, projection, batch):
        try:
            start.wait()
            processed.append(catch_up(app, projection, batch=batch))
        except BaseException as error:  # reported below: a thread must not fail silently
            errors.append(error)

    # Different batch sizes make the workers' ranges overlap without coinciding.
    threads = [threading.Thread(target=work, args=(app, projection, batch))
               for app, projection, batch in zip(workers, projections, (2, 3))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sum(processed) == _project_events(service) == 12
        cards = projections[0].view.cards()
        assert sorted(c["project_id"] for c in cards) == sorted(ids)
        assert {c["version"] for c in cards} == {3}
        assert status(service, projections[1].view)["lag"] == 0
    finally:
        for projection, app in zip(projections, workers):
            projection.view.close()
            app.close()


def test_status_reports_the_lag_behind_the_event_log(service, sign, cards, record):
    project = sign()
    catch_up(service, cards)
    last = service.recorder.max_notification_id()
    assert status(service, cards.view) == {"position": last, "max_notification_id": last,
                                           "lag": 0}

    _reach(record, project["id"])
    record(project["id"], "visit_logged", purpose="走访")
    service.register_user("zhao", "agent", actor="test", password_hash="x")
    assert status(service, cards.view)["lag"] == 3

    assert catch_up(service, cards) == 2
    assert status(service, cards.view)["lag"] == 0


def test_processing_one_event_twice_is_refused_by_the_tracking_row(service, sign, cards):
    project = sign()
    notification = service.recorder.select_notifications(
        1, 1, topics=ProjectCards.topics)[0]
    event = service.mapper.to_domain_event(notification)
    cards.process_event(event, Tracking(service.name, notification.id))

    with pytest.raises(IntegrityError):
        cards.process_event(event, Tracking(service.name, notification.id))
    assert cards.view.card(project["id"])["version"] == 1


def test_the_app_lists_its_users_from_the_people_view_as_the_log_gives_them(
        service, sign, store, monkeypatch):
    app = store.get()
    service.rename_user("zhang", "张三", actor="test")
    service.sign_out_everywhere("li", actor="test")
    service.disable_user("wang", actor="test")
    sign(name="光伏组件项目", chief_agent="zhang")

    def scanned(*_args, **_kwargs):
        raise AssertionError("the user list read the log")

    monkeypatch.setattr("domain.application.user_events_since", scanned)
    listed = app.users()
    monkeypatch.undo()
    # Equal, types and order too, to the users read from the log (no view: the domain alone).
    assert listed == service.users()
    assert next(u for u in listed if u["username"] == "li")["sessions_ended_at"] is not None
    view = store.people_unsynced().view
    read, original = [], view.people
    monkeypatch.setattr(view, "people", lambda name, since=0: read.append(
        original(name, since)) or read[-1])
    assert app.users() == listed and [rows for _, rows in read] == [[]]  # none changed since
    # Another process registers one user and disables another; a project event comes between.
    other = Banban(env=service.env, clock=lambda: TODAY)
    try:
        other.register_user("xu", "agent", actor="test", display_name="许")
        sign(name="电子信息产业园", chief_agent="zhang", co_agents=["li"])
        other.disable_user("zhang", actor="test")
    finally:
        other.close()
    after = app.users()
    assert [person.user["username"] for person in read[-1][1]] == ["zhang", "xu"]
    assert after == service.users()
    assert [u["username"] for u in after] == [u["username"] for u in listed] + ["xu"]
    # The view emptied for a rebuild: the users read stand until it is made again.
    view.drop_all()
    monkeypatch.setattr(store, "people", lambda: store.people_unsynced())  # no catch-up yet
    assert app.users() == after
    monkeypatch.undo()
    assert app.users() == after  # caught up again from the start


def test_the_people_view_rebuilt_equals_the_one_kept_row_by_row(service, store):
    service.rename_user("zhang", "张三", actor="test")
    service.register_user("xu", "agent", actor="test", display_name="许", password_hash="x")
    service.disable_user("xu", actor="test")
    live = store.people()
    rebuilt = People(open_people_view(service, prefix="rebuilt_people"), service)
    try:
        assert rebuild(service, rebuilt, batch=2) == _user_events(service)
        assert rebuilt.view.dump() == live.view.dump()
        assert len(live.view.dump()["main"]) == len(service.users()) == 7
    finally:
        rebuilt.view.close()


def test_the_app_lists_publications_from_their_view_as_the_log_gives_them(
        service, sign, store, monkeypatch):
    app = store.get()
    sign(name="光伏组件项目", chief_agent="zhang")
    week = service.publish_dispatch("weekly", None, "office")["period"]
    service.publish_dispatch("weekly", None, "office")
    service.publish_dispatch("monthly", None, "office")

    def scanned(*_args, **_kwargs):
        raise AssertionError("the publications were read from the log")

    monkeypatch.setattr(app, "_notified_ids", scanned)
    listed = app.publications(reader="auditor")
    revisions = app.publications("weekly", week, reader="auditor")
    monkeypatch.undo()
    # Equal, types and order too, to the publications read from the log (the domain alone).
    assert listed == service.publications(reader="auditor") and len(listed) == 3
    assert revisions == service.publications("weekly", week, reader="auditor")
    assert [r["revision"] for r in revisions] == [2, 1]
    assert {r["cadence"] for r in listed} == {"weekly", "monthly"}

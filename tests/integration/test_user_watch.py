"""Users a worker keeps between requests (domain.user_watch): on PostgreSQL a token is checked
without reading the store while the store's notifications say its user has not changed; a
change made by another worker is seen as soon as the notification arrives, one made by the
same worker at once; with the listener's connection lost, every check reads the store until
it is back. On SQLite every check reads the store (there is no channel)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest

from domain.application import Banban
from tests.conftest import PG, TODAY, require_store
from tests.integration.test_views_property import BACKENDS, fresh_store

WAIT = 60  # seconds: how long a busy machine may take to deliver a notification


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def counting_loads(service: Banban) -> list[str]:
    """The usernames the service reads from the store, from now on."""
    loads: list[str] = []
    real = service._load_user

    def load(username, repository):
        loads.append(username)
        return real(username, repository)

    service._load_user = load
    return loads


def admin() -> psycopg.Connection:
    return psycopg.connect(host=PG["POSTGRES_HOST"], port=PG["POSTGRES_PORT"],
                           user=PG["POSTGRES_USER"], password=PG["POSTGRES_PASSWORD"],
                           dbname=PG["POSTGRES_DBNAME"], autocommit=True)


def settled(service: Banban) -> None:
    """Wait until the service's watch has taken in every notification sent so far: one sent
    without naming users after them makes it read the log up to its end (they arrive in
    order)."""
    watch, last = service._user_watch(), service.recorder.max_notification_id()
    with admin() as connection:
        connection.execute(f'NOTIFY "{service.recorder.channel_name}"')
    eventually(lambda: watch._position >= last, "the watch has read the log")


@contextmanager
def two_workers() -> Iterator[tuple[Banban, Banban, str]]:
    """Two services on one new PostgreSQL store (two workers), the first one's watch
    listening; an agent's token."""
    require_store("postgres")
    with fresh_store("postgres") as env:
        first = Banban(env=env, clock=lambda: TODAY)
        second = Banban(env=env, clock=lambda: TODAY)
        try:
            first.register_user("office", "office", actor="test")
            first.register_user("zhang", "agent", actor="test")
            eventually(lambda: first._user_watch().live, "the watch listens")
            token = first.issue_token("zhang", actor="office")
            settled(first)
            yield first, second, token
        finally:
            watch = first._watch
            first.close()
            second.close()
            assert watch is None or not watch._thread.is_alive()  # closing stops the listener


@pytest.mark.postgres
def test_a_kept_user_is_checked_without_reading_the_store_and_a_change_is_seen():
    with two_workers() as (reader, writer, token):
        loads = counting_loads(reader)
        assert reader.authenticate_token(token)["username"] == "zhang"
        assert loads == ["zhang"]
        # Another user registered meanwhile: only that one is forgotten.
        writer.register_user("li", "agent", actor="test")
        settled(reader)
        for _ in range(5):
            assert reader.authenticate_token(token)["username"] == "zhang"
        assert loads.count("zhang") == 1
        # Another worker disables zhang: the reader refuses the token once told.
        writer.disable_user("zhang", actor="office")
        eventually(lambda: reader.authenticate_token(token) is None, "the change is seen")
        assert loads.count("zhang") >= 2
        # A change made by the same worker is seen at once, with no wait.
        reader.enable_user("zhang", actor="office")
        assert reader.authenticate_token(token)["username"] == "zhang"


@pytest.mark.postgres
def test_with_the_listener_lost_every_check_reads_the_store_until_it_is_back():
    with two_workers() as (reader, writer, token):
        watch = reader._user_watch()
        assert reader.authenticate_token(token)
        with admin() as connection:
            listeners = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()").fetchall()
            assert listeners
            for (pid,) in listeners:
                connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
        eventually(lambda: not watch.live, "the watch notices")
        # Nothing kept is trusted: a change by another worker is seen at the next check.
        writer.disable_user("zhang", actor="office")
        assert reader.authenticate_token(token) is None
        eventually(lambda: watch.live, "the watch listens again")
        writer.enable_user("zhang", actor="office")
        eventually(lambda: reader.authenticate_token(token) is not None, "enabled again")


@BACKENDS
def test_the_users_list_reads_only_what_was_recorded_since(backend):
    require_store(backend)
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            service.register_user("office", "office", actor="test")
            assert [u["username"] for u in service.users()] == ["office"]
            service.register_user("zhang", "agent", actor="test")
            assert [u["username"] for u in service.users()] == ["office", "zhang"]
            assert service._people_position == service.recorder.max_notification_id()
            if backend == "sqlite":
                assert service._user_watch() is None  # no channel: the store is read
        finally:
            service.close()


def test_a_watch_closed_from_its_own_thread_stops_without_waiting_for_itself():
    """An application garbage collected in its watch's thread (another test's store gone,
    say) closes the watch from that thread: it stops, and raises nothing (a thread cannot
    wait for itself)."""
    import threading

    with two_workers() as (first, _, _):
        watch, errors = first._user_watch(), []

        def close_from_inside() -> None:
            try:
                watch.close()
            except Exception as error:  # noqa: BLE001 - what the watch's thread would raise
                errors.append(error)

        listening, inside = watch._thread, threading.Thread(target=close_from_inside)
        watch._thread = inside  # as if the collection ran in the watch's thread
        inside.start()
        inside.join(timeout=WAIT)
        assert errors == [] and not inside.is_alive()
        listening.join(timeout=WAIT)
        assert not listening.is_alive()  # asked to stop, it stopped

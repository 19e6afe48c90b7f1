"""SIGKILL the web workers and the view runner at random moments during a load of writes.

Each kill happens while every server process is frozen (SIGSTOP), so the view can be read
exactly as the kill left it and compared with a rebuild of the log up to the view's own
position: a view that recorded a position without the rows of its batch (or the reverse) is
caught before a later batch can paper over it. Afterwards the views, caught up, equal a fresh
rebuild, and every write that was answered 201 is in the log at the version it was given.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from domain.application import Banban
from projections.cards import CardsView, ProjectCards, open_cards_view
from projections.runner import catch_up, rebuild
from tests.conftest import TODAY
from tests.e2e.server import ROOT, Gunicorn, environment_for
from tests.faults.load import Ledger, check_log, logged_visits, seed_store, write_load

pytestmark = pytest.mark.faults

KILLS = {"runner": 8, "worker": 12}
PROJECTS, WRITERS = 10, 6
# The moments are random, but drawn from a seed: BANBAN_FAULTS_SEED replays or varies them.
SEED = int(os.environ.get("BANBAN_FAULTS_SEED", "6"))


class ViewRunner:
    """`flask projections run` as a process of its own, as it is deployed."""

    def __init__(self, store_env: dict[str, str]):
        self.env = {**environment_for(store_env), "FLASK_APP": "wsgi"}
        self._log = tempfile.TemporaryFile()
        self.started = 0
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "projections", "run", "--interval", "0.05"],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self.started += 1

    def check_alive(self) -> None:
        """Fail if the runner stopped by itself (a projection error ends it)."""
        assert self.process.poll() is None, f"the view runner died: {self.log()[-3000:]}"

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM) and keep its log for the report."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.output = self.log()
        self._log.close()

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def workers_of(server: Gunicorn, timeout: float = 30) -> list[int]:
    """gunicorn's workers, waiting for at least one to be forked again after kills."""
    deadline = time.monotonic() + timeout
    while not (workers := children(server.process.pid)):
        assert time.monotonic() < deadline, f"no worker came back: {server.log()[-3000:]}"
        time.sleep(0.05)
    return workers


@contextmanager
def frozen(server: Gunicorn, runner: ViewRunner) -> Iterator[list[int]]:
    """Stop every server process (SIGSTOP) for the block, then let them go on (SIGCONT).

    gunicorn's master is stopped first, so that it forks no worker meanwhile; the block gets
    the workers' ids.
    """
    workers_of(server)  # one at least, to kill
    _signal(server.process.pid, signal.SIGSTOP)
    pids = [server.process.pid, *children(server.process.pid), runner.process.pid]
    for pid in pids[1:]:
        _signal(pid, signal.SIGSTOP)
    try:
        yield pids[1:-1]
    finally:
        for pid in pids:
            _signal(pid, signal.SIGCONT)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:  # it has just ended (or the block killed it)
        pass


def wait_for_progress(app: Banban, view: CardsView, ledger: Ledger, position: int,
                      failed: list, timeout: float = 120) -> None:
    """Until a write is accepted and the view has moved past `position` (the load's readers
    and the runner move it); AssertionError if nothing moves for `timeout` seconds."""
    accepted, deadline = len(ledger.accepted), time.monotonic() + timeout
    while time.monotonic() < deadline and not failed:
        if len(ledger.accepted) > accepted and (view.max_tracking_id(app.name) or 0) > position:
            return
        time.sleep(0.05)
    raise AssertionError(f"no progress for {timeout} s: {len(ledger.accepted)} writes accepted, "
                         f"the view at {view.max_tracking_id(app.name)} (failed: {failed})")


def scratch_view(app: Banban, tmp_path: Path) -> CardsView:
    """An empty cards view to rebuild into, which no server process ever locks."""
    if app.env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        from eventsourcing.sqlite import SQLiteDatastore

        from projections.cards_sqlite import SQLiteCardsView

        # Not in the live views' file: a frozen worker may hold that file's write lock.
        view = SQLiteCardsView(SQLiteDatastore(str(tmp_path / "scratch.views.db")),
                               prefix="rebuilt_cards", owns_datastore=True)
        view.create_table()
        return view
    return open_cards_view(app, prefix="rebuilt_cards")


def contents(app: Banban, view: CardsView) -> dict:
    """The whole view as plain data: its position, its cards, and the agent's list."""
    return {"position": view.max_tracking_id(app.name), "cards": view.cards(),
            "zhang": [card["project_id"] for card in view.cards(agent="zhang")]}


def settled_contents(app: Banban, view: CardsView) -> dict:
    """The contents of a view that has stopped moving, read twice alike.

    A frozen client's last statement may still be finishing on the PostgreSQL server; and
    since the position only moves forward, two equal reads are one consistent state.
    """
    before = contents(app, view)
    for _ in range(100):
        time.sleep(0.02)
        after = contents(app, view)
        if after == before:
            return after
        before = after
    raise AssertionError("the view kept moving while every server process was frozen")


@pytest.fixture
def views(store_env, tmp_path) -> Iterator[tuple[Banban, ProjectCards, ProjectCards]]:
    """(application, the live cards view, an empty scratch view) on the test's store."""
    app = Banban(env=store_env, clock=lambda: TODAY)
    live = ProjectCards(open_cards_view(app), app)
    scratch = ProjectCards(scratch_view(app, tmp_path), app)
    yield app, live, scratch
    scratch.view.close()
    live.view.close()
    app.close()


def test_killed_workers_and_runner_lose_no_acknowledged_write_and_views_stay_exact(
        store_env, views):
    app, live, scratch = views
    token, ids = seed_store(store_env, PROJECTS)
    server = Gunicorn(store_env, workers=2)
    runner = ViewRunner(store_env)
    stop, ledger, failed = threading.Event(), Ledger(), []

    def load_until_stopped() -> None:
        try:
            write_load(server, token, ids, writers=WRITERS, writes=1_000_000, seed=SEED,
                       read_every=3, stop=stop, ledger=ledger)
        except BaseException as error:  # reported below: a thread must not fail silently
            failed.append(error)

    load = threading.Thread(target=load_until_stopped)
    rng = random.Random(SEED)
    victims = rng.sample([kind for kind, n in KILLS.items() for _ in range(n)],
                         sum(KILLS.values()))
    checked: list[int] = []
    try:
        load.start()
        for victim in victims:
            # Wait for progress, not for time: a write accepted and the view moved past the
            # last kill's position, however slow the machine is today.
            wait_for_progress(app, live.view, ledger, checked[-1] if checked else 0, failed)
            time.sleep(rng.uniform(0.0, 0.3))
            runner.check_alive()
            with frozen(server, runner) as workers:
                if victim == "runner":
                    runner.kill()
                else:
                    os.kill(rng.choice(workers), signal.SIGKILL)
                left = settled_contents(app, live.view)
                rebuild(app, scratch, stop=left["position"] or 0)
                assert left == contents(app, scratch.view), (
                    f"after kill {len(checked) + 1} ({victim}) the view differs from a "
                    f"rebuild up to its position {left['position']}")
                checked.append(left["position"] or 0)
            if victim == "runner":
                runner.start()
        accepted_by_last_kill = len(ledger.accepted)
        # The writes go on after the last kill.
        wait_for_progress(app, live.view, ledger, checked[-1], failed)
        stop.set()
        load.join()
        runner.check_alive()
    finally:
        stop.set()
        load.join()
        runner.stop()
        server.stop()
    assert failed == []
    print(f"{len(checked)} kills at view positions {checked}; {ledger.attempts()} writes: "
          f"{len(ledger.accepted)} accepted, {len(ledger.rejected)} rejected, "
          f"{len(ledger.unanswered)} unanswered (killed in flight)")

    # The kills really landed while the views moved, and the writes went on throughout.
    assert len(checked) == 20 and runner.started == 1 + KILLS["runner"]
    assert checked == sorted(set(checked)), checked  # each at a position of its own
    # Each kill waited for a write accepted since the one before.
    assert len(ledger.accepted) > accepted_by_last_kill >= len(checked)
    # A killed request may or may not have been recorded; an answered one was 201 or 409.
    assert ledger.other == []
    versions = check_log(logged_visits(store_env, ids), ledger)

    # Caught up (as the next read does), the views equal a fresh rebuild of the whole log.
    catch_up(app, live)
    rebuild(app, scratch)
    assert contents(app, live.view) == contents(app, scratch.view)
    assert {str(card["project_id"]): card["version"] for card in live.view.cards()} == versions

"""Notification ids follow commit order while workers write at once (PostgreSQL: the table lock
each write's transaction takes; SQLite: one writer at a time): a reader that follows the log
from the last id it saw, as the projections do, misses no event and sees none twice."""

from __future__ import annotations

import threading
from datetime import date

from domain.application import Banban
from tests.conftest import TODAY

WORKERS, WRITES = 3, 15


def test_a_reader_following_the_log_while_workers_write_misses_nothing_and_repeats_nothing(
        service, sign, store_env):
    workers = [Banban(env=store_env, clock=lambda: TODAY) for _ in range(WORKERS)]
    projects = [sign(name=f"并发写入项目{n}")["id"] for n in range(WORKERS)]
    reader = Banban(env=store_env, clock=lambda: TODAY)
    done, errors, seen = threading.Event(), [], []

    def write(worker: Banban, project_id) -> None:
        try:
            for version in range(1, WRITES + 1):
                worker.record(project_id, "office", "visit_logged", expected_version=version,
                              occurred_on=date(2026, 3, 2), fields={"purpose": f"第{version}次"})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    # Where the reader starts: read before any writer starts (read in the reading thread, a
    # writer could commit first on a busy machine, and the reader start past its event).
    first = (reader.recorder.max_notification_id() or 0) + 1

    def follow() -> None:
        """Read on from the last id seen until the writers are done, then once more."""
        last = first - 1
        while True:
            finished = done.is_set()
            batch = reader.recorder.select_notifications(last + 1, 100)
            seen.extend(n.id for n in batch)
            last = batch[-1].id if batch else last
            if finished and not batch:
                return

    threads = [threading.Thread(target=write, args=pair) for pair in zip(workers, projects)]
    following = threading.Thread(target=follow)
    following.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    following.join()
    try:
        assert errors == []
        recorded = [n.id for n in reader.recorder.select_notifications(first, 10_000)]
        assert len(recorded) == WORKERS * WRITES
        assert seen == recorded  # in order, each once, none passed over
    finally:
        for app in (*workers, reader):
            app.close()

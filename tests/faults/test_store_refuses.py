"""The store refuses writes mid-request (its disk fills up, or it turns read-only): a clear 503,
nothing partly written, reads still answered, and writing works again once the cause is gone.

SQLite: the store lives on a small tmpfs of its own, filled to the last byte just before the
request's insert. PostgreSQL: just before the insert, the role loses its write privileges on
the store's tables (as a DBA turns a database read-only); the test's schema alone is touched.
Mounting needs root; where it is refused the SQLite variant is skipped, unless
BANBAN_TEST_FAULTS=required (CI) makes that an error.
"""

from __future__ import annotations

import errno
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.application import Banban
from tests.conftest import TODAY, _pg_connect

pytestmark = pytest.mark.faults

FAULTS_REQUIRED = os.environ.get("BANBAN_TEST_FAULTS") == "required"


class FullDisk:
    """A small tmpfs that can be filled to the last byte and emptied again."""

    cause = "database or disk is full"

    def __init__(self, path: Path):
        self.path = path
        self.filler = path / "filler"

    def start(self) -> None:
        """Fill every free byte (in smaller and smaller pieces, down to one byte)."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for size in (1 << 20, 1 << 16, 1 << 12, 1):
                chunk = bytes(size)
                while True:
                    try:
                        os.write(fd, chunk)
                    except OSError as error:
                        if error.errno != errno.ENOSPC:
                            raise
                        break
        finally:
            os.close(fd)
        assert os.statvfs(self.path).f_bavail == 0

    def stop(self) -> None:
        """Space returns."""
        self.filler.unlink(missing_ok=True)


class WritesRevoked:
    """The PostgreSQL role may read the store's tables but no longer write them."""

    cause = "permission denied"

    def __init__(self, store_env: dict[str, str]):
        self.schema, self.role = store_env["POSTGRES_SCHEMA"], store_env["POSTGRES_USER"]

    def _privileges(self, grant: bool) -> None:
        verb, direction = ("GRANT", "TO") if grant else ("REVOKE", "FROM")
        with _pg_connect() as conn:
            conn.execute(f"{verb} INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "
                         f"{self.schema} {direction} {self.role}")

    def start(self) -> None:
        self._privileges(grant=False)

    def stop(self) -> None:
        """Write privileges return."""
        self._privileges(grant=True)


def _mount_small_disk(path: Path) -> None:
    """Mount a 4 MiB tmpfs at `path`, or skip (fail if required) saying why it cannot be."""
    path.mkdir()
    try:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m",
                                 f"banban-{uuid.uuid4().hex[:8]}", str(path)],
                                capture_output=True, text=True)
        problem = result.stderr.strip() if result.returncode else None
    except OSError as error:  # no mount command
        problem = str(error)
    if problem:
        reason = f"cannot mount a tmpfs to fill (needs root): {problem}"
        if FAULTS_REQUIRED:
            pytest.fail(f"BANBAN_TEST_FAULTS=required: {reason}")
        pytest.skip(reason)


@pytest.fixture
def store_env(store_env, tmp_path) -> Iterator[dict[str, str]]:
    """The store of each kind; a SQLite store (and its views) on a small disk of its own."""
    if store_env["PERSISTENCE_MODULE"] != "eventsourcing.sqlite":
        yield store_env
        return
    disk = tmp_path / "disk"
    _mount_small_disk(disk)
    try:
        yield {**store_env, "SQLITE_DBNAME": str(disk / "store.db")}
    finally:
        if subprocess.run(["umount", str(disk)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(disk)], check=True)


@pytest.fixture
def refusal(store_env) -> Iterator[FullDisk | WritesRevoked]:
    """What makes this store refuse writes (start) and lets it write again (stop)."""
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        fault: FullDisk | WritesRevoked = FullDisk(Path(store_env["SQLITE_DBNAME"]).parent)
    else:
        fault = WritesRevoked(store_env)
    yield fault
    fault.stop()


def stored_log(store_env: dict[str, str]) -> list[tuple]:
    """Every stored event as a fresh application reads it from the store."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    try:
        return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
                for n in banban.recorder.select_notifications(1, 1_000_000)]
    finally:
        banban.close()


def test_a_store_refusing_writes_mid_request_answers_503_records_nothing_and_recovers(
        api, banban, project, refusal, store_env, monkeypatch, caplog):
    project_path = f"/api/projects/{project['id']}"
    visit = {"type": "visit_logged", "expected_version": 1, "purpose": "了解投产计划"}
    assert api("office").get("/api/projects").status_code == 200  # the views are caught up
    before = stored_log(store_env)

    insert_events = banban.recorder.insert_events

    def refuse_then_insert(*args, **kwargs):
        refusal.start()  # the request has loaded and checked the project: now the store refuses
        return insert_events(*args, **kwargs)

    monkeypatch.setattr(banban.recorder, "insert_events", refuse_then_insert)
    refused = api("zhang").post(f"{project_path}/events", json=visit)
    monkeypatch.undo()

    assert refused.status_code == 503, refused.get_json()
    assert refused.headers["Retry-After"] == "5"
    assert refused.get_json()["code"] == "store_unavailable"
    assert "nothing was recorded" in refused.get_json()["message"]
    # The operator's log names the cause.
    assert any(refusal.cause in record.getMessage() for record in caplog.records)
    assert stored_log(store_env) == before
    # While the store refuses, a write still gets a 503 and reads are still answered.
    assert api("zhang").post(f"{project_path}/events", json=visit).status_code == 503
    assert api("office").get(project_path).get_json()["version"] == 1
    listed = api("office").get("/api/projects")
    assert listed.status_code == 200 and listed.get_json()["projects"][0]["version"] == 1
    assert stored_log(store_env) == before

    refusal.stop()
    recorded = api("zhang").post(f"{project_path}/events", json=visit)
    assert recorded.status_code == 201, recorded.get_json()
    assert recorded.get_json()["version"] == 2
    after = stored_log(store_env)
    assert after[:-1] == before and after[-1][2] == 2
    assert api("office").get("/api/projects").get_json()["projects"][0]["version"] == 2

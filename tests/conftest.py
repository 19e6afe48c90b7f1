"""Fixtures shared by every test layer: stores (SQLite and PostgreSQL), the service, the app."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

TODAY = date(2026, 11, 25)

# No time limit per example: on a busy two-core machine one may take seconds (a test waits
# for progress, never assumes a speed); the number of examples bounds each property.
settings.register_profile("banban", deadline=None)
settings.load_profile("banban")

# PostgreSQL for tests: BANBAN_TEST_POSTGRES=required makes a missing server an error
# (CI); otherwise the PostgreSQL variants are skipped with the reason when none answers.
PG = {
    "POSTGRES_HOST": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
    "POSTGRES_PORT": os.environ.get("POSTGRES_PORT", "5432"),
    "POSTGRES_USER": os.environ.get("POSTGRES_USER", "banban"),
    "POSTGRES_PASSWORD": os.environ.get("POSTGRES_PASSWORD", "banban"),
    "POSTGRES_DBNAME": os.environ.get("POSTGRES_DBNAME", "banban_test"),
}
PG_REQUIRED = os.environ.get("BANBAN_TEST_POSTGRES") == "required"


def _pg_connect():
    import psycopg

    return psycopg.connect(
        host=PG["POSTGRES_HOST"], port=int(PG["POSTGRES_PORT"]), user=PG["POSTGRES_USER"],
        password=PG["POSTGRES_PASSWORD"], dbname=PG["POSTGRES_DBNAME"], autocommit=True,
        connect_timeout=3,
    )


_pg_state: dict[str, str | None] = {}


def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    if "reason" not in _pg_state:
        try:
            _pg_connect().close()
            _pg_state["reason"] = None
        except Exception as error:  # noqa: BLE001 - any failure means "not available"
            _pg_state["reason"] = f"PostgreSQL at {PG['POSTGRES_HOST']}:{PG['POSTGRES_PORT']}: {error}"
    return _pg_state["reason"]


def require_store(backend: str) -> None:
    """Skip (or fail, when required) a test of a backend that is not available here."""
    if backend == "postgres":
        reason = postgres_unavailable()
        if reason:
            if PG_REQUIRED:
                pytest.fail(f"PostgreSQL is required (BANBAN_TEST_POSTGRES=required): {reason}")
            pytest.skip(reason)


@contextmanager
def new_store(backend: str, directory: Path) -> Iterator[dict[str, str]]:
    """The eventsourcing environment of a new, empty store of a kind (a SQLite file in
    `directory`, or a PostgreSQL schema of its own, dropped afterwards)."""
    require_store(backend)
    if backend == "sqlite":
        yield {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
               "SQLITE_DBNAME": str(directory / "store.db"), "SQLITE_LOCK_TIMEOUT": "10"}
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _pg_connect() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield {"PERSISTENCE_MODULE": "eventsourcing.postgres", **PG, "POSTGRES_SCHEMA": schema,
               "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "8"}
    finally:
        with _pg_connect() as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_env(request, tmp_path) -> Iterator[dict[str, str]]:
    """The eventsourcing environment of a fresh, empty store of each kind."""
    with new_store(request.param, tmp_path) as env:
        yield env


def app_config(env: dict[str, str], clock: Callable[[], date] = lambda: TODAY) -> dict:
    """Flask test config for a store environment."""
    if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        return {"TESTING": True, "BANBAN_STORE": "sqlite",
                "BANBAN_SQLITE_PATH": env["SQLITE_DBNAME"], "BANBAN_CLOCK": clock}
    postgres = {k: v for k, v in env.items() if k.startswith("POSTGRES_")}
    return {"TESTING": True, "BANBAN_STORE": "postgres", "POSTGRES": postgres,
            "BANBAN_CLOCK": clock}

"""The app and its store for a bench script: a SQLite file, or PostgreSQL from POSTGRES_*."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import Flask

from app import create_app
from app.store import Store


def app_config(path: str, today: date) -> dict[str, Any]:
    """Config of the app on the SQLite file `path`, or on PostgreSQL when BANBAN_STORE says so
    (with its POSTGRES_* variables)."""
    config: dict[str, Any] = {"BANBAN_CLOCK": lambda: today, "SECRET_KEY": "bench",
                              "RATELIMIT_ENABLED": False}
    if os.environ.get("BANBAN_STORE", "sqlite") == "sqlite":
        config |= {"BANBAN_STORE": "sqlite", "BANBAN_SQLITE_PATH": path}
    return config


def bench_app(path: str, today: date) -> Flask:
    return create_app(app_config(path, today))


@contextmanager
def open_store(path: str, today: date) -> Iterator[Store]:
    """The store of a bench app (see app_config), closed afterwards."""
    app = bench_app(path, today)
    store: Store = app.extensions["banban.store"]
    try:
        with app.app_context():
            yield store
    finally:
        store.close()

"""Configuration from environment variables, with working defaults for the embedded SQLite store."""

from __future__ import annotations

import os
from typing import Any

STORES = {"sqlite": "eventsourcing.sqlite", "postgres": "eventsourcing.postgres"}

# PostgreSQL settings are eventsourcing's own variables, passed through unchanged.
POSTGRES_VARIABLES = (
    "POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD",
    "POSTGRES_POOL_SIZE", "POSTGRES_MAX_OVERFLOW", "POSTGRES_LOCK_TIMEOUT",
    "POSTGRES_CONNECT_TIMEOUT", "POSTGRES_SCHEMA", "POSTGRES_PRE_PING", "POSTGRES_MAX_WAITING",
)


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says which variable to fix."""


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Flask config keys read from the environment (BANBAN_* and POSTGRES_*)."""
    environ = dict(os.environ if environ is None else environ)
    store = environ.get("BANBAN_STORE", "sqlite")
    if store not in STORES:
        raise ConfigError(f"BANBAN_STORE must be one of {', '.join(STORES)}, not {store!r}")
    config: dict[str, Any] = {"BANBAN_STORE": store}
    if "BANBAN_SQLITE_PATH" in environ:
        config["BANBAN_SQLITE_PATH"] = environ["BANBAN_SQLITE_PATH"]
    if store == "postgres":
        missing = [v for v in ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_USER")
                   if not environ.get(v)]
        if missing:
            raise ConfigError(f"BANBAN_STORE=postgres needs {', '.join(missing)}")
    config["POSTGRES"] = {k: environ[k] for k in POSTGRES_VARIABLES if k in environ}
    return config


def store_env(config: dict[str, Any], instance_path: str) -> dict[str, str]:
    """The environment the eventsourcing application is built with."""
    store = config["BANBAN_STORE"]
    env = {"PERSISTENCE_MODULE": STORES[store]}
    if store == "sqlite":
        path = config.get("BANBAN_SQLITE_PATH") or os.path.join(instance_path, "banban.db")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # Writers wait up to 5 s for SQLite's single write lock before giving up.
        env.update(SQLITE_DBNAME=path, SQLITE_LOCK_TIMEOUT="5")
    else:
        env.update({"POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "3"})
        env.update(config.get("POSTGRES") or {})
    return env

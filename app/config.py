"""Configuration from environment variables, with working defaults for the embedded SQLite store."""

from __future__ import annotations

import binascii
import os
from base64 import b64decode
from typing import Any

import click

from domain.calendar import OPINION_WORKING_DAYS, PARALLEL_APPROVAL_WEEKDAY
from domain.dispatch_trend import MAX_TREND_PERIODS
from domain.dispatching import EVERY_PERIOD, KEPT_PERIODS
from domain.fields import MAX_WORKING_DAYS
from domain.chain import audit_key

STORES = {"sqlite": "eventsourcing.sqlite", "postgres": "eventsourcing.postgres"}

# PostgreSQL settings are eventsourcing's own variables, passed through unchanged.
POSTGRES_VARIABLES = (
    "POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD",
    "POSTGRES_POOL_SIZE", "POSTGRES_MAX_OVERFLOW", "POSTGRES_LOCK_TIMEOUT",
    "POSTGRES_CONNECT_TIMEOUT", "POSTGRES_SCHEMA", "POSTGRES_PRE_PING", "POSTGRES_MAX_WAITING",
)


# Encryption at rest (eventsourcing's cipher): the key, and the cipher class. The library's
# default class needs pycryptodome; this project pins `cryptography` and names its class.
DEFAULT_CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"


class ConfigError(click.ClickException):
    """The configuration cannot work; the message says which variable to fix.

    A click exception, so that a command refuses to start with the message alone.
    """


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
    config["CIPHER"] = cipher_settings(environ)
    config["BANBAN_TRUSTED_PROXIES"] = _count(environ, "BANBAN_TRUSTED_PROXIES", 0, 0, 5)
    config["BANBAN_SESSION_IDLE_MINUTES"] = _count(environ, "BANBAN_SESSION_IDLE_MINUTES", 480,
                                                   5, 7 * 24 * 60)
    config["BANBAN_SESSION_MAX_HOURS"] = _count(environ, "BANBAN_SESSION_MAX_HOURS", 24, 1,
                                                30 * 24)
    # The store reads it from the environment where reports count by it; a wrong value stops
    # the start, not the first report.
    config["BANBAN_PARALLEL_APPROVAL_WEEKDAY"] = _count(
        environ, "BANBAN_PARALLEL_APPROVAL_WEEKDAY", PARALLEL_APPROVAL_WEEKDAY, 1, 7)
    config["BANBAN_OPINION_WORKING_DAYS"] = _count(
        environ, "BANBAN_OPINION_WORKING_DAYS", OPINION_WORKING_DAYS, 1, MAX_WORKING_DAYS)
    # A web worker freezes what it keeps once a full garbage collection took this long (ms;
    # 0: never). See app/collector.py.
    config["BANBAN_GC_FREEZE_MS"] = _count(environ, "BANBAN_GC_FREEZE_MS", 20, 0, 10_000)
    # The processes `flask projections rebuild` makes the views' rows in (1: in its own); by
    # default the cores up to REBUILD_PROCESSES, each holding its own database connections.
    config["BANBAN_REBUILD_PROCESSES"] = _count(environ, "BANBAN_REBUILD_PROCESSES",
                                                min(cores(), REBUILD_PROCESSES), 1, 64)
    # How many periods of each cadence, back from the current one, the view runner keeps the
    # reports and trend of made (at least the page's six-period trend), or "all": every period
    # from the first signing's (EVERY_PERIOD).
    config["BANBAN_KEPT_PERIODS"] = (
        EVERY_PERIOD if (environ.get("BANBAN_KEPT_PERIODS") or "").strip().lower() == "all"
        else _count(environ, "BANBAN_KEPT_PERIODS", KEPT_PERIODS, KEPT_PERIODS,
                    MAX_TREND_PERIODS, also="or all"))
    # How long a request may spend making report parts (ms; 0: no limit): past it, those made
    # are kept and the report is "in preparation" (503; the page reloads itself), so a report
    # of a period no runner keeps is made over several askings, never lost with a worker
    # killed at gunicorn's timeout (30 s: gunicorn.conf.py). See domain.dispatch_parts.
    config["BANBAN_REPORT_MAKING_MS"] = _count(environ, "BANBAN_REPORT_MAKING_MS", 20_000, 0,
                                               3_600_000)
    config["AUDIT_KEY"] = audit_key_setting(environ)
    # Who issues the printed dispatch sheets (default: the county's business environment office).
    config["BANBAN_ISSUING_UNIT"] = (environ.get("BANBAN_ISSUING_UNIT") or "").strip() or None
    return config


# The default processes of a rebuild at most: on a big host more would take a share of the
# database's connections (each its own pool) for little gain.
REBUILD_PROCESSES = 8


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def _count(environ: dict[str, str], name: str, default: int, low: int, high: int,
           also: str = "") -> int:
    """A whole number from the environment, within its range, or a clear refusal to start
    (saying what `also` is accepted)."""
    text = environ.get(name)
    if text is None or not text.strip():
        return default
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}"
                          f"{' ' + also if also else ''}, not {text!r}")
    return int(text)


def audit_key_setting(environ: dict[str, str]) -> str | None:
    """AUDIT_KEY (keys the hash chain's links), its form checked; None when unset."""
    text = environ.get("AUDIT_KEY") or None
    try:
        audit_key(text)
    except ValueError as error:
        raise ConfigError(f"{error} (e.g. python -c 'import base64, secrets; "
                          "print(base64.b64encode(secrets.token_bytes(32)).decode())')") from None
    return text


def cipher_settings(environ: dict[str, str]) -> dict[str, str]:
    """CIPHER_KEY and CIPHER_TOPIC for the store, the key's form checked; {} when unencrypted."""
    key = environ.get("CIPHER_KEY")
    if not key:
        if environ.get("CIPHER_TOPIC"):
            raise ConfigError("CIPHER_TOPIC is set but CIPHER_KEY is not: give the key")
        return {}
    try:
        size = len(b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = None
    if size not in (16, 24, 32):
        raise ConfigError("CIPHER_KEY must be 16, 24 or 32 random bytes in base64 (e.g. "
                          "python -c 'from eventsourcing.cryptography import AESCipher; "
                          "print(AESCipher.create_key(32))')")
    return {"CIPHER_KEY": key, "CIPHER_TOPIC": environ.get("CIPHER_TOPIC") or DEFAULT_CIPHER_TOPIC}


def store_env(config: dict[str, Any], instance_path: str) -> dict[str, str]:
    """The environment the eventsourcing application is built with."""
    store = config["BANBAN_STORE"]
    env = {"PERSISTENCE_MODULE": STORES[store], **(config.get("CIPHER") or {})}
    if config.get("AUDIT_KEY"):
        env["AUDIT_KEY"] = config["AUDIT_KEY"]
    if store == "sqlite":
        path = config.get("BANBAN_SQLITE_PATH") or os.path.join(instance_path, "banban.db")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # Writers wait up to 5 s for SQLite's single write lock before giving up.
        env.update(SQLITE_DBNAME=path, SQLITE_LOCK_TIMEOUT="5")
    else:
        env.update({"POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "3"})
        env.update(config.get("POSTGRES") or {})
    return env

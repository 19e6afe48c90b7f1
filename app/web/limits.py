"""Sign-in limits counted across workers: a `limits` storage on the web state's counters.

Flask-Limiter counts attempts in a storage named by a URI; its own storages are memory (per
worker) or services this deployment does not run (Redis, Memcached, MongoDB). `banban://` is the
counters table beside the store, so every worker counts the same attempts.
"""

from __future__ import annotations

import time

from flask import current_app
from limits.storage import Storage

from app.state import WebState

URI = "banban://"


def _state() -> WebState:
    return current_app.extensions["banban.store"].web_state()


class StoreCounters(Storage):
    """Fixed-window counters in the web state (the `fixed-window` strategy)."""

    STORAGE_SCHEME = ["banban"]

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return Exception

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return _state().count(key, expiry, amount, time.time())

    def get(self, key: str) -> int:
        return _state().counter(key, time.time())[0]

    def get_expiry(self, key: str) -> float:
        return _state().counter(key, time.time())[1]

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        return _state().clear_counters()

    def clear(self, key: str) -> None:
        _state().clear_counter(key)

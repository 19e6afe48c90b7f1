"""Keep Python's full garbage collections short in a web worker.

A worker keeps a lot between requests: the views' caches and the decoded report parts, about
two million objects for a county. Python's full collection walks every one of them each time
it runs (every few requests), in 100-200 ms, and whichever request it falls in pays. Kept
objects are freed by reference counting when they are dropped; the collector is only needed
for cycles, and what a worker keeps has none to speak of.

So when a full collection was slow, the worker collects once more after the response has been
sent (nothing is left unreachable, so nothing unreachable is frozen) and freezes what
survives (`gc.freeze`): later full collections walk only what arrived since. Each time this
happens again it first unfreezes, so anything frozen that has since become cyclic garbage is
collected then: nothing leaks for longer than until the next freeze.

Installed by gunicorn's hooks (gunicorn.conf.py), never in tests or commands.
BANBAN_GC_FREEZE_MS is the slowness in milliseconds that triggers it (20; 0 turns it off;
read by app/config.py).
"""

from __future__ import annotations

import gc
import time
from typing import Any



class Collector:
    """Watches full collections; `after_response` freezes once one was slower than `slow_ms`."""

    def __init__(self, slow_ms: float):
        self.slow_ms = slow_ms
        self.slow = False   # a full collection took longer than slow_ms since the last freeze
        self.freezes = 0
        self._started = 0.0

    def _watch(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif (time.perf_counter() - self._started) * 1000 > self.slow_ms:
            self.slow = True

    def install(self) -> Collector:
        """Watch from now on, and freeze what the worker holds after booting."""
        if self._watch not in gc.callbacks:
            gc.callbacks.append(self._watch)
        self.freeze()
        return self

    def uninstall(self) -> None:
        if self._watch in gc.callbacks:
            gc.callbacks.remove(self._watch)
        gc.unfreeze()

    def after_response(self) -> bool:
        """Freeze if a full collection was slow since the last freeze; whether it did."""
        if not self.slow:
            return False
        self.freeze()
        return True

    def freeze(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.slow = False
        self.freezes += 1

"""The web worker's garbage-collection policy (app/collector.py)."""

import gc
import weakref

import pytest

from app.collector import Collector


class Node:
    """An object that can be in a cycle and be watched by a weak reference."""

    def __init__(self):
        self.other = None


@pytest.fixture
def collector():
    made: list[Collector] = []

    def make(slow_ms: float) -> Collector:
        made.append(Collector(slow_ms).install())
        return made[-1]

    yield make
    for each in made:
        each.uninstall()
    assert gc.get_freeze_count() == 0


def cycle() -> weakref.ref:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_installing_freezes_what_the_worker_holds(collector):
    kept = [Node() for _ in range(1000)]
    collector(slow_ms=10_000)
    assert gc.get_freeze_count() >= len(kept)
    assert all(gc.is_tracked(k) for k in kept)


def test_a_slow_full_collection_freezes_after_the_response(collector):
    watched = collector(slow_ms=0.000_001)  # every full collection is "slow"
    frozen = gc.get_freeze_count()
    kept = [Node() for _ in range(1000)]
    gc.collect()
    assert watched.slow
    assert watched.after_response()
    assert not watched.slow and watched.freezes == 2
    assert gc.get_freeze_count() >= frozen + len(kept)


def test_a_quick_full_collection_changes_nothing(collector):
    watched = collector(slow_ms=10_000)
    frozen = gc.get_freeze_count()
    [Node() for _ in range(1000)]
    gc.collect()
    assert not watched.after_response()
    assert not watched.slow and watched.freezes == 1
    assert gc.get_freeze_count() == frozen


def test_frozen_cycles_are_collected_at_the_next_freeze(collector):
    ref = cycle()
    holder = [ref()]
    watched = collector(slow_ms=0.000_001)
    holder.clear()  # now garbage, but frozen: the collector does not see it
    gc.collect()
    assert ref() is not None
    watched.after_response()  # unfreezes before collecting again
    assert ref() is None


def test_garbage_is_never_frozen(collector):
    ref = cycle()
    collector(slow_ms=10_000)
    assert ref() is None

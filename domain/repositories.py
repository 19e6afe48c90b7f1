"""How the application loads aggregates: folding their events, and keeping what it wrote.

`fold` and the `Folding` repository replay events without the library's per-event protocol
check. `WriteCache` keeps the projects a worker writes between its writes:

Loading a project for a write from its snapshot and up to 99 events was a third of a write's
time. A worker instead keeps the projects it wrote. A write expecting the version a kept project
is at uses it as it is: the store refuses a second event at one version, so the write commits
only if nothing was recorded since (and a refusal judged on it is judged again on the project
brought up to date). Any other write brings the kept project up to date with the events
recorded since (one indexed query); any number of workers may write the same project, each
sees the others' events this way.

A command changes the project in place before it is saved, so a kept project is lent to one
write at a time (`checkout`, a lock per project) and dropped when anything in that write fails:
a refusal, a save that lost the race for its version, a store error. The next write then loads
the project afresh from the store, so a kept project only ever holds committed events. Reads
never see these objects: they have a cache of their own (`Banban._reads`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository

WRITE_CACHE = 256  # projects a worker keeps for writing (BANBAN_WRITE_CACHE)
_STRIPES = 64  # locks shared by project ids (two writes of one worker rarely meet)


def fold(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's `project_aggregate` without its per-event `isinstance` against a
    runtime-checkable Protocol, which on Python 3.11 costs about as much as applying the
    event: half the time of loading a project."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Folding(Repository[UUID]):
    """A repository that replays events with `fold`."""

    def get(self, aggregate_id: UUID, *, version: int | None = None,
            projector_func: Any = fold, **options: Any) -> Any:
        return super().get(aggregate_id, version=version, projector_func=projector_func,
                           **options)


class WriteCache:
    """Aggregates kept for writing, each lent to one write at a time and dropped if it fails."""

    def __init__(self, repository: Repository[UUID]):
        # A repository with an LRU cache that fast-forwards and does not copy (the copy of a
        # long-lived project costs several loads: the lock and the dropping make it safe).
        if repository.cache is None or not repository.fastforward or \
                repository.deepcopy_from_cache:
            raise ValueError("a write cache needs a repository that caches, fast-forwards and "
                             "lends its cached aggregates without copying them")
        self.repository = repository
        self._locks = [threading.Lock() for _ in range(_STRIPES)]

    @contextlib.contextmanager
    def checkout(self, aggregate_id: UUID, kept_at: int | None = None
                 ) -> Iterator[tuple[Any, bool]]:
        """The aggregate for one write, and whether it was brought up to date with the store;
        dropped from the cache if anything raises before the write is done (the load
        included).

        With `kept_at`, a kept aggregate at exactly that version is lent as it is, without
        reading the store: the store refuses a second event at one version, so a write on it
        commits only if nothing was recorded since (the caller judges a refusal again on the
        aggregate brought up to date)."""
        with self._locks[hash(aggregate_id) % _STRIPES]:
            try:
                kept = self._kept(aggregate_id, kept_at)
                if kept is not None:
                    yield kept, False
                else:
                    yield self.repository.get(aggregate_id), True
            except BaseException:
                self.drop(aggregate_id)
                raise

    def _kept(self, aggregate_id: UUID, version: int | None) -> Any:
        if version is None:
            return None
        try:
            kept = self.repository.cache.get(aggregate_id)  # type: ignore[union-attr]
        except KeyError:
            return None
        return kept if kept.version == version else None

    def keep(self, aggregate: Any) -> None:
        """Keep an aggregate just saved (a new project): its next write starts from it."""
        with self._locks[hash(aggregate.id) % _STRIPES]:
            self.repository.cache.put(aggregate.id, aggregate)  # type: ignore[union-attr]

    def drop(self, aggregate_id: UUID) -> None:
        """Forget an aggregate (its next write loads it from the store)."""
        with contextlib.suppress(KeyError):
            self.repository.cache.get(aggregate_id, evict=True)  # type: ignore[union-attr]


class LookedUp:
    """What a unit of work (one request) of this thread has brought up to date, kept to the
    end of that unit.

    A request checks the same user several times (its token, then its right to record the
    event; a page its session, then its password stamp): each check would read the user's
    new events from the store again. Within a unit the first check's answer stands for the
    rest, as if the request had made all its checks at once. Outside a unit nothing is kept,
    and a save in the unit forgets everything (a request that changes a user reads it again).
    """

    def __init__(self) -> None:
        self._local = threading.local()

    @contextlib.contextmanager
    def unit(self) -> Iterator[None]:
        """Keep what is looked up until the end of the block (the outermost one)."""
        outermost = getattr(self._local, "seen", None) is None
        if outermost:
            self._local.seen = {}
        try:
            yield
        finally:
            if outermost:
                self._local.seen = None

    def get(self, key: Any, look_up: Any) -> Any:
        """`look_up()`, or what it gave earlier in this unit (errors are not kept)."""
        seen = getattr(self._local, "seen", None)
        if seen is None:
            return look_up()
        if key not in seen:
            seen[key] = look_up()
        return seen[key]

    def forget(self) -> None:
        """Look everything up again from now on (something was saved)."""
        seen = getattr(self._local, "seen", None)
        if seen:
            seen.clear()

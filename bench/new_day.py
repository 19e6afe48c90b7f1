"""The view runner's new day at county scale: every report part of the current periods judged
again on the day after (each project's part of every cadence's running period, its report's
halves and its trend), as the parts are made now against the same parts made by histories that
remember nothing (every part judging afresh, as before History.judged), and against the same
parts made from the projects' events (loaded from the log, as before the cards kept the facts
the rules read). CPU time of the process, on a scratch copy of the county store each, the parts
of the day before made first. Then the runner's pass after a write dated today (wall time), as
it is, making every part of the written project again (as before parts had a basis), and
looking at every project's parts (as before it looked at the changed ones only); and with a
year of weeks kept (52 periods) and every period (BANBAN_KEPT_PERIODS=all), as it is and making
every part again, with the runner's first pass for each.

Run: .venv/bin/python -m bench.new_day
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import timedelta
from unittest import mock

from bench.generate import TODAY, ensure
from bench.run import copy_of
from bench.stores import open_store
from bench.timing import Figure
from domain.application import Banban
from domain.dispatching import EVERY_PERIOD, KEPT_PERIODS
from domain.history import History


@contextmanager
def remembering_nothing(_: Banban) -> Iterator[None]:
    with mock.patch.object(History, "judged",
                           lambda self, what, args, calendar, judge: judge(calendar)):
        yield


@contextmanager
def from_the_log(banban: Banban) -> Iterator[None]:
    def loaded(project_ids):
        projects = [banban._project(each, for_reading=True) for each in project_ids]
        return [(project.version, History(project)) for project in projects]

    with mock.patch.object(banban, "_histories_for_parts", loaded):
        yield


def new_day_seconds(path, way: Callable[[Banban], AbstractContextManager[None]] | None = None
                    ) -> tuple[float, int]:
    """CPU seconds of the view runner's parts on the day after TODAY (those of TODAY made
    first), made the way given (None: as they are), and how many parts it made."""
    with copy_of(path) as copy:
        with open_store(str(copy), TODAY) as store:
            store.cards()
            store.get().warm_parts()
        with open_store(str(copy), TODAY + timedelta(days=1)) as store:
            store.cards()
            banban = store.get()
            with nullcontext() if way is None else way(banban):
                started = time.process_time()
                made = banban.warm_parts()
                seconds = time.process_time() - started
    return seconds, made


@contextmanager
def looking_at_every_project(banban: Banban) -> Iterator[None]:
    """The runner's pass looking at every project's kept parts, a query per period and chunk
    of projects, as before it looked only at the projects changed since its last pass, and at
    every period's in one query."""
    versions = banban.kept_parts.versions

    def each_apart(keys, ids):
        found = {}
        for key in keys:
            found.update(versions([key], ids))
        return found

    with mock.patch.object(banban.kept_parts, "versions", each_apart), \
            mock.patch.object(banban, "FULL_LOOK_SECONDS", 0):
        yield


@contextmanager
def making_every_part(banban: Banban) -> Iterator[None]:
    """Every part of a written project made again, as before parts were kept with their basis
    (the facts they are judged from) and renewed when it held."""
    real = banban._make_parts

    def made(specs, lacking, calendar):
        return real(specs, [(each, [(k, None) for k, _ in its]) for each, its in lacking],
                    calendar)

    with mock.patch.object(banban, "_make_parts", made):
        yield


def after_writes_seconds(path, ways: list[Callable[[Banban], AbstractContextManager[None]]],
                         periods: int, writes: int = 7) -> list[float]:
    """Median wall seconds of the view runner's pass after a write (a problem raised today on
    one project: its parts judged on today made again, those of the periods gone by renewed)
    with `periods` periods kept, as it is and each way given, in turn after each of a few
    writes to projects of their own; then the runner's first pass (wall seconds) and the
    parts it made."""
    ways = [lambda _: nullcontext(), *ways]
    timed: list[list[float]] = [[] for _ in ways]
    with copy_of(path) as copy, open_store(str(copy), TODAY) as store:
        store.cards()
        banban = store.get()
        started = time.perf_counter()
        first = banban.warm_parts(periods), time.perf_counter() - started
        listed = list(banban.directory.listed())
        for n in range(len(ways) * writes):
            project = banban._project(listed[n * 7].project_id, for_reading=True)
            banban.record(project.id, project.chief_agent, "problem_raised",
                          expected_version=project.version, occurred_on=TODAY,
                          fields={"title": "施工用电未接入"})
            store.cards()
            banban.directory.listed()  # caught up, as the runner's catch-up leaves it
            with ways[n % len(ways)](banban):
                started = time.perf_counter()
                banban.warm_parts(periods)
                timed[n % len(ways)].append(time.perf_counter() - started)
    return [*(statistics.median(each) for each in timed), *first]


def main() -> None:
    path, counts = ensure("county")
    print(f"county: {counts['projects']} projects, {counts['events']} events")
    value, made = new_day_seconds(path)
    for way, baseline in ((remembering_nothing, "histories remembering nothing"),
                          (from_the_log, "projects loaded from the log")):
        print(Figure(f"view runner's new day, county, report parts judged again (CPU) "
                     f"[baseline = {baseline}], {made:,} parts",
                     value, "s", "<=", 1, new_day_seconds(path, way)[0], digits=2))
    value, every_part, every_project, *first = after_writes_seconds(
        path, [making_every_part, looking_at_every_project], KEPT_PERIODS)
    for baseline, name in ((every_part, "every part of the written project made again"),
                           (every_project, "every project's looked for, a query per period")):
        print(Figure(f"view runner's pass after a write, county, {KEPT_PERIODS} periods kept, "
                     f"the written project's parts (wall, p50) [baseline = {name}]",
                     value * 1000, "ms", "<=", 1, baseline * 1000, digits=1))
    for periods, named in ((52, "52 periods"), (EVERY_PERIOD, "every period")):
        value, every_part, made, seconds = after_writes_seconds(path, [making_every_part],
                                                                periods)
        print(Figure(f"view runner's pass after a write, county, {named} kept, the written "
                     "project's parts (wall, p50) [baseline = every part of the written "
                     "project made again]", value * 1000, "ms", "<=", 1, every_part * 1000,
                     digits=1))
        print(f"  (the runner's first pass with {named} kept: {made:,} parts in {seconds:.0f} s "
              f"of wall time; with {KEPT_PERIODS}: {first[0]:,} in {first[1]:.0f} s)")

if __name__ == "__main__":
    main()

"""The view runner's new day at county scale: every report part of the current periods judged
again on the day after (each project's part of every cadence's running period, its report's
halves and its trend), as the parts are made now against the same parts made by histories that
remember nothing (every part judging afresh, as before History.judged), and against the same
parts made from the projects' events (loaded from the log, as before the cards kept the facts
the rules read). CPU time of the process, on a scratch copy of the county store each, the parts
of the day before made first.

Run: .venv/bin/python -m bench.new_day
"""

from __future__ import annotations

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


def main() -> None:
    path, counts = ensure("county")
    print(f"county: {counts['projects']} projects, {counts['events']} events")
    value, made = new_day_seconds(path)
    for way, baseline in ((remembering_nothing, "histories remembering nothing"),
                          (from_the_log, "projects loaded from the log")):
        print(Figure(f"view runner's new day, county, report parts judged again (CPU) "
                     f"[baseline = {baseline}], {made:,} parts",
                     value, "s", "<=", 1, new_day_seconds(path, way)[0], digits=2))


if __name__ == "__main__":
    main()

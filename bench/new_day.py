"""The view runner's new day at county scale: every report part of the current periods judged
again on the day after (each project's part of every cadence's running period, its report and
its trend), as the parts are made now (a project's judgements on a day worked out once by its
history: domain.history.History.judged) against the same parts made by histories that remember
nothing (every part judging afresh, as before). CPU time of the process, on a scratch copy of
the county store each, the parts of the day before made first.

Run: .venv/bin/python -m bench.new_day
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from unittest import mock

from bench.generate import TODAY, ensure
from bench.run import copy_of
from bench.stores import open_store
from bench.timing import Figure
from domain.history import History


@contextmanager
def remembering_nothing() -> Iterator[None]:
    with mock.patch.object(History, "judged",
                           lambda self, what, args, calendar, judge: judge(calendar)):
        yield


def new_day_seconds(path, remember: bool) -> tuple[float, int]:
    """CPU seconds of the view runner's parts on the day after TODAY (those of TODAY made
    first), and how many parts it made."""
    with copy_of(path) as copy:
        with open_store(str(copy), TODAY) as store:
            store.cards()
            store.get().warm_parts()
        with open_store(str(copy), TODAY + timedelta(days=1)) as store:
            store.cards()
            banban = store.get()
            with nullcontext() if remember else remembering_nothing():
                started = time.process_time()
                made = banban.warm_parts()
                seconds = time.process_time() - started
    return seconds, made


def main() -> None:
    path, counts = ensure("county")
    print(f"county: {counts['projects']} projects, {counts['events']} events")
    baseline, _ = new_day_seconds(path, remember=False)
    value, made = new_day_seconds(path, remember=True)
    print(Figure(f"view runner's new day, county, report parts judged again (CPU) "
                 f"[baseline = histories remembering nothing], {made:,} parts",
                 value, "s", "<=", 1, baseline, digits=2))


if __name__ == "__main__":
    main()

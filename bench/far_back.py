"""A report no view runner keeps, made over several askings of a request's time.

A leader asking for a period further back than the runner keeps (`BANBAN_KEPT_PERIODS`) has
its parts made on asking. A request spends at most `BANBAN_REPORT_MAKING_MS` (20 s) making
them, keeps what it made and answers "in preparation" until the report is made
(domain.dispatch_parts.making_for). This prints, for the weekly report ten weeks back on a
scratch copy of a generated store (nothing of it kept), the wall time of all the askings
against making it at one asking (the baseline, as before: at province scale a request that
gunicorn kills at 30 s), and how many askings it took. At county scale a county's report fits
in one asking; at province scale the summary takes several.

Run: .venv/bin/python -m bench.far_back [county|province]
"""

from __future__ import annotations

import sys
import time

from bench.generate import TODAY, ensure
from bench.run import copy_of
from bench.stores import open_store
from bench.timing import Figure
from domain.dispatch_parts import making_for
from domain.errors import ReportInPreparation
from domain.periods import Period

SECONDS = 20.0  # BANBAN_REPORT_MAKING_MS's default
WEEKS_BACK = 10


def far_back(scale: str) -> tuple[float, int, float]:
    """Wall seconds of the askings of the weekly report WEEKS_BACK weeks back (the home
    county's at county scale, the province summary at province scale), how many, and the wall
    seconds of one asking without a limit, on the same copy with its parts emptied between."""
    path, _ = ensure(scale)
    week = Period.containing("weekly", TODAY)
    for _ in range(WEEKS_BACK):
        week = week.previous()
    with copy_of(path) as copy, open_store(str(copy), TODAY) as store:
        store.cards()
        banban = store.get()
        banban.REUSED = 0
        banban.empty_parts()
        county = banban.home_county() if scale == "county" else None
        askings, began = 0, time.perf_counter()
        while True:
            askings += 1
            with making_for(SECONDS):
                try:
                    banban.dispatch("weekly", week.id, county=county, shared=True)
                    break
                except ReportInPreparation:
                    continue
        over_several = time.perf_counter() - began
        banban.empty_parts()
        banban._decoded = banban._assembled_of = None
        began = time.perf_counter()
        banban.dispatch("weekly", week.id, county=county, shared=True)
        return over_several, askings, time.perf_counter() - began


def main() -> None:
    for scale in sys.argv[1:] or ["county"]:
        over_several, askings, at_once = far_back(scale)
        print(Figure(f"the weekly report {WEEKS_BACK} weeks back, {scale}, nothing kept, made "
                     f"over askings of {SECONDS:.0f} s (wall) [baseline = made at one asking]",
                     over_several, "s", "<=", 1.25, at_once, digits=1))
        print(f"  ({askings} askings)")


if __name__ == "__main__":
    main()

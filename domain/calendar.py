"""Working days by the official Chinese calendar: public holidays and make-up working days (调休).

The days come from the `chinesecalendar` package, never from a list kept here. The package knows
the years the State Council has published (2004–2026 in version 1.11.0). Outside those years
every function falls back to a Monday–Friday week and `calendar_known` says False: a clock keeps
running on an approximation instead of stopping (or crashing) on a date a year ahead, and
upgrading the package corrects it. Callers that explain a count should say when it is
approximate.

Each year is looked up once and kept as a table of its days and their running count, so a
lookup is an index and a count or an addition across years is a few of them: the dispatch
reports call these functions thousands of times.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from functools import lru_cache

import chinese_calendar

__all__ = ["add_working_days", "calendar_known", "is_working_day", "working_days_between"]


def calendar_known(d: date) -> bool:
    """Whether the official calendar of d's year is known (else Monday–Friday is assumed)."""
    return _year_known(d.year)


def is_working_day(d: date) -> bool:
    """Whether d is a working day (official calendar where known, else Monday to Friday)."""
    first, flags, _ = _year(d.year)
    return bool(flags[d.toordinal() - first])


def working_days_between(start: date, end: date) -> int:
    """The number of working days after start up to and including end; 0 when end <= start."""
    if end <= start:
        return 0
    count = _rank(end) - _rank(start)
    for year in range(start.year, end.year):
        count += _year(year)[2][-1]
    return count


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after d (before d when n < 0); d itself when n is 0."""
    if n == 0:
        return d
    year = d.year
    first, flags, running = _year(year)
    index = d.toordinal() - first
    if n > 0:
        # The wanted day is the one whose running count first reaches this target.
        target = running[index] + n
        while target > running[-1]:
            target -= running[-1]
            year += 1
            first, _, running = _year(year)
    else:
        # Working days strictly before d, less |n| - 1: the running count of the wanted day.
        target = running[index] - flags[index] + n + 1
        while target < 1:
            year -= 1
            first, _, running = _year(year)
            target += running[-1]
    return date.fromordinal(first + bisect_left(running, target))


def _rank(d: date) -> int:
    """Working days from the 1st of January of d's year up to and including d."""
    first, _, running = _year(d.year)
    return running[d.toordinal() - first]


@lru_cache(maxsize=None)
def _year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=None)
def _year(year: int) -> tuple[int, bytes, tuple[int, ...]]:
    """(ordinal of the 1st of January, 1 or 0 per day, running count of working days per day)."""
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    days = [date.fromordinal(ordinal) for ordinal in range(first, last + 1)]
    if _year_known(year):
        flags = bytes(chinese_calendar.is_workday(day) for day in days)
    else:
        flags = bytes(day.weekday() < 5 for day in days)
    running, count = [], 0
    for flag in flags:
        count += flag
        running.append(count)
    return first, flags, tuple(running)

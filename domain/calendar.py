"""Working days by the official Chinese calendar: public holidays and make-up working days (调休).

A year's days come from, first to last: the schedule the office loaded (`flask calendar load`,
recorded as events: domain/schedule.py), the `chinesecalendar` package (2004–2026 in version
1.11.0), or, for a year neither knows, a Monday–Friday week. Such a year is `unknown`: a count
across it goes on (a clock never stops on a date a year ahead) but is approximate, so a
calendar that `watch`es remembers every unknown year a count touched and the reports, boards and
flags built with it say so.

Each year is looked up once and kept as a table of its days and their running count, so a
lookup is an index and a count or an addition across years is a few of them: the reports call
these functions thousands of times.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import count
from typing import Any

import chinese_calendar

__all__ = ["PACKAGE", "OFFICE", "UNKNOWN", "PACKAGE_CALENDAR", "WorkingCalendar", "YearSchedule"]

# Where a year's working days come from.
OFFICE, PACKAGE, UNKNOWN = "office", "package", "unknown"

ONE_DAY = timedelta(days=1)
# The county's fixed parallel-approval day (周二并联审批), ISO weekday: 1 Monday to 7 Sunday.
PARALLEL_APPROVAL_WEEKDAY = 2
# A department invited to a park-entry joint review gives its opinion within this many working
# days of the convening, unless the convening sets the review's own clock (the county's
# setting: BANBAN_OPINION_WORKING_DAYS).
OPINION_WORKING_DAYS = 3

_Table = tuple[int, bytes, tuple[int, ...]]
_IDENTITIES = count(1)  # one per calendar made (not per copy): see `counts_alike`


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: the days off that would be worked (holidays, on weekdays
    or not) and the weekend days that are worked (make-up working days)."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        """Whether a day of this year is worked under this schedule."""
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


class WorkingCalendar:
    """Working days by year: the office's schedule, else the package's, else Monday to Friday.

    Immutable once made; `watch()` gives a copy sharing its tables that also records the
    unknown years its counts touch (`touched`), one per report or board.
    """

    def __init__(self, office: Iterable[YearSchedule] = (),
                 parallel_weekday: int = PARALLEL_APPROVAL_WEEKDAY,
                 opinion_working_days: int = OPINION_WORKING_DAYS) -> None:
        self.office: Mapping[int, YearSchedule] = {s.year: s for s in office}
        self._tables: dict[int, _Table] = {}
        self._sources: dict[int, str] = {}
        self._identity = next(_IDENTITIES)
        self.touched: set[int] | None = None
        # The county's week as well as its days: what a report counts the parallel-approval
        # day by travels with what it counts working days by.
        self.parallel_weekday = parallel_weekday
        self.opinion_working_days = opinion_working_days

    def watch(self) -> WorkingCalendar:
        """A calendar like this one that records the unknown years its counts touch."""
        copy = self._sharing()
        copy.touched = set()
        return copy

    def with_parallel_weekday(self, weekday: int) -> WorkingCalendar:
        """A calendar like this one whose parallel-approval day is an ISO weekday."""
        return self.with_county(weekday, self.opinion_working_days)

    def with_county(self, parallel_weekday: int, opinion_working_days: int
                    ) -> WorkingCalendar:
        """A calendar like this one with the county's settings: its parallel-approval day and
        its review opinions' clock."""
        if (parallel_weekday, opinion_working_days) == (self.parallel_weekday,
                                                        self.opinion_working_days):
            return self
        copy = self._sharing()
        copy.parallel_weekday, copy.opinion_working_days = parallel_weekday, opinion_working_days
        return copy

    def counts_alike(self) -> tuple[int, int, int]:
        """The same for two calendars only when they count every day, clock and
        parallel-approval day alike: the copies of one calendar (`watch`, `with_county`) with
        the same county settings. (Two calendars made from the same schedules count alike but
        differ here.) What they have touched is not part of it."""
        return self._identity, self.parallel_weekday, self.opinion_working_days

    def _sharing(self) -> WorkingCalendar:
        copy = WorkingCalendar.__new__(WorkingCalendar)
        copy.office, copy._tables, copy._sources = self.office, self._tables, self._sources
        copy._identity = self._identity
        copy.touched, copy.parallel_weekday = self.touched, self.parallel_weekday
        copy.opinion_working_days = self.opinion_working_days
        return copy

    def warnings(self) -> list[dict[str, Any]]:
        """The unknown years this watching calendar's counts crossed, each with a sentence:
        what a report or a board built with it must say."""
        return warnings_of(self.touched or ())

    def source(self, year: int) -> str:
        """Where the year's working days come from: office, package or unknown."""
        try:
            return self._sources[year]
        except KeyError:
            found = OFFICE if year in self.office else PACKAGE if _package_knows(year) else UNKNOWN
            self._sources[year] = found
            return found

    def known(self, year: int) -> bool:
        """Whether the year's official schedule is known (else Monday–Friday is assumed)."""
        return self.source(year) != UNKNOWN

    def is_working_day(self, day: date) -> bool:
        """Whether a day is a working day."""
        first, flags, _ = self._year(day.year)
        return bool(flags[day.toordinal() - first])

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after start up to and including end; 0 when end <= start."""
        if end <= start:
            return 0
        count = self._rank(end) - self._rank(start)
        for year in range(start.year, end.year):
            count += self._year(year)[2][-1]
        return count

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after day (before it when n < 0); day itself when n is 0."""
        if n == 0:
            return day
        year = day.year
        first, flags, running = self._year(year)
        index = day.toordinal() - first
        if n > 0:
            # The wanted day is the one whose running count first reaches this target.
            target = running[index] + n
            while target > running[-1]:
                target -= running[-1]
                year += 1
                first, _, running = self._year(year)
        else:
            # Working days strictly before the day, less |n| - 1: the wanted day's running count.
            target = running[index] - flags[index] + n + 1
            while target < 1:
                year -= 1
                first, _, running = self._year(year)
                target += running[-1]
        return date.fromordinal(first + bisect_left(running, target))

    def on_or_after(self, day: date) -> date:
        """The day itself if it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def _rank(self, day: date) -> int:
        """Working days from the 1st of January of the day's year up to and including it."""
        first, _, running = self._year(day.year)
        return running[day.toordinal() - first]

    def _year(self, year: int) -> _Table:
        """(ordinal of the 1st of January, 1 or 0 per day, running count per day) of a year;
        a watching calendar notes the year if it is unknown."""
        if self.touched is not None and self.source(year) == UNKNOWN:
            self.touched.add(year)
        try:
            return self._tables[year]
        except KeyError:
            pass
        schedule = self.office.get(year)
        if schedule is not None:
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            flags = bytes(schedule.is_working_day(date.fromordinal(o)) for o in range(first,
                                                                                    last + 1))
            table = _table(year, flags)
        else:
            table = _package_table(year)
        self._tables[year] = table
        return table


def _table(year: int, flags: bytes) -> _Table:
    running, count = [], 0
    for flag in flags:
        count += flag
        running.append(count)
    return date(year, 1, 1).toordinal(), flags, tuple(running)


@lru_cache(maxsize=None)
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=None)
def _package_table(year: int) -> _Table:
    """A year by the package, or Monday to Friday when the package does not know it."""
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    days = [date.fromordinal(ordinal) for ordinal in range(first, last + 1)]
    if _package_knows(year):
        flags = bytes(chinese_calendar.is_workday(day) for day in days)
    else:
        flags = bytes(day.weekday() < 5 for day in days)
    return _table(year, flags)


# The calendar of the package alone: what a store with no schedule loaded counts by.
PACKAGE_CALENDAR = WorkingCalendar()


def warnings_of(years: Iterable[int]) -> list[dict[str, Any]]:
    """The warnings of counts that crossed these years of unknown calendar, by year."""
    return [{"year": year, "source": UNKNOWN,
             "message": f"the official calendar for {year} is not known: its working days are "
                        "counted Monday to Friday"}
            for year in sorted(set(years))]

"""Dispatch periods: 一周一调度、半月一汇报、一月一督查、一季一通报, in business dates.

A period is a span of business dates in the county's time zone (Asia/Shanghai): the dates
secretaries enter. Ids are canonical text (`2026-W48`, `2026-11-H2`, `2026-11`, `2026-Q4`), so
they can key stored reports and URLs; anything else is refused rather than normalised.

Periods roll up (以周促月、以月促季、以季保年): `rolls_into()` names the periods each one counts
towards, each with the days it gives it (a week that straddles two months gives each its own
days). A `yearly` period exists only as the end of that chain, not as a dispatch cadence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from domain.dates import FIRST_YEAR, LAST_YEAR, YEAR
from domain.errors import DomainError, InvalidValue

CADENCES = ("weekly", "half-monthly", "monthly", "quarterly")
YEARLY = "yearly"

# China has kept UTC+8 without daylight saving since 1991: a fixed offset needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

ONE_DAY = timedelta(days=1)

# [0-9] rather than \d: \d also matches other scripts' digits (e.g. full-width ２０２６).
_SHAPES = {
    "weekly": (re.compile(r"([0-9]{4})-W([0-9]{2})"), "2026-W48"),
    "half-monthly": (re.compile(r"([0-9]{4})-([0-9]{2})-H([0-9])"), "2026-11-H2"),
    "monthly": (re.compile(r"([0-9]{4})-([0-9]{2})"), "2026-11"),
    "quarterly": (re.compile(r"([0-9]{4})-Q([0-9])"), "2026-Q4"),
    YEARLY: (re.compile(r"([0-9]{4})"), "2026"),
}
# Exactly the ids of real periods from 1900 to 2099 (week 53 only in years that have one), as
# one regular expression that the API documents; `parse` says what is wrong with any other.
_LONG_YEARS = "|".join(str(year) for year in range(FIRST_YEAR, LAST_YEAR + 1)
                       if date(year, 12, 28).isocalendar().week == 53)
_MONTH = "(?:0[1-9]|1[0-2])"
_EXACT = {
    "weekly": f"{YEAR}-W(?:0[1-9]|[1-4][0-9]|5[0-2])|(?:{_LONG_YEARS})-W53",
    "half-monthly": f"{YEAR}-{_MONTH}-H[12]",
    "monthly": f"{YEAR}-{_MONTH}",
    "quarterly": f"{YEAR}-Q[1-4]",
}
PERIOD_ID_PATTERN = "^(?:" + "|".join(_EXACT[cadence] for cadence in CADENCES) + ")$"
_REAL = {cadence: re.compile(pattern) for cadence, pattern in _EXACT.items()}


@dataclass(frozen=True)
class Period:
    """One dispatch period: its cadence, canonical id and first and last business dates."""

    cadence: str
    id: str
    start: date
    end: date

    @classmethod
    def parse(cls, cadence: str, period_id: str) -> Period:
        """The period a cadence and an id name; InvalidValue for anything malformed."""
        _check_cadence(cadence)
        pattern, example = _SHAPES[cadence]
        match = pattern.fullmatch(period_id) if isinstance(period_id, str) else None
        if match is None:
            message = f"a {cadence} period id looks like {example}, not {period_id!r}"
            other = next((kind for kind in CADENCES
                          if isinstance(period_id, str) and _REAL[kind].fullmatch(period_id)),
                         None)
            if other:  # a real id of another cadence: the pair is wrong, not the id
                raise DomainError(f"{message} ({period_id!r} has the shape of a {other} id)",
                                  field="period", code="period_of_another_cadence")
            shape = next(
                (kind for kind, (other, _) in _SHAPES.items()
                 if isinstance(period_id, str) and other.fullmatch(period_id)),
                None,
            )
            hint = f" ({period_id!r} has the shape of a {shape} id)" if shape else ""
            raise InvalidValue(f"{message}{hint}", field="period")
        year, *numbers = (int(group) for group in match.groups())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidValue(
                f"{period_id}: the year must be from {FIRST_YEAR} to {LAST_YEAR}", field="period"
            )
        return _containing(cadence, _first_day(cadence, period_id, year, *numbers))

    @classmethod
    def containing(cls, cadence: str, day: date) -> Period:
        """The period of this cadence that contains a business date."""
        _check_cadence(cadence)
        return _containing(cadence, day)

    def previous(self) -> Period:
        """The period of the same cadence just before this one."""
        return _containing(self.cadence, self.start - ONE_DAY)

    def next(self) -> Period:
        """The period of the same cadence just after this one."""
        return _containing(self.cadence, self.end + ONE_DAY)

    def contains(self, day: date) -> bool:
        """Whether a business date falls in this period."""
        return self.start <= day <= self.end

    def rolls_into(self) -> list[tuple[Period, date, date]]:
        """The periods this one rolls up into (week → month, half-month → month, month →
        quarter, quarter → year; a year into none), each with the first and last of this
        period's days in it.

        A week that straddles two months counts in each, with its days in that month (and so
        in the quarter of each of its days): every day is counted once at every level.
        """
        up = {"weekly": "monthly", "half-monthly": "monthly", "monthly": "quarterly",
              "quarterly": YEARLY}.get(self.cadence)
        if up is None:
            return []  # a year is the top of the chain
        found = [_containing(up, self.start)]
        if not found[0].contains(self.end):
            found.append(_containing(up, self.end))
        return [(period, max(self.start, period.start), min(self.end, period.end))
                for period in found]

    def __str__(self) -> str:
        return self.id


def business_date(moment: datetime) -> date:
    """The business date in Asia/Shanghai of an aware moment (e.g. an event's recorded time)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no business date: give it a time zone")
    return moment.astimezone(SHANGHAI).date()


def _check_cadence(cadence: str) -> None:
    if cadence not in CADENCES:
        yearly = " (a year is only the roll-up of its quarters)" if cadence == YEARLY else ""
        raise InvalidValue(
            f"cadence must be one of {', '.join(CADENCES)}, not {cadence!r}{yearly}",
            field="cadence",
        )


def _first_day(cadence: str, period_id: str, year: int, *numbers: int) -> date:
    """The first day of a well-shaped id, checking each number's range."""
    if cadence == "weekly":
        # The 28th of December is always in a year's last ISO week: 52, or 53 in a long year.
        weeks = date(year, 12, 28).isocalendar().week
        _check_range(period_id, "week", numbers[0], 1, weeks, f" ({year} has {weeks} ISO weeks)")
        return date.fromisocalendar(year, numbers[0], 1)
    if cadence == "quarterly":
        _check_range(period_id, "quarter", numbers[0], 1, 4)
        return date(year, 3 * numbers[0] - 2, 1)
    _check_range(period_id, "month", numbers[0], 1, 12)
    if cadence == "half-monthly":
        _check_range(period_id, "half", numbers[1], 1, 2)
        return date(year, numbers[0], 1 if numbers[1] == 1 else 16)
    return date(year, numbers[0], 1)


def _check_range(period_id: str, name: str, value: int, low: int, high: int, why="") -> None:
    if not low <= value <= high:
        raise InvalidValue(
            f"{period_id}: the {name} must be from {low} to {high}{why}", field="period"
        )


def _containing(kind: str, day: date) -> Period:
    """The period of a kind (a cadence or yearly) that contains a day."""
    if isinstance(day, datetime):
        # A datetime's own date may not be the Shanghai business date: convert it first.
        raise TypeError("periods contain business dates: use business_date() for a datetime")
    if kind == "weekly":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return Period(kind, f"{year:04d}-W{week:02d}", start, start + timedelta(days=6))
    if kind == "half-monthly":
        month = f"{day.year:04d}-{day.month:02d}"
        if day.day <= 15:
            return Period(kind, f"{month}-H1", day.replace(day=1), day.replace(day=15))
        return Period(kind, f"{month}-H2", day.replace(day=16), _month_end(day))
    if kind == "monthly":
        month = f"{day.year:04d}-{day.month:02d}"
        return Period(kind, month, day.replace(day=1), _month_end(day))
    if kind == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * quarter - 2, 1)
        end = _month_end(date(day.year, 3 * quarter, 1))
        return Period(kind, f"{day.year:04d}-Q{quarter}", start, end)
    return Period(YEARLY, f"{day.year:04d}", date(day.year, 1, 1), date(day.year, 12, 31))


def _month_end(day: date) -> date:
    # The 28th plus four days is always in the next month; its 1st less a day ends this one.
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - ONE_DAY


def judged_on(period: Period, today: date | None) -> date:
    """The day a period's report is judged on: its last day, or today while it runs.
    A period that has not begun has no report (DomainError future_period)."""
    if today is not None and period.start > today:
        raise DomainError(f"{period.id} has not begun (today is {today}): it has no report yet",
                          field="period", code="future_period")
    return period.end if today is None else min(period.end, today)

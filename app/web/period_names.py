"""Dispatch periods as people read them, in the reader's language: 2026年第49周（11月30日—
12月6日）, 2026年11月下半月, 2026年11月, 2026年第四季度; Week 49, 2026 (30 Nov – 6 Dec),
Second half of November 2026, November 2026, Q4 2026.

Ids (2026-W49, 2026-11-H2) stay in URLs, the API and file names' ASCII fallbacks; what a person
reads (titles, pickers, sheets, Excel, print headers, chart axes) is named here. A period is a
`Period`, its plain form (cadence, id, start, end; dates or ISO text, as a published report
holds them) or a publication's record (cadence, period).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from domain.periods import Period

MONTHS = (_l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"),
          _l("July"), _l("August"), _l("September"), _l("October"), _l("November"),
          _l("December"))
MONTHS_SHORT = (_l("Jan"), _l("Feb"), _l("Mar"), _l("Apr"), _l("May"), _l("Jun"), _l("Jul"),
                _l("Aug"), _l("Sep"), _l("Oct"), _l("Nov"), _l("Dec"))
QUARTERS = (_l("Q1"), _l("Q2"), _l("Q3"), _l("Q4"))

# The forms of a name: long (a week with its dates), short (a week without them; a title or a
# file name), label (as few characters as a chart's axis can hold).
LONG, SHORT, LABEL = "long", "short", "label"


def period_name(period: Period | Mapping[str, Any], form: str = LONG) -> str:
    """The period's name in the reader's language."""
    cadence, start, end = _parts(period)
    if cadence == "weekly":
        year, week, _ = start.isocalendar()
        if form == LABEL:
            return gettext("W%(week)s", week=week)
        if form == SHORT:
            return gettext("Week %(week)s, %(year)s", week=week, year=year)
        return gettext("Week %(week)s, %(year)s (%(start)s – %(end)s)", week=week, year=year,
                       start=day_month(start, year), end=day_month(end, year))
    month = MONTHS_SHORT[start.month - 1] if form == LABEL else MONTHS[start.month - 1]
    if cadence == "half-monthly":
        if form == LABEL:
            return (gettext("%(month)s H1", month=month) if start.day == 1
                    else gettext("%(month)s H2", month=month))
        return (gettext("First half of %(month)s %(year)s", month=month, year=start.year)
                if start.day == 1 else
                gettext("Second half of %(month)s %(year)s", month=month, year=start.year))
    if cadence == "monthly":
        return str(month) if form == LABEL else gettext("%(month)s %(year)s", month=month,
                                                        year=start.year)
    if cadence == "quarterly":
        quarter = QUARTERS[(start.month - 1) // 3]
        return str(quarter) if form == LABEL else gettext("%(quarter)s %(year)s",
                                                          quarter=quarter, year=start.year)
    return gettext("Year %(year)s", year=start.year)  # a year: the top of the roll-up


def day_month(day: date, year: int | None = None) -> str:
    """A day and its month (30 Nov, 11月30日), with its year unless it is `year`."""
    if day.year == year:
        return gettext("%(day)s %(month)s", day=day.day, month=MONTHS_SHORT[day.month - 1])
    return full_date(day)


def full_date(day: date) -> str:
    """A date written out (30 Nov 2026, 2026年11月30日)."""
    return gettext("%(day)s %(month)s %(year)s", day=day.day, month=MONTHS_SHORT[day.month - 1],
                   year=day.year)


def _parts(period: Period | Mapping[str, Any]) -> tuple[str, date, date]:
    if not isinstance(period, Period) and "start" not in period:
        period = Period.parse(period["cadence"], period["period"])  # a publication's record
    if isinstance(period, Period):
        return period.cadence, period.start, period.end
    start, end = period["start"], period["end"]
    return (period["cadence"], start if isinstance(start, date) else date.fromisoformat(start),
            end if isinstance(end, date) else date.fromisoformat(end))

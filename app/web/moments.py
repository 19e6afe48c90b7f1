"""Moments an auditor types (a `datetime-local` field, county time) and points of a project's
record (a version or a moment)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from domain import dates
from domain.application import COUNTY_TZ

# What a datetime-local field sends (seconds and fractions are optional), and, for links, an
# explicit offset. Anything else (a bare date, week numbers) is refused, not guessed.
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?")
_VERSION = re.compile(r"[0-9]{1,10}")
_LAST_MICROSECOND = timedelta(microseconds=999_999)


class OutOfRange(ValueError):
    """A moment of the right shape in a year the record cannot hold (before 1900, after 2099)."""


def parse_moment(text: str, *, through_second: bool = True) -> datetime | None:
    """The UTC moment a county-time text names, or None if it names none; OutOfRange if it
    falls outside the years the record takes (domain.dates).

    Recorded times are shown to the second, so a moment given to the second (or minute) holds
    everything recorded during that second: "as of 10:30:15" includes an event shown as
    recorded at 10:30:15 (unless `through_second` is false). A moment with a fraction of a
    second is taken exactly.
    """
    if not isinstance(text, str) or not _MOMENT.fullmatch(text.strip()):
        return None
    text = text.strip()
    if not dates.FIRST_YEAR <= int(text[:4]) <= dates.LAST_YEAR:
        raise OutOfRange(text)
    try:
        moment = dates.parse_moment(text, COUNTY_TZ)
    except ValueError:  # the right shape but no such day or hour (2026-02-30, 25:00)
        return None
    if through_second and "." not in text:
        moment += _LAST_MICROSECOND
    return moment.astimezone(timezone.utc)


def parse_version(text: str) -> int | None:
    """A version number typed as digits, or None."""
    if isinstance(text, str) and _VERSION.fullmatch(text.strip()):
        return int(text)
    return None


def local_input(moment: datetime | None) -> str:
    """A moment as a datetime-local field shows it: county time, to the second."""
    if moment is None:
        return ""
    return moment.astimezone(COUNTY_TZ).strftime("%Y-%m-%dT%H:%M:%S")

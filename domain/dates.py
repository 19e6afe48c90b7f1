"""The dates and moments the record takes: from 1900-01-01 to 2099-12-31, in ISO 8601.

A business date or a moment outside these years is a typo (0226, 2926) or an attack
(0001-01-01, 9999-12-31): it is refused, so that no count of days and no change of time zone
ever runs off the calendar. One regular expression each for a date and a moment states exactly
what is taken (real calendar days only); the API document gives the same ones.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

FIRST_YEAR, LAST_YEAR = 1900, 2099
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)

YEAR = "(?:19|20)[0-9]{2}"
# Every real day of those years: 29 February only in leap years (1900 is not one, 2000 is).
_DAY = ("(?:" + YEAR + "-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        "|(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26]))-02-29)")
# A day and a time to the minute, second or microsecond, with an offset or none (county time).
_MOMENT = (_DAY + "[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,6})?)?"
           "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?")
DATE_PATTERN, MOMENT_PATTERN = f"^{_DAY}$", f"^{_MOMENT}$"
_DATE, _MOMENT_RE = re.compile(_DAY), re.compile(_MOMENT)

DATE_RULE = f"a date from {FIRST_DAY} to {LAST_DAY} (YYYY-MM-DD)"
MOMENT_RULE = (f"a date and time from {FIRST_DAY} to {LAST_DAY} (YYYY-MM-DDTHH:MM:SS, "
               "with an offset or in county time)")


def parse_date(value: object) -> date:
    """A business date from text (YYYY-MM-DD) or a date; ValueError saying what it must be."""
    if isinstance(value, date) and not isinstance(value, datetime):
        if FIRST_DAY <= value <= LAST_DAY:
            return value
    elif isinstance(value, str) and _DATE.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError(f"must be {DATE_RULE}")


def parse_moment(value: object, county: tzinfo) -> datetime:
    """An aware moment from ISO 8601 text (without an offset, in the county's time zone);
    ValueError saying what it must be."""
    if not isinstance(value, str) or not _MOMENT_RE.fullmatch(value):
        raise ValueError(f"must be {MOMENT_RULE}")
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=county)

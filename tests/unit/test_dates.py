"""The dates and moments the record takes (domain.dates), and the patterns that state them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.dates import DATE_PATTERN, MOMENT_PATTERN, parse_date, parse_moment

COUNTY = timezone(timedelta(hours=8))


@pytest.mark.parametrize("text", ["1900-01-01", "2099-12-31", "2000-02-29", "2024-02-29"])
def test_real_days_of_the_years_1900_to_2099_are_dates(text):
    assert parse_date(text) == date.fromisoformat(text)


@pytest.mark.parametrize("value", [
    "0001-01-01", "1899-12-31", "2100-01-01", "9999-12-31", "1900-02-29", "2026-02-29",
    "2026-04-31", "2026-1-5", "20261105", "2026-W48-3", "２０２６-11-05", "2026-11-05 ",
    "2026-11-05T00:00", "", None, 20261105, date(1, 1, 1), date(2100, 1, 1),
    datetime(2026, 11, 5)])
def test_anything_else_is_refused_saying_what_a_date_is(value):
    with pytest.raises(ValueError, match="from 1900-01-01 to 2099-12-31"):
        parse_date(value)


@pytest.mark.parametrize("text, moment", [
    ("2026-11-20T10:30", datetime(2026, 11, 20, 10, 30, tzinfo=COUNTY)),
    ("2026-11-20 10:30:15", datetime(2026, 11, 20, 10, 30, 15, tzinfo=COUNTY)),
    ("2026-11-20T10:30:15.5Z", datetime(2026, 11, 20, 10, 30, 15, 500_000, tzinfo=timezone.utc)),
    ("1900-01-01T00:00:00-05:00", datetime(1900, 1, 1, 5, tzinfo=timezone.utc)),
    ("2099-12-31T23:59:59+00:00", datetime(2099, 12, 31, 23, 59, 59, tzinfo=timezone.utc)),
])
def test_a_moment_without_an_offset_is_county_time(text, moment):
    assert parse_moment(text, COUNTY) == moment


@pytest.mark.parametrize("text", [
    "0001-01-01T00:00:00", "9999-12-31T23:59:59Z", "1899-12-31T23:59:59+08:00",
    "2100-01-01T00:00", "2026-11-20", "2026-11-20T25:00", "2026-02-30T10:00",
    "2026-11-20T10:30:15.1234567", "2026-11-20T10:30+24:00", "yesterday", ""])
def test_a_moment_out_of_range_or_shape_is_refused(text):
    with pytest.raises(ValueError, match="1900"):
        parse_moment(text, COUNTY)


def _takes(parse, text) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


DAYS = st.dates().map(date.isoformat)
TIMES = st.times().map(lambda t: t.isoformat(timespec="microseconds"))
OFFSETS = st.sampled_from(["", "Z", "+08:00", "-05:30", "+23:59"])


@given(text=st.one_of(DAYS, st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True)))
def test_the_date_pattern_takes_exactly_what_parse_date_takes(text):
    assert bool(re.fullmatch(DATE_PATTERN[1:-1], text)) == _takes(parse_date, text)


@given(day=DAYS, time=TIMES, offset=OFFSETS, cut=st.sampled_from([5, 8, 15]))
def test_the_moment_pattern_takes_exactly_what_parse_moment_takes(day, time, offset, cut):
    text = f"{day}T{time[:cut]}{offset}"
    assert bool(re.fullmatch(MOMENT_PATTERN[1:-1], text)) == _takes(
        lambda t: parse_moment(t, COUNTY), text)

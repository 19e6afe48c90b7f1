"""Dispatch periods: ids, boundaries, neighbours and the roll-up of each cadence."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, InvalidValue
from domain.periods import CADENCES, PERIOD_ID_PATTERN, Period, business_date

DAYS = st.dates(min_value=date(1900, 1, 8), max_value=date(2099, 12, 24))


def period(cadence, period_id, start, end):
    return Period(cadence, period_id, date(*start), date(*end))


@pytest.mark.parametrize(("cadence", "period_id", "start", "end"), [
    ("weekly", "2026-W48", (2026, 11, 23), (2026, 11, 29)),
    ("half-monthly", "2026-11-H1", (2026, 11, 1), (2026, 11, 15)),
    ("half-monthly", "2026-11-H2", (2026, 11, 16), (2026, 11, 30)),
    ("monthly", "2026-11", (2026, 11, 1), (2026, 11, 30)),
    ("quarterly", "2026-Q4", (2026, 10, 1), (2026, 12, 31)),
])
def test_an_id_names_its_first_and_last_day(cadence, period_id, start, end):
    assert Period.parse(cadence, period_id) == period(cadence, period_id, start, end)


def test_weeks_run_monday_to_sunday():
    week = Period.containing("weekly", date(2026, 10, 1))
    assert (week.start.weekday(), week.end.weekday()) == (0, 6)


def test_week_53_of_2026_runs_into_2027():
    assert Period.parse("weekly", "2026-W53") == period(
        "weekly", "2026-W53", (2026, 12, 28), (2027, 1, 3))
    assert Period.containing("weekly", date(2027, 1, 3)).id == "2026-W53"
    assert Period.containing("weekly", date(2027, 1, 4)).id == "2027-W01"


def test_week_53_of_2020_holds_new_years_day_2021():
    assert Period.containing("weekly", date(2021, 1, 1)).id == "2020-W53"
    assert Period.parse("weekly", "2020-W53").next().id == "2021-W01"


def test_the_first_week_of_a_year_can_start_in_december():
    assert Period.containing("weekly", date(2024, 12, 30)).id == "2025-W01"
    assert Period.parse("weekly", "2026-W01").start == date(2025, 12, 29)


def test_a_52_week_year_goes_from_week_52_to_week_1():
    assert Period.parse("weekly", "2025-W52").next().id == "2026-W01"


@pytest.mark.parametrize(("day", "half"), [(15, "2026-11-H1"), (16, "2026-11-H2")])
def test_the_half_month_splits_between_the_15th_and_the_16th(day, half):
    assert Period.containing("half-monthly", date(2026, 11, day)).id == half


@pytest.mark.parametrize(("year", "last"), [(2024, 29), (2026, 28), (2000, 29), (1900, 28)])
def test_februarys_second_half_ends_on_its_last_day(year, last):
    half = Period.parse("half-monthly", f"{year}-02-H2")
    assert (half.start, half.end) == (date(year, 2, 16), date(year, 2, last))
    assert half.next().id == f"{year}-03-H1"


def test_half_months_cross_the_year_end():
    december = Period.parse("half-monthly", "2026-12-H2")
    assert december.end == date(2026, 12, 31)
    assert december.next().id == "2027-01-H1"
    assert december.next().previous() == december


def test_months_and_quarters_cross_the_year_end():
    assert Period.parse("monthly", "2026-12").next().id == "2027-01"
    assert Period.parse("monthly", "2027-01").previous().id == "2026-12"
    assert Period.parse("quarterly", "2026-Q4").next().id == "2027-Q1"
    assert Period.parse("quarterly", "2027-Q1").previous().id == "2026-Q4"


def test_a_quarter_ends_on_the_last_day_of_its_third_month():
    assert Period.parse("quarterly", "2026-Q1").end == date(2026, 3, 31)
    assert Period.parse("quarterly", "2026-Q2").end == date(2026, 6, 30)


@pytest.mark.parametrize(("cadence", "period_id", "says"), [
    ("weekly", "2026-W54", "2026 has 53 ISO weeks"),
    ("weekly", "2025-W53", "2025 has 52 ISO weeks"),
    ("weekly", "2026-W00", "week must be from 1 to 53"),
    ("weekly", "2026-W5", "looks like 2026-W48"),
    ("monthly", "2026-13", "month must be from 1 to 12"),
    ("monthly", "2026-00", "month must be from 1 to 12"),
    ("half-monthly", "2026-11-H3", "half must be from 1 to 2"),
    ("half-monthly", "2026-13-H1", "month must be from 1 to 12"),
    ("quarterly", "2026-Q5", "quarter must be from 1 to 4"),
    ("quarterly", "2026-Q0", "quarter must be from 1 to 4"),
    ("monthly", "0226-11", "year must be from 1900 to 2099"),
    ("monthly", "2026-11 ", "looks like 2026-11"),
    ("monthly", "２０２６-11", "looks like 2026-11"),
    ("quarterly", "2026-q4", "looks like 2026-Q4"),
    ("monthly", None, "looks like 2026-11"),
])
def test_a_malformed_or_out_of_range_id_is_refused_saying_why(cadence, period_id, says):
    with pytest.raises(InvalidValue) as info:
        Period.parse(cadence, period_id)
    assert info.value.field == "period"
    assert says in info.value.message


@pytest.mark.parametrize(("cadence", "period_id", "shape"), [
    ("weekly", "2026-11", "monthly"),
    ("monthly", "2026-W48", "weekly"),
    ("quarterly", "2026-11-H2", "half-monthly"),
    ("half-monthly", "2026-Q4", "quarterly"),
])
def test_an_id_of_another_cadence_is_refused_naming_that_cadence(cadence, period_id, shape):
    with pytest.raises(DomainError) as info:
        Period.parse(cadence, period_id)
    assert (info.value.field, info.value.code) == ("period", "period_of_another_cadence")
    assert f"shape of a {shape} id" in info.value.message


@pytest.mark.parametrize("cadence", ["daily", "Weekly", "yearly", ""])
def test_an_unknown_cadence_is_refused(cadence):
    with pytest.raises(InvalidValue) as info:
        Period.parse(cadence, "2026")
    assert info.value.field == "cadence"
    with pytest.raises(InvalidValue):
        Period.containing(cadence, date(2026, 11, 1))


def test_the_cadences_are_the_four_of_the_dispatch_rhythm():
    assert CADENCES == ("weekly", "half-monthly", "monthly", "quarterly")


@pytest.mark.parametrize(("week", "months"), [
    ("2026-W45", [("2026-11", (11, 2), (11, 8))]),  # inside November
    ("2026-W44", [("2026-10", (10, 26), (10, 31)), ("2026-11", (11, 1), (11, 1))]),
    ("2026-W53", [("2026-12", (12, 28), (12, 31)), ("2027-01", (1, 1), (1, 3))]),
])
def test_a_week_rolls_up_into_the_month_of_each_of_its_days(week, months):
    rolled = Period.parse("weekly", week).rolls_into()
    assert [(up.id, (first.month, first.day), (last.month, last.day))
            for up, first, last in rolled] == months


def test_the_roll_up_runs_half_month_to_month_to_quarter_to_year():
    half = Period.parse("half-monthly", "2026-11-H2")
    [(month, _, _)] = half.rolls_into()
    [(quarter, first, last)] = month.rolls_into()
    [(year, _, _)] = quarter.rolls_into()
    assert (month.id, quarter.id, first, last) == (
        "2026-11", "2026-Q4", date(2026, 11, 1), date(2026, 11, 30))
    assert year == period("yearly", "2026", (2026, 1, 1), (2026, 12, 31))
    assert year.rolls_into() == []
    assert (year.previous().id, year.next().id) == ("2025", "2027")


def test_a_period_contains_its_first_and_last_day_only():
    month = Period.parse("monthly", "2026-02")
    assert month.contains(date(2026, 2, 1)) and month.contains(date(2026, 2, 28))
    assert not month.contains(date(2026, 1, 31)) and not month.contains(date(2026, 3, 1))


def test_a_datetime_is_refused_where_a_business_date_is_due():
    with pytest.raises(TypeError):
        Period.containing("monthly", datetime(2026, 11, 30, 20, tzinfo=timezone.utc))


def test_the_business_date_is_the_date_in_shanghai():
    late_utc_evening = datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)
    assert business_date(late_utc_evening) == date(2026, 12, 1)
    assert Period.containing("monthly", business_date(late_utc_evening)).id == "2026-12"


def test_a_naive_datetime_has_no_business_date():
    with pytest.raises(ValueError):
        business_date(datetime(2026, 11, 30, 17, 0))


@given(DAYS, st.sampled_from(CADENCES))
def test_every_day_is_in_exactly_one_period_of_each_cadence(day, cadence):
    found = Period.containing(cadence, day)
    assert found.contains(day)
    assert not found.previous().contains(day) and not found.next().contains(day)
    assert found.previous().end + timedelta(days=1) == found.start
    assert found.end + timedelta(days=1) == found.next().start


@given(DAYS, st.sampled_from(CADENCES))
def test_next_and_previous_are_inverse_and_ids_round_trip(day, cadence):
    found = Period.containing(cadence, day)
    assert found.next().previous() == found == found.previous().next()
    assert Period.parse(cadence, found.id) == found


@given(DAYS, st.sampled_from(CADENCES))
def test_each_period_gives_each_of_its_days_to_one_period_above_it(day, cadence):
    found = Period.containing(cadence, day)
    rolled = found.rolls_into()
    days = [found.start + timedelta(days=n) for n in range((found.end - found.start).days + 1)]
    for each in days:
        [up] = [up for up, first, last in rolled if first <= each <= last]
        assert up.contains(each)
    assert sum((last - first).days + 1 for _, first, last in rolled) == len(days)
    assert len(rolled) == 1 or cadence == "weekly"


IDS = st.one_of(
    st.builds("{:04d}-W{:02d}".format, st.integers(0, 9999), st.integers(0, 99)),
    st.builds("{:04d}-{:02d}-H{}".format, st.integers(0, 9999), st.integers(0, 99),
              st.integers(0, 9)),
    st.builds("{:04d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99)),
    st.builds("{:04d}-Q{}".format, st.integers(0, 9999), st.integers(0, 9)),
    st.builds("{:04d}-W{:02d}".format, st.integers(1895, 2105), st.integers(50, 54)),
)


@given(period_id=IDS)
def test_the_documented_pattern_takes_exactly_the_ids_of_real_periods(period_id):
    cadences = []
    for cadence in CADENCES:
        try:
            Period.parse(cadence, period_id)
        except DomainError:
            continue
        cadences.append(cadence)
    assert bool(re.fullmatch(PERIOD_ID_PATTERN[1:-1], period_id)) == bool(cadences)
    for cadence in set(CADENCES) - set(cadences):
        with pytest.raises(DomainError) as info:
            Period.parse(cadence, period_id)
        assert (info.value.code == "period_of_another_cadence") == bool(cadences)

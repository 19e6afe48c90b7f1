"""Working days follow the official Chinese calendar, holidays and make-up days included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import (
    OFFICE,
    PACKAGE,
    PACKAGE_CALENDAR,
    UNKNOWN,
    WorkingCalendar,
    YearSchedule,
)

add_working_days = PACKAGE_CALENDAR.add_working_days
is_working_day = PACKAGE_CALENDAR.is_working_day
working_days_between = PACKAGE_CALENDAR.working_days_between


def calendar_known(day: date) -> bool:
    return PACKAGE_CALENDAR.known(day.year)

# 2026 by the package's data: Mid-Autumn Fri 25 to Sun 27 September, National Day Thu 1 to
# Wed 7 October, made up on Sunday 20 September and Saturday 10 October.
MAKE_UP_SUNDAY = date(2026, 9, 20)
LAST_DAY_BEFORE_NATIONAL_DAY = date(2026, 9, 30)
NATIONAL_DAY = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]
FIRST_DAY_AFTER = date(2026, 10, 8)
MAKE_UP_SATURDAY = date(2026, 10, 10)

DAYS = st.dates(min_value=date(2002, 1, 1), max_value=date(2029, 12, 31))


def naive_count(start: date, end: date) -> int:
    """The specification of working_days_between, one day at a time."""
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(is_working_day(day) for day in days)


@pytest.mark.parametrize("day", NATIONAL_DAY)
def test_national_day_week_is_not_worked_even_on_weekdays(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [MAKE_UP_SUNDAY, MAKE_UP_SATURDAY])
def test_make_up_weekend_days_are_worked(day):
    assert day.weekday() >= 5
    assert is_working_day(day)


def test_a_festival_on_a_friday_is_not_worked():
    assert not is_working_day(date(2026, 9, 25))


def test_an_ordinary_weekend_is_not_worked_and_a_weekday_is():
    assert not is_working_day(date(2026, 10, 11))
    assert is_working_day(date(2026, 10, 12))


def test_the_holiday_week_counts_no_working_days():
    assert working_days_between(LAST_DAY_BEFORE_NATIONAL_DAY, date(2026, 10, 7)) == 0
    assert working_days_between(LAST_DAY_BEFORE_NATIONAL_DAY, FIRST_DAY_AFTER) == 1


def test_a_make_up_saturday_is_counted():
    # 8, 9 and the Saturday 10 October.
    assert working_days_between(LAST_DAY_BEFORE_NATIONAL_DAY, MAKE_UP_SATURDAY) == 3


def test_counting_excludes_the_start_and_includes_the_end():
    monday, tuesday = date(2026, 10, 12), date(2026, 10, 13)
    assert working_days_between(monday, tuesday) == 1


@pytest.mark.parametrize("end", [date(2026, 10, 12), date(2026, 10, 1)])
def test_no_working_days_when_the_end_is_not_after_the_start(end):
    assert working_days_between(date(2026, 10, 12), end) == 0


def test_the_working_day_after_the_last_before_the_holiday_is_the_first_after_it():
    assert add_working_days(LAST_DAY_BEFORE_NATIONAL_DAY, 1) == FIRST_DAY_AFTER


def test_adding_working_days_lands_on_a_make_up_saturday():
    assert add_working_days(date(2026, 10, 9), 1) == MAKE_UP_SATURDAY


def test_adding_from_a_holiday_starts_after_it():
    assert add_working_days(date(2026, 10, 3), 2) == date(2026, 10, 9)


def test_adding_zero_working_days_is_the_same_day_even_on_a_holiday():
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_negative_working_days_count_backwards_over_the_holiday():
    assert add_working_days(FIRST_DAY_AFTER, -1) == LAST_DAY_BEFORE_NATIONAL_DAY
    assert add_working_days(date(2026, 10, 3), -1) == LAST_DAY_BEFORE_NATIONAL_DAY


def test_counting_and_adding_cross_a_year_end_and_spring_festival():
    # New Year's Day 2026 is a Thursday, its Friday off and Sunday 4 January made up.
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 4)) == 1
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)


@pytest.mark.parametrize("day", [date(2004, 1, 1), date(2026, 12, 31)])
def test_the_package_years_are_known(day):
    assert calendar_known(day)


@pytest.mark.parametrize("day", [date(2003, 12, 31), date(2027, 1, 1), date(2100, 6, 1)])
def test_other_years_are_not_known(day):
    assert not calendar_known(day)


def test_unknown_years_fall_back_to_monday_to_friday():
    new_years_day_2027 = date(2027, 1, 1)  # a Friday: surely a holiday, but not yet published
    assert is_working_day(new_years_day_2027)
    assert not is_working_day(date(2027, 1, 2))
    assert add_working_days(date(2027, 1, 1), 1) == date(2027, 1, 4)
    assert working_days_between(date(2003, 1, 3), date(2003, 1, 10)) == 5


def test_counting_runs_from_a_known_year_into_an_unknown_one_without_failing():
    # Thursday 31 December 2026 (official), then Friday 1, Monday 4, Tuesday 5 (Monday–Friday).
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 5)) == 4
    assert add_working_days(date(2026, 12, 30), 4) == date(2027, 1, 5)


def test_a_year_of_the_official_calendar_is_not_a_monday_to_friday_year():
    weekdays_2026 = 261
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) != weekdays_2026


@given(DAYS, st.integers(min_value=0, max_value=400))
def test_counting_undoes_adding(day, n):
    assert working_days_between(day, add_working_days(day, n)) == n


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_adding_lands_on_a_working_day_and_subtracting_comes_back(day, n):
    later = add_working_days(day, n)
    assert is_working_day(later)
    if is_working_day(day):
        assert add_working_days(later, -n) == day


@given(DAYS, st.integers(min_value=1, max_value=800))
def test_adding_undoes_counting_on_working_days(day, span):
    end = day + timedelta(days=span)
    if is_working_day(end):
        assert add_working_days(day, working_days_between(day, end)) == end


@given(DAYS, st.integers(min_value=-30, max_value=500))
def test_counting_agrees_with_counting_day_by_day(start, span):
    end = start + timedelta(days=span)
    assert working_days_between(start, end) == naive_count(start, end)


# ---- the office's schedule -------------------------------------------------------------------

# 2027 as an office might load it (the package does not know 2027): New Year's Day off, a
# make-up Saturday.
SCHEDULE_2027 = YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 1, 9)}))


def test_a_year_the_office_loaded_is_counted_by_its_schedule():
    calendar = WorkingCalendar([SCHEDULE_2027])
    assert calendar.source(2027) == OFFICE
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 9))  # a make-up Saturday
    assert calendar.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 1
    assert calendar.add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 9)


def test_a_year_the_office_loaded_overrides_the_package():
    # An office schedule for 2026 that works through the National Day week.
    calendar = WorkingCalendar([YearSchedule(2026, frozenset({date(2026, 1, 1)}), frozenset())])
    assert calendar.source(2026) == OFFICE
    assert calendar.is_working_day(date(2026, 10, 5))
    assert not PACKAGE_CALENDAR.is_working_day(date(2026, 10, 5))


def test_years_come_from_the_office_the_package_or_nowhere():
    calendar = WorkingCalendar([SCHEDULE_2027])
    assert [calendar.source(y) for y in (2026, 2027, 2028)] == [PACKAGE, OFFICE, UNKNOWN]


def test_a_watching_calendar_notes_every_unknown_year_a_count_crosses():
    calendar = WorkingCalendar([SCHEDULE_2027]).watch()
    calendar.working_days_between(date(2026, 12, 1), date(2027, 1, 10))
    assert calendar.touched == set()
    calendar.working_days_between(date(2027, 12, 1), date(2028, 1, 10))
    assert calendar.touched == {2028}
    assert [w["year"] for w in calendar.warnings()] == [2028]


def test_a_count_within_known_years_warns_of_nothing():
    calendar = PACKAGE_CALENDAR.watch()
    calendar.add_working_days(date(2026, 3, 1), 40)
    calendar.on_or_after(date(2026, 10, 3))
    assert calendar.warnings() == []


def test_a_count_into_an_unknown_year_warns():
    calendar = PACKAGE_CALENDAR.watch()
    assert calendar.on_or_after(date(2027, 1, 2)) == date(2027, 1, 4)
    assert calendar.touched == {2027}

"""The office's schedule of holidays: a CSV file checked line by line, recorded as events."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import OFFICE, PACKAGE
from domain.errors import DomainError
from domain.schedule import SCHEDULE_ID, Schedule, parse_schedule

# 2027's schedule as the State Council might publish it (not the package's: it has no 2027).
CSV_2027 = """date,kind
2027-01-01,holiday
2027-02-06,holiday
2027-02-07,workday
2027-02-08,holiday
2027-02-09,holiday
"""


def test_a_schedule_file_gives_each_year_its_holidays_and_make_up_days():
    [year] = parse_schedule(CSV_2027)
    assert year.year == 2027
    assert year.holidays == {date(2027, 1, 1), date(2027, 2, 6), date(2027, 2, 8),
                             date(2027, 2, 9)}
    assert year.workdays == {date(2027, 2, 7)}


def test_a_file_may_hold_several_years_a_byte_order_mark_blank_lines_and_upper_case():
    text = "\ufeffDate,Kind\n2027-01-01,HOLIDAY\n\n2028-01-01,holiday\n2028-01-08,workday\n"
    assert [(y.year, len(y.holidays), len(y.workdays)) for y in parse_schedule(text)] == [
        (2027, 1, 0), (2028, 1, 1)]


@pytest.mark.parametrize("text, says", [
    ("", "line 1: the header must be 'date,kind', not 'nothing'"),
    ("day,type\n2027-01-01,holiday\n", "line 1: the header must be 'date,kind'"),
    ("date,kind\n2027-01-01\n", "line 2: expected a date and a kind, found 1 values"),
    ("date,kind\n2027-01-01,holiday\n2027-13-01,holiday\n", "line 3: '2027-13-01' is not a date"),
    ("date,kind\n2027-1-1,holiday\n", "line 2: '2027-1-1' is not a date"),
    ("date,kind\n2027-01-01,vacation\n", "line 2: the kind must be holiday or workday"),
    ("date,kind\n2027-01-01,holiday\n2027-01-05,workday\n",
     "line 3: 2027-01-05 is a Tuesday: a make-up working day (workday) is a Saturday or a"),
    ("date,kind\n2027-01-01,holiday\n2027-01-01,holiday\n",
     "line 3: 2027-01-01 is listed already, on line 2"),
    ("date,kind\n1999-01-01,holiday\n", "line 2: 1999-01-01 is outside 2000–2099"),
    ("date,kind\n\n", "the file lists no days"),
    ("date,kind\n2027-01-09,workday\n", "2027: no holiday is listed"),
])
def test_a_malformed_file_is_refused_naming_its_bad_line(text, says):
    with pytest.raises(DomainError) as refused:
        parse_schedule(text)
    assert says in refused.value.message
    assert (refused.value.field, refused.value.code) == ("file", "invalid_calendar_file")


def test_a_load_records_who_which_file_and_every_day_and_makes_the_calendar():
    schedule = Schedule.start(actor="cli:root")
    schedule.load(parse_schedule(CSV_2027), file="2027.csv", sha256="ab" * 32,
                  actor="cli:root")

    assert schedule.id == SCHEDULE_ID
    [event] = [e for e in schedule.collect_events() if isinstance(e, Schedule.Loaded)]
    assert (event.actor, event.file, event.sha256) == ("cli:root", "2027.csv", "ab" * 32)
    assert event.years["2027"]["workdays"] == ["2027-02-07"]
    calendar = schedule.calendar()
    assert (calendar.source(2027), calendar.source(2026)) == (OFFICE, PACKAGE)
    assert not calendar.is_working_day(date(2027, 2, 8))
    assert calendar.is_working_day(date(2027, 2, 7))


def test_a_year_loaded_again_replaces_the_earlier_load():
    schedule = Schedule.start(actor="cli:root")
    schedule.load(parse_schedule(CSV_2027), file="draft.csv", sha256="0" * 64, actor="a")
    schedule.load(parse_schedule("date,kind\n2027-01-01,holiday\n"), file="final.csv",
                  sha256="1" * 64, actor="b")

    assert schedule.years[2027]["file"] == "final.csv"
    assert schedule.calendar().is_working_day(date(2027, 2, 8))

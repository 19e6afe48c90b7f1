"""The working-day calendar as the office records it: each year's official schedule of public
holidays and make-up working days, loaded from a file and kept as events.

The State Council publishes the next year's schedule in November; the `chinesecalendar`
package learns it with a later release. So the office loads it (`flask calendar load`), and
the load is recorded like any other fact (who, when, which file, its SHA-256 and every day),
so that a report computed as known at any moment uses the calendar as known then. A year
loaded again replaces its earlier load from then on; nothing is edited.

The file is CSV with the header `date,kind`, one day a line: `2027-02-11,holiday` (a day off,
weekend or not, that the schedule names) or `2027-02-07,workday` (a Saturday or Sunday worked
instead). It may hold one year or several; each year it names is replaced as a whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate

from domain.calendar import WorkingCalendar, YearSchedule
from domain.errors import DomainError

SCHEDULE_ID = uuid5(NAMESPACE_URL, "urn:banban:calendar")
HEADER = ["date", "kind"]
KINDS = ("holiday", "workday")
# Years a schedule may name: the package's first year to well after any project here.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="file", code="invalid_calendar_file")


def parse_schedule(text: str) -> list[YearSchedule]:
    """The years of a schedule file, checked line by line; DomainError naming the first bad
    line (by its number in the file) and what is wrong with it."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    if not rows or [cell.strip().lower() for cell in rows[0]] != HEADER:
        got = ",".join(rows[0]) if rows else "nothing"
        raise _refuse(f"line 1: the header must be {','.join(HEADER)!r}, not {got!r}")
    days: dict[date, tuple[str, int]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue  # a blank line (a trailing newline, a spreadsheet's empty row)
        if len(cells) != 2:
            raise _refuse(f"line {number}: expected a date and a kind, found {len(cells)} "
                          f"values ({','.join(row)!r})")
        text_day, kind = cells
        try:
            day = date.fromisoformat(text_day)
            if len(text_day) != 10:
                raise ValueError
        except ValueError:
            raise _refuse(f"line {number}: {text_day!r} is not a date like 2027-02-11") from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise _refuse(f"line {number}: {day} is outside {FIRST_YEAR}–{LAST_YEAR}")
        kind = kind.lower()
        if kind not in KINDS:
            raise _refuse(f"line {number}: the kind must be holiday or workday, not {kind!r}")
        if kind == "workday" and day.weekday() < 5:
            raise _refuse(f"line {number}: {day} is a {day.strftime('%A')}: a make-up "
                          "working day (workday) is a Saturday or a Sunday")
        if day in days:
            raise _refuse(f"line {number}: {day} is listed already, on line {days[day][1]}")
        days[day] = (kind, number)
    if not days:
        raise _refuse("the file lists no days: one line per holiday or make-up working day "
                      "after the header")
    years = sorted({day.year for day in days})
    for year in years:
        if not any(kind == "holiday" and day.year == year for day, (kind, _) in days.items()):
            raise _refuse(f"{year}: no holiday is listed; an official schedule names every "
                          "public holiday of its year")
    return [YearSchedule(year,
                         frozenset(d for d, (k, _) in days.items() if d.year == year and
                                   k == "holiday"),
                         frozenset(d for d, (k, _) in days.items() if d.year == year and
                                   k == "workday"))
            for year in years]


def file_digest(content: bytes) -> str:
    """The SHA-256 of a loaded file, recorded so the file itself can be checked later."""
    return hashlib.sha256(content).hexdigest()


class Schedule(Aggregate):
    """Every schedule the office loaded: one aggregate, one event per file loaded."""

    class Event(Aggregate.Event):
        actor: str

    class Started(Event, Aggregate.Created):
        pass

    class Loaded(Event):
        file: str  # its name as given
        sha256: str
        years: dict[str, dict[str, list[str]]]  # "2027" -> holidays, workdays (ISO dates)

        def apply(self, aggregate: Schedule) -> None:
            for year, days in self.years.items():
                aggregate.years[int(year)] = {
                    "schedule": YearSchedule(
                        int(year), frozenset(map(date.fromisoformat, days["holidays"])),
                        frozenset(map(date.fromisoformat, days["workdays"]))),
                    "file": self.file, "sha256": self.sha256, "actor": self.actor,
                    "loaded_at": self.timestamp,
                }

    def __init__(self) -> None:
        self.years: dict[int, dict[str, Any]] = {}

    @classmethod
    def start(cls, *, actor: str) -> Schedule:
        """The (empty) record of loaded schedules."""
        return cls._create(cls.Started, id=SCHEDULE_ID, actor=actor)

    def load(self, years: list[YearSchedule], *, file: str, sha256: str, actor: str) -> None:
        """Record a file's years as the office's schedule from now on."""
        self.trigger_event(self.Loaded, actor=actor, file=file, sha256=sha256, years={
            str(s.year): {"holidays": sorted(d.isoformat() for d in s.holidays),
                          "workdays": sorted(d.isoformat() for d in s.workdays)}
            for s in years})

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar with every year loaded so far."""
        return WorkingCalendar(entry["schedule"] for entry in self.years.values())

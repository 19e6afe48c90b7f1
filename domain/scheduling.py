"""The calendar side of the Banban service: the working-day calendar in force (now, or as known
at a recorded moment), loading the office's schedule, and where each year's days come from.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from importlib.metadata import version as package_version
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.calendar import (
    OPINION_WORKING_DAYS,
    PACKAGE_CALENDAR,
    PARALLEL_APPROVAL_WEEKDAY,
    WorkingCalendar,
)
from domain.fields import MAX_WORKING_DAYS
from domain.errors import ConcurrentUpdate, DomainError, ProjectNotFound
from domain.project import Project
from domain.schedule import SCHEDULE_ID, Schedule, file_digest, parse_schedule


# The release of the calendar package in use (its years and holidays).
PACKAGE_RELEASE = package_version("chinesecalendar")


class Scheduling:
    """The working-day calendar, as the package and the office's loads make it."""

    _calendars: dict[int, WorkingCalendar] | None = None  # by the schedule's version

    def calendar(self, as_known_at: datetime | None = None) -> WorkingCalendar:
        """The working-day calendar as recorded now, or by a moment (a report as known then
        counts by the calendar known then)."""
        return self._calendar_of(self._schedule_version(as_known_at)).with_county(
            self.parallel_weekday, self.opinion_working_days)

    def keyed_calendar(self) -> tuple[WorkingCalendar, str]:
        """The calendar in force now and its key: what anything counted by it is kept under
        (the package's release and the office's loads so far), so that a new load, or a new
        release of the package, makes every count again."""
        version = self._schedule_version(None)
        weekday, opinion_days = self.parallel_weekday, self.opinion_working_days
        return (self._calendar_of(version).with_county(weekday, opinion_days),
                f"{PACKAGE_RELEASE}+{version or 0}+{weekday}+{opinion_days}")

    @property
    def parallel_weekday(self) -> int:
        """The county's parallel-approval day, an ISO weekday (BANBAN_PARALLEL_APPROVAL_WEEKDAY;
        2, Tuesday, by default)."""
        return self._setting("BANBAN_PARALLEL_APPROVAL_WEEKDAY", PARALLEL_APPROVAL_WEEKDAY, 1, 7,
                             "an ISO weekday, 1 (Monday) to 7 (Sunday)")

    @property
    def opinion_working_days(self) -> int:
        """The working days a department invited to a park-entry review has to give its
        opinion, unless the review sets its own (BANBAN_OPINION_WORKING_DAYS; 3 by default)."""
        return self._setting("BANBAN_OPINION_WORKING_DAYS", OPINION_WORKING_DAYS, 1,
                             MAX_WORKING_DAYS, f"1 to {MAX_WORKING_DAYS} working days")

    def _setting(self, name: str, default: int, low: int, high: int, what: str) -> int:
        """A whole-number setting of the county from the environment (app.config refuses a
        wrong one at start)."""
        text = self.env.get(name) or str(default)
        if text not in {str(n) for n in range(low, high + 1)}:
            raise ValueError(f"{name} must be {what}, not {text!r}")
        return int(text)

    def _calendar_of(self, version: int | None) -> WorkingCalendar:
        """The calendar of the schedule's version (None: none loaded)."""
        if version is None:
            return PACKAGE_CALENDAR
        if self._calendars is None:
            self._calendars = {}
        found = self._calendars.get(version)
        if found is None:
            schedule: Schedule = self.repository.get(SCHEDULE_ID, version=version)
            found = self._calendars[version] = schedule.calendar()
        return found

    def _schedule_version(self, moment: datetime | None) -> int | None:
        if moment is not None:
            try:
                return self._version_at(SCHEDULE_ID, moment)
            except ProjectNotFound:
                return None  # nothing loaded by then
        last = next(iter(self.events.get(SCHEDULE_ID, desc=True, limit=1)), None)
        return None if last is None else last.originator_version

    def load_calendar(self, content: bytes, *, file: str, actor: str) -> dict[str, Any]:
        """Record the official schedule in a file (CSV `date,kind`) as the office's from now
        on; DomainError naming the bad line, and nothing recorded, when it is malformed.
        (The command line is its only caller: whoever runs it runs the server.)"""
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DomainError(f"the file is not UTF-8 text (byte {error.start + 1})",
                              field="file", code="invalid_calendar_file") from None
        years = parse_schedule(text)
        try:
            schedule: Schedule = self.repository.get(SCHEDULE_ID)
        except AggregateNotFoundError:
            schedule = Schedule.start(actor=actor)
        sha256 = file_digest(content)
        schedule.load(years, file=file, sha256=sha256, actor=actor)
        try:
            self.save(schedule)
        except IntegrityError:
            raise ConcurrentUpdate(schedule.version - 1, None, message=(
                "a calendar was loaded by someone else at the same moment: nothing was "
                "recorded; retry")) from None
        return {"file": file, "sha256": sha256, "years": [
            {"year": s.year, "holidays": len(s.holidays), "workdays": len(s.workdays)}
            for s in years]}

    def calendar_status(self) -> list[dict[str, Any]]:
        """Each year from the first signing's to next year's (and any other the office
        loaded): where its working days come from (office, package or unknown), and for a
        year the office loaded, who loaded which file and when."""
        try:
            loaded = self.repository.get(SCHEDULE_ID).years
        except AggregateNotFoundError:
            loaded = {}
        calendar = self.calendar()
        this_year = self.clock().year
        first = min(self._signing_dates(), default=date(this_year, 1, 1)).year
        years = sorted(set(range(first, this_year + 2)) | set(loaded))
        rows = []
        for year in years:
            row: dict[str, Any] = {"year": year, "source": calendar.source(year)}
            if year in loaded:
                entry = loaded[year]
                row |= {"file": entry["file"], "sha256": entry["sha256"],
                        "loaded_by": entry["actor"], "loaded_at": entry["loaded_at"]}
            rows.append(row)
        return rows

    def _signing_dates(self) -> Iterator[date]:
        """The business date of every signing: from the directory the app keeps (the cards),
        else (the domain alone) read from the log's signing events only."""
        directory = getattr(self, "directory", None)
        if directory is not None:
            yield from (date.fromisoformat(listed.signed_on) for listed in directory.listed())
            return
        start = 1
        topic = get_topic(Project.Signed)
        while batch := self.recorder.select_notifications(start, 500, topics=[topic]):
            for notification in batch:
                yield self.mapper.to_domain_event(notification).occurred_on
            start = batch[-1].id + 1

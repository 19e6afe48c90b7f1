"""The dispatch side of the Banban service: reports for any period, publishing, changes since.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from hashlib import blake2b
from time import monotonic
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, LRUCache
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.canonical import to_json
from domain.counties import PROVINCE
from domain.dispatch import (
    assemble,
    compared,
    counties_summary,
    county_row,
    day_part,
    dispatch_report,
    found_at,
    joined,
    judged_on,
    period_part,
    province_summary,
)
from domain.dispatch_parts import (
    Job,
    KeptParts,
    Lacking,
    Listing,
    Made,
    fingerprint,
    kept_until,
    lacking,
    needed,
    out_of_time,
    part_key,
    parts_of,
    signed_by,
    warm,
)
from domain.dispatch_trend import MAX_TREND_PERIODS, dispatch_trend, trend_part, trend_point
from domain.errors import (
    ConcurrentUpdate,
    DomainError,
    NotAllowed,
    ProjectNotFound,
    ReportInPreparation,
)
from domain.calendar import WorkingCalendar
from domain.fields import TYPE_OF_CLASS
from domain.history import History
from domain.periods import CADENCES, Period, business_date
from domain.project import PROJECT_TOPICS, FactsOf
from domain.publications import Publication, Published, PublicationsView, publication_id

# The periods of each cadence, back from the current one, whose reports and trend the view
# runner keeps made by default (BANBAN_KEPT_PERIODS): the page's trend, and the reports a
# leader steps back to through it.
KEPT_PERIODS = 6
# BANBAN_KEPT_PERIODS=all: every period from the one the first project was signed in, back
# EVERY_PERIOD_YEARS at most (a signing mistyped decades back asks for no thousands of periods).
EVERY_PERIOD = 0
EVERY_PERIOD_YEARS = 10

# The headline figures compared between a published report and the same period now.
HEADLINES = {
    "signed": ("signed", "count"),
    "milestones_reached": ("milestones_reached", "count"),
    "milestones_overdue": ("milestones_overdue", "count"),
    "approvals_granted": ("approvals_granted", "count"),
    "problems_raised": ("problems", "raised_count"),
    "problems_solved": ("problems", "solved_count"),
    "red_flags": ("red_flags", "count"),
}
# The same of a province summary: its totals.
PROVINCE_HEADLINES = {name: ("totals", name) for name in HEADLINES}


def copied(report: Any) -> Any:
    """A copy of a report's dicts and lists (what a reader may change), sharing the values
    in them (text, numbers, dates, ids: never changed): a kept report, and the kept parts it
    was assembled from, stay as they were whatever the reader does with its copy."""
    if type(report) is dict:
        return {key: copied(value) for key, value in report.items()}
    if type(report) is list:
        return [copied(value) for value in report]
    if type(report) is tuple:
        return tuple(copied(value) for value in report)
    return report


def share_basis(listed: Sequence[Listing], halves: list[list[tuple[int, str]]]) -> str | None:
    """The basis of a county's share of a summary: a digest of its listed projects' ids and
    the bases of their report halves (each half's (version, basis) by project, in the listed
    order); None if a half is not of the version listed (the share is made of other parts)."""
    digest = blake2b(digest_size=16)
    for n, each in enumerate(listed):
        for half in halves:
            version, basis = half[n]
            if version != each.version:
                return None
            digest.update(f"{each.project_id}:{basis};".encode())
    return digest.hexdigest()


def _part_of(kind: str) -> Callable[..., dict[str, Any]]:
    """What makes a project's part of a kind, given its history, the period (ignored by a
    day's half), the day judged on and the calendar: a report's "day" half or its "period"
    half, or a "trend" part (looked up when called)."""
    if kind == "day":
        return lambda history, _, as_of, calendar: day_part(history, as_of, calendar)
    return period_part if kind == "period" else trend_part


class Share(NamedTuple):
    """A county's share of the province summary, wanted at the fingerprint of its projects'
    versions."""

    project_id: str  # the county's code (parts are kept by an id)
    version: int


class Dispatching:
    """Dispatch reports, computed from every project's corrected history by business date."""

    # The seal of one publication event (publication id, event version): domain.auditing.
    seal_of: Callable[[UUID, int], dict[str, Any] | None]
    # Where projects' parts of reports are kept (domain.dispatch_parts), when the app keeps
    # them: reports now are assembled from them. None: every report reads every history.
    kept_parts: KeptParts | None = None
    # Reports and trends this process keeps (see `_reused`); 0 computes every one afresh.
    REUSED = 8
    _reusable: LRUCache | None = None
    # Parts this process has read, decoded (see dispatch_parts.parts_of), at most this many: a
    # 500-project county's report, its previous period's and a six-period trend of one cadence
    # take 4,000 (BANBAN_PARTS_CACHE; 0 keeps none).
    DECODED_PARTS = 6_000
    _decoded: LRUCache | None = None
    # What was assembled of the same parts (reports, trend points), by the parts' identity.
    ASSEMBLED = 32
    _assembled_of: LRUCache | None = None
    # Assemblies of a report to publish, each overtaken by a change to what it is made of
    # (see `_made_of`), before the office is asked to publish again (a conflict).
    PUBLISH_ATTEMPTS = 5
    # How much earlier than a later event's an event's time may be (writes in flight at
    # once), many times over: the changes since a publication are read from this before it.
    WRITES_IN_FLIGHT = timedelta(minutes=10)
    # What this process's last `warm_parts` left made: its parts' keys, when it last looked
    # at every project, and each project's version then.
    _warmed: tuple[tuple[str, ...], float, dict[Any, int]] | None = None
    # How long `warm_parts` looks only at the projects changed since it last looked at every
    # one (for the same parts): parts emptied elsewhere (a rebuild) are made again within this.
    FULL_LOOK_SECONDS = 600
    # Each county's last listing and its fingerprint, by code (see `_fingerprint`).
    _fingerprints: dict[str, tuple[Sequence[Any], int]] | None = None

    def _reused(self, key: tuple, compute: Callable[[], Any], shared: bool = False) -> Any:
        """A copy of what `compute` returned when last asked the same, if nothing has been
        recorded since; else what it returns now, kept for next time.

        Reports are pure functions of the log, the period and the day they are judged on
        (both in `key`), so the log's last notification id (one indexed read) tells whether
        one computed earlier still holds: leaders reading the same page between writes get
        it without every project being read again. Each caller gets a copy of its own, unless
        it only reads what it gets (`shared`: serialising or rendering it) and may be given
        the kept one.
        """
        if not self.REUSED:
            result = compute()
            return result if shared else copied(result)
        if self._reusable is None:
            self._reusable = LRUCache(maxsize=self.REUSED)
        # The parallel-approval day is counted by too: a setting, but one read where used.
        key = (*key, self.recorder.max_notification_id(), self.parallel_weekday)
        try:
            result = self._reusable.get(key)
        except KeyError:
            result = compute()
            self._reusable.put(key, result)
        return result if shared else copied(result)

    def period(self, cadence: str, period_id: str | None = None) -> Period:
        """The period named, or the one holding today."""
        if period_id is None:
            return Period.containing(cadence, self.clock())
        return Period.parse(cadence, period_id)

    def dispatch(self, cadence: str, period_id: str | None = None,
                 as_known_at: datetime | None = None, *, county: str | None = None,
                 reader: str | dict[str, Any] | None = None, shared: bool = False
                 ) -> dict[str, Any]:
        """The dispatch report of a period (today's by default), as the record stands now, or
        as it stood at a recorded time: from the events recorded by `as_known_at` only.
        `shared`: the caller only reads the report, never changes it (see `_reused`).

        Whose report: the reader's county's; for a province reader the province summary, or
        the county named (see `report_target`). "Today" (the default period, and the day a
        running period is judged on) is the business date of `as_known_at` when given, so a
        recomputation reads no other clock.
        """
        today = self.clock() if as_known_at is None else business_date(as_known_at)
        period = Period.containing(cadence, today) if period_id is None else \
            self.period(cadence, period_id)
        return self._report(period, today, as_known_at, self.report_target(reader, county),
                            shared)

    def _report(self, period: Period, today: date, as_known_at: datetime | None,
                target: str | None, shared: bool = False) -> dict[str, Any]:
        """The report of a target (a county, the province summary, or every project).

        As the record stands now, it is assembled from the projects' kept parts where the app
        keeps them (`_assembled`); as known at a moment, or with nothing kept, every project's
        history is read (the reference the kept parts are tested against).
        """
        if as_known_at is None and self._keeps_parts():
            return self._reused(("report", period, today, None, target),
                                lambda: self._assembled(period, today, target), shared)
        calendar = self.calendar(as_known_at)
        if target == PROVINCE:
            def compute() -> dict[str, Any]:
                projects = self._projects_known_at(as_known_at, PROVINCE)
                home = self.home_county()
                return province_summary(period, [
                    (county, [p for p in projects if (p.county or home) == county["code"]])
                    for county in self.counties(as_known_at)], today, calendar=calendar)
        else:
            def compute() -> dict[str, Any]:
                return dispatch_report(period, self._projects_known_at(as_known_at, target),
                                       today=today, calendar=calendar)
        return self._reused(("report", period, today, as_known_at, target), compute, shared)

    def _keeps_parts(self) -> bool:
        return self.kept_parts is not None and self.directory is not None

    def _assembled(self, period: Period, today: date, target: str | None) -> dict[str, Any]:
        """The report of a target now, from the kept parts of its projects' current versions
        (the others made and kept): a county's report, or each county's for the summary."""
        as_of = judged_on(period, today)
        calendar, key = self.keyed_calendar()
        if target != PROVINCE:
            listed = self._listed(target)
            # With the previous period's report to compare with (its parts kept as well).
            previous = period.previous()
            return compared(*(self._report_of_parts(target, each, day, listed, calendar, key)
                              for each, day in ((period, as_of),
                                                (previous, judged_on(previous, today)))))
        # Each county's share is kept too, by the versions of its projects, with the bases of
        # their parts it was assembled from: a county with a project changed since is
        # assembled again only if one of those parts changed (not for a write dated after a
        # period gone by, once its parts are renewed).
        groups = self.directory.by_county()
        counties = self.counties()
        wanted = [Share(code, self._fingerprint(code, groups.get(code, ())))
                  for code in (county["code"] for county in counties)]
        by_code = {share.project_id: share for share in wanted}
        halves = [part_key("day", None, as_of, key), part_key("period", period, as_of, key)]

        def make(lacking: list[tuple[str, Lacking]]) -> Made:
            made: Made = []
            for code, [(_, kept_basis)] in lacking:
                if made and out_of_time():  # the counties' shares made so far are kept
                    raise ReportInPreparation(made)
                listed, basis = signed_by(groups.get(code, ()), period.end), None
                if kept_basis is not None:  # a share is kept: its parts' bases may be the same
                    ids = [str(each.project_id) for each in listed]
                    found = self.kept_parts.versions(halves, ids)
                    basis = share_basis(listed, [[found.get((half, each), (None, ""))
                                                  for each in ids] for half in halves])
                row = None  # the share kept stands if its parts' bases are the same
                if basis is None or basis != kept_basis:
                    seen: list[list[tuple[int, str]]] = []
                    try:
                        its_halves = self._halves(period, as_of, listed, calendar, key, seen)
                    except ReportInPreparation:  # the county's parts made so far are kept,
                        raise ReportInPreparation(made) from None  # and the shares before it
                    row = county_row(assemble(period, as_of, list(map(joined, *its_halves)),
                                              parallel_weekday=calendar.parallel_weekday))
                    basis = share_basis(listed, seen) or ""  # "": made again when asked
                made.append((by_code[code].version, [(basis, row)]))
            return made

        [rows] = parts_of(wanted, self.kept_parts, [("county", period)], as_of, key, make,
                          decoded=self._decoded_parts())
        return counties_summary(period, as_of, list(zip(counties, rows)))

    def _assembled_trend(self, periods: list[Period], today: date, target: str | None
                         ) -> list[dict[str, Any]]:
        """The trend of a target's projects now, from the same kept parts as the reports."""
        days = [judged_on(period, today) for period in periods]
        listed, (calendar, key) = self._listed(target), self.keyed_calendar()
        return [self._of_parts(("trend", target, period, as_of),
                               self._parts([("trend", period)], as_of,
                                           signed_by(listed, period.end), calendar, key)[0],
                               lambda parts, period=period: trend_point(period, parts))
                for period, as_of in zip(periods, days)]

    def _report_of_parts(self, target: str | None, period: Period, as_of: date,
                         listed: Sequence[Listing], calendar: WorkingCalendar, key: str
                         ) -> dict[str, Any]:
        """A period's report (without the comparison) judged on as_of of the listed projects,
        assembled from their kept halves, or the one assembled of the very same halves last
        time. What is returned is shared: the caller must not change it. Only the projects
        signed by the period's end have parts of it (domain.dispatch_parts.signed_by)."""
        days, periods = self._halves(period, as_of, signed_by(listed, period.end), calendar,
                                     key)
        return self._of_parts(("report", target, period, as_of), days + periods,
                              lambda _: assemble(period, as_of, list(map(joined, days, periods)),
                                                 parallel_weekday=calendar.parallel_weekday))

    def _halves(self, period: Period, as_of: date, listed: Sequence[Listing],
                calendar: WorkingCalendar, key: str,
                seen: list[list[tuple[int, str]]] | None = None) -> list[list[dict[str, Any]]]:
        """The listed projects' report parts of a period judged on as_of, in two halves: each
        one's part of the day (shared by every period judged on it) and of the period (a
        project lacking both is read once for both); `seen`: see parts_of."""
        return self._parts([("day", None), ("period", period)], as_of, listed, calendar, key,
                           seen)

    def _of_parts(self, what: tuple, parts: list[dict[str, Any]],
                  compute: Callable[[list[dict[str, Any]]], Any]) -> Any:
        """What `compute` makes of these parts (a report, a trend point), made again only if
        one of them is not the very part it was made of last time: after a write, only the
        periods whose parts the write changed are assembled again (see `parts_of`). What is
        returned is shared: the caller must not change it."""
        if self._assembled_of is None:
            self._assembled_of = LRUCache(maxsize=self.ASSEMBLED)
        try:
            were, result = self._assembled_of.get(what)
            if len(were) == len(parts) and all(a is b for a, b in zip(were, parts)):
                return result
        except KeyError:
            pass
        result = compute(parts)
        self._assembled_of.put(what, (parts, result))
        return result

    def _listed(self, target: str | None) -> Sequence[Listing]:
        """The target's projects as the directory lists them (the province: all), by date
        signed, name and id: the order every report lists its projects in."""
        return self.directory.listed(None if target == PROVINCE else target)

    def _fingerprint(self, county: str, listed: Sequence[Listing]) -> int:
        """The fingerprint of a county's listing (domain.dispatch_parts.fingerprint), worked
        out again only when the directory hands out another listing for it."""
        if self._fingerprints is None:
            self._fingerprints = {}
        were, found = self._fingerprints.get(county, (None, 0))
        if were is not listed:
            found = fingerprint(listed)
            self._fingerprints[county] = (listed, found)
        return found

    def _parts(self, kinds: list[tuple[str, Period | None]], as_of: date,
               listed: Sequence[Any], calendar: WorkingCalendar, calendar_key: str,
               seen: list[list[tuple[int, str]]] | None = None) -> list[list[dict[str, Any]]]:
        """The listed projects' parts of each of these kinds (see `_part_of`) of a period
        judged on as_of."""
        specs = [(kind, period, as_of) for kind, period in kinds]
        return parts_of(listed, self.kept_parts, kinds, as_of, calendar_key,
                        lambda lacking: self._make_parts(specs, lacking, calendar),
                        decoded=self._decoded_parts(), seen=seen)

    def _make_parts(self, specs: Sequence[tuple[str, Period | None, date]],
                    lacking: list[tuple[UUID, Lacking]], calendar: WorkingCalendar) -> Made:
        """Each of these projects' version and parts of the specs (kind, period, day judged
        on) it lacks (by index), each with its basis, made only where the basis is not the
        kept part's (that part stands: domain.dispatch_parts.Make). A part judged on a day
        is judged from the facts dated by then, or by its period's end (History.basis):
        recording what happened later (or a visit) leaves the parts of the periods gone by as
        they were. Out of time (a request's: dispatch_parts.making_for), it stops after a
        project, with what it made (ReportInPreparation)."""
        histories = self._histories_for_parts([project_id for project_id, _ in lacking])
        made: Made = []
        for (version, history), (_, its_lacking) in zip(histories, lacking):
            if made and out_of_time():
                raise ReportInPreparation(made)
            its_parts: list[tuple[str, dict[str, Any] | None]] = []
            for k, kept_basis in its_lacking:
                kind, period, as_of = specs[k]
                # A period's half (and trend part) counts the period's facts: up to its end
                # (a running period's: none is dated after today).
                basis = history.basis(as_of if period is None else period.end)
                its_parts.append((basis, None if basis == kept_basis
                                  else _part_of(kind)(history, period, as_of, calendar)))
            made.append((version, its_parts))
        return made

    def _histories_for_parts(self, project_ids: list[UUID]) -> Iterator[tuple[int, History]]:
        """These projects' versions and histories as their report parts read them, read in
        one query and each decoded when its turn comes (one held at a time): from the facts
        the cards keep of them (the events the rules read, as corrected; decoded in a fraction
        of the time their events take), not from the log."""
        stored = self.directory.facts(project_ids)
        for project_id in project_ids:
            if project_id not in stored:
                raise ProjectNotFound(project_id)
            kept = stored.pop(project_id)
            yield kept.version, History(FactsOf(project_id, kept.version, kept.facts))

    def _decoded_parts(self) -> LRUCache | None:
        """This process's memory of the parts it has decoded (None when it keeps none)."""
        if self._decoded is None:
            size = int(self.env.get("BANBAN_PARTS_CACHE") or self.DECODED_PARTS)
            if not size:
                return None
            self._decoded = LRUCache(maxsize=size)
        return self._decoded

    def warm_parts(self, periods: int = KEPT_PERIODS) -> int:
        """Make whatever parts the reports and the trend of each cadence's last `periods`
        periods (EVERY_PERIOD: back to the first signing's) lack (the current one and those a
        leader steps back to with "Previous"; at least the page's trend), for every county,
        and say how many project parts were made: what the view runner does after each
        catch-up and on a new day, so that requests find them kept. Kept parts are not read,
        and each project lacking any is loaded and read once for all of them
        (domain.dispatch_parts.warm). Only the
        current periods' parts are made again each day: a period gone by is judged on its last
        day, and its parts stay until facts dated in it or before are recorded (renewed at a
        changed project's new version otherwise). With more than one county, the province
        summary's county shares of each cadence's last KEPT_PERIODS periods too.

        After a write only the projects changed since the last call are looked at (not a
        province's 50,000 times seventy parts): every project is, on a new day (other parts),
        and at least every FULL_LOOK_SECONDS (parts emptied by another process)."""
        if not self._keeps_parts():
            return 0
        today, specs, jobs, calendar = self._current_parts(periods)
        listed, keys, now = self._listed(PROVINCE), tuple(job.key for job in jobs), monotonic()
        if self._warmed is not None and self._warmed[0] == keys and \
                now - self._warmed[1] < self.FULL_LOOK_SECONDS:
            _, looked_at, versions = self._warmed
            changed = [each for each in listed if versions.get(each.project_id) != each.version]
        else:
            looked_at, versions, changed = now, {}, listed
        made = warm(changed, self.kept_parts, jobs,
                    lambda lacking: self._make_parts(specs, lacking, calendar))
        versions.update((each.project_id, each.version) for each in changed)
        self._warmed = (keys, looked_at, versions)
        if len(self.counties()) > 1:
            # The province summary's county shares too, of each cadence's last KEPT_PERIODS
            # periods (those "Previous" steps back to on the page), where a county's projects
            # changed: else the first province reader of a day assembles every county's from
            # its projects' parts (some 20 s at province scale). After a write dated today
            # only the written county's shares of the current periods are assembled again;
            # those of the periods gone by are renewed (their parts' bases read, one query for
            # each). Summaries further back are assembled when first asked, then kept.
            for window in self._windows(today, KEPT_PERIODS, today):
                for period in window:
                    self._assembled(period, today, PROVINCE)
        return made

    def empty_parts(self) -> None:
        """Empty the kept parts (each is made again when a report or the runner first needs
        it), and forget what this process last made."""
        if self.kept_parts is not None:
            self.kept_parts.clear()
        self._warmed = None

    def parts_lacking(self, listed: Sequence[Listing], periods: int = KEPT_PERIODS
                      ) -> tuple[int, int]:
        """How many parts the trends and reports the runner keeps made lack of these projects
        (at their versions: what `warm_parts` would make of them now), and how many they need:
        for each period, every project's signed by its end (in any order)."""
        if not self._keeps_parts():
            return 0, 0
        _, _, jobs, _ = self._current_parts(periods)
        missing = sum(len(its_jobs) for _, found in lacking(listed, self.kept_parts, jobs)
                      for its_jobs in found.values())
        return missing, needed(listed, jobs)

    def _current_parts(self, periods: int
                       ) -> tuple[date, list[tuple[str, Period | None, date]], list[Job],
                                  WorkingCalendar]:
        """The parts the reports and trend of every cadence's last `periods` periods are made
        of: today (the day they are current on), (kind, period, day judged on) of each, its
        job, and the calendar they are judged by."""
        today = self.clock()
        calendar, calendar_key = self.keyed_calendar()
        first = today
        if periods == EVERY_PERIOD:
            listed = self._listed(PROVINCE)  # by date signed
            if listed:
                first = max(date.fromisoformat(listed[0].signed_on),
                            today.replace(year=today.year - EVERY_PERIOD_YEARS, day=1))
        # by key: (kind, period, as_of)
        wanted: dict[str, tuple[str, Period | None, date]] = {}
        for window in self._windows(today, periods, first):
            # The trend's periods, and the report of each (a leader steps back through them),
            # which compares with the previous period's.
            kinds = [("trend", each) for each in window] + [
                ("period", each) for each in (*window, window[-1].previous())]
            for kind, each in kinds:
                as_of = judged_on(each, today)
                wanted[part_key(kind, each, as_of, calendar_key)] = (kind, each, as_of)
                if kind == "period":  # and the report's half of the day judged on
                    wanted[part_key("day", None, as_of, calendar_key)] = ("day", None, as_of)
        jobs = [Job(key, kept_until(period, as_of), as_of,
                    as_of if period is None else period.end)
                for key, (_, period, as_of) in wanted.items()]
        return today, list(wanted.values()), jobs, calendar

    @staticmethod
    def _windows(today: date, periods: int, first: date) -> list[list[Period]]:
        """Each cadence's current period and the `periods` - 1 before it (EVERY_PERIOD: those
        back to the one holding `first`, the first signing or EVERY_PERIOD_YEARS back, and at
        least KEPT_PERIODS), latest first: the periods whose reports and trend points the view
        runner keeps made."""
        windows = []
        for cadence in CADENCES:
            window = [Period.containing(cadence, today)]
            while len(window) < max(periods, KEPT_PERIODS) or (
                    periods == EVERY_PERIOD and window[-1].start > first):
                window.append(window[-1].previous())
            windows.append(window)
        return windows

    def _projects_known_at(self, moment: datetime | None, target: str | None) -> list:
        """The target's projects as recorded by a moment (signed by then), or now; by date
        signed, name and id (whatever order the directory gives them in)."""
        projects = []
        for project_id in self.project_ids(None if target == PROVINCE else target):
            version = None
            if moment is not None:
                try:
                    version = self._version_at(project_id, moment)
                except ProjectNotFound:
                    continue  # signed later
            project = self._project(project_id, version=version, for_reading=True)
            if self.in_target(project, target):
                projects.append(project)
        return sorted(projects, key=lambda p: (p.signed_on, p.name, str(p.id)))

    def publish_dispatch(self, cadence: str, period_id: str, actor: str) -> dict[str, Any]:
        """Freeze the report of a period as it stands now (office only) and return its record:
        a county office's county's report, the province office's province summary."""
        user = self.user(actor)
        if user["role"] != "office" or user["disabled"]:
            raise NotAllowed("only the office publishes dispatch reports")
        period = self.period(cadence, period_id)
        if period.start > self.clock():
            raise DomainError(f"{period.id} has not begun: nothing to publish yet",
                              field="period", code="future_period")
        target = self.report_target(user, None)
        of = self.publication_key(target)
        try:
            publication = self.repository.get(publication_id(cadence, period.id, of))
        except AggregateNotFoundError:
            publication = Publication.open(cadence, period.id, actor=actor, of=of)
        text, moment = self._to_publish(period, target, publication.version)
        publication.publish(text, actor=actor, published_at=moment)
        try:
            self.save(publication)
        except IntegrityError:
            raise ConcurrentUpdate(publication.version, None, message=(
                f"{period.id} was published by someone else at the same moment: read the "
                "report and publish again if needed")) from None
        return self._publication_record(publication.revisions[-1], publication, period)

    def _to_publish(self, period: Period, target: str | None, version: int
                    ) -> tuple[str, datetime]:
        """The text of a target's report as the record stands, and the moment it is the
        record as known at: `dispatch(..., as_known_at=moment)` recomputes it byte for byte.

        Where the app keeps report parts it is assembled from them, as leaders read it (the
        reference reads every history: minutes for a province). The moment is taken once the
        listing of the target's projects is caught up: every event recorded by then is in the
        report. If anything the report is made of changed while it was assembled (a project
        of the target written, a county listed, the calendar loaded), it is assembled again.
        """
        if not self._keeps_parts():
            moment = Publication.Published.create_timestamp()
            return to_json(self._report(period, business_date(moment), moment, target)), moment
        for _ in range(self.PUBLISH_ATTEMPTS):
            before = self._made_of(target)
            moment = Publication.Published.create_timestamp()
            text = to_json(self._report(period, business_date(moment), None, target, True))
            if self._made_of(target) == before:
                return text, moment
        raise ConcurrentUpdate(version, None, message=(
            f"{period.id}'s report changed each time it was assembled (projects written "
            "meanwhile): nothing was published; publish again"))

    def _made_of(self, target: str | None) -> tuple:
        """What a target's report is made of, as it stands: its projects at their versions
        (caught up), the counties listed and the calendar."""
        return (self._listed(target), [c["code"] for c in self.counties()],
                self.keyed_calendar()[1])

    def published_dispatch(self, cadence: str, period_id: str, revision: int | None = None, *,
                           county: str | None = None,
                           reader: str | dict[str, Any] | None = None
                           ) -> tuple[dict[str, Any], str]:
        """A publication's record and its report text, byte for byte (the latest by default),
        of the report the reader asks for (see `report_target`)."""
        period = self.period(cadence, period_id)
        publication, record, text = self._publication(
            cadence, period, revision, self.report_target(reader, county))
        return self._publication_record(record, publication, period), text

    def dispatch_changes(self, cadence: str, period_id: str, revision: int | None = None, *,
                         county: str | None = None,
                         reader: str | dict[str, Any] | None = None) -> dict[str, Any]:
        """What was recorded about the period since its latest publication (or `revision`), and
        the difference it makes to the headline figures."""
        period = self.period(cadence, period_id)
        target = self.report_target(reader, county)
        publication, record, text = self._publication(cadence, period, revision, target)
        published_at: datetime = record["published_at"]
        now = json.loads(to_json(self._report(period, self.clock(), None, target)))
        then = json.loads(text)
        figures = {}
        for name, path in (PROVINCE_HEADLINES if target == PROVINCE else HEADLINES).items():
            before, after = found_at(then, path), found_at(now, path)
            figures[name] = {"published": before, "now": after, "change": after - before}
        return {
            "publication": self._publication_record(record, publication, period),
            "figures": figures,
            "events": self._recorded_since(period, published_at, target),
        }

    def _publication(self, cadence: str, period: Period, revision: int | None,
                     target: str | None) -> tuple[Publication, dict[str, Any], str]:
        """A target's publication of a period, one revision's record and its text (the latest
        by default)."""
        try:
            publication = self.repository.get(
                publication_id(cadence, period.id, self.publication_key(target)))
        except AggregateNotFoundError:
            publication = None
        if publication is None or not publication.revisions:
            raise DomainError(f"the {cadence} report {period.id} has not been published",
                              field="period", code="not_published")
        if revision is not None and not 1 <= revision <= len(publication.revisions):
            raise DomainError(f"{period.id} has {len(publication.revisions)} publications",
                              field="revision", code="unknown_revision")
        texts = [e.report for e in self.events.get(publication.id)
                 if isinstance(e, Publication.Published)]
        index = (revision or len(texts)) - 1
        return publication, publication.revisions[index], texts[index]

    def _recorded_since(self, period: Period, moment: datetime, target: str | None
                        ) -> list[dict[str, Any]]:
        """Events recorded after `moment` about the period's days, on the target's projects:
        late entries, and corrections of what those days held."""
        found = []
        written = self._written_since(moment)
        for project_id in self.project_ids(None if target == PROVINCE else target):
            if project_id not in written:
                continue
            project = self._project(project_id, for_reading=True)
            if not self.in_target(project, target):
                continue
            for event in self.events.get(project_id, gt=0):
                if event.timestamp <= moment:
                    continue
                about = event.occurred_on
                if TYPE_OF_CLASS[type(event).__name__] == "corrected":
                    about = project.fact(event.corrects_version)["occurred_on"]
                    original = (event.previous or {}).get("occurred_on")
                    if original and period.contains(datetime.fromisoformat(original).date()):
                        about = datetime.fromisoformat(original).date()
                if period.contains(about) or period.contains(event.occurred_on):
                    found.append({
                        "project_id": project_id, "project": project.name,
                        "version": event.originator_version,
                        "type": TYPE_OF_CLASS[type(event).__name__], "actor": event.actor,
                        "occurred_on": event.occurred_on, "recorded_at": event.timestamp,
                    })
        return sorted(found, key=lambda e: e["recorded_at"])

    def _written_since(self, moment: datetime) -> set[UUID]:
        """The projects with an event recorded after a moment (and perhaps a few more), from
        the notifications since a little before it: what a publication's changes read, where
        every project's history would be minutes for a province.

        The first of those notifications is found by bisection of the log's ids: an event's
        time is taken just before it is stored, so times follow ids but for writes in flight
        together, which WRITES_IN_FLIGHT covers many times over.
        """
        since = moment - self.WRITES_IN_FLIGHT
        recorder = self.recorder

        def after_since(start: int) -> bool:  # the first project event from start on
            first = recorder.select_notifications(start, 1, topics=PROJECT_TOPICS)
            return not first or self.mapper.to_domain_event(first[0]).timestamp > since

        low, high = 1, (recorder.max_notification_id() or 0) + 1
        while low < high:  # after_since is false below the answer and true from it on
            middle = (low + high) // 2
            if after_since(middle):
                high = middle
            else:
                low = middle + 1
        written = set()
        while batch := recorder.select_notifications(low, 5_000, topics=PROJECT_TOPICS):
            written.update(notification.originator_id for notification in batch)
            low = batch[-1].id + 1
        return written

    def _publication_record(self, record: dict[str, Any], publication: Publication,
                            period: Period) -> dict[str, Any]:
        """A revision as handed out: whose report (`of`: a county's code, "province", or null
        for the home county's), when, by whom, and its seal."""
        return {"cadence": publication.cadence, "period": period.id,
                "of": publication.of or self.home_county(), "revision": record["revision"],
                "actor": record["actor"], "published_at": record["published_at"],
                "seal": self.seal_of(publication.id, record["version"])}

    # Every revision published, from a view the app keeps current (projections.publications);
    # while none is set (the domain alone, its tests) from the log.
    publications_view: Callable[[], PublicationsView] | None = None

    def publications(self, cadence: str | None = None, period_id: str | None = None, *,
                     reader: str | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every publication of every period's report (or of the one period named) the reader
        may see, most recently published first."""
        if self.publications_view is not None:
            if cadence is not None and period_id is not None:
                period_id = self.period(cadence, period_id).id
            found = [self._published_record(each) for each in
                     self.publications_view().published(cadence, period_id)
                     if self._reads_publication(reader, each.of)]
            return sorted(found, key=lambda record: record["published_at"], reverse=True)
        found = []
        for aggregate_id in self._notified_ids(get_topic(Publication.Opened)):
            publication = self.repository.get(aggregate_id)
            if cadence is not None and period_id is not None and (
                    publication.cadence, publication.period_id) != (
                    cadence, self.period(cadence, period_id).id):
                continue
            if not self._reads_publication(reader, publication.of):
                continue
            period = self.period(publication.cadence, publication.period_id)
            found += [self._publication_record(record, publication, period)
                      for record in publication.revisions]
        return sorted(found, key=lambda record: record["published_at"], reverse=True)

    def _reads_publication(self, reader: str | dict[str, Any] | None, of: str | None) -> bool:
        """Whether the reader may see a publication of `of`'s report (None: the home
        county's)."""
        of = of or self.home_county()
        return of is None or self.reader_sees(reader, of)

    def _published_record(self, published: Published) -> dict[str, Any]:
        """A revision as the view keeps it, handed out as `_publication_record` does."""
        return {"cadence": published.cadence, "period": published.period_id,
                "of": published.of or self.home_county(), "revision": published.revision,
                "actor": published.actor, "published_at": published.published_at,
                "seal": self.seal_of(published.publication_id, published.version)}

    def _notified_ids(self, topic: str) -> Iterator[UUID]:
        """Ids of the aggregates whose events of this topic were recorded, in order."""
        start = 1
        while batch := self.recorder.select_notifications(start, 500, topics=[topic]):
            yield from (notification.originator_id for notification in batch)
            start = batch[-1].id + 1

    def dispatch_trend(self, cadence: str, period_id: str | None = None, count: int = 6, *,
                       county: str | None = None, reader: str | dict[str, Any] | None = None
                       ) -> list[dict[str, Any]]:
        """The trend figures of `count` periods of a cadence ending with this one, oldest
        first, over the projects of the report the reader asks for (the province's: all)."""
        if not 1 <= count <= MAX_TREND_PERIODS:
            raise DomainError(f"a trend covers 1 to {MAX_TREND_PERIODS} periods, not {count}",
                              field="count", code="invalid_count")
        periods = [self.period(cadence, period_id)]
        while len(periods) < count:
            periods.insert(0, periods[0].previous())
        today = self.clock()
        target = self.report_target(reader, county)
        if self._keeps_parts():
            return self._reused(("trend", tuple(periods), today, target),
                                lambda: self._assembled_trend(periods, today, target))
        return self._reused(("trend", tuple(periods), today, target), lambda: dispatch_trend(
            periods, self._projects_known_at(None, target), today, calendar=self.calendar()))

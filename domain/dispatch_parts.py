"""Kept parts of dispatch reports: what makes a report after a write cost one project, not all.

A report is the assembly of its projects' parts (domain.dispatch.report_part), and a project's
part of a period's report changes only when the facts it is judged from do (the project's facts
dated up to the day judged, or to the period's end: domain.history.History.basis), when the day
a running period is judged on moves, or when the working-day calendar does. So parts are kept as
text, under a key naming the period, the day judged on and the calendar, with the version of
the project they were made from and their basis: a report assembles the kept parts of the
projects' current versions, and of the others makes (and keeps) those whose basis changed and
renews the rest at the new version (a write dated today leaves the periods gone by as they
were). Every worker and process shares what any of them kept (projections.dispatch_parts stores
them beside the views).

A part is kept in two halves: what stands on the day judged (the project's phase, what it has
overdue, suspended, flagged, due next and waited on: domain.dispatch.day_part), kept once per
day and shared by every period judged on it (each cadence's running period, and the periods
gone by that ended on the day), and what the period holds (domain.dispatch.period_part).

The text is JSON with dates, moments and ids tagged, so a part read back is the part made:
a report assembled from kept parts is byte for byte the report computed from the histories.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from hashlib import blake2b
from operator import attrgetter
from random import randrange
from time import monotonic
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from eventsourcing.application import LRUCache

from domain.errors import ReportInPreparation
from domain.periods import CADENCES, Period

# Moves when what a part holds changes, so parts made by older code are never assembled.
# A part of a period gone by is kept as long as its basis holds (renewed at each version), so a
# change to how the rules judge must move it too.
PARTS_FORMAT = 7  # 5: review opinions owed; 6: a day's half and a period's; 7: with a basis

_TAGS = {"$date": date.fromisoformat, "$moment": datetime.fromisoformat, "$uuid": UUID}


def part_key(kind: str, period: Period | None, as_of: date, calendar: str) -> str:
    """The key of the parts of a kind of a period judged on as_of, by a calendar's key: of a
    report, its "day" half (no period: every period judged on the day shares it) and its
    "period" half; a "trend" (the few figures a trend needs); a "county"'s share of the
    province summary."""
    of = "" if period is None else f"{period.cadence}/{period.id}/"
    return f"{kind}.{PARTS_FORMAT}/{of}{as_of.isoformat()}/{calendar}"


def kept_until(period: Period | None, as_of: date) -> date:
    """The day from which parts judged on as_of may be pruned once it is past (as_of is a
    day gone by and earlier than this: see projections.dispatch_parts): a period's end, or,
    for a day's half (no period), the end of the shortest period holding the day: a day some
    period ends on is kept (a period gone by is judged on its last day), any other only while
    it is today."""
    if period is not None:
        return period.end
    return min(Period.containing(cadence, as_of).end for cadence in CADENCES)


def encode(part: dict[str, Any]) -> str:
    """A part as text (tuples become lists, as they do in a report's JSON)."""
    return json.dumps(part, default=_tagged, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> dict[str, Any]:
    """A part from its text."""
    return json.loads(text, object_hook=_untagged)


def _tagged(value: Any) -> dict[str, str]:
    if isinstance(value, datetime):
        return {"$moment": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    raise TypeError(f"a report part holds no {type(value).__name__}")


def _untagged(found: dict[str, Any]) -> Any:
    if len(found) == 1:
        tag, value = next(iter(found.items()))
        if tag in _TAGS:
            return _TAGS[tag](value)
    return found


class KeptParts(Protocol):
    """Where parts are kept (projections.dispatch_parts.PartsStore)."""

    def get(self, key: str, ids: list[str]) -> dict[str, tuple[int, str, str]]:
        """The kept (version, basis, text) of each of these ids that has one under the key."""

    def versions(self, keys: list[str], ids: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
        """The version and basis of the part kept of each of these ids under each of these
        keys that has one, by (key, id): in one read."""

    def put(self, key: str, period_end: date, as_of: date,
            parts: list[tuple[str, int, str, str]]) -> None:
        """Keep (id, version, basis, text) parts under the key, replacing older ones."""

    def renew(self, parts: list[tuple[str, str, int, str]]) -> None:
        """Say of (key, id, version, basis) parts kept with that basis that they are of these
        versions (what they are judged from did not change): in one write."""


class Wanted(Protocol):
    """A part wanted: a project's (or, for a county's share of the province summary, the
    county's code), and the version it must be of."""

    project_id: UUID | str
    version: int


class Listing(Wanted, Protocol):
    """A project as a directory lists it (projections.cards.Listed)."""

    county: str | None
    signed_on: str  # ISO date


def signed_by(listed: Sequence[Listing], day: date) -> Sequence[Listing]:
    """The first of these projects (listed in the reports' order, by date signed) that were
    signed by the day: those a period ending on it is made of. A project signed later has no
    fact dated by then, so its part of the period's report or trend adds nothing to them
    (not made, not kept: a period long gone is made of the projects signed by its end)."""
    n = bisect_right(listed, day.isoformat(), key=attrgetter("signed_on"))
    return listed if n == len(listed) else listed[:n]


class ProjectDirectory(Protocol):
    """Where reports find their projects and those projects' versions, kept current by the
    events (projections.directory.Directory). Listings are shared: never change them."""

    def listed(self, county: str | None = None) -> Sequence[Listing]:
        """Every project (county None), or one county's, in the reports' order: date
        signed, name, id."""

    def by_county(self) -> dict[str, Sequence[Listing]]:
        """Every county's projects, in the reports' order, by county code; a listing is the
        same object until a project in it changes."""

    def facts(self, ids: Collection[UUID]) -> dict[UUID, Kept]:
        """What is kept of each of these projects for its parts (in one read): its version
        and the text of its facts the rules read (domain.project.Project.facts_text), at
        least at the version listed."""


class Kept(Protocol):
    """A project's facts as a directory keeps them (projections.cards.Stored)."""

    version: int
    facts: str


# When parts being made must stop (a monotonic time), in this context: see `making_for`.
_deadline: ContextVar[float | None] = ContextVar("parts_deadline", default=None)


@contextmanager
def making_for(seconds: float | None) -> Iterator[None]:
    """Within this, a report stops making its projects' parts once `seconds` have passed
    (None or 0: never): it keeps those made and raises ReportInPreparation, and the next
    asking goes on from there. A web request is given less than its worker's timeout, so a
    report of a period no runner keeps (a province's summary of a year ago: minutes of work)
    is made over several askings, never lost with a worker killed mid-way; the view runner
    and the commands are given no limit."""
    token = _deadline.set(monotonic() + seconds if seconds else None)
    try:
        yield
    finally:
        _deadline.reset(token)


def out_of_time() -> bool:
    """Whether the time given by `making_for` has passed."""
    deadline = _deadline.get()
    return deadline is not None and monotonic() > deadline


# The projects whose parts are made at once: what they are made from (their facts, decoded)
# is read for all of them in one query and held while their parts are made.
CHUNK = 200

# What makes parts: given projects (or counties' codes), each with the parts it lacks (of the
# kinds or jobs asked, by index) and the basis of the part kept there (None: none is), the
# version each was made at and, for each part it lacks, the basis of it now (what it is judged
# from: domain.history.History.basis) and the part, made, or None where the basis is the kept
# part's (nothing it is judged from changed: the part kept stands, at the new version); all of
# them at once, in the same order, so that what they are made from is read in one go. Out of
# time (`out_of_time`), a maker raises ReportInPreparation with what it made of the first
# ones asked (at least one, so that each asking goes on): those are kept.
Lacking = list[tuple[int, str | None]]
Made = list[tuple[int, list[tuple[str, dict[str, Any] | None]]]]
Make = Callable[[list[tuple[Any, Lacking]]], Made]


def parts_of(wanted: Iterable[Wanted], kept: KeptParts, kinds: Sequence[tuple[str, Period | None]],
             as_of: date, calendar: str, make: Make, *, decoded: LRUCache | None = None,
             seen: list[list[tuple[int, str]]] | None = None) -> list[list[dict[str, Any]]]:
    """The parts of each of these kinds of a period (kind, period; None for a report's day
    half) judged on as_of by a calendar (its key) of these projects (at the versions given),
    in their order: the kept ones of those versions, the others made by `make` and kept (or,
    where what they are judged from did not change, the kept ones renewed).
    `make` (see `Make`) is asked once for every `CHUNK` projects lacking any, with the kinds
    (by index) each lacks: a project lacking several (a report's two halves) is read once,
    and a chunk of them in one read (after a write, the one project written).

    `decoded` is this process's memory of parts it has read ((key, id) -> (version, basis,
    digest of the text, part)): a part found there at the version wanted is neither read nor decoded
    again, so a report after a write decodes one part; and a part whose text is the same as
    the one remembered (a project changed in a way this period does not show) is the same
    object as before, so what was assembled of these very parts can be used again
    (`Dispatching._of_parts`). Parts are shared, never changed: `assemble` only reads them,
    and a report handed out is a copy (domain.dispatching). `seen`, if given, is handed the
    (version, basis) of each part returned, a list for each kind. Out of time (a request's:
    `making_for`), the parts made so far are kept and ReportInPreparation is raised."""
    wanted = list(wanted)
    ids = [str(each.project_id) for each in wanted]
    keys = [part_key(kind, period, as_of, calendar) for kind, period in kinds]
    remembered: list[dict[str, tuple[int, str, bytes, dict[str, Any]]]] = []
    current: list[set[str]] = []
    found: list[dict[str, tuple[int, str, str]]] = []
    for key in keys:
        its: dict[str, tuple[int, str, bytes, dict[str, Any]]] = {}
        if decoded is not None:
            for project_id in ids:
                try:
                    its[project_id] = decoded.get((key, project_id))
                except KeyError:
                    continue
        remembered.append(its)
        current.append({project_id for project_id, each in zip(ids, wanted)
                        if project_id in its and its[project_id][0] == each.version})
        found.append(kept.get(key, [project_id for project_id in ids
                                    if project_id not in current[-1]]))
    texts: list[dict[int, tuple[int | None, str | None, str]]] = []
    lacking: list[tuple[Any, Lacking]] = []  # (project id, kinds lacking)
    at: list[int] = []  # each one's place in ids
    for n, (project_id, each) in enumerate(zip(ids, wanted)):
        texts.append({k: found[k].get(project_id, (None, None, "")) for k in range(len(keys))
                      if project_id not in current[k]})
        its_lacking = [(k, basis) for k, (version, basis, _) in texts[-1].items()
                       if version != each.version]
        if its_lacking:
            lacking.append((each.project_id, its_lacking))
            at.append(n)
    if lacking and _deadline.get() is not None:
        # Readers asking at once for what takes several askings (pages reloading themselves)
        # each begin at a place of their own, so that they share the work, not repeat it.
        turn = randrange(len(lacking))
        lacking, at = lacking[turn:] + lacking[:turn], at[turn:] + at[:turn]
    made: list[list[tuple[str, int, str, str]]] = [[] for _ in keys]
    renewed: list[tuple[str, str, int, str]] = []
    for start in range(0, len(lacking), CHUNK):  # what is read to make them, a chunk at once
        asked = lacking[start:start + CHUNK]
        try:
            answers, stopped = make(asked), None
        except ReportInPreparation as unfinished:  # out of time: keep what was made
            answers, stopped = unfinished.made, unfinished
        for n, (_, its_lacking), (version, its_parts) in zip(at[start:start + CHUNK], asked,
                                                              answers, strict=stopped is None):
            for (k, _), (basis, part) in zip(its_lacking, its_parts, strict=True):
                if part is None:  # the kept part stands
                    texts[n][k] = (version, basis, texts[n][k][2])
                    renewed.append((keys[k], ids[n], version, basis))
                    continue
                texts[n][k] = (version, basis, encode(part))
                made[k].append((ids[n], version, basis, texts[n][k][2]))
        if stopped is not None:
            _keep(kept, keys, kinds, as_of, made, renewed)
            raise ReportInPreparation() from None
    parts: list[list[dict[str, Any]]] = [[] for _ in keys]
    bases: list[list[tuple[int, str]]] = [[] for _ in keys]
    for project_id, its_texts in zip(ids, texts):
        for k, key in enumerate(keys):
            if k not in its_texts:
                version, basis, _, part = remembered[k][project_id]
                parts[k].append(part)
                bases[k].append((version, basis))
                continue
            version, basis, text = its_texts[k]
            bases[k].append((version, basis))
            if decoded is None:
                parts[k].append(decode(text))
                continue
            digest = blake2b(text.encode(), digest_size=16).digest()
            _, _, was, part = remembered[k].get(project_id, (None, "", b"", None))
            parts[k].append(part if was == digest else decode(text))
            decoded.put((key, project_id), (version, basis, digest, parts[k][-1]))
    _keep(kept, keys, kinds, as_of, made, renewed)
    if seen is not None:
        seen.extend(bases)
    return parts


def _keep(kept: KeptParts, keys: list[str], kinds: Sequence[tuple[str, Period | None]],
          as_of: date, made: list[list[tuple[str, int, str, str]]],
          renewed: list[tuple[str, str, int, str]]) -> None:
    """Keep the parts made of each kind (by its key) and renew those that stand."""
    for k, key in enumerate(keys):
        if made[k]:
            kept.put(key, kept_until(kinds[k][1], as_of), as_of, made[k])
    if renewed:
        kept.renew(renewed)


class Job(NamedTuple):
    """Parts to have kept: their key, the day they may be pruned from (kept_until) and the
    day judged on it names, and the day by which a project is signed to have one (signed_by:
    a period's end; a day's half, the day)."""

    key: str
    period_end: date
    as_of: date
    signed_by: date


def lacking(wanted: Sequence[Listing], kept: KeptParts, jobs: Sequence[Job], chunk: int = CHUNK
            ) -> Iterator[tuple[Sequence[Listing], dict[int, Lacking]]]:
    """The parts of the jobs these projects (at the versions given) lack, a job's only of
    those signed by its day (see `signed_by`): a chunk of projects at a time (the versions
    kept of its parts of every job read in one query), with the jobs each project of it
    lacks and the basis of the part kept of each (by index in the chunk; those lacking none
    left out)."""
    for start in range(0, len(wanted), chunk):
        group = wanted[start:start + chunk]
        ids = [str(each.project_id) for each in group]
        found: dict[int, Lacking] = {}
        kept_now = kept.versions([job.key for job in jobs], ids)
        for job in range(len(jobs)):
            signed = jobs[job].signed_by.isoformat()
            for n, each in enumerate(group):
                if each.signed_on > signed:
                    continue
                version, basis = kept_now.get((jobs[job].key, ids[n]), (None, None))
                if version != each.version:
                    found.setdefault(n, []).append((job, basis))
        yield group, found


def needed(wanted: Iterable[Listing], jobs: Sequence[Job]) -> int:
    """How many parts the jobs need of these projects (in any order): each job's of those
    signed by its day (see `lacking`)."""
    signed = sorted(each.signed_on for each in wanted)
    return sum(bisect_right(signed, job.signed_by.isoformat()) for job in jobs)


def warm(wanted: Sequence[Listing], kept: KeptParts, jobs: Sequence[Job], make: Make,
         chunk: int = CHUNK) -> int:
    """Make and keep whatever parts of the jobs these projects (at the versions given) lack,
    and return how many were made (not counting those renewed: their project changed in what
    they are not judged from). `make` (see `Make`) is asked once a chunk of projects, with
    the jobs (by index) each lacks, so that a project is read once for all the parts it
    lacks, and a chunk's projects in one read: on a new day that is every project's parts
    judged on the day (a province's 50,000 projects times a few)."""
    count = 0
    for group, its_lacking in lacking(wanted, kept, jobs, chunk):
        if not its_lacking:
            continue
        made: dict[int, list[tuple[str, int, str, str]]] = {}
        renewed: list[tuple[str, str, int, str]] = []
        asked = [(group[n].project_id, its_jobs) for n, its_jobs in its_lacking.items()]
        for n, its_jobs, (version, parts) in zip(its_lacking, its_lacking.values(),
                                                 make(asked), strict=True):
            project_id = str(group[n].project_id)
            for (job, _), (basis, part) in zip(its_jobs, parts, strict=True):
                if part is None:
                    renewed.append((jobs[job].key, project_id, version, basis))
                else:
                    made.setdefault(job, []).append((project_id, version, basis, encode(part)))
        for job, rows in made.items():
            kept.put(jobs[job].key, jobs[job].period_end, jobs[job].as_of, rows)
            count += len(rows)
        if renewed:
            kept.renew(renewed)
    return count


def fingerprint(wanted: Iterable[Wanted]) -> int:
    """A version for what is made of these parts together (a county's share of the province
    summary): the same projects at the same versions in the same order, the same number."""
    digest = blake2b(digest_size=7)
    for each in wanted:
        digest.update(f"{each.project_id}:{each.version};".encode())
    return int.from_bytes(digest.digest(), "big")

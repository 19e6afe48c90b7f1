"""The Banban application service: load, call, save; plain data out.

One eventsourcing `Application` holds every aggregate (projects and users) in one event store,
so one notification log orders everything that happened. Persistence comes from the
environment (`PERSISTENCE_MODULE`, `SQLITE_DBNAME`, `POSTGRES_*`), as eventsourcing reads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from copy import deepcopy
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    Transcoding,
)
from eventsourcing.utils import get_topic, strtobool

from domain import clocks
from domain.access import check_can_record, check_can_serve
from domain.auditing import Auditing
from domain.boards import board
from domain.cataloguing import Cataloguing
from domain.dispatch_parts import ProjectDirectory
from domain.dispatching import Dispatching
from domain.errors import (
    ConcurrentUpdate,
    DomainError,
    NotAllowed,
    ProjectNotFound,
    StoreKeyError,
    UserNotFound,
)
from domain.fields import TYPE_OF_CLASS
from domain.history import History
from domain.obligations import counted, standing
from domain.offering import Offering
from domain.people import PeopleView
from domain.project import Project
from domain.repositories import WRITE_CACHE, Folding, LookedUp, WriteCache
from domain.scheduling import Scheduling
from domain.snapshotting import Snapshotting
from domain.staffing import Staffing
from domain.tables import creating_tables
from domain.territory import Territory
from domain.users import USER_TOPICS, User, user_id
from domain.user_watch import UserWatch, postgres_user_watch, user_events_since
from domain.views import project_summary, project_view

COUNTY_TZ = ZoneInfo("Asia/Shanghai")
_T = TypeVar("_T")
READ_CACHE = 1_024  # projects and users a process keeps for reads (BANBAN_READ_CACHE)
# Attributes every stored event has; the rest is the event's own data.
_ENVELOPE = {"originator_id", "originator_version", "originator_topic", "timestamp", "actor",
             "occurred_on"}




def county_today() -> date:
    """Today's date in the county's time zone."""
    return datetime.now(COUNTY_TZ).date()


class DateAsISO(Transcoding):
    """Stores `datetime.date` values as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Banban(Auditing, Cataloguing, Dispatching, Scheduling, Staffing, Territory, Offering,
             Snapshotting, Application[UUID]):
    """Projects and users, recorded as events."""

    name = "Banban"
    # A snapshot every 100 events keeps loading a long-lived project to a few dozen events.
    snapshotting_intervals = {Project: 100}

    def __init__(self, env: dict[str, str] | None = None, clock: Callable[[], date] = county_today):
        super().__init__(env)
        self.clock = clock
        # Reads keep recently read projects and users and fast-forward them by the events
        # recorded since (one indexed query). Writes never use it: a command changes its
        # project before saving it, and deep-copying a long-lived project costs more than
        # several loads, so writes keep projects of their own (below). The default holds a
        # county's projects: a dispatch report reads every one, and its page's trend reads
        # them all again (with 256 a 500-project county's report and trend took 4.5 s after a
        # write, with 1,024 1.3 s, at the same peak memory: the report holds every project at
        # once either way).
        self._reads: Repository[UUID] = Folding(
            event_store=self.events, snapshot_store=self.snapshots, fastforward=True,
            cache_maxsize=int(self.env.get("BANBAN_READ_CACHE") or READ_CACHE),
            deepcopy_from_cache=False,
        )
        # Writes keep the projects they wrote (domain.repositories): a write then reads only
        # the events recorded since, instead of loading the project from its snapshot.
        self._writes = WriteCache(Folding(
            event_store=self.events, snapshot_store=self.snapshots, fastforward=True,
            cache_maxsize=int(self.env.get("BANBAN_WRITE_CACHE") or WRITE_CACHE),
            deepcopy_from_cache=False,
        ))
        # The counties, never snapshotted: while none is listed, finding none is one query
        # (with the snapshots it would be two, at every request of a store without counties).
        self._territory = Folding(event_store=self.events, fastforward=True, cache_maxsize=1,
                                  deepcopy_from_cache=False)
        self._looked_up = LookedUp()
        # Every user as of a position in the log (see `users`).
        self._people: dict[UUID, dict[str, Any]] = {}
        self._people_position = 0
        self._people_lock = threading.Lock()
        # Users kept between requests on PostgreSQL, told of changes (see `_user_watch`).
        self._watch: UserWatch | None = None
        self._watch_wanted = (type(self.factory.datastore).__name__ == "PostgresDatastore"
                              and self.env.get("BANBAN_USER_WATCH", "1") != "0")
        self._check_can_read()
        self._check_chain_key()

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository (its cache settings from the environment), folding with
        `fold`."""
        env = self.env
        cache_maxsize = env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return Folding(
            event_store=self.events, snapshot_store=self.snapshots,
            cache_maxsize=int(cache_maxsize) if cache_maxsize else None,
            fastforward=strtobool(env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y")),
            fastforward_skipping=strtobool(env.get(self.AGGREGATE_CACHE_FASTFORWARD_SKIPPING, "n")),
            deepcopy_from_cache=strtobool(env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
        )

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper; a cipher key it cannot use is refused naming CIPHER_KEY.

        Encryption at rest is eventsourcing's: CIPHER_TOPIC names the cipher class and
        CIPHER_KEY holds its key (16, 24 or 32 random bytes in base64).
        """
        try:
            return super().construct_mapper()
        except (ValueError, OSError, ImportError) as error:
            raise StoreKeyError(
                f"CIPHER_KEY / CIPHER_TOPIC cannot be used: {error} (the key is 16, 24 or 32 "
                "random bytes in base64)") from None

    def _check_can_read(self) -> None:
        """Refuse to start when the stored events cannot be decoded with this key (or none).

        A wrong key fails on every event; a damaged event fails alone (that is for
        `flask audit verify` to report), so one readable event among the first few is enough.
        """
        sample = self.recorder.select_notifications(None, 5)
        for notification in sample:
            try:
                self.mapper.to_domain_event(notification)
                return
            except MapperDeserialisationError:
                continue
        if not sample:
            return
        if self.mapper.cipher is None:
            raise StoreKeyError("the stored events cannot be read without a key: set CIPHER_KEY "
                                "to the key they were encrypted with")
        raise StoreKeyError("CIPHER_KEY does not decrypt the stored events: it is not the key "
                            "they were encrypted with (or they are not encrypted)")

    def construct_snapshot_store(self) -> EventStore[UUID]:
        with creating_tables(getattr(self.factory, "datastore", None)):
            return super().construct_snapshot_store()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # ---- projects: commands -----------------------------------------------------------

    def sign_project(self, actor: str, *, signed_on: date, **fields: Any) -> dict[str, Any]:
        """Open a project (office only); return its state."""
        project = self.signing(actor, signed_on=signed_on, **fields)
        self.save(project)
        self._writes.keep(project)
        return self._view(project)

    def signing(self, actor: str, *, signed_on: date, **fields: Any) -> Project:
        """A project opened by a checked signing, not yet saved (bulk loads save many at once).
        It belongs to the county named, or the office's own; an office signs in its own only."""
        user = self.user(actor)
        check_can_record(user, "signed", None)
        check_can_serve(user)
        county = fields["county"] = self.county_named(fields.get("county") or user["scope"])
        if not self.reader_sees(user, county):
            raise DomainError(f"{actor} signs projects of their own county, not {county}",
                              field="county", code="other_county")
        self._check_team_users(fields, county)
        return Project.sign(actor=actor, signed_on=signed_on, today=self.clock(),
                            known=self.known(county), **fields)

    def record(
        self, project_id: UUID | str, actor: str, event_type: str, *, expected_version: int,
        occurred_on: date | None = None, fields: dict[str, Any],
    ) -> dict[str, Any]:
        """Record one event on a project; return the new version and any ids the server made.

        `occurred_on` defaults to today in the county. Order of refusal: unknown project,
        not allowed, stale version, broken rule.
        """
        # First on the project as this worker kept it, if that is the version the writer
        # expects (no read of the store: the save fails if anything was recorded since); a
        # refusal judged on it may be out of date, so it is judged again on the project
        # brought up to date, as is every write to a project kept at another version.
        write = (project_id, actor, event_type, expected_version, occurred_on, fields)
        try:
            return self._record_event(*write, kept_at=expected_version)
        except _JudgedOnKept:
            return self._record_event(*write)

    def _record_event(self, project_id: UUID | str, actor: str, event_type: str,
                      expected_version: int, occurred_on: date | None, fields: dict[str, Any],
                      kept_at: int | None = None) -> dict[str, Any]:
        # The project is dropped if anything below fails, so that no change that was not
        # saved outlives this call.
        with self._writing(project_id, kept_at) as (project, up_to_date):
            try:
                made = self.apply(project, actor, event_type, expected_version=expected_version,
                                  occurred_on=occurred_on, fields=fields)
            except Exception:
                if up_to_date:
                    raise
                raise _JudgedOnKept from None
            try:
                self.save(project)
            except IntegrityError:
                current = self.events.get(project.id, desc=True, limit=1)
                raise ConcurrentUpdate(expected_version, next(iter(current)).originator_version
                                       ) from None
        return {"id": project.id, "version": project.version, "type": event_type, **made}

    def apply(
        self, project: Project, actor: str, event_type: str, *, expected_version: int,
        occurred_on: date | None = None, fields: dict[str, Any],
    ) -> dict[str, Any]:
        """Check one event against a loaded project and apply it, unsaved: `record` without
        the load and the save (bulk loads save many projects at once). Returns the ids the
        server made."""
        user = self.user(actor)
        self.check_serves(user, project.county, project.id)
        check_can_record(user, event_type, project.team, self._corrected(project, fields)
                         if event_type == "corrected" else None)
        if expected_version != project.version:
            raise ConcurrentUpdate(expected_version, project.version)
        if event_type == "instruction_given":
            fields = {**fields, "leader": _instruction_leader(user, fields.get("leader"))}
        self._check_team_users(fields, project.county)
        return project.record(event_type, actor=actor, today=self.clock(),
                              occurred_on=self.clock() if occurred_on is None else occurred_on,
                              known=self.known(project.county, project.id), **fields)

    def _corrected(self, project: Project, fields: dict[str, Any]) -> dict[str, Any] | None:
        """The type and recorder's role of the event a correction names, if it exists."""
        target = fields.get("corrects_version")
        if not isinstance(target, int) or not 1 <= target <= project.version:
            return None
        fact = project.fact(target)
        try:
            role = self.user(fact["actor"])["role"]
        except UserNotFound:
            role = None
        return {"type": fact["type"], "actor_role": role}

    def _check_team_users(self, fields: dict[str, Any], county: str | None) -> None:
        """The people an event names must exist, be enabled, have the right role and serve the
        project's county (a leader may be the province's)."""
        wanted = [("chief_agent", "agent"), ("leader", "leader"), ("agent", "agent")]
        for name, role in wanted:
            if fields.get(name) is not None:
                self._check_user_role(name, fields[name], role, county)
        for username in fields.get("co_agents") or []:
            self._check_user_role("co_agents", username, "agent", county)

    def _check_user_role(self, field: str, username: Any, role: str,
                         county: str | None = None) -> None:
        if not isinstance(username, str):
            return  # the field's own validation names the problem
        try:
            user = self.user(username)
        except UserNotFound:
            raise DomainError(f"{field}: no user {username!r}", field=field,
                              code="unknown_user") from None
        if user["disabled"]:
            raise DomainError(f"{field}: {username} is disabled", field=field,
                              code="user_disabled")
        if user["role"] != role:
            raise DomainError(f"{field}: {username} is a {user['role']}, not a {role}",
                              field=field, code="wrong_role")
        if not self.reader_sees(user, county):
            raise DomainError(f"{field}: {username} serves another county", field=field,
                              code="other_county")

    # ---- projects: queries ------------------------------------------------------------

    def project(
        self, project_id: UUID, *, version: int | None = None, as_of: datetime | None = None,
        reader: str | dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The project's state now, at a version, or as it was recorded at a moment; as
        unknown (404) to a reader of another county."""
        self.visible(project_id, reader)
        if as_of is not None:
            version = self._version_at(project_id, as_of)
        project = self._project(project_id, version=version, for_reading=True)
        if version is not None and project.version != version:
            raise DomainError(
                f"version {version} does not exist: the project is at version {project.version}",
                field="version", code="unknown_version",
            )
        return self._view(project)

    def _view(self, project: Project) -> dict[str, Any]:
        """A project's whole state, whom it waits on counted to today (rule 9)."""
        view = project_view(project)
        view["waiting_on"] = counted(view["waiting_on"], self.clock(), self.calendar())
        return view

    def visible(self, project_id: UUID | str, reader: str | dict[str, Any] | None) -> Project:
        """The project as it stands, if the reader may see its county; else ProjectNotFound."""
        project = self._project(project_id, for_reading=True)
        self.check_sees(reader, project.county, project_id)
        return project

    def history(self, project_id: UUID, reader: str | dict[str, Any] | None = None
                ) -> list[dict[str, Any]]:
        """Every event of a project as recorded, with the corrections that later touched it."""
        project = self.visible(project_id, reader)
        result = []
        for event in self.events.get(project.id):
            event_type = TYPE_OF_CLASS[type(event).__name__]
            fact = project.fact(event.originator_version)
            result.append({
                "version": event.originator_version,
                "type": event_type,
                "actor": event.actor,
                "occurred_on": event.occurred_on,
                "recorded_at": event.timestamp,
                "data": {name: value for name, value in vars(event).items()
                         if name not in _ENVELOPE},
                "corrected_by": list(fact["corrected_by"]),
                "void": fact["void"],
            })
        return result

    def event(self, project_id: UUID | str, version: int,
              reader: str | dict[str, Any] | None = None) -> dict[str, Any]:
        """One event of a project as it stands after corrections (amended values applied)."""
        project = self.visible(project_id, reader)
        if not 1 <= version <= project.version:
            raise DomainError(f"version {version} does not exist: the project is at version "
                              f"{project.version}", field="version", code="unknown_version")
        return deepcopy(project.fact(version))

    def clocks(self, project_id: UUID | str, reader: str | dict[str, Any] | None = None
               ) -> dict[str, Any]:
        """A project's flags today, each with its explanation, and its milestones' colours."""
        history = History(self.visible(project_id, reader))
        today, calendar = self.clock(), self.calendar().watch()
        found = standing(history, today, calendar)
        flags = [asdict(flag) for flag in clocks.flags_of(history, found, calendar)]
        return {"today": today, "flags": flags, "milestone_colours": clocks.colours_of(found),
                "calendar_warnings": calendar.warnings()}

    def list_colours(self, project_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
        """For a list of projects: each one's milestone colours today and how many of its
        items are late (by the rules, as its page and board say)."""
        today, calendar = self.clock(), self.calendar()
        result = {}
        for project_id in project_ids:
            found = standing(History(self._project(project_id, for_reading=True)), today,
                             calendar)
            result[project_id] = {"milestone_colours": clocks.colours_of(found),
                                  "late": len(found.late)}
        return result

    # Every project, or one county's, as a view the app keeps current lists them (see
    # projections.directory); while none is set (the domain alone, its tests) the log is read.
    directory: ProjectDirectory | None = None

    def project_ids(self, county: str | None = None) -> Iterator[UUID]:
        """Ids of every project (or of those of a county, and perhaps others: filter them by
        `in_target`), from the directory when the app set one (in the reports' order), else
        from the log in the order they were signed."""
        if self.directory is not None:
            return iter([listed.project_id for listed in self.directory.listed(county)])
        return self._notified_ids(get_topic(Project.Signed))

    def list_projects(
        self, *, phase: str | None = None, status: str | None = None, agent: str | None = None,
        reader: str | dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Summaries of projects the reader may see, filtered by phase, status and team member."""
        result = []
        for project_id in self.project_ids():
            project: Project = self._reads.get(project_id)
            if not self.reader_sees(reader, project.county):
                continue
            if phase and project.phase != phase:
                continue
            if status and project.status != status:
                continue
            if agent and agent not in project.team:
                continue
            result.append(project_summary(project))
        return result

    def board(self, username: str, project_ids: list[UUID] | None = None,
              reader: str | dict[str, Any] | None = None) -> dict[str, Any]:
        """An agent's live board today; `project_ids` narrows the projects to look at. An
        agent of a county the reader may not see is unknown to them (UserNotFound); an agent
        reads only their own board (NotAllowed)."""
        user = self.user(username)
        if not self.reader_sees(reader, self.scope_of_user(user)):
            raise UserNotFound(username)
        viewer = self.user(reader) if isinstance(reader, str) else reader
        if viewer is not None and viewer["role"] == "agent" and viewer["username"] != username:
            raise NotAllowed("an agent reads only their own board")
        if user["role"] != "agent":
            raise DomainError(f"{username} is a {user['role']}: boards are for agents",
                              field="username", code="not_an_agent")
        ids = self.project_ids() if project_ids is None else project_ids
        projects = [self._project(i, for_reading=True) for i in ids]
        return board(username, projects, self.clock(), calendar=self.calendar())

    @contextmanager
    def _writing(self, project_id: UUID | str, kept_at: int | None = None
                 ) -> Iterator[tuple[Project, bool]]:
        """A project to change and save, lent by the write cache for one write, and whether
        it was brought up to date with the store (see WriteCache.checkout)."""
        aggregate_id = _uuid(project_id)
        try:
            with self._writes.checkout(aggregate_id, kept_at) as (project, up_to_date):
                if not isinstance(project, Project):
                    raise ProjectNotFound(project_id)
                yield project, up_to_date
        except AggregateNotFoundError:
            raise ProjectNotFound(project_id) from None

    def _project(self, project_id: UUID | str, version: int | None = None, *,
                 for_reading: bool = False) -> Project:
        repository = self._reads if for_reading else self.repository
        try:
            project = repository.get(_uuid(project_id), version=version)
        except AggregateNotFoundError:
            raise ProjectNotFound(project_id) from None
        if not isinstance(project, Project):
            raise ProjectNotFound(project_id)
        return project

    def _version_at(self, project_id: UUID | str, moment: datetime) -> int:
        """The project's (or any aggregate's) last version recorded by a moment.

        Recorded times rise with the version (an event is made from the version before it),
        so this is a binary search: about log2(n) reads of one event, not a read of them all.
        """
        aggregate_id = _uuid(project_id)

        def recorded(version: int) -> datetime:
            return next(iter(self.events.get(aggregate_id, gt=version - 1, lte=version))
                        ).timestamp

        last = next(iter(self.events.get(aggregate_id, desc=True, limit=1)), None)
        if last is None or recorded(1) > moment:
            raise ProjectNotFound(project_id, f"project {project_id} did not exist at {moment}")
        low, high = 1, last.originator_version  # recorded(low) <= moment
        if last.timestamp <= moment:
            return high
        while high - low > 1:  # recorded(high) > moment
            middle = (low + high) // 2
            if recorded(middle) <= moment:
                low = middle
            else:
                high = middle
        return low

    # ---- users ------------------------------------------------------------------------

    def register_user(
        self, username: str, role: str, *, actor: str, display_name: str | None = None,
        password_hash: str | None = None, scope: str | None = None,
    ) -> dict[str, Any]:
        """Create a user; the username must be new. Their scope is a listed county (the home
        county by default) or, for an office, leader or auditor, the province."""
        user = User.register(username=username, role=role, display_name=display_name,
                             password_hash=password_hash, actor=actor,
                             scope=self.scope_named(scope, role))
        try:
            self.save(user)
        except IntegrityError:
            raise DomainError(f"user {username!r} already exists", field="username",
                              code="duplicate_username") from None
        return user.as_dict()

    def set_password(self, username: str, password_hash: str, *, actor: str) -> None:
        """Replace a user's password hash."""
        self._change_user(username, lambda user: user.set_password(password_hash, actor=actor),
                          again=True)

    def issue_token(self, username: str, *, actor: str) -> str:
        """A new API token for the user, shown once."""
        def issue(user: User) -> str:
            if user.disabled:
                raise NotAllowed(f"{username} is disabled")
            return user.issue_token(actor=actor)

        return self._change_user(username, issue, again=True)

    def disable_user(self, username: str, *, actor: str, reason: str | None = None) -> None:
        """Refuse the user from now on."""
        self._change_user(username, lambda user: user.disable(actor=actor, reason=reason))

    def sign_out_everywhere(self, username: str, *, actor: str) -> None:
        """End every session the user has (web sessions check this on every request)."""
        self._change_user(username, lambda user: user.sign_out_everywhere(actor=actor),
                          again=True)

    def user(self, username: str) -> dict[str, Any]:
        """A user's plain data."""
        return self._user(username, for_reading=True).as_dict()

    def password_hash(self, username: str) -> str | None:
        """The user's password hash, for sign-in only."""
        return self._user(username, for_reading=True).password_hash

    def authenticate_token(self, token: str) -> dict[str, Any] | None:
        """The enabled user a bearer token belongs to, or None."""
        username, _, secret = token.rpartition(".")
        if not username or not secret:
            return None
        try:
            user = self._user(username, for_reading=True)
        except UserNotFound:
            return None
        if user.disabled or not user.accepts_token_secret(secret):
            return None
        return user.as_dict()

    # Every user, from a view the app keeps current (projections.people); while none is set
    # (the domain alone, its tests) from the log.
    people_view: Callable[[], PeopleView] | None = None

    def users(self) -> list[dict[str, Any]]:
        """Every user, in order of registration.

        This process keeps them, with the position in the log they reflect, and reads only
        what changed since it last looked (none, mostly: every page names people): the rows
        of the users changed since, from the people view, or without one the user events
        recorded since, reloading just the users those events are about.
        """
        with self._people_lock:
            if self.people_view is not None:
                view = self.people_view()
                position, changed = view.people(self.name, self._people_position)
                if not position and self._people_position:
                    # Emptied for a rebuild: what was read stands until it is made again.
                    return deepcopy(list(self._people.values()))
                if position < self._people_position:  # the store was replaced
                    self._people.clear()
                    position, changed = view.people(self.name, 0)
                users = {person.user_id: person.user for person in changed}
            else:
                ids, position = user_events_since(self.recorder, USER_TOPICS,
                                                  self._people_position)
                if position < self._people_position:  # the store was replaced
                    self._people.clear()
                users = {user: self._reads.get(user).as_dict() for user in ids}
            self._people_position = position
            # Listed in order of registration: a user first heard of now registered after
            # every user kept.
            self._people.update(users)
            return deepcopy(list(self._people.values()))

    def _change_user(self, username: str, change: Callable[[User], _T], *,
                     again: bool = False) -> _T:
        """Change a user (`change` applies the command to it) and save it. A change overtaken
        by another saved at the same moment (two offices, or an office and the user) records
        nothing and is a ConcurrentUpdate; one that depends on nothing its actor saw (`again`:
        a password, a token, signing out everywhere) is first made once more on the user as
        it is now, so that a security action is not lost to an unrelated rename."""
        attempts = 2 if again else 1
        while True:
            attempts -= 1
            user = self._user(username)
            result = change(user)
            try:
                self.save(user)
                return result
            except IntegrityError:
                if not attempts:
                    raise ConcurrentUpdate(user.version - 1, None, message=(
                        f"user {username!r} was changed by someone else at the same moment: "
                        "nothing was recorded; reload and retry")) from None

    def _user(self, username: str, *, for_reading: bool = False) -> User:
        """A user loaded to change (a copy of its own), or to read (the read cache's, which
        brings it up to date with one indexed query; once per request within
        `looking_up_once`: every request reads one or two users, some of them twice)."""
        if for_reading:
            return self._looked_up.get(("user", username), lambda: self._watched(username))
        return self._load_user(username, self.repository)

    def _watched(self, username: str) -> User:
        """A user to read: kept by the worker between requests while the store says it has
        not changed (domain.user_watch, on PostgreSQL), else brought up to date now."""
        def load() -> User:
            return self._load_user(username, self._reads)

        watch = self._user_watch()
        if watch is None:
            return load()
        try:
            return watch.get(user_id(username), load)
        except ValueError:
            raise UserNotFound(username) from None

    def _user_watch(self) -> UserWatch | None:
        """This process's watch of the users (made on first use; None on SQLite, or with
        BANBAN_USER_WATCH=0)."""
        if self._watch is None and self._watch_wanted:
            with self._people_lock:
                if self._watch is None:
                    self._watch = postgres_user_watch(self.recorder, self.factory.datastore,
                                                      USER_TOPICS)
        return self._watch

    def _load_user(self, username: str, repository: Repository[UUID]) -> User:
        try:
            return repository.get(user_id(username))
        except (AggregateNotFoundError, ValueError):
            raise UserNotFound(username) from None

    def looking_up_once(self) -> AbstractContextManager[None]:
        """A unit of work (a request): within it each user is brought up to date with the
        store once, at its first look, until something is saved (domain.repositories)."""
        return self._looked_up.unit()

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        self._looked_up.forget()
        try:
            return super().save(*objs, **kwargs)
        finally:
            if self._watch is not None:
                self._watch.forget(obj.id for obj in objs if isinstance(obj, User))

    def close(self) -> None:
        self._watch_wanted = False
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        super().close()


class _JudgedOnKept(Exception):
    """A write refused on a kept project not brought up to date: to be judged again."""


def _uuid(project_id: UUID | str) -> UUID:
    """A project id given as a UUID or its text; anything else names no project."""
    try:
        return project_id if isinstance(project_id, UUID) else UUID(str(project_id))
    except ValueError:
        raise ProjectNotFound(project_id) from None


def _instruction_leader(user: dict[str, Any], named: str | None) -> str:
    """Who gave an instruction: the leader recording it, or the leader the office names."""
    if user["role"] == "leader":
        if named not in (None, user["username"]):
            raise DomainError("a leader records their own instructions", field="leader",
                              code="not_allowed")
        return user["username"]
    if named is None:
        raise DomainError("leader is required when the office records a leader's instruction",
                          field="leader", code="required")
    return named

"""The county side of the Banban service: the counties listed, the home county, and the scope
checks every read and write of a project, board or report goes through.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.access import check_can_serve, scope_of, sees
from domain.counties import COUNTIES_ID, PROVINCE, Counties, county_shaped, division
from domain.errors import (
    ConcurrentUpdate,
    CountyNotFound,
    DomainError,
    ProjectNotFound,
)
from domain.project import Project
from domain.repositories import LookedUp
from domain.sense import Known

# One process's names of the projects (Territory.project_names) change under a lock.
_NAMES_LOCK = threading.RLock()
_NAMES_BATCH = 5_000


class Territory:
    """Counties, and who may see which county's projects."""

    # Counties are only ever added and the home county is the first: once listed it never
    # changes, so a worker keeps it (every read and write checks a scope against it, which
    # would otherwise be a look at the store per request).
    _home: str | None = None
    _looked_up: LookedUp  # what a request has looked up (domain.application.Banban)

    def counties(self, as_known_at: datetime | None = None) -> list[dict[str, str]]:
        """The counties listed (by a moment, or now), in the order they were added (the first
        is home)."""
        found = self._counties(as_known_at)
        return [] if found is None else list(found.counties.values())

    def home_county(self) -> str | None:
        """The county of projects and users that name none (None while none is listed: then
        looked up once per request, as users are, `looking_up_once`)."""
        if self._home is None:
            found = self._looked_up.get(("counties",), self._counties)
            self._home = None if found is None else found.home
        return self._home

    def _counties(self, as_known_at: datetime | None = None) -> Counties | None:
        try:
            if as_known_at is None:
                return self._territory.get(COUNTIES_ID)
            return self._territory.get(COUNTIES_ID,
                                       version=self._version_at(COUNTIES_ID, as_known_at))
        except (AggregateNotFoundError, ProjectNotFound):  # none listed (by then)
            return None

    def add_county(self, code: str, name: str, city: str, *, actor: str) -> dict[str, str]:
        """List a county by its official code and names (as the division table gives them)."""
        try:
            counties: Counties = self.repository.get(COUNTIES_ID)
        except AggregateNotFoundError:
            counties = Counties.start(actor=actor)
        counties.add(code, name, city, actor=actor)
        try:
            self.save(counties)
        except IntegrityError:
            raise ConcurrentUpdate(counties.version - 1, None, message=(
                "the counties were changed by someone else at the same moment: nothing was "
                "recorded; retry")) from None
        return counties.counties[code]

    def county_named(self, code: str | None) -> str | None:
        """The county a signing or a user names, checked against the list: the home county
        when none is named. DomainError for a county that is not listed."""
        listed = [c["code"] for c in self.counties()]
        if code is None:
            return listed[0] if listed else None
        # A code the official table lacks is not listed either: the same rule (the API's
        # document states the shape of a code, never the whole table).
        county_shaped(code)
        if code not in listed:
            found = division(code)
            raise DomainError(
                (f"county {code} {found['name']} is not listed here" if found else
                 f"{code} is not a county of the official table (GB/T 2260), nor listed here")
                + (f" (listed: {', '.join(listed)})" if listed else
                   ": add it first with flask counties add"),
                field="county", code="unknown_county")
        return code

    def scope_named(self, scope: str | None, role: str) -> str | None:
        """A new user's scope, checked: a listed county (the home county if none is named), or
        the province for an office, leader or auditor when counties are listed."""
        if scope == PROVINCE:
            if not self.counties():
                raise DomainError("no county is listed: a province scope needs counties",
                                  field="scope", code="no_county_listed")
            if role == "agent":
                raise DomainError("an agent serves one county's projects: give its county",
                                  field="scope", code="agent_in_province")
            return PROVINCE
        try:
            return self.county_named(scope)
        except DomainError as error:  # the same rule, said of the user's scope
            raise type(error)(error.message, field="scope", code=error.code) from None

    def reader_sees(self, reader: str | dict[str, Any] | None, county: str | None) -> bool:
        """Whether a user (by name or as data; None: the system itself) may see a county."""
        if reader is None:
            return True
        user = self.user(reader) if isinstance(reader, str) else reader
        return sees(user, county, self.home_county())

    def check_sees(self, reader: str | dict[str, Any] | None, county: str | None,
                   project_id: Any) -> None:
        """ProjectNotFound (404, as for a project that does not exist) unless the reader may
        see the county."""
        if not self.reader_sees(reader, county):
            raise ProjectNotFound(project_id)

    def scope_of_user(self, user: dict[str, Any]) -> str | None:
        """A user's county code, or "province"."""
        return scope_of(user, self.home_county())

    def check_serves(self, user: dict[str, Any], county: str | None, project_id: Any) -> None:
        """A user records on a project only within their own county."""
        self.check_sees(user, county, project_id)
        check_can_serve(user)

    def report_target(self, reader: str | dict[str, Any] | None, county: str | None
                      ) -> str | None:
        """Whose report a reader asks for: a county's code, "province" for the province
        summary, or None while no county is listed (every project). A county user gets their
        own county's; a province user the summary, or the county named. A county that is not
        listed, or that the reader may not see, is CountyNotFound."""
        listed = [c["code"] for c in self.counties()]
        if county is not None and (county not in listed or not self.reader_sees(reader, county)):
            raise CountyNotFound(county)
        if county is not None or not listed:
            return county
        if reader is None:
            return PROVINCE
        user = self.user(reader) if isinstance(reader, str) else reader
        return self.scope_of_user(user)

    def in_target(self, project: Any, target: str | None) -> bool:
        """Whether a project counts in a target's report (see `report_target`)."""
        return target in (None, PROVINCE) or (project.county or self.home_county()) == target

    def known(self, county: str | None, project_id: Any = None) -> Known:
        """What the checks of a county's project need to know of the county (domain.sense):
        the names of its other projects and its catalogues, read only if a check asks."""
        home = self.home_county()

        def names() -> Iterator[str]:
            directory = getattr(self, "directory", None)
            if directory is not None:  # the county's listing, kept by the cards
                yield from (listed.name for listed in directory.listed(county or home)
                            if listed.project_id != project_id)
                return
            for other, (its_county, name) in self.project_names().items():
                if other != project_id and (its_county or home) == (county or home):
                    yield name

        def catalogue(kind: str) -> list[str]:
            return self.catalogues(county)[kind]

        return Known(names=names, catalogue=catalogue)

    _names: dict[Any, tuple[str | None, str]] | None = None
    _names_position = 0

    def project_names(self) -> dict[Any, tuple[str | None, str]]:
        """Every project's county and name (what the checks read while the app sets no
        directory: the domain alone, its tests), kept in the process and brought up to date
        from the signings and the corrections of a signing recorded since it last looked (so
        a check of a name reads only what is new, not every project)."""
        with _NAMES_LOCK:
            if self._names is None:
                self._names, self._names_position = {}, 0
            topics = (get_topic(Project.Signed), get_topic(Project.Corrected))
            while True:
                found = self.recorder.select_notifications(
                    self._names_position + 1, _NAMES_BATCH, topics=topics)
                for notification in found:
                    self._note_name(self.mapper.to_domain_event(notification))
                if found:
                    self._names_position = found[-1].id
                if len(found) < _NAMES_BATCH:
                    return dict(self._names)

    def _note_name(self, event: Any) -> None:
        if isinstance(event, Project.Signed):
            self._names[event.originator_id] = (event.county, event.name)
        elif event.corrected_type == "signed" and "name" in event.changes \
                and event.originator_id in self._names:
            county, _ = self._names[event.originator_id]
            self._names[event.originator_id] = (county, event.changes["name"])

    def publication_key(self, target: str | None) -> str | None:
        """The `of` of a target's publications: None for the home county (and while no county
        is listed), else the county's code or "province"."""
        return None if target in (None, self.home_county()) else target

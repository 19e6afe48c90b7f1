"""Every project as the cards list it, kept in each process by county and in the reports'
order, and brought up to date by reading again only the cards of the projects written since.

Reports are assembled from their projects' kept parts (domain.dispatch_parts), so what a
report needs first is its projects' ids and versions in order. Read from the cards on each
request, a province's 50,000 projects cost more than the rest of its summary after a write;
kept here, a request reads the cards' position, and when the log has moved, the notifications
since then (their originators, not their events) and those projects' cards. A gap of more
than REREAD notifications (a rebuild, a worker idle through a day's imports) reads every card
again, as does a position that went back (the views rebuilt).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Collection, Iterable
from typing import Any
from uuid import UUID

from sortedcontainers import SortedKeyList

from domain.project import PROJECT_TOPICS
from projections.cards import Listed, ProjectCards, Stored


def report_order(listed: Listed) -> tuple[str, str, UUID]:
    """The order every report lists its projects in: date signed, name, id (UUIDs compare as
    their text does)."""
    return listed.signed_on, listed.name, listed.project_id


class Directory:
    """The projects by county (those naming none are the home county's), in report order."""

    # More notifications than this since the last look: every card is read again (one query)
    # rather than the projects they name.
    REREAD = 5_000

    def __init__(self, app: Any, cards: Callable[[], ProjectCards]) -> None:
        """`cards`: the cards projection, caught up with the log (the app's way of reading
        its own writes)."""
        self.app = app
        self.cards = cards
        self._lock = threading.Lock()
        self._position: int | None = None  # the cards' position last read from; None: never
        self._view: Any = None  # the cards' view last read from
        self._home: str | None = None
        self._by_id: dict[UUID, Listed] = {}
        self._counties: dict[str, SortedKeyList] = {}
        # Listings handed out (immutable, the same object while nothing in them changes), by
        # county; None: every project.
        self._handed: dict[str | None, tuple[Listed, ...]] = {}

    def listed(self, county: str | None = None) -> tuple[Listed, ...]:
        """Every project (county None), or one county's, in report order."""
        with self._lock:
            self._refresh()
            return self._listing(county)

    def by_county(self) -> dict[str, tuple[Listed, ...]]:
        """Every county's projects in report order, by county (only counties with any)."""
        with self._lock:
            self._refresh()
            return {code: self._listing(code) for code in self._counties}

    def facts(self, ids: Collection[UUID]) -> dict[UUID, Stored]:
        """What the cards keep of these projects for the reports' parts, in one read: their
        facts at the versions listed by the last look (or later ones, if written since),
        without a catch-up: a report asks after it has listed its projects."""
        view = self._view or self.cards().view
        return view.facts(ids)

    def _listing(self, county: str | None) -> tuple[Listed, ...]:
        found = self._handed.get(county)
        if found is None:
            if county is None:
                found = tuple(sorted(self._by_id.values(), key=report_order))
            else:
                found = tuple(self._counties.get(county, ()))
            self._handed[county] = found
        return found

    def _refresh(self) -> None:
        view = self._view = self.cards().view
        position = view.max_tracking_id(self.app.name) or 0
        home = self.app.home_county()
        was = self._position
        if was is None or home != self._home or not was <= position <= was + self.REREAD:
            self._home = home
            self._load(view.directory())
        elif position > was:
            written = {notification.originator_id for notification in
                       self.app.recorder.select_notifications(
                           was + 1, position - was, stop=position, topics=PROJECT_TOPICS)}
            if written:
                self._put(view.directory(written))
        self._position = position

    def _load(self, found: Iterable[Listed]) -> None:
        """Keep these listings in place of everything kept (each county's sorted at once)."""
        self._by_id, self._handed, groups = {}, {}, {}
        for each in map(_interned, found):
            self._by_id[each.project_id] = each
            groups.setdefault(self._code(each), []).append(each)
        self._counties = {code: SortedKeyList(listed, key=report_order)
                          for code, listed in groups.items()}

    def _put(self, found: Iterable[Listed]) -> None:
        """Take these cards' listings in place of what was kept of their projects."""
        for each in map(_interned, found):
            old = self._by_id.get(each.project_id)
            if old == each:
                continue
            if old is not None:
                self._county_of(old).remove(old)
                self._handed.pop(self._code(old), None)
            self._by_id[each.project_id] = each
            self._county_of(each).add(each)
            self._handed.pop(self._code(each), None)
            self._handed.pop(None, None)

    def _code(self, listed: Listed) -> str:
        return listed.county or self._home or ""

    def _county_of(self, listed: Listed) -> SortedKeyList:
        found = self._counties.get(self._code(listed))
        if found is None:
            found = self._counties[self._code(listed)] = SortedKeyList(key=report_order)
        return found


def _interned(listed: Listed) -> Listed:
    """The listing with one string for the many projects signed on a day or in a county (they
    are held for as long as the process serves)."""
    return listed._replace(signed_on=sys.intern(listed.signed_on),
                           county=listed.county and sys.intern(listed.county))

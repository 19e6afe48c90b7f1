"""The dispatch side of the Banban service: reports for any period, publishing, changes since.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, LRUCache
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.canonical import to_json
from domain.dispatch import dispatch_report
from domain.dispatch_trend import MAX_TREND_PERIODS, dispatch_trend
from domain.errors import ConcurrentUpdate, DomainError, NotAllowed, ProjectNotFound
from domain.fields import TYPE_OF_CLASS
from domain.periods import Period, business_date
from domain.publications import Publication, publication_id

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


class Dispatching:
    """Dispatch reports, computed from every project's corrected history by business date."""

    # The seal of one publication event (publication id, event version): domain.auditing.
    seal_of: Callable[[UUID, int], dict[str, Any] | None]
    # Reports and trends this process keeps (see `_reused`); 0 computes every one afresh.
    REUSED = 8
    _reusable: LRUCache | None = None

    def _reused(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A copy of what `compute` returned when last asked the same, if nothing has been
        recorded since; else what it returns now, kept for next time.

        Reports are pure functions of the log, the period and the day they are judged on
        (both in `key`), so the log's last notification id (one indexed read) tells whether
        one computed earlier still holds: leaders reading the same page between writes get
        it without every project being read again.
        """
        if not self.REUSED:
            return compute()
        if self._reusable is None:
            self._reusable = LRUCache(maxsize=self.REUSED)
        key = (*key, self.recorder.max_notification_id())
        try:
            return deepcopy(self._reusable.get(key))
        except KeyError:
            result = compute()
            self._reusable.put(key, deepcopy(result))
            return result

    def period(self, cadence: str, period_id: str | None = None) -> Period:
        """The period named, or the one holding today."""
        if period_id is None:
            return Period.containing(cadence, self.clock())
        return Period.parse(cadence, period_id)

    def dispatch(self, cadence: str, period_id: str | None = None,
                 as_known_at: datetime | None = None) -> dict[str, Any]:
        """The dispatch report of a period (today's by default), as the record stands now, or
        as it stood at a recorded time: from the events recorded by `as_known_at` only.

        "Today" (the default period, and the day a running period is judged on) is then the
        business date of `as_known_at`, so a recomputation reads no other clock.
        """
        today = self.clock() if as_known_at is None else business_date(as_known_at)
        period = Period.containing(cadence, today) if period_id is None else \
            self.period(cadence, period_id)
        return self._reused(("report", period, today, as_known_at), lambda: dispatch_report(
            period, self._projects_known_at(as_known_at), today=today,
            calendar=self.calendar(as_known_at)))

    def _projects_known_at(self, moment: datetime | None) -> list:
        """Every project as recorded by a moment (signed by then), or now; in signing order."""
        if moment is None:
            return [self._project(i, for_reading=True) for i in self.project_ids()]
        projects = []
        for project_id in self.project_ids():
            try:
                version = self._version_at(project_id, moment)
            except ProjectNotFound:
                continue  # signed later
            projects.append(self._project(project_id, version=version, for_reading=True))
        return projects

    def publish_dispatch(self, cadence: str, period_id: str, actor: str) -> dict[str, Any]:
        """Freeze the report of a period as it stands now (office only); return its record."""
        user = self.user(actor)
        if user["role"] != "office" or user["disabled"]:
            raise NotAllowed("only the office publishes dispatch reports")
        period = self.period(cadence, period_id)
        if period.start > self.clock():
            raise DomainError(f"{period.id} has not begun: nothing to publish yet",
                              field="period", code="future_period")
        try:
            publication = self.repository.get(publication_id(cadence, period.id))
        except AggregateNotFoundError:
            publication = Publication.open(cadence, period.id, actor=actor)
        # The report is the record as known at the publication's own recorded time, so that
        # `dispatch(..., as_known_at=published_at)` recomputes it byte for byte.
        moment = Publication.Published.create_timestamp()
        text = to_json(self.dispatch(cadence, period.id, as_known_at=moment))
        publication.publish(text, actor=actor, published_at=moment)
        try:
            self.save(publication)
        except IntegrityError:
            raise ConcurrentUpdate(publication.version, None) from None
        return self._publication_record(publication.revisions[-1], cadence, period)

    def published_dispatch(self, cadence: str, period_id: str,
                           revision: int | None = None) -> tuple[dict[str, Any], str]:
        """A publication's record and its report text, byte for byte (the latest by default)."""
        period = self.period(cadence, period_id)
        record, text = self._publication(cadence, period, revision)
        return self._publication_record(record, cadence, period), text

    def dispatch_changes(self, cadence: str, period_id: str,
                         revision: int | None = None) -> dict[str, Any]:
        """What was recorded about the period since its latest publication (or `revision`), and
        the difference it makes to the headline figures."""
        period = self.period(cadence, period_id)
        record, text = self._publication(cadence, period, revision)
        published_at: datetime = record["published_at"]
        then, now = json.loads(text), json.loads(to_json(self.dispatch(cadence, period.id)))
        figures = {}
        for name, (section, key) in HEADLINES.items():
            before, after = then[section][key], now[section][key]
            figures[name] = {"published": before, "now": after, "change": after - before}
        return {
            "publication": self._publication_record(record, cadence, period),
            "figures": figures,
            "events": self._recorded_since(period, published_at),
        }

    def _publication(self, cadence: str, period: Period, revision: int | None
                     ) -> tuple[dict[str, Any], str]:
        """A publication's revision record and its text (the latest by default)."""
        published = self._publications(cadence, period)
        if revision is not None and not 1 <= revision <= len(published):
            raise DomainError(f"{period.id} has {len(published)} publications",
                              field="revision", code="unknown_revision")
        return published[(revision or len(published)) - 1]

    def _publications(self, cadence: str, period: Period) -> list[tuple[dict[str, Any], str]]:
        try:
            publication = self.repository.get(publication_id(cadence, period.id))
        except AggregateNotFoundError:
            publication = None
        if publication is None or not publication.revisions:
            raise DomainError(f"the {cadence} report {period.id} has not been published",
                              field="period", code="not_published")
        texts = [e.report for e in self.events.get(publication.id)
                 if isinstance(e, Publication.Published)]
        return list(zip(publication.revisions, texts, strict=True))

    def _recorded_since(self, period: Period, moment: datetime) -> list[dict[str, Any]]:
        """Events recorded after `moment` that are about the period's days: late entries, and
        corrections of what those days held."""
        found = []
        for project_id in self.project_ids():
            project = self._project(project_id, for_reading=True)
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

    def _publication_record(self, record: dict[str, Any], cadence: str, period: Period
                            ) -> dict[str, Any]:
        result = {"cadence": cadence, "period": period.id, "revision": record["revision"],
                  "actor": record["actor"], "published_at": record["published_at"]}
        result["seal"] = self.seal_of(publication_id(cadence, period.id), record["version"])
        return result

    def publications(self, cadence: str | None = None, period_id: str | None = None
                     ) -> list[dict[str, Any]]:
        """Every publication of every period's report (or of the one period named), most
        recently published first."""
        if cadence is not None and period_id is not None:
            ids: Iterable[UUID] = [publication_id(cadence, self.period(cadence, period_id).id)]
        else:
            ids = self._notified_ids(get_topic(Publication.Opened))
        found = []
        for aggregate_id in ids:
            try:
                publication = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                continue  # that period was never published
            period = self.period(publication.cadence, publication.period_id)
            found += [self._publication_record(record, publication.cadence, period)
                      for record in publication.revisions]
        return sorted(found, key=lambda record: record["published_at"], reverse=True)

    def _notified_ids(self, topic: str) -> Iterator[UUID]:
        """Ids of the aggregates whose events of this topic were recorded, in order."""
        start = 1
        while batch := self.recorder.select_notifications(start, 500, topics=[topic]):
            yield from (notification.originator_id for notification in batch)
            start = batch[-1].id + 1

    def dispatch_trend(self, cadence: str, period_id: str | None = None, count: int = 6
                       ) -> list[dict[str, Any]]:
        """The trend figures of `count` periods of a cadence ending with this one, oldest first."""
        if not 1 <= count <= MAX_TREND_PERIODS:
            raise DomainError(f"a trend covers 1 to {MAX_TREND_PERIODS} periods, not {count}",
                              field="count", code="invalid_count")
        periods = [self.period(cadence, period_id)]
        while len(periods) < count:
            periods.insert(0, periods[0].previous())
        today = self.clock()
        return self._reused(("trend", tuple(periods), today), lambda: dispatch_trend(
            periods, [self._project(i, for_reading=True) for i in self.project_ids()], today,
            calendar=self.calendar()))

"""The catalogues side of the Banban service: each county's industries, parks and responsible
units, which the office keeps (domain.catalogues), and what they held over time.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.access import check_can_serve
from domain.catalogues import KINDS, Catalogues, catalogues_id
from domain.errors import ConcurrentUpdate, NotAllowed


class Cataloguing:
    """The counties' catalogues: read by everyone, kept by each county's office."""

    def catalogues(self, county: str | None = None) -> dict[str, list[str]]:
        """A county's catalogues (the home county's by default): each kind's values."""
        found = self._catalogues(self._catalogue_county(county))
        return {kind: list(found.values[kind]) if found else [] for kind in KINDS}

    def catalogue_history(self, county: str | None = None) -> list[dict[str, Any]]:
        """Every value added to or retired from a county's catalogues: who, when, why."""
        county = self._catalogue_county(county)
        return [{"version": e.originator_version, "type": type(e).__name__, "actor": e.actor,
                 "recorded_at": e.timestamp, "kind": getattr(e, "kind", None),
                 "value": getattr(e, "value", None), "reason": getattr(e, "reason", None)}
                for e in self.events.get(catalogues_id(county))
                if not isinstance(e, Catalogues.Started)]

    def add_to_catalogue(self, actor: str, kind: str, value: Any) -> str:
        """Add a value to a catalogue of the office's own county; the value as recorded."""
        return self._change_catalogue(actor, lambda c: c.add(kind, value, actor=actor))

    def retire_from_catalogue(self, actor: str, kind: str, value: Any, reason: Any) -> str:
        """Offer a value of a catalogue of the office's own county no more; the value."""
        return self._change_catalogue(
            actor, lambda c: c.retire(kind, value, reason, actor=actor))

    def _change_catalogue(self, actor: str, change: Callable[[Catalogues], str]) -> str:
        user = self.user(actor)
        if user["role"] != "office":
            raise NotAllowed("only the office keeps the catalogues")
        check_can_serve(user)
        county = self._catalogue_county(user["scope"])
        try:
            catalogues: Catalogues = self.repository.get(catalogues_id(county))
        except AggregateNotFoundError:
            catalogues = Catalogues.start(county, actor=actor)
        result = change(catalogues)
        try:
            self.save(catalogues)
        except IntegrityError:
            raise ConcurrentUpdate(catalogues.version - 1, None, message=(
                "the catalogues were changed by someone else at the same moment: nothing "
                "was recorded; reload them and retry")) from None
        return result

    def _catalogue_county(self, county: str | None) -> str | None:
        return self.county_named(county if county not in (None, "province") else None)

    def _catalogues(self, county: str | None) -> Catalogues | None:
        try:
            return self._reads.get(catalogues_id(county))
        except AggregateNotFoundError:
            return None

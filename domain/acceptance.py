"""An operator's decision to link events that were written without their link.

The application links every event in the transaction that inserts it (domain.ledger), so an
event without its link was written by something other than the application. Verification
reports such an event and never links it; linking it takes this decision (`flask audit
accept`), recorded as an event like any other: who decided, when (its recorded time), why, and
which events (their place in the log, identity and digest). The accepted events are linked in
the decision's own transaction, just before the decision's link.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate

from domain.errors import DomainError

# What the decision records of each accepted event.
ACCEPTED_FIELDS = ("position", "notification_id", "originator_id", "originator_version", "digest")


class Acceptance(Aggregate):
    """One decision to accept events written outside the application into the chain."""

    class Event(Aggregate.Event):
        actor: str

    class Accepted(Event, Aggregate.Created):
        reason: str
        accepted: list[dict[str, Any]]  # ACCEPTED_FIELDS of each event, in the order linked

    def __init__(self, reason: str, accepted: list[dict[str, Any]]):
        self.reason = reason
        self.accepted = accepted

    @classmethod
    def decide(cls, *, actor: str, reason: str, accepted: list[dict[str, Any]]) -> Acceptance:
        """The decision to link `accepted` (each with ACCEPTED_FIELDS), for a stated reason."""
        if not reason.strip():
            raise DomainError("a reason is required: say why these events belong to the record",
                              field="reason", code="required")
        if not accepted:
            raise DomainError("no event to accept", field="position", code="required")
        named = [{name: event[name] for name in ACCEPTED_FIELDS} for event in accepted]
        return cls._create(cls.Accepted, id=uuid4(), actor=actor, reason=reason.strip(),
                           accepted=named)

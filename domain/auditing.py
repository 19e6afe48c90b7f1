"""The audit side of the Banban service: the recorder that links every event it inserts, the
audit key, the seals of publications, and the decision to accept events written outside it.

A mixin of `Banban` (domain/application.py), kept apart so each reads in one sitting.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, IntegrityError

from domain.acceptance import Acceptance
from domain.chain import audit_key, key_id, publication_label
from domain.errors import DomainError, StoreKeyError
from domain.ledger import LinkedRecorder, linked_recorder
from domain.tables import creating_tables

AUDIT_KEY = "AUDIT_KEY"


class Auditing:
    """Every recorded event linked in its own transaction; the chain read back."""

    recorder: LinkedRecorder

    @property
    def audit_key(self) -> bytes | None:
        """AUDIT_KEY's bytes, or None for a chain of plain SHA-256 links."""
        return self.recorder.audit_key

    def construct_recorder(self) -> ApplicationRecorder:
        """The recorder that links each event in the transaction inserting it (domain.ledger);
        AUDIT_KEY, when set, keys the links."""
        try:
            key = audit_key(self.env.get(AUDIT_KEY))  # type: ignore[attr-defined]
        except ValueError as error:
            raise StoreKeyError(str(error)) from None
        factory = self.factory  # type: ignore[attr-defined]
        with creating_tables(getattr(factory, "datastore", None)):
            return linked_recorder(factory, self.mapper, key)  # type: ignore[attr-defined]

    def _check_chain_key(self) -> None:
        """Refuse to start with an AUDIT_KEY other than the one the chain was made with (or
        none for a keyed chain, or one for a chain that is not keyed): the links made from
        here on would not verify."""
        first = self.recorder.chain_first()
        mine = None if self.audit_key is None else key_id(self.audit_key)
        if first is None or first.key_id == mine:
            return
        if first.key_id is None:
            raise StoreKeyError("AUDIT_KEY is set but this store's hash chain is not keyed: unset "
                                "it, or export the store and import it into a new store started "
                                "with the key")
        if mine is None:
            raise StoreKeyError(f"the hash chain is keyed (key id {first.key_id}): set AUDIT_KEY "
                                "to the key it was made with")
        raise StoreKeyError(f"AUDIT_KEY is not the key this store's hash chain was made with "
                            f"(the chain's key id is {first.key_id}, AUDIT_KEY's {mine})")

    def seal_of(self, publication_id: UUID, version: int) -> dict[str, Any] | None:
        """A publication's seal: the chain's head over the record it was computed from."""
        seal = self.recorder.chain_seal(publication_label(publication_id, version))
        if seal is None:
            return None
        return {"head": seal.head, "code": seal.code, "position": seal.position}

    def accept_unlinked(self, actor: str, reason: str, accepted: list[dict[str, Any]]
                        ) -> dict[str, Any]:
        """Record the decision to link events written without their link (each with at least
        domain.acceptance's ACCEPTED_FIELDS, as verification found them) and link them, in
        one transaction; DomainError if any is no longer as found, or is linked already."""
        decision = Acceptance.decide(actor=actor, reason=reason, accepted=accepted)
        try:
            self.save(decision, accepting=[(event["notification_id"], event["digest"])  # type: ignore[attr-defined]
                                           for event in accepted])
        except IntegrityError as error:
            raise DomainError(f"nothing accepted: {error}", field="position",
                              code="changed_since") from None
        tail = self.recorder.chain_tail()
        return {"id": decision.id, "head": tail.hash if tail else None}

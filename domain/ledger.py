"""The hash chain's links, written in the transaction that inserts the events they link.

The application's recorder (one per store: `ledger_sqlite`, `ledger_postgres`) inserts a
batch of events and, before that transaction commits, reads the chain's last link, links each
new event after it (domain.chain) and inserts the links and the seals that fall. Writers are
already serialised there, by SQLite's write lock or by the lock PostgreSQL's recorder takes on
the events table before inserting, so the last link read is the last there is: every event
the application records is linked exactly once, in the order of the log, or not recorded at
all. An event without its link was therefore written by something other than the
application; verification reports it, and only an operator's recorded decision
(domain.acceptance) links it, in the decision's own transaction (`accepting`).

The links and seals live beside the events (tables `banban_chain` and `banban_chain_seals`):
in the same SQLite file, in the same PostgreSQL schema. They are evidence, never rebuilt.
"""

from __future__ import annotations

import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    IntegrityError,
    Mapper,
    Notification,
    ProgrammingError,
    StoredEvent,
)

from domain.chain import Chain, Link, Seal, StoredFact, id_text

LINKS_TABLE, SEALS_TABLE = "banban_chain", "banban_chain_seals"
LINK_COLUMNS = ("position", "notification_id", "originator_id", "originator_version", "digest",
                "hash", "latest", "key_id")
SEAL_COLUMNS = ("label", "kind", "position", "notification_id", "head", "sealed_at")
LAST_LINK = "SELECT * FROM {links} ORDER BY position DESC LIMIT 1"
# The events an acceptance links before its own: (notification id, digest in hex) of each.
Accepting = Sequence[tuple[int, str]]
# The keyword of what else a write stores in its transaction (domain.snapshotting): the
# snapshot store's recorder and the snapshots, ready to insert.
SNAPSHOTS = "snapshots"


class LinkedRecorder(ABC):
    """What each store's application recorder adds: links made in the insert's transaction,
    the chain read back, and each originator's last version (for a rebuild of the views).

    SQL here names the tables `{links}`, `{seals}` and `{events}` (whose notification id is
    `{id}`) and its parameters `%s`; each store's `_sql` makes it its own.
    """

    datastore: Any

    def __init__(self, mapper: Mapper, key: bytes | None) -> None:
        # The mapper undoes the store's cipher and compressor: digests are over the plaintext.
        self.mapper = mapper
        self.audit_key = key

    @abstractmethod
    def _sql(self, text: str) -> str:
        """`text` with the store's table names and parameter marks."""

    @abstractmethod
    def _event_at(self, cursor: Any, notification_id: int) -> Notification | None:
        """The stored event at a notification id, read in the cursor's transaction."""

    def _link(self, cursor: Any, inserted: Sequence[tuple[int, StoredEvent]],
              accepting: Accepting = (), *, tail: Any = ...) -> None:
        """Link the accepted events, then the inserted ones (by notification id), after the
        chain's last link (`tail`, its row read under the writers' lock: read here if not
        given), inside the transaction that inserted them."""
        if not inserted and not accepting:
            return
        if tail is ...:
            cursor.execute(self._sql(LAST_LINK))
            tail = cursor.fetchone()
        chain = Chain.after(None if tail is None else link_row(tail), self.audit_key)
        facts = [self._accepted(cursor, notification_id, digest)
                 for notification_id, digest in accepting]
        facts += [stored_fact(self.mapper, event, notification_id)
                  for notification_id, event in sorted(inserted, key=lambda pair: pair[0])]
        links, seals = [], []
        for fact in facts:
            link, fallen = chain.link(fact)
            links.append(tuple(getattr(link, c) for c in LINK_COLUMNS))
            seals += [tuple(getattr(seal, c) for c in SEAL_COLUMNS) for seal in fallen]
        cursor.executemany(self._insert(LINKS_TABLE, LINK_COLUMNS), links)
        if seals:
            cursor.executemany(self._insert(SEALS_TABLE, SEAL_COLUMNS), seals)

    def _snapshots(self, kwargs: dict[str, Any]) -> tuple[Any, Sequence[StoredEvent]] | None:
        """The snapshot recorder and the snapshots a write stores with its events, if any;
        the recorder must write to this store (one transaction)."""
        snapshots = kwargs.get(SNAPSHOTS)
        if not snapshots:
            return None
        recorder, stored = snapshots
        if recorder.datastore is not self.datastore:
            raise ProgrammingError("snapshots are inserted in the events' transaction: their "
                                   "recorder must write to the same store")
        return recorder, stored

    def _accepted(self, cursor: Any, notification_id: int, digest: str) -> StoredFact:
        """An accepted event as it stands now: it must still be the one decided on, unlinked."""
        stored = self._event_at(cursor, notification_id)
        fact = None if stored is None else stored_fact(self.mapper, stored, notification_id)
        if fact is None or fact.digest.hex() != digest:
            raise IntegrityError(f"the event at notification {notification_id} is no longer "
                                 "the one accepted")
        cursor.execute(self._sql("SELECT position FROM {links} WHERE notification_id = %s"),
                       (notification_id,))
        if cursor.fetchone() is not None:
            raise IntegrityError(f"the event at notification {notification_id} is linked "
                                 "already")
        return fact

    def _insert(self, table: str, columns: tuple[str, ...]) -> str:
        name = "{links}" if table == LINKS_TABLE else "{seals}"
        return self._sql(f"INSERT INTO {name} ({', '.join(columns)}) "
                         f"VALUES ({', '.join(['%s'] * len(columns))})")

    # ---- reading the chain ---------------------------------------------------------------

    def _rows(self, sql: str, params: tuple = ()) -> list[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(sql), params)
            return cursor.fetchall()

    def chain_tail(self) -> Link | None:
        """The last link, or None for an empty chain."""
        rows = self._rows(LAST_LINK)
        return link_row(rows[0]) if rows else None

    def chain_first(self) -> Link | None:
        """The first link (it says whether the chain is keyed), or None for an empty chain."""
        rows = self._rows("SELECT * FROM {links} ORDER BY position LIMIT 1")
        return link_row(rows[0]) if rows else None

    def chain_links(self, after: int = 0, limit: int = 1000) -> list[Link]:
        """Up to `limit` links after a position, in order."""
        return [link_row(row) for row in self._rows(
            "SELECT * FROM {links} WHERE position > %s ORDER BY position LIMIT %s",
            (after, limit))]

    def all_links(self, upto: int | None = None, batch: int = 1000) -> Iterator[Link]:
        """Every link (up to a position), in order, read a batch at a time."""
        after = 0
        while page := self.chain_links(after, batch):
            for link in page:
                if upto is not None and link.position > upto:
                    return
                yield link
            after = page[-1].position

    def chain_extent(self) -> tuple[int, int]:
        """The log's last notification id and the chain's last position, as one snapshot.

        Read in one statement: every event up to that id has its link among those positions
        (they were committed together), so a reader that stops at both sees no event of a
        write whose link it missed."""
        row = self._rows("SELECT (SELECT MAX({id}) FROM {events}) AS last_id, "
                         "(SELECT MAX(position) FROM {links}) AS last_position")[0]
        return row["last_id"] or 0, row["last_position"] or 0

    def chain_seals(self) -> list[Seal]:
        """Every seal, in the order they fell."""
        return [seal_row(row) for row in self._rows(
            "SELECT * FROM {seals} ORDER BY position, label")]

    def chain_seal(self, label: str) -> Seal | None:
        """One seal by its label, or None."""
        rows = self._rows("SELECT * FROM {seals} WHERE label = %s", (label,))
        return seal_row(rows[0]) if rows else None

    # ---- reading the log ------------------------------------------------------------------

    def last_versions(self, topics: Sequence[str], stop: int) -> tuple[dict[UUID, int], int]:
        """Up to notification `stop`, the last version of each originator of events of these
        topics (in the order of its first such event), and how many such events there are.

        One statement that hands back a row per originator: reading every notification for
        it (making a UUID of each) took a quarter of a county's rebuild (bench/RESULTS.md)."""
        marks = ", ".join(["%s"] * len(topics))
        rows = self._rows(
            "SELECT originator_id, MAX(originator_version) AS version, COUNT(*) AS events "
            f"FROM {{events}} WHERE {{id}} <= %s AND topic IN ({marks}) "
            "GROUP BY originator_id ORDER BY MIN({id})", (stop, *topics))
        latest = {_uuid(row["originator_id"]): row["version"] for row in rows}
        return latest, sum(row["events"] for row in rows)


def _uuid(value: Any) -> UUID:
    """An originator id as read: a UUID from PostgreSQL, text from SQLite."""
    return value if isinstance(value, UUID) else UUID(value)


def linked_recorder(factory: InfrastructureFactory, mapper: Mapper, key: bytes | None
                    ) -> ApplicationRecorder:
    """The application recorder for the factory's store (SQLite or PostgreSQL), its tables
    created when the environment says so (the library's CREATE_TABLE)."""
    kind = type(getattr(factory, "datastore", None)).__name__
    recorder: Any
    if kind == "SQLiteDatastore":
        from domain.ledger_sqlite import LinkedSQLiteRecorder

        recorder = LinkedSQLiteRecorder(factory.datastore, mapper=mapper, key=key)
    elif kind == "PostgresDatastore":
        from domain.ledger_postgres import LinkedPostgresRecorder

        # The library's own table name for an application's events.
        recorder = LinkedPostgresRecorder(factory.datastore, mapper=mapper, key=key,
                                          events_table_name=f"{factory.env.name.lower()}_events")
    else:
        raise ValueError("the hash chain needs a SQLite or PostgreSQL store "
                         "(PERSISTENCE_MODULE eventsourcing.sqlite or eventsourcing.postgres)")
    if factory.env_create_table():
        recorder.create_table()
    return recorder


def stored_fact(mapper: Mapper, stored: StoredEvent, notification_id: int) -> StoredFact:
    """A stored event as the chain sees it: its state with the cipher and compressor undone."""
    state: bytes | None = stored.state
    try:
        if mapper.cipher:
            state = mapper.cipher.decrypt(state)
        if mapper.compressor:
            state = mapper.compressor.decompress(state)
    except (ValueError, zlib.error):
        state = None
    return StoredFact(notification_id=notification_id, originator_id=id_text(stored.originator_id),
                      originator_version=stored.originator_version, topic=stored.topic,
                      state=state, raw=stored.state)


def to_stored(mapper: Mapper, fact: StoredFact, originator_id: Any) -> StoredEvent:
    """A plaintext event ready for this store: compressed and encrypted as the mapper does."""
    state = fact.state
    if mapper.compressor:
        state = mapper.compressor.compress(state)
    if mapper.cipher:
        state = mapper.cipher.encrypt(state)
    return StoredEvent(originator_id=originator_id, originator_version=fact.originator_version,
                       topic=fact.topic, state=state)


def link_row(row: Any) -> Link:
    """A Link from a table row (either store)."""
    return Link(position=row["position"], notification_id=row["notification_id"],
                originator_id=str(row["originator_id"]),
                originator_version=row["originator_version"], digest=row["digest"],
                hash=row["hash"], latest=row["latest"], key_id=row["key_id"])


def seal_row(row: Any) -> Seal:
    """A Seal from a table row (either store)."""
    return Seal(label=row["label"], kind=row["kind"], position=row["position"],
                notification_id=row["notification_id"], head=row["head"],
                sealed_at=row["sealed_at"])

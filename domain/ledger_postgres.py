"""The PostgreSQL application recorder that links the events it inserts (domain.ledger).

The links live in the events' schema (where earlier releases kept them too: only the column
naming the key is added to an existing table). The insert's transaction is this recorder's own
(`insert_events`): it takes the library's lock on the events table, reads the chain's tail
under it, inserts the batch and links it, so the tail is read under the same lock that orders
the notification ids. A lone event is linked by the database itself, in the statement that
inserts it (one round trip under the lock); anything else is linked here (two).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import Any

import psycopg
from eventsourcing.persistence import (
    InterfaceError,
    Mapper,
    Notification,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.utils import retry

from domain.chain import PUBLISHED_TOPIC, link_pieces
from domain.ledger import LAST_LINK, LINKS_TABLE, SEALS_TABLE, LinkedRecorder, stored_fact
from domain.periods import SHANGHAI, business_date
from domain.user_watch import MAX_PAYLOAD, USERS_PAYLOAD
from domain.users import USER_TOPICS

USER_TOPIC_SET = frozenset(USER_TOPICS)
# What a write's one statement says when the application must link its event instead.
OTHER_WAY = "banban: the first event of a business day or of the chain is linked by the app"
# A write's one event inserted and linked in one statement (`_one_round_trip`), its hash
# finished by the database from the chain's last link, read under the lock. A period's seal may
# fall only before the business day's first event: a tail recorded before the day began sends
# the write the other way, as does an empty chain (no t), by failing the statement with
# OTHER_WAY in its message (the server's log says it once a day). The latest recorded time is
# the later of the tail's and this one's.
LINKED_INSERT = (
    "WITH ins AS ({insert}) INSERT INTO {links} (position, notification_id, "
    "originator_id, originator_version, digest, hash, latest, key_id) "
    "SELECT CASE WHEN t.position IS NOT NULL AND (t.latest IS NULL OR "
    "t.latest::timestamptz >= %s) THEN t.position + 1 ELSE (COALESCE(t.latest, '') || "
    f"' {OTHER_WAY}')::bigint END, ins.notification_id, "
    "%s, %s, %s, encode(sha256(%s || decode(t.hash, 'hex') || %s), 'hex'), "
    "CASE WHEN t.latest IS NULL OR t.latest::timestamptz < %s THEN %s "
    "ELSE t.latest END, NULL FROM ins LEFT JOIN (SELECT position, hash, latest "
    "FROM {links} ORDER BY position DESC LIMIT 1) t ON true RETURNING notification_id")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class LinkedPostgresRecorder(LinkedRecorder, PostgresApplicationRecorder):
    """Events, their links and seals in one PostgreSQL schema, written in one transaction."""

    def __init__(self, datastore: PostgresDatastore, *, mapper: Mapper, key: bytes | None,
                 events_table_name: str):
        if datastore.enable_db_functions:
            # That path inserts through a database function, with no step to link in.
            raise ProgrammingError("POSTGRES_ENABLE_DB_FUNCTIONS cannot be used: events are "
                                   "linked in the transaction that inserts them")
        PostgresApplicationRecorder.__init__(self, datastore, events_table_name=events_table_name)
        LinkedRecorder.__init__(self, mapper, key)
        schema = _quoted(self.datastore.schema)
        self.tables = {"links": f"{schema}.{_quoted(LINKS_TABLE)}",
                       "seals": f"{schema}.{_quoted(SEALS_TABLE)}",
                       "events": f"{schema}.{_quoted(self.events_table_name)}"}
        self._linked_insert = LINKED_INSERT.format(
            insert=self.insert_events_statement.as_string(None), **self.tables)

    def _create_table(self, curs: Any) -> None:
        super()._create_table(curs)
        links, seals = self.tables["links"], self.tables["seals"]
        curs.execute(f"CREATE TABLE IF NOT EXISTS {links} (position bigint PRIMARY KEY, "
                     "notification_id bigint NOT NULL, originator_id text NOT NULL, "
                     "originator_version bigint NOT NULL, digest text NOT NULL, "
                     "hash text NOT NULL, latest text, key_id text)")
        curs.execute(f"CREATE TABLE IF NOT EXISTS {seals} (label text PRIMARY KEY, "
                     "kind text NOT NULL, position bigint NOT NULL, notification_id bigint, "
                     "head text NOT NULL, sealed_at text)")
        # A chain made by an earlier release has no key column (ALTER only then: it would
        # otherwise lock the table against writers at every start).
        curs.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                     "AND table_name = %s AND column_name = 'key_id'",
                     (self.datastore.schema, LINKS_TABLE))
        if curs.fetchone() is None:
            curs.execute(f"ALTER TABLE {links} ADD COLUMN key_id text")

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        """Insert the events, their links and the write's snapshots in one transaction.

        A secretary's write (one event, no seal falling before it, an unkeyed chain) is one
        round trip: [BEGIN, snapshots, lock, NOTIFY, the event inserted and linked in one
        statement, COMMIT], the database finishing the link's hash from the chain's last link
        it reads under the lock (`_one_round_trip`). Anything else, and that one if the
        statement finds a seal would fall (the day's first event) or no chain yet, takes two: [BEGIN, snapshots, lock,
        NOTIFY, the chain's last link, the events] and, once the new ids and the last link are
        known, [links and seals, COMMIT].

        The library's insert took four: psycopg's transaction block inside a pipeline syncs
        as it enters, before its COMMIT and after it, and the chain's tail was read after the
        new ids; three of them under the lock that serialises every writer. BEGIN and COMMIT
        are therefore sent as statements of the pipeline (the pool's connections are in
        autocommit mode), and a failure rolls back before the connection goes back."""
        if not stored_events:
            return None
        one = self._linked_in_sql(stored_events, kwargs)
        with self.datastore.get_connection() as conn:
            if one is not None:
                ids = self._in_transaction(conn, lambda pipeline, cursors: self._one_round_trip(
                    pipeline, cursors, stored_events, one), stored_events, kwargs, fallible=True)
                if ids is not None:
                    return ids
            return self._in_transaction(conn, lambda pipeline, cursors: self._two_round_trips(
                pipeline, cursors, stored_events, kwargs), stored_events, kwargs)

    def _in_transaction(self, conn: Any, body: Callable[[Any, Any], Sequence[int]],
                        stored_events: Sequence[StoredEvent], kwargs: dict[str, Any],
                        fallible: bool = False) -> Sequence[int] | None:
        """[BEGIN, snapshots, lock, NOTIFY] then `body` (which commits), in one pipeline;
        rolled back on any failure, which is raised, except (`fallible`) the statement's own
        refusal to link in SQL: None then, for the caller to write it the other way."""
        ids: Sequence[int] | None = None
        failed: BaseException | None = None
        try:
            with conn.pipeline() as pipeline:
                cursors = conn.cursor(), conn.cursor()  # one result each
                try:
                    cursors[0].execute("BEGIN")
                    if snapshots := self._snapshots(kwargs):
                        recorder, stored = snapshots
                        recorder._insert_stored_events(cursors[0], stored)
                    self._lock_table(cursors[0])
                    self._notify_users(cursors[0], stored_events)
                    ids = body(pipeline, cursors)
                except BaseException as error:  # raised after the pipeline, as the
                    failed = error              # library does (psycopg warns otherwise)
        except BaseException as error:  # the COMMIT's own failure
            failed = failed or error
        if failed is not None:
            conn.rollback()
            if fallible and isinstance(failed, psycopg.errors.InvalidTextRepresentation) \
                    and OTHER_WAY in str(failed):
                return None
            raise failed
        return ids

    def _two_round_trips(self, pipeline: Any, cursors: Any, stored_events: Sequence[StoredEvent],
                         kwargs: dict[str, Any]) -> Sequence[int]:
        inserting, reading = cursors
        reading.execute(self._sql(LAST_LINK))  # under the lock
        PostgresAggregateRecorder._insert_stored_events(self, inserting, stored_events)
        # A lost race for a version is an IntegrityError here.
        pipeline.sync()
        ids = self._fetch_ids_after_insert_events(inserting, stored_events)
        self._link(inserting, list(zip(ids or [], stored_events, strict=True)),
                   kwargs.get("accepting", ()), tail=reading.fetchone())
        inserting.execute("COMMIT")
        return ids

    def _linked_in_sql(self, stored_events: Sequence[StoredEvent], kwargs: dict[str, Any]
                       ) -> list[Any] | None:
        """The parameters of LINKED_INSERT after the event's for a write's one event, or None if the write is not one the database can link: several events,
        an acceptance, a publication (its seal falls before it), no recorded time, a keyed
        chain (its key stays with the application)."""
        if len(stored_events) != 1 or kwargs.get("accepting") or self.audit_key is not None:
            return None
        fact = stored_fact(self.mapper, stored_events[0], 0)
        recorded = fact.recorded_at
        if recorded is None or fact.topic == PUBLISHED_TOPIC:
            return None
        day = datetime.combine(business_date(recorded), time(), SHANGHAI)
        return [day, fact.originator_id, fact.originator_version, fact.digest.hex(),
                *link_pieces(fact.digest), recorded, recorded.isoformat()]

    def _one_round_trip(self, pipeline: Any, cursors: Any, stored_events: Sequence[StoredEvent],
                        params: list[Any]) -> Sequence[int]:
        committing, linking = cursors
        event = stored_events[0]
        pg_event = self.construct_pg_stored_event(event.originator_id, event.originator_version,
                                                  event.topic, event.state)
        linking.execute(self._linked_insert, ([pg_event], *params))
        committing.execute("COMMIT")
        pipeline.sync()  # a lost race for a version: IntegrityError
        return [row["notification_id"] for row in linking.fetchall()]

    def _notify_users(self, cursor: Any, stored_events: Sequence[StoredEvent]) -> None:
        """The library's notification of new events, saying which users they are about:
        workers keeping users between requests forget just those (domain.user_watch)."""
        users = {str(event.originator_id) for event in stored_events
                 if event.topic in USER_TOPIC_SET}
        payload = USERS_PAYLOAD + " ".join(sorted(users))
        if len(payload) > MAX_PAYLOAD:
            payload = USERS_PAYLOAD + "*"
        cursor.execute("SELECT pg_notify(%s, %s)", (self.channel_name, payload))

    def _sql(self, text: str) -> str:
        return text.format(id="notification_id", **self.tables)

    def _event_at(self, cursor: Any, notification_id: int) -> Notification | None:
        cursor.execute(f"SELECT * FROM {self.tables['events']} WHERE notification_id = %s",
                       (notification_id,))
        row = cursor.fetchone()
        if row is None:
            return None
        return Notification(id=row["notification_id"], originator_id=row["originator_id"],
                            originator_version=row["originator_version"], topic=row["topic"],
                            state=bytes(row["state"]))

"""The PostgreSQL application recorder that links the events it inserts (domain.ledger).

The links live in the events' schema (where earlier releases kept them too: only the column
naming the key is added to an existing table). The insert's transaction is this recorder's own
(`insert_events`): it takes the library's lock on the events table, reads the chain's tail
under it, inserts the batch and links it, so the tail is read under the same lock that orders
the notification ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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

from domain.ledger import LAST_LINK, LINKS_TABLE, SEALS_TABLE, LinkedRecorder
from domain.user_watch import MAX_PAYLOAD, USERS_PAYLOAD
from domain.users import USER_TOPICS

USER_TOPIC_SET = frozenset(USER_TOPICS)


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
        """Insert the events, their links and the write's snapshots in one transaction of two
        round trips: [BEGIN, snapshots, lock, the chain's last link, the events] and, once the
        new ids and the last link are known, [links and seals, COMMIT].

        The library's insert took four: psycopg's transaction block inside a pipeline syncs
        as it enters, before its COMMIT and after it, and the chain's tail was read after the
        new ids; three of them under the lock that serialises every writer. BEGIN and COMMIT
        are therefore sent as statements of the pipeline (the pool's connections are in
        autocommit mode), and a failure rolls back before the connection goes back."""
        if not stored_events:
            return None
        ids: Sequence[int] | None = None
        failed: BaseException | None = None
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline() as pipeline:
                    inserting, reading = conn.cursor(), conn.cursor()  # one result each
                    try:
                        inserting.execute("BEGIN")
                        if snapshots := self._snapshots(kwargs):
                            recorder, stored = snapshots
                            recorder._insert_stored_events(inserting, stored)
                        self._lock_table(inserting)
                        self._notify_users(inserting, stored_events)
                        reading.execute(self._sql(LAST_LINK))  # under the lock
                        PostgresAggregateRecorder._insert_stored_events(self, inserting,
                                                                        stored_events)
                        # A lost race for a version is an IntegrityError here.
                        pipeline.sync()
                        ids = self._fetch_ids_after_insert_events(inserting, stored_events)
                        self._link(inserting, list(zip(ids or [], stored_events, strict=True)),
                                   kwargs.get("accepting", ()), tail=reading.fetchone())
                        inserting.execute("COMMIT")
                    except BaseException as error:  # raised after the pipeline, as the
                        failed = error              # library does (psycopg warns otherwise)
            except BaseException as error:  # the COMMIT's own failure
                failed = failed or error
            if failed is not None:
                conn.rollback()
                raise failed
        return ids

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

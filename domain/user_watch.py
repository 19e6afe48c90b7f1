"""Users a worker keeps between requests, told of their changes by the store.

Every API request checks its bearer token against the user's recorded token digests, and
whether the user is disabled. Read from the store each time, that is a query per request (the
user brought up to date with the events recorded since). On PostgreSQL the store says when
anything is recorded: every insert NOTIFYs the events table's channel. A worker that LISTENs
on it reads, after each notification, which users the new events are about (one query over the
new notifications only) and forgets those: every other user it keeps is known to be current,
and a request checks a token with no query at all.

The notifications of this app's own writes say which users they are about (`USERS_PAYLOAD`
and the users' ids, written by domain.ledger_postgres), so that under a load of writes the
watch reads nothing: it forgets the users named. Any other notification (a writer that does not
say) makes it read the new notifications' user events from the store.

The kept users are trusted only while the listener is connected and has read everything up to a
position taken after it started listening; if its connection drops, everything kept is
forgotten and requests read the store again until it is back. Every few seconds it also reads
the log's user events whatever it was told, and checks that its connection answers (with TCP
keepalives, a connection to a host gone silent is given up within a minute). A change is seen
by every worker as soon as its listener has read the notification (milliseconds), and by the
worker that saved it at once (`forget`). On SQLite there is no channel: requests read the
store, which is a local file read there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

log = logging.getLogger(__name__)

# A notification's payload from this app's recorder: this prefix, then the ids of the users
# the write's events are about, separated by spaces ("*": too many to name, forget them all).
USERS_PAYLOAD = "banban-users:"
MAX_PAYLOAD = 7_900  # PostgreSQL's limit is 8,000 bytes
# How often the listener reads the log's user events whatever it was told, and checks that
# its connection still answers (seconds); and how long it waits for a notification at a time,
# so that closing never waits longer.
IDLE = 5.0
TICK = 0.25
# How long after a lost connection it tries again (seconds).
RETRY = 1.0


def user_events_since(recorder: Any, topics: list[str], position: int
                      ) -> tuple[list[UUID], int]:
    """The users that events recorded after `position` are about, in the order of their
    first such event, and the log's position now (taken first, so that nothing recorded
    meanwhile is passed over: it is read next time). Only the new notifications are read,
    however long ago the last user event was. A log that ends before `position` (the store
    was replaced) is read from its start, and the position returned is below the one given:
    the caller starts again."""
    last = recorder.max_notification_id() or 0
    if last < position:
        position = 0
    changed: dict[UUID, None] = {}
    start = position + 1
    while start <= last:
        batch = recorder.select_notifications(start, 500, stop=last, topics=topics)
        changed.update(dict.fromkeys(notification.originator_id for notification in batch))
        if len(batch) < 500:
            break
        start = batch[-1].id + 1
    return list(changed), last


class UserWatch:
    """Users kept by id while the store's notifications say they have not changed."""

    def __init__(self, recorder: Any, topics: list[str], connect: Callable[[], Any],
                 channel: str) -> None:
        self._recorder, self._topics = recorder, topics
        self._connect, self._channel = connect, channel
        self._kept: dict[UUID, Any] = {}
        self._position = 0
        self._reads = 0  # how many times the log was read: a user loaded across one is not kept
        self._live = False
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="user-watch", daemon=True)
        self._thread.start()

    @property
    def live(self) -> bool:
        return self._live

    def get(self, user_id: UUID, load: Callable[[], Any]) -> Any:
        """The user kept, or `load()` (kept if no change may have been missed meanwhile)."""
        with self._lock:
            if not self._live:
                return load()
            found = self._kept.get(user_id)
            reads = self._reads
        if found is not None:
            return found
        user = load()
        with self._lock:
            if self._live and self._reads == reads:
                self._kept[user_id] = user
        return user

    def forget(self, user_ids: Iterable[UUID]) -> None:
        """Drop these users (this process saved them: it need not wait to be told), and keep
        none being loaded meanwhile (it may have been read before the save)."""
        with self._lock:
            for user_id in user_ids:
                self._kept.pop(user_id, None)
            self._reads += 1

    def close(self) -> None:
        """Stop watching. Called from the watch's own thread (the application garbage
        collected there, its store gone), it only asks the thread to stop: a thread cannot
        wait for itself."""
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=IDLE)

    def _read(self) -> None:
        """Forget the users that events recorded since the last read are about (all of them
        if the log is shorter than it was: the store was replaced)."""
        changed, position = user_events_since(self._recorder, self._topics, self._position)
        with self._lock:
            if position < self._position:
                self._kept.clear()
            for user_id in changed:
                self._kept.pop(user_id, None)
            self._position = position
            self._reads += 1

    def _told(self, payloads: Iterable[str]) -> None:
        """Forget the users the notifications name."""
        named = [payload.split() for payload in payloads]
        if not any(named):
            return  # writes of projects only: every user kept still stands
        with self._lock:
            for ids in named:
                if ids == ["*"]:
                    self._kept.clear()
                else:
                    for user_id in ids:
                        self._kept.pop(UUID(user_id), None)
            self._reads += 1  # and a user being loaded meanwhile is not kept

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                with self._connect() as connection:
                    connection.execute(f'LISTEN "{self._channel}"')
                    # Listening first, then reading: nothing recorded from here on is missed.
                    position = self._recorder.max_notification_id() or 0
                    with self._lock:
                        self._kept.clear()
                        self._position = position
                        self._reads += 1
                        self._live = True
                    self._follow(connection)
            except Exception as error:  # the connection lost, or the store unreachable
                log.warning("user watch: %r; reading users from the store until back", error)
            with self._lock:
                self._live = False
                self._kept.clear()
            self._stopping.wait(RETRY)

    def _follow(self, connection: Any) -> None:
        """Take in notifications until closing; every IDLE seconds, read the log anyway (a
        writer that notifies no one) and ask the connection for an answer (one that died
        without a word raises here, and nothing kept is trusted from then on)."""
        read_at = time.monotonic()
        while not self._stopping.is_set():
            told = list(connection.notifies(timeout=TICK, stop_after=1))
            if told and all(n.payload.startswith(USERS_PAYLOAD) for n in told):
                self._told(n.payload[len(USERS_PAYLOAD):] for n in told)
            elif told or time.monotonic() - read_at >= IDLE:
                if not told:
                    connection.execute("SELECT 1")
                self._read()
                read_at = time.monotonic()


def postgres_user_watch(recorder: Any, datastore: Any, topics: list[str]) -> UserWatch:
    """A watch listening on the PostgreSQL store's events channel, on a connection of its
    own (one per worker, beside its pool)."""
    import psycopg

    settings = {key: value for key, value in datastore.pool.kwargs.items()
                if key != "row_factory"}
    # A connection that dies without a word (a host gone) is noticed within a minute.
    settings |= {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                 "keepalives_count": 3}

    def connect() -> Any:
        return psycopg.connect(autocommit=True, **settings)

    return UserWatch(recorder, topics, connect, recorder.channel_name)

"""What keeping notification ids in commit order costs on PostgreSQL, and the alternatives.

    .venv/bin/python -m bench.pg_ordering [--writers 2,16] [--seconds 5] [--rounds 3]

Every write of the application inserts its events and links them into the hash chain after
the chain's last link, in one transaction (domain/ledger.py). The chain is one sequence, so
writers are serialised whatever keeps the notification ids in order; what differs is what
serialises them and how long each holds it. Each strategy below runs that transaction (one
event of about 200 bytes, its link) from N processes at once for a few seconds, against the
same tables, and prints transactions per second and p50/p99 latency:

- `unordered`: no lock, no chain tail read (ids may commit out of order: the cost floor, not
  an option);
- `table lock, 3 round trips`: eventsourcing's insert (LOCK TABLE ... IN EXCLUSIVE MODE,
  NOTIFY, INSERT) then the chain's tail read, then the link with the COMMIT (what the
  application did before issue 14);
- `table lock, 2 round trips`: the tail read in the same batch as the lock and the insert;
  then the link with the COMMIT; `+ NOTIFY` with the library's NOTIFY kept;
- `advisory lock, 2 round trips`: pg_advisory_xact_lock instead of the table lock;
- `head row lock, 2 round trips`: SELECT ... FOR UPDATE of a one-row table naming the chain's
  head (the tail read is the lock), moved with the link.

The results and the choice are in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import statistics
import time
import uuid
from typing import Any

from bench.timing import percentile

STATE = ("{\"actor\":\"office000\",\"occurred_on\":\"2026-11-26\",\"purpose\":\"基准测试走访\","
         "\"timestamp\":\"2026-11-26T08:00:00.000000+00:00\",\"met_with\":null,"
         "\"note\":null}").encode()
TAIL = "SELECT position, hash FROM {s}.chain ORDER BY position DESC LIMIT 1"
# Locking the last link itself would not do: a writer waiting on it gets the same row back
# when the lock is released, not the new last link. So a row that names the chain's head.
HEAD_FOR_UPDATE = "SELECT position, hash FROM {s}.head FOR UPDATE"
MOVE_HEAD = "UPDATE {s}.head SET position = %s, hash = %s"
INSERT = ("INSERT INTO {s}.events (originator_id, originator_version, topic, state) "
          "VALUES (%s, %s, 'domain.project:Project.VisitLogged', %s) RETURNING notification_id")
LINK = ("INSERT INTO {s}.chain (position, notification_id, originator_id, originator_version, "
        "digest, hash) VALUES (%s, %s, %s, %s, %s, %s)")


def dsn() -> str:
    from tests.conftest import PG

    return (f"host={PG['POSTGRES_HOST']} port={PG['POSTGRES_PORT']} user={PG['POSTGRES_USER']} "
            f"password={PG['POSTGRES_PASSWORD']} dbname={PG['POSTGRES_DBNAME']}")


def prepare(schema: str) -> None:
    import psycopg

    with psycopg.connect(dsn(), autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
        connection.execute(f"CREATE TABLE {schema}.events (originator_id uuid NOT NULL, "
                           "originator_version bigint NOT NULL, topic text, state bytea, "
                           "notification_id bigserial, PRIMARY KEY (originator_id, "
                           "originator_version))")
        connection.execute(f"CREATE UNIQUE INDEX ON {schema}.events (notification_id)")
        connection.execute(f"CREATE TABLE {schema}.chain (position bigint PRIMARY KEY, "
                           "notification_id bigint NOT NULL, originator_id text NOT NULL, "
                           "originator_version bigint NOT NULL, digest text NOT NULL, "
                           "hash text NOT NULL)")
        connection.execute(f"INSERT INTO {schema}.chain VALUES (0, 0, '', 0, '', %s)",
                           ("0" * 64,))
        connection.execute(f"CREATE TABLE {schema}.head (position bigint, hash text)")
        connection.execute(f"INSERT INTO {schema}.head VALUES (0, %s)", ("0" * 64,))


def drop(schema: str) -> None:
    import psycopg

    with psycopg.connect(dsn(), autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


def link(tail: dict, notification_id: int, originator: uuid.UUID, version: int) -> tuple:
    digest = hashlib.sha256(originator.bytes + version.to_bytes(8, "big") + STATE).hexdigest()
    chained = hashlib.sha256(bytes.fromhex(tail["hash"]) + bytes.fromhex(digest)).hexdigest()
    return (tail["position"] + 1, notification_id, str(originator), version, digest, chained)


def write(connection: Any, s: str, strategy: str, originator: uuid.UUID, version: int) -> None:
    """One event and its link, in one transaction, the strategy's way."""
    sql = {name: text.format(s=s) for name, text in
           (("tail", TAIL), ("head", HEAD_FOR_UPDATE), ("move_head", MOVE_HEAD),
            ("insert", INSERT), ("link", LINK))}
    event = (originator, version, STATE)
    with connection.pipeline() as pipeline, connection.transaction():
        inserting, reading = connection.cursor(), connection.cursor()
        if strategy == "table lock, 3 round trips":
            inserting.execute(f"LOCK TABLE {s}.events IN EXCLUSIVE MODE")
            inserting.execute(f"NOTIFY {s}_events")
            inserting.execute(sql["insert"], event)
            pipeline.sync()
            reading.execute(sql["tail"])
        else:
            if strategy.startswith("table lock"):
                inserting.execute(f"LOCK TABLE {s}.events IN EXCLUSIVE MODE")
                if strategy.endswith("NOTIFY"):
                    inserting.execute(f"NOTIFY {s}_events")
            elif strategy == "advisory lock, 2 round trips":
                inserting.execute("SELECT pg_advisory_xact_lock(14)")
            elif strategy not in ("unordered", "head row lock, 2 round trips"):
                raise ValueError(strategy)
            reading.execute(sql["head" if strategy.startswith("head row") else "tail"])
            inserting.execute(sql["insert"], event)
        pipeline.sync()
        notification_id = inserting.fetchone()["notification_id"]
        tail = reading.fetchone()
        if strategy == "unordered":
            tail = {"position": notification_id, "hash": tail["hash"]}  # no real chain
        linked = link(tail, notification_id, originator, version)
        connection.cursor().execute(sql["link"], linked)
        if strategy.startswith("head row"):
            connection.cursor().execute(sql["move_head"], (linked[0], linked[-1]))


def writer(args: tuple[str, str, float, int]) -> list[float]:
    """Write for `seconds` after a common start; the latency of each write, in ms."""
    import psycopg
    from psycopg.rows import dict_row

    schema, strategy, start, seconds = args
    latencies = []
    originator, version = uuid.uuid4(), 0
    with psycopg.connect(dsn(), autocommit=True, row_factory=dict_row) as connection:
        time.sleep(max(0.0, start - time.time()))
        while time.time() < start + seconds:
            version += 1
            began = time.perf_counter()
            write(connection, schema, strategy, originator, version)
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies


STRATEGIES = ("unordered", "table lock, 3 round trips", "table lock, 2 round trips + NOTIFY",
              "table lock, 2 round trips", "advisory lock, 2 round trips",
              "head row lock, 2 round trips")


def measure(strategy: str, writers: int, seconds: float) -> tuple[float, float, float]:
    """(transactions/s, p50 ms, p99 ms) of `writers` processes writing the strategy's way."""
    schema = f"bench_order_{uuid.uuid4().hex[:8]}"
    prepare(schema)
    try:
        start = time.time() + 1.0
        with multiprocessing.Pool(writers) as pool:
            runs = pool.map(writer, [(schema, strategy, start, seconds)] * writers)
        check_order(schema, strategy)
    finally:
        drop(schema)
    latencies = [ms for run in runs for ms in run]
    return len(latencies) / seconds, statistics.median(latencies), percentile(latencies, 99)


def check_order(schema: str, strategy: str) -> None:
    """Every ordered strategy must link the events in notification id order, once each."""
    import psycopg

    if strategy == "unordered":
        return
    with psycopg.connect(dsn()) as connection:
        links = [row[0] for row in connection.execute(
            f"SELECT notification_id FROM {schema}.chain WHERE position > 0 ORDER BY position")]
    if links != sorted(links):
        raise AssertionError(f"{strategy}: links out of notification id order")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", default="2,16")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"PostgreSQL write ordering, {os.cpu_count()} cores; {args.rounds} rounds of "
          f"{args.seconds:g} s each (strategies interleaved)", flush=True)
    for writers in (int(n) for n in args.writers.split(",")):
        results: dict[str, list[tuple[float, float, float]]] = {s: [] for s in STRATEGIES}
        for _ in range(args.rounds):
            for strategy in STRATEGIES:
                results[strategy].append(measure(strategy, writers, args.seconds))
        for strategy, runs in results.items():
            rates = [rate for rate, _, _ in runs]
            print(f"{writers:>2} writers, {strategy:<36} {statistics.median(rates):6.0f} tx/s "
                  f"({min(rates):.0f}-{max(rates):.0f}); p50 "
                  f"{statistics.median(r[1] for r in runs):5.2f} ms, p99 "
                  f"{statistics.median(r[2] for r in runs):5.2f} ms", flush=True)


if __name__ == "__main__":
    main()

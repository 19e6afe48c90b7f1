"""The benchmark suite: every figure at county scale, and at province scale when asked.

    make bench        # county scale (and the smaller scripts): under 5 minutes once generated
    make bench-full   # county, then province scale (generating the province store the first
                      # time takes about half an hour; it is kept in bench/data/)
    .venv/bin/python -m bench.run county [province] [--only dispatch,rebuild,...]

Each figure prints one line (bench.timing.Figure): its value, the baseline measured in the same
run where it has one, the ratio, the target and ok or MISS. The stores come from
bench/generate.py (seeded, kept in bench/data/ between runs); sections that write work on a
copy, so the kept store stays as generated. PostgreSQL figures use the server the tests use
(POSTGRES_* as in tests/conftest.py), in a schema of their own dropped afterwards; without a
server they say so instead of a figure, unless BANBAN_BENCH_POSTGRES=required.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.security import hash_password
from bench.generate import DATA, HOME, SCALES, TODAY, ensure, generate_into, store_files
from bench.stores import bench_app, open_store
from bench.timing import Figure, percentile, samples_ms
from domain.application import Banban
from tests.e2e.server import ROOT, Gunicorn, environment_for

OFFICE, LEADER = "office000", "leader000"  # accounts of every generated store (home county)
PROVINCE_LEADER = "province-leader"  # a province's (bench.generate.PROVINCE_ACCOUNTS)
PASSWORD = "bench-password-2026"
WORKERS = 2  # gunicorn.conf.py's documented default
CLIENTS = 16
# Whose weekly dispatch is measured at each scale (reader, what they read), with the targets
# of the API and the page, first request after a write (ms).
DISPATCH_READERS = {
    "county": [(LEADER, "the county's report", (50, 150))],
    "province": [(LEADER, "one county's report", (50, 150)),
                 (PROVINCE_LEADER, "the summary", (150, 300))],
}
RSS_TARGET_MB = {"county": 150, "province": 250}
# Writes through the app against the bare insert (issue 14): the ratio of requests/s, and p99.
WRITE_RATIO = {"SQLite": 0.5, "PostgreSQL": 0.4}
WRITE_P99_MS = 60
# Samples of the first report after a write (each after a write of its own). A worker's first
# province summary decodes the parts of all 50,000 projects once (seconds): one sample of the
# nine, which the p50 passes over and the slowest shows.
DISPATCH_REPEAT = {"county": 9, "province": 9}
# Publications measured after a write each (each one a revision more of the week's).
PUBLISH_REPEAT = {"county": 5, "province": 5}
SECTIONS = ("dispatch", "rebuild", "latency", "time_travel", "writes")
# The write-throughput figures are for the county store; the province adds nothing to them
# that the latency figure does not show.
SCALE_SECTIONS = {"county": SECTIONS, "province": SECTIONS[:-1]}
# What `--store postgres` measures (the writes section measures both stores already).
PG_SECTIONS = ("dispatch", "rebuild")


def show(figure: Figure) -> None:
    print(figure, flush=True)


def note(text: str) -> None:
    print(f"  ({text})", flush=True)


# ---- stores ---------------------------------------------------------------------------------


def sqlite_env(path: Path | str) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def access(path: Path) -> dict[str, str]:
    """API tokens of the office and a leader of a generated store, and the leader's password
    set; made once and kept beside the store (users' events only: no project changes)."""
    kept = path.with_name(path.name + ".access.json")
    if kept.exists():
        return json.loads(kept.read_text())
    tokens = grant(str(path))
    kept.write_text(json.dumps(tokens))
    return tokens


def grant(path: str) -> dict[str, str]:
    """Set the leaders' password and issue the tokens (`access`) in a store: the SQLite file
    `path`, or PostgreSQL as the environment says with `-`."""
    with open_store(path, TODAY) as store:
        service = store.get()
        for leader in readers(service):
            service.set_password(leader, hash_password(PASSWORD), actor="bench")
        tokens = issue_tokens(service)
        store.cards()
    return tokens


def readers(service: Banban) -> list[str]:
    """The leaders whose reports are measured: the home county's, and the province's when
    the store has one."""
    usernames = {user["username"] for user in service.users()}
    return [leader for leader in (LEADER, PROVINCE_LEADER) if leader in usernames]


def issue_tokens(service: Banban) -> dict[str, str]:
    """New API tokens of the office and the leaders."""
    return {username: service.issue_token(username, actor="bench")
            for username in (OFFICE, *readers(service))}


def visit(version: int, purpose: str) -> dict[str, Any]:
    """The body of a write: a visit today, at the version the writer knows."""
    return {"type": "visit_logged", "expected_version": version,
            "occurred_on": TODAY.isoformat(), "purpose": purpose}


def bench_project(service: Banban, name: str) -> str:
    """A new project of the bench's own, signed today; its id."""
    return str(service.sign_project(OFFICE, signed_on=TODAY, name=name, investor="基准公司",
                                    industry="电子信息", investment=100_000_000,
                                    chief_agent="agent0000")["id"])


@contextmanager
def copy_of(path: Path) -> Iterator[Path]:
    """A scratch copy of a SQLite store (events and views), removed afterwards."""
    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        copy = Path(folder) / path.name
        for source, target in zip(store_files(path), store_files(copy)):
            if source.exists():
                shutil.copyfile(source, target)
        yield copy


# ---- HTTP -----------------------------------------------------------------------------------


def call(url: str, method: str, path: str, token: str | None = None,
         body: dict | None = None) -> tuple[int, Any]:
    """(status, JSON body) of one request on a new connection (gunicorn's sync workers close
    every connection after its request)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=3600)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = connection.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:  # an error page, not the API's JSON: kept as text to report
            return response.status, data[:200].decode(errors="replace")
    finally:
        connection.close()


@dataclass
class Load:
    """The answers of a write load: latencies of the accepted writes, and anything else."""

    latencies: list[float] = field(default_factory=list)
    failures: list[tuple[int, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def write_load(url: str, token: str | None, projects: dict[str, int], seconds: float,
               path: Callable[[str], str]) -> Load:
    """CLIENTS threads, each posting visits to a project of its own for `seconds`, each write
    at the version its previous write made; `projects` is left with the versions the writes
    reached (for the next load).

    Warm-up: every client's first answer (gunicorn listens before its workers have booted,
    and the first requests wait for them), then a second more. Only requests begun after it
    and answered before the end count."""
    load = Load()
    lock = threading.Lock()
    start = threading.Barrier(len(projects) + 1)
    booted = threading.Barrier(len(projects) + 1)
    measuring = threading.Event()
    stopping = threading.Event()

    def client(project_id: str, version: int) -> None:
        start.wait()
        n = 0
        while not stopping.is_set():
            n += 1
            body = visit(version, f"基准测试走访{n}")
            counted = measuring.is_set()
            began = time.perf_counter()
            try:
                status, answer = call(url, "POST", path(project_id), token, body)
            except (OSError, http.client.HTTPException) as error:
                status, answer = 0, repr(error)
            took = (time.perf_counter() - began) * 1000
            if status == 201:
                version = answer["version"]
            elif status == 409 and isinstance(answer, dict):
                version = answer.get("current_version", version)
            if n == 1:
                booted.wait()
            with lock:
                if not counted or stopping.is_set():
                    continue
                if status == 201:
                    load.latencies.append(took)
                else:
                    load.failures.append((status, answer))
        with lock:
            projects[project_id] = version

    threads = [threading.Thread(target=client, args=item, daemon=True)
               for item in list(projects.items())]
    for thread in threads:
        thread.start()
    start.wait()
    booted.wait()
    time.sleep(1)
    measuring.set()
    began = time.perf_counter()
    time.sleep(seconds)
    with lock:
        stopping.set()
        load.seconds = time.perf_counter() - began
    for thread in threads:
        thread.join()
    return load


def worker_mb(server: Gunicorn, field: str = "VmHWM") -> float:
    """The largest resident size among the server's worker processes: their peak (VmHWM), or
    what they hold now (VmRSS)."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024)
    return max(sizes)


def views_runner_once(store_env: dict[str, str]) -> float:
    """`flask projections run --once` on a store, as the deployment's view runner does
    before the first request of a day (views caught up, the current periods' report parts
    made); the seconds it took."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "projections", "run", "--once"], cwd=ROOT,
                   env=environment_for(store_env) | {"FLASK_APP": "wsgi"}, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def signed_in_opener(url: str, username: str = LEADER) -> urllib.request.OpenerDirector:
    """A cookie-keeping client signed in as a leader through the login form (the redirect
    after it is not followed: the home page is not what is measured)."""
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), Stay())
    form = opener.open(url + "/login", timeout=60).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrf_token": csrf}).encode()
    try:
        opener.open(url + "/login", data=data, timeout=60).read()
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    else:
        raise RuntimeError(f"{username} could not sign in")
    return opener


# ---- PostgreSQL -------------------------------------------------------------------------------


def postgres() -> dict[str, str] | None:
    """The tests' PostgreSQL settings when a server answers (None when not, unless required)."""
    from tests.conftest import PG, postgres_unavailable

    reason = postgres_unavailable()
    if reason is None:
        return dict(PG)
    if os.environ.get("BANBAN_BENCH_POSTGRES") == "required":
        raise SystemExit(f"PostgreSQL is required (BANBAN_BENCH_POSTGRES=required): {reason}")
    note(f"PostgreSQL figures not measured: {reason}")
    return None


@contextmanager
def postgres_schema(settings: dict[str, str]) -> Iterator[dict[str, str]]:
    """The settings of a new schema of its own, dropped afterwards."""
    from tests.conftest import _pg_connect

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with _pg_connect() as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield settings | {"POSTGRES_SCHEMA": schema}
    finally:
        with _pg_connect() as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """os.environ with these values for a while (the app reads its store from it)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# ---- the figures ----------------------------------------------------------------------------


class Bench:
    def __init__(self, scale: str, path: Path, counts: dict, seconds: float,
                 scratch: ExitStack, rounds: int = 1, pg: dict[str, str] | None = None):
        self.scale, self.path, self.counts, self.seconds = scale, path, counts, seconds
        self.rounds = rounds
        # On PostgreSQL (`--store postgres`): the settings of the schema the scale was
        # generated into; its figures are labelled so.
        self.pg = pg
        self.label = scale if pg is None else f"{scale} on PostgreSQL"
        self.tokens = access(path) if pg is None else self._in_pg(lambda: grant("-"))
        self.scratch = scratch
        self._copy: Path | None = None

    def _in_pg(self, work: Callable[[], Any]) -> Any:
        with environment({"BANBAN_STORE": "postgres", **self.pg}):
            return work()

    @property
    def store_env(self) -> dict[str, str]:
        """The eventsourcing environment of the store the sections measure."""
        if self.pg is not None:
            return {"PERSISTENCE_MODULE": "eventsourcing.postgres", **self.pg}
        return sqlite_env(self.copy)

    @contextmanager
    def opened(self) -> Iterator[Any]:
        """The measured store, opened in this process."""
        if self.pg is None:
            with open_store(str(self.copy), TODAY) as store:
                yield store
            return
        with environment({"BANBAN_STORE": "postgres", **self.pg}), \
                open_store("-", TODAY) as store:
            yield store

    @property
    def copy(self) -> Path:
        """A scratch copy of the store, made on first use and shared by the sections (each
        signs projects of its own); removed at the end of the scale."""
        if self._copy is None:
            self._copy = self.scratch.enter_context(copy_of(self.path))
        return self._copy

    def dispatch(self) -> None:
        """Server time of the current week's dispatch, API (token) and page (signed-in leader),
        over HTTP from one worker: first after a write (everything computed) and again with
        nothing recorded since (the report reused); then that worker's peak memory."""
        with self.opened() as store:
            # One of the writing office's county (the home county's: the province's other
            # counties' projects are not its to write).
            project = store.cards().view.cards(status="active", county=HOME, home=HOME)[0]
        version = project["version"]
        # As deployed: the view runner has caught the views up and made the day's parts, so
        # a leader's request makes only what a write changed (README, "Deploying").
        note(f"view runner, first catch-up of the day (views and report parts): "
             f"{views_runner_once(self.store_env):.0f} s")
        server = Gunicorn(self.store_env, 1, options=["--timeout", "3600"])
        try:
            office = self.tokens[OFFICE]

            def write() -> None:
                nonlocal version
                status, body = call(server.url, "POST", f"/api/projects/"
                                    f"{project['project_id']}/events", office,
                                    visit(version, "调度基准"))
                assert status == 201, body
                version = body["version"]

            cold_repeat = DISPATCH_REPEAT[self.scale]
            for reader, whose, targets in DISPATCH_READERS[self.scale]:
                opener = signed_in_opener(server.url, reader)

                def api(reader: str = reader) -> None:
                    status, _ = call(server.url, "GET", "/api/dispatch/weekly",
                                     self.tokens[reader])
                    assert status == 200, status

                def page(opener: Any = opener) -> None:
                    with opener.open(server.url + "/dispatch/weekly", timeout=3600) as answer:
                        assert answer.status == 200 and b"csrf_token" in answer.read()

                for name, request, target in (("API /api/dispatch/weekly", api, targets[0]),
                                              ("page /dispatch/weekly", page, targets[1])):
                    cold = []
                    for _ in range(cold_repeat):
                        write()
                        cold += samples_ms(request, 1)
                    show(Figure(f"weekly dispatch {name}, {self.label}, {whose}, first after "
                                f"a write (p50 of {cold_repeat})", statistics.median(cold),
                                "ms", "<=", target))
                    note(f"slowest of the {cold_repeat}: {max(cold):.1f} ms")
                    show(Figure(f"weekly dispatch {name}, {self.label}, {whose}, nothing "
                                "recorded since (p50 of 10)",
                                statistics.median(samples_ms(request, 10)), "ms", "<=", target))
            show(Figure(f"peak RSS of a web worker after the dispatch pages, {self.label}",
                        worker_mb(server), "MB", "<=", RSS_TARGET_MB[self.scale]))
            note(f"held after the pages: {worker_mb(server, 'VmRSS'):.0f} MB; the peak "
                 "includes signing in, whose argon2id hash takes 64 MiB while it runs")
            # After the memory figure: its baseline reads every history, as the reference does.
            self._publishing(server, write)
        finally:
            server.stop()

    def _publishing(self, server: Gunicorn, write: Callable[[], None]) -> None:
        """The office publishing the home county's weekly report, and what was recorded since
        its publication, each first after a write, beside the reference a publication must
        equal: the same report recomputed from every history as known at a moment
        (`?as_known_at=`, what auditors and the tests check a publication against)."""
        office = self.tokens[OFFICE]
        status, report = call(server.url, "GET", "/api/dispatch/weekly", office)
        assert status == 200, report
        period = report["period"]["id"]

        def publish() -> None:
            status, body = call(server.url, "POST", f"/api/dispatch/weekly/{period}/publish",
                                office)
            assert status == 201, body

        def changes() -> None:
            status, body = call(server.url, "GET", f"/api/dispatch/weekly/{period}/changes",
                                office)
            assert status == 200, body

        def recomputed() -> None:
            moment = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            status, body = call(server.url, "GET", "/api/dispatch/weekly/"
                                f"{period}?as_known_at={urllib.parse.quote(moment)}", office)
            assert status == 200, body

        repeat = PUBLISH_REPEAT[self.scale]
        reference = statistics.median(samples_ms(recomputed, 3))
        for name, request in (("publish the weekly report", publish),
                              ("what was recorded since its publication", changes)):
            taken = []
            for _ in range(repeat):
                write()
                taken += samples_ms(request, 1)
            show(Figure(f"{name}, {self.label}, the home county's, first after a write (p50 of "
                        f"{repeat}) [baseline = the report recomputed as known at a moment]",
                        statistics.median(taken), "ms", "<=", 1.0, reference))

    def rebuild(self) -> None:
        """`flask projections rebuild` of the store's cards, against reading and decoding the
        whole notification log in one process."""
        with self.opened() as store:
            service = store.get()
            events = service.recorder.max_notification_id() or 0
            began = time.perf_counter()
            read_all(service)
            baseline = events / (time.perf_counter() - began)
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "flask", "projections", "rebuild"], cwd=ROOT,
                       env=environment_for(self.store_env) | {"FLASK_APP": "wsgi"},
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rate = events / (time.perf_counter() - began)
        show(Figure(f"flask projections rebuild, {self.label} ({events} events) "
                    "[baseline = read and decode the log]", rate, "events/s", ">=", 0.4,
                    baseline, digits=0))

    # -- writes, on a copy

    def latency(self) -> None:
        """p50 of single writes in-process: to this scale's store against an empty one."""
        with tempfile.TemporaryDirectory(dir=DATA) as folder:
            empty = Path(folder) / "empty.db"
            with open_store(str(empty), TODAY) as store:
                service = store.get()
                service.register_user(OFFICE, "office", actor="bench")
                service.register_user("agent0000", "agent", actor="bench")
                token = service.issue_token(OFFICE, actor="bench")
            baseline = write_p50(empty, token)
        value = write_p50(self.copy, self.tokens[OFFICE])
        show(Figure(f"write latency p50, {self.scale} store ({self.counts['events']} events) "
                    "[baseline = empty store]", value, "ms", "<=", 1.2, baseline, digits=2))

    def time_travel(self) -> None:
        """A project with 1,000 events as of the time its 500th was recorded: in-process and
        over HTTP, in a copy of the store."""
        with open_store(str(self.copy), TODAY) as store:
            service = store.get()
            project_id, moment = long_project(service, 1_000)
            store.cards()
            assert service.project(project_id, as_of=moment)["version"] == 500
            inside = statistics.median(samples_ms(
                lambda: service.project(project_id, as_of=moment), 30))
        server = Gunicorn(sqlite_env(self.copy), WORKERS)
        try:
            path = (f"/api/projects/{project_id}?"
                    + urllib.parse.urlencode({"as_of": moment.isoformat()}))
            status, body = call(server.url, "GET", path, self.tokens[OFFICE])
            assert status == 200 and body["version"] == 500, (status, body)
            over_http = statistics.median(samples_ms(
                lambda: call(server.url, "GET", path, self.tokens[OFFICE]), 30))
        finally:
            server.stop()
        show(Figure(f"time travel, 1000-event project as of its 500th, in-process, {self.scale}"
                    " (p50)", inside, "ms", "<=", 5, digits=2))
        show(Figure(f"time travel, 1000-event project as of its 500th, over HTTP, {self.scale}"
                    " (p50)", over_http, "ms", "<=", 20, digits=2))

    def writes(self) -> None:
        """Requests/s and p99 of 16 clients writing to projects of their own under gunicorn,
        against the bare Flask insert under the same gunicorn, `rounds` times in turn;
        SQLite, then PostgreSQL."""
        with tempfile.TemporaryDirectory(dir=DATA) as folder:
            self._throughput("SQLite", sqlite_env(self.copy), active_projects(self.copy),
                             {"BARE_SQLITE_PATH": str(Path(folder) / "bare.db")})
        settings = postgres()
        if settings is None:
            return
        with postgres_schema(settings) as pg:
            store = {"BANBAN_STORE": "postgres", **pg}
            with environment(store):
                generate_into("-", SCALES["county"], seed=2026)
                with open_store("-", TODAY) as opened:
                    tokens = issue_tokens(opened.get())
                projects = active_projects(None)
            dsn = (f"host={pg['POSTGRES_HOST']} port={pg['POSTGRES_PORT']} "
                   f"user={pg['POSTGRES_USER']} password={pg['POSTGRES_PASSWORD']} "
                   f"dbname={pg['POSTGRES_DBNAME']} options=-csearch_path={pg['POSTGRES_SCHEMA']}")
            self._throughput("PostgreSQL", {"PERSISTENCE_MODULE": "eventsourcing.postgres", **pg},
                             projects, {"BARE_POSTGRES_DSN": dsn}, tokens[OFFICE])

    def _throughput(self, store: str, store_env: dict[str, str], projects: dict[str, int],
                    bare_env: dict[str, str], token: str | None = None) -> None:
        rounds = []
        for _ in range(self.rounds):
            real = self._load(store_env, {}, token or self.tokens[OFFICE], projects,
                              lambda project_id: f"/api/projects/{project_id}/events")
            bare = self._load(store_env, {"app": "bench.bare:app", "env": bare_env}, None,
                              dict(projects), lambda project_id: f"/events/{project_id}")
            rounds.append((real, bare))
            for name, load in (("the app", real), ("the baseline", bare)):
                if load.failures:
                    statuses = Counter(status for status, _ in load.failures)
                    note(f"failed writes of {name}: {dict(statuses)} (status 0: no answer); "
                         f"first: {load.failures[0][1]!r}")
        # The round of the median ratio stands for the run; every round's figures follow it.
        rounds.sort(key=lambda pair: pair[0].rate / pair[1].rate)
        real, bare = rounds[len(rounds) // 2]
        show(Figure(f"write throughput, {store}, {CLIENTS} clients, {WORKERS} workers "
                    f"[baseline = bare Flask insert]", real.rate, "req/s", ">=",
                    WRITE_RATIO[store], bare.rate))
        show(Figure(f"write p99, {store}, {CLIENTS} clients (baseline's p99 "
                    f"{percentile(bare.latencies, 99):.1f} ms)",
                    percentile(real.latencies, 99), "ms", "<=", WRITE_P99_MS))
        if len(rounds) > 1:
            ratios = sorted(r.rate / b.rate for r, b in rounds)
            p99s = sorted(percentile(r.latencies, 99) for r, _ in rounds)
            note(f"{store}, {len(rounds)} rounds: " + "; ".join(
                f"{r.rate:.0f} vs {b.rate:.0f} req/s = {r.rate / b.rate:.2f}x, p99 "
                f"{percentile(r.latencies, 99):.1f} ms" for r, b in rounds)
                 + f" (ratio {ratios[0]:.2f}-{ratios[-1]:.2f}x, p99 {p99s[0]:.1f}-"
                 f"{p99s[-1]:.1f} ms)")

    def _load(self, store_env: dict[str, str], server: dict[str, Any], token: str | None,
              projects: dict[str, int], path: Callable[[str], str]) -> Load:
        """One write load against a gunicorn of its own (the app, or what `server` names)."""
        running = Gunicorn(store_env, WORKERS, **server)
        try:
            return write_load(running.url, token, projects, self.seconds, path)
        finally:
            running.stop()


def read_all(service: Banban, batch: int = 5_000) -> int:
    """Read and decode every event of the notification log; how many."""
    position, count = 0, 0
    while notifications := service.recorder.select_notifications(position + 1, batch):
        for notification in notifications:
            service.mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count


def active_projects(path: Path | None) -> dict[str, int]:
    """CLIENTS active projects of a store: id -> version (path None: the environment's)."""
    with open_store(str(path) if path else "-", TODAY) as store:
        cards = store.cards().view.cards(status="active")
    picked = cards[:: max(1, len(cards) // CLIENTS)][:CLIENTS]
    return {str(card["project_id"]): card["version"] for card in picked}


def write_p50(path: Path, token: str, projects: int = 4, rounds: int = 60) -> float:
    """p50 of visits posted one after another through the app's test client to new projects
    of the store (the first rounds warm up and are not counted)."""
    app = bench_app(str(path), TODAY)
    store = app.extensions["banban.store"]
    with app.app_context():
        service = store.get()
        ids = [bench_project(service, f"基准写入项目{n}") for n in range(projects)]
        store.cards()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    versions = dict.fromkeys(ids, 1)
    samples = []
    for n in range(rounds):
        for project_id in ids:
            began = time.perf_counter()
            response = client.post(f"/api/projects/{project_id}/events", headers=headers,
                                   json=visit(versions[project_id], f"基准测试走访{n}"))
            took = (time.perf_counter() - began) * 1000
            assert response.status_code == 201, response.get_json()
            versions[project_id] = response.get_json()["version"]
            if n >= 10:
                samples.append(took)
    store.close()
    return statistics.median(samples)


def long_project(service: Banban, events: int) -> tuple[str, datetime]:
    """A new project with `events` events, and the time its middle one was recorded."""
    project_id = bench_project(service, "基准长历史项目")
    version = 1
    for n in range(events - 1):
        version = service.record(project_id, OFFICE, "visit_logged",
                                 expected_version=version, occurred_on=TODAY,
                                 fields={"purpose": f"第{n}次走访"})["version"]
    middle = next(iter(service.events.get(uuid.UUID(project_id), gt=events // 2 - 1,
                                          lte=events // 2)))
    return project_id, middle.timestamp


def machine() -> str:
    """Cores, memory and versions of what the figures ran on."""
    import sqlite3
    from importlib.metadata import version

    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    try:
        debian = Path("/etc/debian_version").read_text().strip()
    except OSError:
        debian = "?"
    return (f"{os.cpu_count()} cores, {memory / 1024 ** 2:.0f} GiB, Debian {debian}, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, eventsourcing "
            f"{version('eventsourcing')}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scales", nargs="+", choices=sorted(SCALES))
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--seconds", type=float, default=10,
                        help="length of each write load (default 10)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="write loads of the app and the baseline in turn (default 1); "
                             "the round of the median ratio is the figure")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite",
                        help="the store the scale is measured on (default sqlite, kept in "
                             "bench/data); postgres generates it into a schema of its own on "
                             "the tests' server, dropped afterwards, and measures "
                             f"{', '.join(PG_SECTIONS)} (the writes section measures both)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    if unknown := only - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    # Stopped with SIGTERM, still stop the servers and remove the scratch copies (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"machine: {machine()}", flush=True)
    for scale in args.scales:
        if args.store == "postgres":
            on_postgres(scale, args.seed, only)
            continue
        began = time.perf_counter()
        path, counts = ensure(scale, args.seed)
        print(f"== {scale}: {counts['projects']} projects, {counts['events']} events, "
              f"{counts['users']} users (seed {args.seed}, {path.relative_to(ROOT)})", flush=True)
        with ExitStack() as scratch:
            bench = Bench(scale, path, counts, args.seconds, scratch, args.rounds)
            for section in SCALE_SECTIONS[scale]:
                if section in only:
                    getattr(bench, section)()
        print(f"== {scale} done in {time.perf_counter() - began:.0f} s", flush=True)


def on_postgres(scale: str, seed: int, only: set[str]) -> None:
    """The scale's PG_SECTIONS on PostgreSQL: generated into a schema of its own (as the
    SQLite store is, seeded alike), measured, and dropped."""
    began = time.perf_counter()
    settings = postgres()
    if settings is None:
        return
    with postgres_schema(settings) as pg:
        with environment({"BANBAN_STORE": "postgres", **pg}):
            counts = generate_into("-", SCALES[scale], seed)
        print(f"== {scale} on PostgreSQL: {counts['projects']} projects, {counts['events']} "
              f"events, {counts['users']} users (seed {seed}, schema {pg['POSTGRES_SCHEMA']})",
              flush=True)
        with ExitStack() as scratch:
            bench = Bench(scale, Path("-"), counts, 0, scratch, pg=pg)
            for section in PG_SECTIONS:
                if section in only:
                    getattr(bench, section)()
    print(f"== {scale} on PostgreSQL done in {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()

"""schemathesis against `/api/openapi.json` with every check it has (`-c all`): no server error,
every answer as the document describes it (status, body, headers), and no refusal the
document does not state.

Two runs. One drives schemathesis' whole engine (examples, coverage, fuzzing and stateful
phases, as `schemathesis run -c all` does) over HTTP, for an office token and an agent's. The
other sends at least 5,000 generated requests (SQLite; and 1,000 more to the writing
operations on PostgreSQL) signed by users of each role, about half of them naming a project,
users and a version that exist, so that generated bodies reach the domain's rules rather than
stopping at a 404 or a 409. Cases are drawn from a fixed seed, so CI cannot fail by the luck of
the draw; BANBAN_HYPOTHESIS_EXAMPLES=N asks for N requests instead.

A request valid by the document may still break a rule about what is recorded (a milestone
already reached, a period not begun, a version and a moment together): the document lists each
such rule's code under the operation's 422, and `positive_data_acceptance` takes those. What it
must never be is `invalid_field`: a field the document says is fine, refused on its own
(`the_document_states_every_refusal`).
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.engine import events, from_schema
from schemathesis.specs.openapi.checks import negative_data_rejection
from werkzeug.serving import make_server

from tests.e2e.helpers import post_sequence, scenario

pytestmark = pytest.mark.faults

REQUESTS = max(5_000, int(os.environ.get("BANBAN_HYPOTHESIS_EXAMPLES", "0")))
# Every operation on SQLite. On PostgreSQL (slower here) the writes, where generated values
# reach the store; the API above the store is the same.
PLAN = {"eventsourcing.sqlite": (REQUESTS, ("GET", "POST")),
        "eventsourcing.postgres": (1_000, ("POST",))}
# Examples per operation in each phase of the engine's run, per token.
ENGINE_EXAMPLES = {"eventsourcing.sqlite": 40, "eventsourcing.postgres": 10}
USERS = ("office", "zhang", "li", "leader", "auditor")
AGENTS, LEADERS = ("zhang", "li", "wang"), ("leader",)
# A period of each cadence around the test's today (2026-11-25).
PERIODS = {"weekly": "2026-W48", "half-monthly": "2026-11-H2", "monthly": "2026-11",
           "quarterly": "2026-Q4"}
# Valid requests may be refused by a rule of what is recorded (422, its code documented).
ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]


@schemathesis.check
def the_document_states_every_refusal(ctx, response, case) -> None:
    """A request the document says is valid is never refused as malformed or as an invalid
    field: only by a rule of the record, with the rule's own code."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    if response.status_code == 400 or (
            response.status_code == 422 and response.json().get("code") == "invalid_field"):
        raise AssertionError(f"a request valid by the document was refused: {response.json()}")


def configured(schema):
    """The schema with every check on and rule refusals of valid requests accepted."""
    schema.config.checks.update(included_check_names=["all"])
    schema.config.checks.positive_data_acceptance.expected_statuses = ACCEPTED
    return schema


@pytest.fixture
def schema(app):
    """The app's own OpenAPI document, loaded by schemathesis over WSGI; each request is signed
    below, so no case leaves out or spoils the Authorization header itself."""
    schema = configured(schemathesis.openapi.from_wsgi("/api/openapi.json", app))
    schema.config.generation.update(with_security_parameters=False)
    return schema


@pytest.fixture
def known(api, banban, project) -> Known:
    """What exists: a project with a problem and an approval open, and the users of each role."""
    steps = []
    for event_type in ("problem_raised", "approval_applied"):
        before, fields = scenario(event_type)
        steps += [*before, ("zhang", event_type, fields)]
    post_sequence(api, project["id"], steps, version=1)
    return Known(project_id=str(project["id"]),
                 version=lambda: banban.project(project["id"])["version"])


@dataclass
class Known:
    """Ids that exist, to put in generated requests so that they reach the domain's rules."""

    project_id: str
    version: Callable[[], int]  # the project's version now

    def use(self, case, pick: int) -> None:
        """Replace the case's path ids and the body's usernames and expected version (where
        they have the right type) with ones that exist; `pick` chooses among the users and
        whether the version is the current one or the one before (a conflict)."""
        path = case.path_parameters or {}
        if "project_id" in path:
            path["project_id"] = self.project_id
        if "username" in path:
            path["username"] = USERS[pick % len(USERS)]
        if path.get("cadence") in PERIODS and "period" in path:
            path["period"] = PERIODS[path["cadence"]]
        body = case.body if isinstance(case.body, dict) else {}
        for name, users in (("chief_agent", AGENTS), ("agent", AGENTS), ("leader", LEADERS)):
            if isinstance(body.get(name), str):
                body[name] = users[pick % len(users)]
        if isinstance(body.get("co_agents"), list):
            body["co_agents"] = [AGENTS[(pick + 1) % len(AGENTS)]]
        if isinstance(body.get("expected_version"), int):
            body["expected_version"] = self.version() - (pick % 3 == 0)  # a third are stale


# ---- schemathesis' engine, every phase and every check -------------------------------------


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app served over HTTP on a free loopback port (the engine's checks resend requests
    as a client would), for the test's duration."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@dataclass
class Run:
    """What one engine run sent and found."""

    statuses: Counter
    failures: list
    errors: list


def run_engine(app, url: str, token: str, examples: int, known: Known) -> Run:
    """`schemathesis run -c all` with this token; most project ids and usernames real."""
    real = {"probability": 0.7}
    config = schemathesis.Config.from_dict({
        "seed": 2026, "base-url": url, "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": examples, "database": "none"},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        "dictionaries": {"projects": {"values": [known.project_id]},
                         "users": {"values": list(USERS)}, "agents": {"values": list(AGENTS)},
                         "leaders": {"values": list(LEADERS)}},
        "parameters": {"path.project_id": {"dictionary": "projects", **real},
                       "path.username": {"dictionary": "users", **real},
                       "body.chief_agent": {"dictionary": "agents", **real},
                       "body.agent": {"dictionary": "agents", **real},
                       "body.co_agents[*]": {"dictionary": "agents", **real},
                       "body.leader": {"dictionary": "leaders", **real}},
    })
    schema = configured(schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config))
    schema.app = None  # over HTTP: the WSGI transport cannot take every request the checks send
    found = Run(Counter(), [], [])
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            found.statuses.update(interaction.response.status_code
                                  for interaction in event.recorder.interactions.values()
                                  if interaction.response is not None)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            found.errors.append(event)
        elif isinstance(event, events.EngineFinished):
            found.failures = list(event.failures)
    return found


@pytest.mark.parametrize("user", ["office", "zhang"])
def test_every_check_of_schemathesis_passes(app, served, tokens, known, store_env, user):
    run = run_engine(app, served, tokens[user], ENGINE_EXAMPLES[store_env["PERSISTENCE_MODULE"]],
                     known)
    print(f"{user}: {sum(run.statuses.values())} requests, by status {dict(run.statuses)}")
    assert not run.errors, run.errors
    assert not run.failures, "\n".join(f"{f.title}: {f.message}" for f in run.failures[:20])
    assert 500 not in run.statuses and sum(run.statuses.values()) > 500


# ---- thousands of requests by every role, reaching the rules --------------------------------


def fuzz(operation, mode: GenerationMode, examples: int, tokens: dict[str, str],
         known: Known) -> int:
    """Send up to `examples` generated requests to one operation; return how many were sent.

    Each is signed by a user drawn from USERS; about half use ids and users that exist.
    """
    sent = 0

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), user=st.sampled_from(USERS),
           real=st.integers(0, 99))
    def run(case, user, real):
        nonlocal sent
        # Real ids may mend what made a negative case invalid: it is then not one any more.
        excluded = []
        if real < 70:
            known.use(case, real)
            excluded = [negative_data_rejection] if mode == GenerationMode.NEGATIVE else []
        headers = {"Authorization": f"Bearer {tokens[user]}"}
        response = case.call(headers=headers)
        case.validate_response(response, headers=headers, excluded_checks=excluded)
        sent += 1

    try:
        run()
    except Unsatisfiable:  # nothing to spoil but the credentials (GET /api/me): the engine's run
        pass               # sends those without them
    return sent


def test_generated_requests_get_documented_answers_and_never_a_server_error(
        schema, tokens, known, store_env):
    requests, methods = PLAN[store_env["PERSISTENCE_MODULE"]]
    operations = [operation for result in schema.get_all_operations()
                  if (operation := result.ok()).method.upper() in methods]
    # Half positive (valid by the document), half negative (invalid on purpose), per operation;
    # an operation with few possible inputs may run out early, and a third of them have no
    # invalid input but their credentials (GET /api/me, GET /api/boards/{username}, the
    # catalogues' reads, the users' list and reads, POST /api/users/{username}/password,
    # .../enable and .../sign-out), hence the margin.
    examples = math.ceil(requests / len(operations) / 2 * 1.25)
    sent = {(operation.label, mode.value): fuzz(operation, mode, examples, tokens, known)
            for operation in operations
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)}
    print("requests per operation and mode:", sent)
    assert sum(sent.values()) >= requests, sent

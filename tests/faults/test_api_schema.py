"""schemathesis against `/api/openapi.json`, authenticated: at least 5,000 generated requests
across every operation (SQLite; and 1,000 more to the writing operations on PostgreSQL), no
server error, and every answer as the document describes it.

The requests go to the app in-process (WSGI), signed by the tokens of users of each role; about
half of them name a project, users and a version that exist, so that generated bodies reach
the domain's rules rather than stopping at a 404 or a 409. Cases are drawn from a fixed seed
(derandomized), so CI cannot fail by the luck of the draw; BANBAN_HYPOTHESIS_EXAMPLES=N asks
for N requests instead.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.helpers import post_sequence, scenario

pytestmark = pytest.mark.faults

REQUESTS = max(5_000, int(os.environ.get("BANBAN_HYPOTHESIS_EXAMPLES", "0")))
# Every operation on SQLite. On PostgreSQL (slower here) the writes, where generated values
# reach the store; the API above the store is the same.
PLAN = {"eventsourcing.sqlite": (REQUESTS, ("GET", "POST")),
        "eventsourcing.postgres": (1_000, ("POST",))}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
USERS = ("office", "zhang", "li", "leader", "auditor")
AGENTS, LEADERS = ("zhang", "li", "wang"), ("leader",)
# A period of each cadence around the test's today (2026-11-25).
PERIODS = {"weekly": "2026-W48", "half-monthly": "2026-11-H2", "monthly": "2026-11",
           "quarterly": "2026-Q4"}


@pytest.fixture
def schema(app):
    """The app's own OpenAPI document, loaded by schemathesis over WSGI."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


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
        if real < 70:
            known.use(case, real)
        headers = {"Authorization": f"Bearer {tokens[user]}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        sent += 1

    run()
    return sent


def test_generated_requests_get_documented_answers_and_never_a_server_error(
        schema, tokens, known, store_env):
    requests, methods = PLAN[store_env["PERSISTENCE_MODULE"]]
    operations = [operation for result in schema.get_all_operations()
                  if (operation := result.ok()).method.upper() in methods]
    # Half positive (valid by the document), half negative (invalid on purpose), per operation;
    # an operation with few possible inputs may run out early, hence the margin.
    examples = math.ceil(requests / len(operations) / 2 * 1.05)
    sent = {(operation.label, mode.value): fuzz(operation, mode, examples, tokens, known)
            for operation in operations
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)}
    print("requests per operation and mode:", sent)
    assert sum(sent.values()) >= requests, sent

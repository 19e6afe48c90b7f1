"""A province's deployment: two app instances (separate gunicorn processes, as on two hosts)
and one view runner (`flask projections run`) on one store. A write through either instance
shows at once in the other's reports, lists and boards, for the county's users and the
province's, and the runner ends exactly at the log."""

from __future__ import annotations

import subprocess
import sys
import time
import pytest

from domain.application import Banban, county_today
from tests.conftest import TODAY
from tests.e2e.server import ROOT, Gunicorn, environment_for

ANFU, XINGAN = "360829", "360824"
USERS = [("office_a", "office", ANFU), ("agent_a", "agent", ANFU),
         ("office_b", "office", XINGAN), ("agent_b", "agent", XINGAN),
         ("leader_b", "leader", XINGAN), ("leader_p", "leader", "province")]


@pytest.fixture
def province(store_env):
    """The store with two counties and their people; {username: token}."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    try:
        banban.add_county(ANFU, "安福县", "吉安市", actor="test")
        banban.add_county(XINGAN, "新干县", "吉安市", actor="test")
        tokens = {}
        for username, role, scope in USERS:
            banban.register_user(username, role, actor="test", scope=scope)
            tokens[username] = banban.issue_token(username, actor="test")
        return tokens
    finally:
        banban.close()


class Runner:
    """`flask projections run` as a process of its own."""

    def __init__(self, store_env: dict[str, str]):
        self.env = {**environment_for(store_env), "FLASK_APP": "wsgi"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "projections", "run", "--interval", "0.05"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def lag(self) -> int:
        answer = subprocess.run([sys.executable, "-m", "flask", "projections", "status"],
                                cwd=ROOT, env=self.env, capture_output=True, text=True,
                                check=True)
        return int(answer.stdout.splitlines()[1].split()[-1])  # the cards: "project cards" line

    def stop(self) -> str:
        self.process.terminate()
        output, _ = self.process.communicate(timeout=60)
        return output.decode(errors="replace")


def signing(name: str, chief: str) -> dict:
    return {"name": name, "investor": f"{name}有限公司", "industry": "新材料",
            # The instances run on the real clock: signed today, in the current week.
            "investment": 100_000_000, "signed_on": county_today().isoformat(),
            "chief_agent": chief}


def test_writes_through_either_instance_show_in_the_other_at_once(store_env, province):
    tokens = province
    runner = Runner(store_env)
    first, second = Gunicorn(store_env, workers=1), Gunicorn(store_env, workers=1)
    try:
        signed = {ANFU: 0, XINGAN: 0}
        for round_ in range(4):
            for writer, reader, office, chief, county in (
                    (first, second, "office_a", "agent_a", ANFU),
                    (second, first, "office_b", "agent_b", XINGAN)):
                status, project = writer.request("POST", "/api/projects", tokens[office],
                                                 signing(f"{county}项目{round_}", chief))
                assert status == 201, (project, writer.log()[-2000:])
                signed[county] += 1
                # The province summary, through the other instance, counts it at once.
                status, summary = reader.request("GET", "/api/dispatch/weekly",
                                                 tokens["leader_p"])
                assert status == 200, summary
                rows = {row["code"]: row for row in summary["counties"]}
                assert {code: rows[code]["signed"] for code in signed} == signed
                assert summary["totals"]["projects"] == sum(signed.values())
                # So do the county's own report, its project list and its agent's board.
                status, report = reader.request("GET", f"/api/dispatch/weekly?county={county}",
                                                tokens["leader_p"])
                assert report["signed"]["count"] == signed[county]
                status, listed = reader.request("GET", "/api/projects", tokens[office])
                assert listed["count"] == signed[county]
                status, board = reader.request("GET", f"/api/boards/{chief}", tokens[office])
                assert status == 200 and board["counts"]["projects"] == signed[county]
                # A record on it through the reading instance shows back in the writer's.
                status, visited = reader.request(
                    "POST", f"/api/projects/{project['id']}/events", tokens[chief],
                    {"type": "visit_logged", "expected_version": project["version"],
                     "purpose": "回访"})
                assert status == 201, visited
                status, again = writer.request("GET", f"/api/projects/{project['id']}",
                                               tokens[office])
                assert again["version"] == project["version"] + 1
        # A county's leader still sees only their county, through either instance.
        for instance in (first, second):
            status, own = instance.request("GET", "/api/dispatch/weekly", tokens["leader_b"])
            assert own["signed"]["count"] == signed[XINGAN]
            status, other = instance.request("GET", f"/api/dispatch/weekly?county={ANFU}",
                                             tokens["leader_b"])
            assert (status, other["code"]) == (404, "county_not_found")
        # The runner catches the views up to the end of the log (waiting on its progress).
        deadline, lag = time.monotonic() + 300, runner.lag()
        while lag and time.monotonic() < deadline:
            time.sleep(0.2)
            lag = runner.lag()
        assert lag == 0
    finally:
        first.stop()
        second.stop()
        output = runner.stop()
    assert "stopped" in output and "Traceback" not in output, output

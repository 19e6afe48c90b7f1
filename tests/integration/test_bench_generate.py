"""The benchmarks' history generator: seeded, the domain's mix of events, every step checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest

from bench.generate import SCALES, TODAY, generate
from domain.application import Banban
from domain.fields import TYPE_OF_CLASS

SMALL = replace(SCALES["county"], projects=60, agents=8, leaders=2, offices=2)
# The events of users and of the county list, not of projects.
NOT_PROJECTS = ("Registered", "Started", "Added")


def _history(tmp_path, name: str, seed: int) -> tuple[dict, list[tuple]]:
    """Generate SMALL with a seed into a new SQLite store; its counts and its log as
    (type, version, business date, actor) in order (ids and recorded times differ by run)."""
    banban = Banban(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                         "SQLITE_DBNAME": str(tmp_path / f"{name}.db")}, clock=lambda: TODAY)
    try:
        counts = generate(banban, SMALL, seed=seed)
        log = []
        for notification in banban.recorder.select_notifications(1, 1_000_000):
            event = banban.mapper.to_domain_event(notification)
            kind = TYPE_OF_CLASS.get(type(event).__name__, type(event).__name__)
            log.append((kind, event.originator_version, getattr(event, "occurred_on", None),
                        getattr(event, "actor", None)))
        return counts, log
    finally:
        banban.close()


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    return {name: _history(folder, name, seed)
            for name, seed in (("first", 7), ("again", 7), ("other", 8))}


def test_the_same_seed_gives_the_same_history_and_another_seed_another(histories):
    counts, log = histories["first"]
    assert histories["again"] == (counts, log)
    assert histories["other"][1] != log
    assert counts["projects"] == 60
    assert counts["users"] == SMALL.agents + SMALL.leaders + SMALL.offices
    project_events = sum(1 for kind, *_ in log if kind not in NOT_PROJECTS)
    assert counts["events"] == project_events


def test_the_history_has_the_domains_mix_of_events_over_several_years(histories):
    _, log = histories["first"]
    kinds = Counter(kind for kind, *_ in log)
    assert kinds["signed"] == 60
    for kind in ("team_assigned", "milestone_planned", "milestone_reached", "approval_applied",
                 "approval_granted", "problem_raised", "problem_resolved", "problem_escalated",
                 "instruction_given", "progress_reported", "visit_logged", "service_rated",
                 "suspended", "terminated"):
        assert kinds[kind] > 0, kind
    # Visits are the most common event, but not the whole history.
    assert kinds.most_common(1)[0][0] == "visit_logged"
    assert kinds["visit_logged"] < 0.7 * sum(kinds.values())
    dates = [on for _, _, on, _ in log if on is not None]
    assert min(dates) <= TODAY - timedelta(days=2 * 365) and max(dates) <= TODAY
    # Many people record: the offices sign, agents and leaders record the rest.
    assert len({actor for kind, _, _, actor in log if kind not in NOT_PROJECTS}) > 5


def test_a_province_spreads_projects_and_people_over_its_counties(tmp_path):
    """Each county has its offices, agents and leaders; each project is signed in one county
    by its office, served by its agents; the province's own people read every county."""
    scale = replace(SMALL, projects=30, agents=15, leaders=3, offices=3, counties=3)
    banban = Banban(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                         "SQLITE_DBNAME": str(tmp_path / "province.db")}, clock=lambda: TODAY)
    try:
        counts = generate(banban, scale, seed=3)
        listed = [c["code"] for c in banban.counties()]
        assert counts["counties"] == 3 and listed[0] == "360829" and len(set(listed)) == 3
        assert all(code.startswith("36") for code in listed)
        scopes = {u["username"]: u["scope"] for u in banban.users()}
        assert counts["users"] == len(scopes) == 15 + 3 + 3 + 3
        assert {scopes[u] for u in ("province-office", "province-leader",
                                    "province-auditor")} == {"province"}
        for code in listed:  # every county has each role
            roles = {u["role"] for u in banban.users() if u["scope"] == code}
            assert roles == {"office", "agent", "leader"}, code
        per_county = Counter()
        for project_id in banban.project_ids():
            project = banban.project(project_id)
            per_county[project["county"]] += 1
            for agent in [project["chief_agent"], *project["co_agents"]]:
                assert scopes[agent] == project["county"]
        assert per_county == dict.fromkeys(listed, 10)
        summary = banban.dispatch("weekly", reader="province-leader")
        assert [row["code"] for row in summary["counties"]] != [] and \
            sorted(row["code"] for row in summary["counties"]) == sorted(listed)
        assert summary["totals"]["projects"] == 30
    finally:
        banban.close()

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
    project_events = sum(1 for kind, *_ in log if kind != "Registered")
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
    assert len({actor for kind, _, _, actor in log if kind != "Registered"}) > 5

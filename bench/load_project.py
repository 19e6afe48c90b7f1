"""Loading a project with 1,000 events: with snapshots (every 100) against a full replay.

Run: .venv/bin/python -m bench.load_project [--events 1000] [--store sqlite|postgres]
Prints one line per figure: value vs baseline = ratio (target), measured in the same run.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, timedelta

from bench.timing import Figure, median_ms
from domain.application import Banban
from domain.project import Project

TODAY = date(2026, 11, 25)


def build(banban: Banban, events: int):
    for username, role in (("office", "office"), ("zhang", "agent")):
        banban.register_user(username, role, actor="bench")
    project = banban.sign_project("office", signed_on=date(2024, 1, 2), name="基准项目",
                                  investor="基准公司", industry="装备制造",
                                  investment=500_000_000, chief_agent="zhang")
    version = 1
    for i in range(events - 1):
        version = banban.record(project["id"], "zhang", "visit_logged", expected_version=version,
                                occurred_on=date(2024, 1, 2) + timedelta(days=i % 900),
                                fields={"purpose": f"第{i}次走访"})["version"]
    return project["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{folder}/b.db"}
        banban = Banban(env=env, clock=lambda: TODAY)
        project_id = build(banban, args.events)

        def full_replay():
            aggregate = None
            for event in banban.events.get(project_id):
                aggregate = event.mutate(aggregate)
            assert isinstance(aggregate, Project) and aggregate.version == args.events

        def with_snapshot():
            assert banban.repository.get(project_id).version == args.events

        baseline = median_ms(full_replay, args.repeat)
        value = median_ms(with_snapshot, args.repeat)
        print(Figure(f"load project ({args.events} events, p50) [baseline = full replay]",
                     value, "ms", "<=", 5, baseline, digits=2, absolute=True))
        banban.close()


if __name__ == "__main__":
    main()
